"""The fast CEL runtime changes how quickly a declaration is judged, not the judgement.

Every program runs in the fast runtime (Google's CEL) first and in the reference runtime (the
Rust CEL library) wherever the fast one cannot settle it: an error, a value it does not take,
or its budget of 10,000 loop iterations per evaluation. These tests judge the same
declarations with both and compare every finding, message and location; and they show the
fast runtime really judged (no quiet fallback that would make the comparison empty). The one
known difference, an expression whose failing part another part settles, is shown as it is.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import write_set

from ccai_policy.authoring import ruletests
from ccai_policy.evaluate import engine, runtime
from ccai_policy.evaluate.compiler import RuleSet, compile_policy
from ccai_policy.evaluate.programs import CHUNK, CHUNK_FAST, SPAN_FAST
from ccai_policy.evaluate.scope import declaration_scope
from ccai_policy.load.loader import load_file
from ccai_policy.load.validation import validate_declaration
from ccai_policy.model.result import DeclarationResult
from ccai_policy.policy.resolve import load_policy
from ccai_policy.policy.rulefiles import load_rule_file
from ccai_policy.run import pipeline

from .conftest import EXAMPLES, ROOT
from .test_bundled_rules import RULE_FILES, RULES_DIR

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def baseline() -> RuleSet:
    return compile_policy(load_policy("ccai-baseline"))


def judged(path: Path, ruleset: RuleSet) -> tuple[str, int]:
    """The result of one declaration as JSON, and how many programs the reference runtime
    settled because the fast runtime could not."""
    scopes: list[Any] = []
    original = engine.declaration_scope

    def recording(*args: Any) -> Any:
        scopes.append(original(*args))
        return scopes[-1]

    document = load_file(path, sparse=True)
    declaration = validate_declaration(document)
    engine.declaration_scope = recording
    try:
        result = engine.evaluate(declaration, document, ruleset, AS_OF)
    finally:
        engine.declaration_scope = original
    return result.model_dump_json(), sum(scope.fallbacks for scope in scopes)


def both(path: Path, ruleset: RuleSet) -> tuple[str, str, int]:
    fast, fallbacks = judged(path, ruleset)
    reference, _ = judged(path, dataclasses.replace(ruleset, fast=False))
    return fast, reference, fallbacks


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Declarations as the benchmark makes them (`benchmarks/generate.py`), 300 uses each."""
    return write_set(tmp_path_factory.mktemp("generated"), 2026, 3, 300)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_each_example_is_judged_alike_and_by_the_fast_runtime(name: str, baseline: RuleSet) -> None:
    fast, reference, fallbacks = both(EXAMPLES / name, baseline)
    assert fast == reference
    assert fallbacks == 0


def test_generated_declarations_are_judged_alike_and_by_the_fast_runtime(
    generated: list[Path], baseline: RuleSet
) -> None:
    for path in generated:
        fast, reference, fallbacks = both(path, baseline)
        assert fast == reference, path.name
        assert fallbacks == 0, path.name
        assert '"status":"fail"' in fast  # the comparison covers failing items and messages


def test_every_case_of_every_bundled_rule_is_judged_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    """The rule tests' own declarations (errors, unknown facts, dates, derived facts)."""
    differ: list[str] = []
    evaluate_document = pipeline.evaluate_document

    def compared(document: Any, checks: pipeline.Checks) -> DeclarationResult:
        fast = evaluate_document(document, checks)
        reference_rules = dataclasses.replace(checks.ruleset, fast=False)
        reference = evaluate_document(
            document, dataclasses.replace(checks, ruleset=reference_rules)
        )
        if fast.model_dump_json() != reference.model_dump_json():
            differ.append(f"{document.path}: {[r.rule.id for r in checks.ruleset.policy.rules]}")
        return fast

    monkeypatch.setattr(ruletests, "evaluate_document", compared)
    cases = 0
    for path in RULE_FILES:
        loaded = load_rule_file(path)
        for case in loaded.rule.tests:
            ruletests.run_case(loaded, case, ROOT)
            cases += 1
    assert cases >= 2 * len(RULE_FILES)
    assert differ == []
    assert RULES_DIR.is_dir()


RULE = """\
id: RUNTIME-TEST-001
title: Each use is named once
criterion: transparency
severity: high
references:
  - {{title: Test source, url: "https://example.org/source"}}
description: A test rule.
remediation: Name each use once.
for_each: {section}
as: item
assert: {assert_}
message: "{{{{item.id}}}}: {{{{ {shown} }}}}"
"""


def custom(tmp_path: Path, section: str, assert_: str, shown: str, body: str) -> Path:
    """A policy of one rule and a declaration; returns the declaration's path."""
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    text = RULE.format(section=section, assert_=assert_, shown=shown)
    (rules / "RUNTIME-TEST-001.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    path = tmp_path / "decl.yaml"
    path.write_text(
        "apiVersion: ccai-policy/v1\nkind: Declaration\n"
        "production: {id: prod-1, title: One, studio: S, type: film}\n"
        "tools:\n  - {id: t-1, name: T, vendor: V}\n" + body,
        encoding="utf-8",
    )
    return path


def custom_rules(tmp_path: Path) -> RuleSet:
    return compile_policy(load_policy(str(tmp_path / "policy.yaml"), tmp_path / "rules"))


def many_uses(count: int) -> str:
    lines = ["uses:"]
    for i in range(count):
        lines += [
            f"  - id: u-{i}",
            "    category: gai_visual_or_audio",
            f'    description: "use {i}"',
            "    tool: t-1",
        ]
    return "\n".join(lines) + "\n"


def test_a_rule_over_the_fast_runtimes_loop_budget_is_judged_by_the_reference_one(
    tmp_path: Path,
) -> None:
    """300 uses, each compared with every use: 300 loop steps per use of a chunk, over the
    fast runtime's 10,000 a call. The check still judges every use, as the reference runtime
    does."""
    assert CHUNK * 300 > 10_000
    path = custom(
        tmp_path, "uses", "uses.exists_one(other, other.id == item.id)", "item.id", many_uses(300)
    )
    ruleset = custom_rules(tmp_path)
    fast, reference, fallbacks = both(path, ruleset)
    assert fast == reference
    assert fallbacks >= 1
    [finding] = DeclarationResult.model_validate_json(fast).findings
    assert (finding.status, finding.message) == ("pass", "passed: Each use is named once")


def test_a_time_written_with_an_offset_is_shown_as_written(tmp_path: Path) -> None:
    """The fast runtime gives times in UTC; a finding shows the offset the declaration used."""
    body = (
        "people:\n  - {id: p-1, name: A, roles: [principal]}\n"
        "uses:\n  - {id: u-1, category: employment_based_digital_replica, description: d, "
        "tool: t-1, subjects: [p-1]}\n"
        "consents:\n  - {id: c-1, person: p-1, uses: [u-1], description: d, "
        "notice_given_at: '2026-09-28T09:00:00+02:00', signed_on: 2026-09-30}\n"
    )
    path = custom(tmp_path, "consents", "item.id == ''", "item.notice_given_at", body)
    fast, reference, _ = both(path, custom_rules(tmp_path))
    assert fast == reference
    [finding] = DeclarationResult.model_validate_json(fast).findings
    assert finding.message == "c-1: 2026-09-28T09:00:00+02:00"


def test_a_value_the_runtimes_may_show_differently_is_shown_by_the_reference_one(
    tmp_path: Path,
) -> None:
    """A map in a message: the runtimes may order its keys differently (the reference runtime
    does not keep one order itself), so each message is the reference runtime's."""
    path = custom(tmp_path, "uses", "item.id == ''", "{'b': 1, 'a': item.id}", many_uses(2))
    fast, fallbacks = judged(path, custom_rules(tmp_path))
    assert fallbacks == 3  # the two failing items' messages at once, then each on its own
    messages = [f.message for f in DeclarationResult.model_validate_json(fast).findings]
    assert [m.split(": ", 1)[0] for m in messages] == ["u-0", "u-1"]
    assert all(m.count("'a'") == m.count("'b'") == 1 for m in messages)


NULLS = """
from ccai_policy.evaluate import runtime
assert runtime.available()
bound = runtime.activation({"x": [None] * 50, "m": {"a": None}})
for _ in range(20_000):
    assert runtime.run("[x, m.a, null]", bound) == [[None] * 50, None, None]
print("judged")
"""


def test_nulls_given_back_by_the_fast_runtime_never_free_none() -> None:
    """cel-expr-python gives back references to None it never took; a million of them here,
    far more than None has, so without runtime.py making None immortal the process aborts."""
    done = subprocess.run(
        [sys.executable, "-c", NULLS], capture_output=True, text=True, check=False, timeout=300
    )
    assert (done.returncode, done.stdout.strip()) == (0, "judged"), done.stderr[-500:]


def test_a_failing_part_settled_by_another_is_judged_as_cel_specifies(tmp_path: Path) -> None:
    """`null.getFullYear()` fails for one item of `exists`, the other item holds: true by the
    CEL specification, which the fast runtime follows; the reference runtime reports an error.
    (The bundled rules' cases above agree; one of their mutants, caught as an error before,
    now survives: the mutation score is 503 of 772.)"""
    body = "people:\n  - {id: p-1, name: A, roles: [principal]}\n"
    path = custom(
        tmp_path,
        "people",
        "'[item.deceased_on, today].exists(d, d.getFullYear() > 0)'",
        "item.id",
        body,
    )
    fast, reference, _ = both(path, custom_rules(tmp_path))
    [passed] = DeclarationResult.model_validate_json(fast).findings
    [error] = DeclarationResult.model_validate_json(reference).findings
    assert (passed.status, error.status) == ("pass", "error")


@pytest.mark.parametrize(
    ("value", "times", "plain"),
    [
        ([["u-1", None, [1, 2.5, True]], "x"], True, True),
        ([["u-1", [[{"a": 1}]]]], True, False),  # a map deep inside
        ([[b"bytes"]], True, False),
        ([[dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]], True, True),
        ([[dt.datetime(2026, 1, 1, tzinfo=dt.UTC)]], False, False),  # a time in an offset
        (dt.timedelta(days=1), False, True),
        ({"a": 1}, True, False),
    ],
)
def test_only_values_both_runtimes_show_alike_are_taken(
    value: Any, times: bool, plain: bool
) -> None:
    from ccai_policy.evaluate.runtime import _plain

    assert _plain(value, times) is plain


def test_sweeps_build_no_list_per_call(baseline: RuleSet) -> None:
    """Every bundled section rule's sweep reads its chunk from the spans bound once and its
    item as `S[_i]`: a list a call builds (the chunk's positions, or a list of one item) stays
    in the fast runtime's memory until the declaration is done (programs.SPAN_FAST)."""
    swept = 0
    for compiled in baseline.rules:
        rule = compiled.loaded.rule
        if rule.for_each == "declaration":
            continue
        assert compiled.sweep is not None
        assert compiled.sweep.count(SPAN_FAST) == 2, rule.id
        assert CHUNK_FAST not in compiled.sweep, rule.id
        assert f"[{rule.for_each}[_i]]" not in compiled.sweep, rule.id
        swept += 1
    assert swept > 40


def test_a_sweep_over_positions_that_are_not_a_span_is_left_to_the_reference_runtime(
    generated: list[Path], baseline: RuleSet
) -> None:
    declaration = validate_declaration(load_file(generated[0], sparse=True))
    scope = declaration_scope(declaration, baseline.policy.params, AS_OF, baseline.names)
    sweep = next(c.sweep for c in baseline.rules if c.loaded.rule.id == "CONSENT-REPLICA-001")
    assert sweep is not None
    span = list(range(CHUNK))
    assert scope.sweep(sweep, span) is not runtime.FAILED
    for other in ([*span[:-1], CHUNK + 1], span[1:], [0, *span[:-1]]):
        assert scope.sweep(sweep, other) is runtime.FAILED


@pytest.mark.parametrize(
    "assert_",
    [
        # The names a sweep reads the item by (`uses[_i]`), bound again by the rule itself.
        "\"[0].all(_i, item.description != 'use 1')\"",
        "\"[1, 2].exists(_i, item.description != 'use 1')\"",
        "\"[[{'description': 'x'}, {'description': 'x'}, {'description': 'x'}]]"
        ".all(uses, item.description != 'use 1')\"",
        # A name the index rewrite writes (positional.POSITION), and an index read beside it.
        "\"[0].all(_k0, item.id in uses_by_id && uses_by_id[item.id].description != 'use 1')\"",
    ],
)
@pytest.mark.parametrize("count", [3, 120], ids=["items", "positions"])
def test_a_rule_that_binds_the_engines_names_is_judged_as_written(
    tmp_path: Path, assert_: str, count: int
) -> None:
    """The fast runtime's programs read the item as `uses[_i]` and indexes as positions
    (`_k...`); a rule that binds one of those names itself must not change what they read."""
    path = custom(tmp_path, "uses", assert_, "item.description", many_uses(count))
    fast, reference, _ = both(path, custom_rules(tmp_path))
    assert fast == reference
    failing = [
        f for f in DeclarationResult.model_validate_json(fast).findings if f.status == "fail"
    ]
    assert [(f.subject.id, f.message) for f in failing] == [("u-1", "u-1: use 1")]
