"""Malicious rules: each ends in a clean error within the limits, the other findings intact.

A rule is refused when it loads (a located error in the rule file, exit 2), or it makes an
`error` finding naming the rule and the item (exit 1), or the declaration it evaluates is
stopped by the time or memory limit (a located problem, exit 2) while other files are still
evaluated. The rules are in tests/hostile/rules/ (each says what it does at its top); a few
are written here because they are too big to commit.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result

from ccai_policy.errors import Location
from ccai_policy.evaluate import checker_types
from ccai_policy.evaluate.expressions import (
    MAX_RENDERED,
    ExpressionError,
    compile_expression,
)
from ccai_policy.evaluate.scope import Scope

from .authoring import DECL, RULES
from .conftest import AS_OF, ROOT
from .fuzzing.guards import deadline

Run = Callable[..., Result]
CORPUS = ROOT / "tests" / "hostile" / "rules"
DECL_TEXT = DECL.read_text(encoding="utf-8")
BENIGN = "TEST-PAY-001"


def line_of(fragment: str) -> int:
    return DECL_TEXT[: DECL_TEXT.index(fragment)].count("\n") + 1


VOICE, DEAGE = line_of("  - id: u-voice\n"), line_of("  - id: u-deage\n")
#: The benign rule's finding, which every run where small.yaml is evaluated must keep.
BENIGN_FINDING = (
    f"    ✗ small.yaml:{VOICE}:5: FAIL TEST-PAY-001 [high] u-voice pays nobody among p-ana\n"
)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """small.yaml (the authoring declaration), a policy of every rule, and a rules folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "small.yaml").write_text(DECL_TEXT, encoding="utf-8")
    (tmp_path / "policy.yaml").write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    (tmp_path / "rules").mkdir()
    shutil.copy(RULES / f"{BENIGN}.yaml", tmp_path / "rules")
    return tmp_path


def with_rules(workdir: Path, *names: str, **written: str) -> None:
    """Add corpus rules by name, and rules written here by id."""
    for name in names:
        shutil.copy(CORPUS / f"{name}.yaml", workdir / "rules")
    for rule_id, text in written.items():
        (workdir / "rules" / f"{rule_id}.yaml").write_text(text, encoding="utf-8")


def check(run_cli: Run, *args: str, seconds: int = 120) -> Result:
    with deadline(seconds):
        result = run_cli(
            "check",
            "--no-bundled-rules",
            "--rules",
            "rules",
            "--policy",
            "policy.yaml",
            "--as-of",
            AS_OF,
            *args,
        )
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def big(workdir: Path) -> str:
    """A declaration with 400 uses, each with a 10,000-character description (4 MB)."""
    data = yaml.safe_load(DECL_TEXT)
    use = data["uses"][0]
    data["uses"] = [{**use, "id": f"u-{i}", "description": "a" * 9_999 + "b"} for i in range(400)]
    data["consents"][0]["uses"] = ["u-0"]
    data["compensation"][0]["use"] = "u-0"
    data["assets"][0]["uses"] = ["u-0"]
    (workdir / "big.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return "big.yaml"


# --- Runtime errors: an `error` finding per item, naming rule and item -------------------

RUNTIME_ERRORS = {
    "EVIL-DIV-001": "division by zero in CEL expression",
    "EVIL-OVERFLOW-001": "Arithmetic overflow in 'add' on 9223372036854775807 and 1.",
    "EVIL-REGEX-002": "Function 'matches' error: 'a{1000}{1000}' not a valid regex: Compiled "
    "regex exceeds size limit of 10485760 bytes.",
}
#: Refused at load by the type checker; where it cannot run, still an error finding per item.
UNTYPED_RUNTIME_ERRORS = {
    "EVIL-TYPE-001": "Unsupported operation: string + int.",
    "EVIL-FIELD-001": "no field 'consent_form_signed' in the item (check the field name)",
    "EVIL-NOTBOOL-002": "No such overload: the operation is not defined for the given operand "
    "types.",
}


def without_type_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    def unavailable() -> checker_types.DeclarationTypes:
        raise checker_types.CheckerUnavailable("cel-expr-python is not installed")

    monkeypatch.setattr(checker_types, "declaration_types", unavailable)


@pytest.mark.parametrize(
    ("rule_id", "why"),
    [*RUNTIME_ERRORS.items(), *UNTYPED_RUNTIME_ERRORS.items()],
    ids=[*RUNTIME_ERRORS, *UNTYPED_RUNTIME_ERRORS],
)
def test_a_runtime_error_is_an_error_finding_for_each_item(
    run_cli: Run, workdir: Path, monkeypatch: pytest.MonkeyPatch, rule_id: str, why: str
) -> None:
    if rule_id in UNTYPED_RUNTIME_ERRORS:
        without_type_checker(monkeypatch)
    with_rules(workdir, rule_id)
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 1
    severity = "high"
    for line, item in ((VOICE, "u-voice"), (DEAGE, "u-deage")):
        assert (
            f"    ✗ small.yaml:{line}:5: ERROR {rule_id} [{severity}] cannot evaluate the rule for "
            f"{item}: {why}\n"
        ) in result.stdout
    assert BENIGN_FINDING in result.stdout


def test_a_runtime_error_in_a_rule_about_the_declaration(run_cli: Run, workdir: Path) -> None:
    with_rules(workdir, "EVIL-TIME-001")
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 1
    assert re.search(
        r"^    ✗ small\.yaml:\d+:\d+: ERROR EVIL-TIME-001 \[high\] cannot evaluate the rule for "
        r"prod-harbour: Arithmetic overflow in 'add' on Timestamp\(9999-12-31T23:59:59",
        result.stdout,
        re.MULTILINE,
    ), result.stdout
    assert BENIGN_FINDING in result.stdout


def test_a_condition_that_is_not_true_or_false(
    run_cli: Run, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_type_checker(monkeypatch)
    with_rules(workdir, "EVIL-NOTBOOL-001")
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 1
    assert "ERROR EVIL-NOTBOOL-001 [high] applies_when gave 2, not true or false\n" in (
        result.stdout
    )
    assert BENIGN_FINDING in result.stdout


# --- Refused when the rules load: located in the rule file, exit 2 ----------------------

TYPE_ERRORS = {
    "EVIL-TYPE-001": "rules/EVIL-TYPE-001.yaml:12:16: error: EVIL-TYPE-001: 'assert' has a type "
    "mismatch: '+' cannot combine string with int",
    "EVIL-FIELD-001": "rules/EVIL-FIELD-001.yaml:12:13: error: EVIL-FIELD-001: 'assert' reads "
    "unknown field 'consent_form_signed' of use",
    "EVIL-NOTBOOL-001": "rules/EVIL-NOTBOOL-001.yaml:10:15: error: EVIL-NOTBOOL-001: "
    "'applies_when' gives int, not true or false",
    "EVIL-NOTBOOL-002": "rules/EVIL-NOTBOOL-002.yaml:12:9: error: EVIL-NOTBOOL-002: 'assert' "
    "gives string, not true or false",
}


@pytest.mark.parametrize(("rule_id", "error"), TYPE_ERRORS.items(), ids=list(TYPE_ERRORS))
def test_type_errors_are_refused_at_load(
    run_cli: Run, workdir: Path, rule_id: str, error: str
) -> None:
    with_rules(workdir, rule_id)
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == error


def test_four_nested_comprehensions_are_refused_at_load(run_cli: Run, workdir: Path) -> None:
    with_rules(workdir, "EVIL-NEST-002")
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "rules/EVIL-NEST-002.yaml:12:9: error: EVIL-NEST-002: 'assert' nests comprehensions 4 "
        "deep, over 3\n"
        "  hint: use an index such as people_by_id or consents_by_use instead of nested loops\n"
    )


def test_nesting_hidden_by_a_raw_string_a_comment_and_spacing_is_refused_at_load(
    run_cli: Run, workdir: Path
) -> None:
    with_rules(workdir, "EVIL-NEST-003")
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        "rules/EVIL-NEST-003.yaml:13:9: error: EVIL-NEST-003: 'assert' nests comprehensions 4 "
        "deep, over 3\n"
        "  hint: use an index such as people_by_id or consents_by_use instead of nested loops\n"
    )


def test_functions_and_names_outside_the_allowed_ones_are_refused_at_load(
    run_cli: Run, workdir: Path
) -> None:
    with_rules(workdir, "EVIL-FUNC-001")
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert errors == [
        "rules/EVIL-FUNC-001.yaml:12:8: error: EVIL-FUNC-001: 'where' calls lowerAscii, which "
        "rules may not use",
        "rules/EVIL-FUNC-001.yaml:13:9: error: EVIL-FUNC-001: 'assert' calls system, which "
        "rules may not use",
    ]


def rule_text(rule_id: str, assertion: str) -> str:
    return (
        f"id: {rule_id}\ntitle: Generated\ncriterion: controls\nseverity: high\n"
        "references: [{title: Hostile rule corpus, url: 'https://example.org/hostile'}]\n"
        "description: Generated by the test.\nremediation: None.\n"
        f"for_each: uses\nas: use\nassert: '{assertion}'\nmessage: '{{{{use.id}}}} failed'\n"
    )


ASSERT_LINE = 10  # the line of `assert:` in rule_text, whose value starts at column 9


def test_100_000_nested_parentheses_are_refused_by_length(run_cli: Run, workdir: Path) -> None:
    deep = "(" * 100_000 + "true" + ")" * 100_000
    with_rules(workdir, **{"EVIL-DEEP-001": rule_text("EVIL-DEEP-001", deep)})
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"rules/EVIL-DEEP-001.yaml:{ASSERT_LINE}:1: error: `assert` is 200,004 characters, over "
        "the limit of 2,000"
    )
    assert len(result.stderr) < 500, "the expression is not echoed whole"


def test_1_900_characters_of_nested_parentheses_are_a_located_compile_error(
    run_cli: Run, workdir: Path
) -> None:
    """The CEL parser refuses deep nesting itself (at about 100 levels), without crashing."""
    deep = "(" * 948 + "true" + ")" * 948
    with_rules(workdir, **{"EVIL-DEEP-002": rule_text("EVIL-DEEP-002", deep)})
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert re.match(
        rf"rules/EVIL-DEEP-002\.yaml:{ASSERT_LINE}:\d+: error: EVIL-DEEP-002: 'assert' does not "
        r"compile: cannot parse '\(\(\(",
        result.stderr,
    ), result.stderr[:300]
    assert "hint: check the CEL syntax" in result.stderr


def test_1_999_characters_of_nested_negation_evaluate(run_cli: Run, workdir: Path) -> None:
    """Deep unary nesting compiles and evaluates (the interpreter's recursion holds)."""
    deep = "!" * 1_990 + "false"  # an even number of negations: false
    with_rules(workdir, **{"EVIL-DEEP-003": rule_text("EVIL-DEEP-003", deep)})
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 1
    assert (
        f"    ✗ small.yaml:{VOICE}:5: FAIL EVIL-DEEP-003 [high] u-voice failed\n" in result.stdout
    )
    assert BENIGN_FINDING in result.stdout


# --- Stopped by the limits: the declaration is a located problem, other files evaluated ----


def limit(seconds: float, path: Path) -> str:
    """What a file stopped by the limits says: the time limit counts per MiB of the file."""
    allowed = round(seconds * max(1.0, path.stat().st_size / (1024 * 1024)), 1)
    return (
        rf"could not evaluate: (evaluation took longer than the limit of {allowed:g} s|the "
        r"worker process was killed by SIG[A-Z]+ \(memory limit or a crash in a library\).*|"
        r"ran out of memory.*)"
    )


@pytest.mark.parametrize(
    "rule_id", ["EVIL-NEST-001", "EVIL-STRING-001"], ids=["n³ comprehensions", "string blow-up"]
)
def test_a_costly_rule_is_stopped_on_a_big_declaration_and_small_ones_finish(
    run_cli: Run, workdir: Path, big: str, rule_id: str
) -> None:
    with_rules(workdir, rule_id)
    result = check(
        run_cli, "small.yaml", big, "--timeout", "3", "--memory-limit", "512", "--jobs", "2"
    )
    assert result.exit_code == 2
    stopped = limit(3, workdir / big)
    found = re.search(rf"^  big\.yaml: error: {stopped}$", result.stdout, re.MULTILINE)
    assert found, result.stdout
    assert BENIGN_FINDING in result.stdout, "the small declaration is evaluated in full"


def test_a_rule_costly_on_any_input_stops_every_declaration_at_the_limit(
    run_cli: Run, workdir: Path
) -> None:
    """27 million steps from list literals alone: each file is stopped, none hangs the run."""
    with_rules(workdir, "EVIL-LIST-001")
    shutil.copy(workdir / "small.yaml", workdir / "other.yaml")
    result = check(run_cli, "small.yaml", "other.yaml", "--timeout", "1", "--jobs", "2")
    assert result.exit_code == 2
    for name in ("other.yaml", "small.yaml"):
        assert f"  {name}: error: could not evaluate: evaluation took longer than the limit " in (
            result.stdout
        )


def test_regular_expressions_run_in_linear_time_on_long_strings(
    run_cli: Run, workdir: Path, big: str
) -> None:
    with_rules(workdir, "EVIL-REGEX-001")
    result = check(run_cli, "small.yaml", big, "--timeout", "10", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not report["problems"]
    outcomes = {
        (d["file"], f["rule_id"]): f["status"]
        for d in report["declarations"]
        for f in d["findings"]
    }
    assert outcomes[(big, "EVIL-REGEX-001")] == "pass"


def test_messages_are_cut_whatever_a_rule_interpolates(
    run_cli: Run, workdir: Path, big: str
) -> None:
    with_rules(workdir, "EVIL-MESSAGE-001")
    result = check(run_cli, big, "--format", "json")
    assert result.exit_code == 1
    [declaration] = json.loads(result.stdout)["declarations"]
    messages = [f["message"] for f in declaration["findings"] if f["rule_id"] == "EVIL-MESSAGE-001"]
    assert len(messages) == 400
    assert {len(m) for m in messages} == {MAX_RENDERED + len("… (100,000 characters)")}
    assert messages[0].endswith("a… (100,000 characters)")


# --- A panic inside the library -------------------------------------------------------------


class PanicException(BaseException):
    """Stands in for pyo3_runtime.PanicException, which exists only once a panic happened."""


class _Panicking:
    def execute(self, context: Any) -> Any:
        raise PanicException("called `Option::unwrap()` on a `None` value")


def test_a_panic_in_the_library_becomes_an_expression_error() -> None:
    """No rule found here panics `cel`; the conversion of the panic is still tested."""
    compiled = compile_expression("true", what="T", origin=Location("r.yaml", 1, 1))
    panicking = type(compiled)(compiled.source, _Panicking())
    with pytest.raises(ExpressionError, match=r"^called `Option::unwrap\(\)` on a `None` value$"):
        Scope({}).run(panicking)


def test_an_alias_bomb_in_a_rule_file_is_refused_at_load(run_cli: Run, workdir: Path) -> None:
    bomb = "".join(f"x{i}: &x{i} [{', '.join([f'*x{i - 1}'] * 9)}]\n" for i in range(1, 9))
    text = rule_text("EVIL-BOMB-001", "true") + "x0: &x0 [a, a, a, a, a, a, a, a, a]\n" + bomb
    with_rules(workdir, **{"EVIL-BOMB-001": text})
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert re.match(
        r"rules/EVIL-BOMB-001\.yaml:\d+:\d+: error: aliases expand to more than 100,000 nodes\n",
        result.stderr,
    ), result.stderr


def test_a_parameter_too_large_for_the_engine_is_refused_at_load(
    run_cli: Run, workdir: Path
) -> None:
    text = rule_text("EVIL-PARAMS-001", "size(use.subjects) < params.most")
    text += "params:\n  most: 1" + "0" * 400 + "\n"  # beyond any double: CEL cannot take it
    with_rules(workdir, **{"EVIL-PARAMS-001": text})
    result = check(run_cli, "small.yaml")
    assert result.exit_code == 2
    assert result.stderr == (
        f"rules/EVIL-PARAMS-001.yaml:{ASSERT_LINE + 3}:3: error: `params.most` is "
        "a number of 401 digits, out of range: whole numbers must be between "
        "-9,223,372,036,854,775,808 and 9,223,372,036,854,775,807\n"
        "  hint: use a smaller number, or quote it if it is text\n"
    )
