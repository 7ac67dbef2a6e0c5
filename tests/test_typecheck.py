"""Expressions are checked against the declaration model: typos and type mismatches refused."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.evaluate import checker_types, typecheck
from ccai_policy.model.declaration import LIST_SECTIONS, OBJECT_SECTIONS
from ccai_policy.paths import data_dir
from ccai_policy.policy.catalog import load_rules

BUNDLED = load_rules(data_dir("rules"))
SECTIONS = (*LIST_SECTIONS, *OBJECT_SECTIONS)
FIELD = re.compile(r"\b([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\b(?!\s*\()")


def typo(name: str) -> str:
    """A plausible slip of the keyboard: two middle letters swapped, else a letter doubled."""
    if len(name) >= 4 and name[1] != name[2]:
        return name[0] + name[2] + name[1] + name[3:]
    return name + name[-1]


def seed(text: str, rule_as: str, keys: tuple[str, ...]) -> tuple[str, str, str] | None:
    """The rule file with the first field access (of the item or a section) misspelt."""
    for key in keys:
        start = text.find(f"\n{key}:")
        if start < 0:
            continue
        end = re.search(r"\n[a-z_]+:", text[start + 1 :])
        stop = start + 1 + end.start() if end else len(text)
        for match in FIELD.finditer(text, start, stop):
            if match.group(1) in (rule_as, *SECTIONS):
                wrong = typo(match.group(2))
                seeded = text[: match.start(2)] + wrong + text[match.end(2) :]
                return seeded, match.group(2), wrong
    return None


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, str]]]:
    """Every bundled rule, each with one field typo, in a folder of their own."""
    folder = tmp_path_factory.mktemp("seeded") / "rules"
    folder.mkdir()
    typos: dict[str, tuple[str, str]] = {}
    for loaded in BUNDLED:
        text = Path(loaded.document.path).read_text(encoding="utf-8")
        found = seed(text, loaded.rule.as_, ("assert", "where", "message"))
        assert found is not None, f"{loaded.rule.id}: no field access to misspell"
        text, right, wrong = found
        (folder / Path(loaded.document.path).name).write_text(text, encoding="utf-8")
        typos[loaded.rule.id] = (right, wrong)
    return folder, typos


def test_lint_refuses_a_field_typo_seeded_into_every_bundled_rule(
    run_cli: Callable[..., Result], seeded: tuple[Path, dict[str, tuple[str, str]]]
) -> None:
    folder, typos = seeded
    result = run_cli("rules", "lint", str(folder), "--no-bundled-rules")
    assert result.exit_code == 2
    caught = []
    for rule_id, (right, wrong) in typos.items():
        wanted = re.compile(
            rf"{re.escape(rule_id)}\.yaml:\d+:\d+: error: {re.escape(rule_id)}: '[\w/]+' reads "
            rf"unknown field '{wrong}' of [a-z ]+\n  hint: did you mean [^\n]*'{right}'"
        )
        if wanted.search(result.output):
            caught.append(rule_id)
    assert sorted(caught) == sorted(typos), result.output
    assert len(caught) == len(BUNDLED) == 63


def test_the_bundled_rules_type_check_without_a_false_positive() -> None:
    assert typecheck.available() == ""
    problems = []
    for loaded in BUNDLED:
        rule = loaded.rule
        sources = [rule.applies_when, rule.where, rule.assert_]
        sources += [m.strip() for m in re.findall(r"\{\{(.+?)\}\}", rule.message, re.S)]
        for source in filter(None, sources):
            problems += [(rule.id, p) for p in typecheck.check(source, rule.as_, rule.for_each)]
        if rule.at and rule.for_each != "declaration":
            problem = typecheck.check_field_path(rule.at, rule.for_each)
            problems += [(rule.id, problem)] if problem else []
    assert problems == []


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("use.categroy == 'x'", "reads unknown field 'categroy' of use"),
        ("use.scan.strats_at < today", "reads unknown field 'strats_at' of scan"),
        ("consnets.size() > 0", "uses unknown name 'consnets'"),
        ("use.first_used_on == '2026-01-01'", "'==' cannot combine timestamp with string"),
        ("use.subjects == 'p-ana'", "'==' cannot combine list(string) with string"),
        ("use.category > 3", "'>' cannot combine string with int"),
        (
            "tools_by_id[use.tool].trained_on_production_material == 'yes'",
            "'==' cannot combine bool with string",
        ),
    ],
    ids=["field", "nested-field", "name", "timestamp-string", "list-scalar", "string-int", "bool"],
)
def test_each_class_of_mistake_is_caught(expression: str, message: str) -> None:
    problems = typecheck.check(expression, "use", "uses")
    assert [p.message for p in problems if message in p.message], problems


@pytest.mark.parametrize(
    "expression",
    [
        "c.paid_on != null && c.paid_on < today",
        "c.amount != null && c.amount.value > 0",  # int against double: the evaluator compares
        "c.notes == null || c.notes.startsWith('x')",
        "(c.paid_on != null ? c.paid_on : 'unpaid') != ''",
        "params.floor > 1 && c.scale_multiple != null && c.scale_multiple >= 1.5",
        "c.use in uses_by_id && uses_by_id[c.use].subjects.exists(s, s == c.person)",
    ],
)
def test_what_the_evaluator_accepts_is_not_refused(expression: str) -> None:
    assert typecheck.check(expression, "c", "compensation") == []


def test_did_you_mean_names_only_the_nearest() -> None:
    [problem] = typecheck.check("use.subject == []", "use", "uses")
    assert problem.hint == "did you mean 'subjects'?"
    [far] = typecheck.check("use.zzz == 1", "use", "uses")
    assert far.hint.startswith("fields of use: id, category, description, tool, tools, subjects")


def test_an_author_rule_with_a_typo_fails_check_at_load(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    folder = tmp_path / "rules"
    folder.mkdir()
    source = next(r for r in BUNDLED if r.rule.id == "CONSENT-REPLICA-001")
    text = Path(source.document.path).read_text(encoding="utf-8")
    found = seed(text.replace("CONSENT-REPLICA-001", "ACME-REPLICA-001"), "use", ("assert",))
    assert found is not None
    (folder / "ACME-REPLICA-001.yaml").write_text(found[0], encoding="utf-8")
    shutil.copy(data_dir("rules").parent / "examples" / "feature-film-compliant.yaml", tmp_path)
    result = run_cli("check", str(tmp_path / "feature-film-compliant.yaml"), "--rules", str(folder))
    assert result.exit_code == 2
    assert f"reads unknown field '{found[2]}' of use" in result.output
    assert f"did you mean '{found[1]}'?" in result.output


def test_lint_says_when_it_could_not_check_types_and_strict_fails(
    run_cli: Callable[..., Result], monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> checker_types.DeclarationTypes:
        why = "cel-expr-python is not installed (No module named x)"
        raise checker_types.CheckerUnavailable(why)

    monkeypatch.setattr(checker_types, "declaration_types", missing)
    result = run_cli("rules", "lint")
    assert result.exit_code == 0
    assert result.output.endswith(
        "no problems in what could be checked; fields and types NOT checked: cel-expr-python is "
        "not installed (No module named x) (install cel-expr-python)\n"
    )
    assert "no problems\n" not in result.output
    strict = run_cli("rules", "lint", "--strict")
    assert strict.exit_code == 2
