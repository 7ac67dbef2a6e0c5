"""rules lint: every problem of every rule and policy file at once, with file:line:col."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import DATA, RULES


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the authoring rules and policies that a test may break."""
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copytree(DATA / "policies", tmp_path / "policies")
    shutil.copy(DATA / "decl.yaml", tmp_path / "decl.yaml")
    return tmp_path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def lint(run_cli: Callable[..., Result], workspace: Path) -> Result:
    return run_cli("rules", "lint", str(workspace / "rules"))


def test_clean_rules_lint_clean(run_cli: Callable[..., Result], workspace: Path) -> None:
    result = lint(run_cli, workspace)
    assert result.exit_code == 0
    assert result.output == "3 rules, 2 policies: no problems\n"


def test_bundled_rules_lint_clean(run_cli: Callable[..., Result]) -> None:
    result = run_cli("rules", "lint")
    assert result.exit_code == 0, result.output
    assert result.output.endswith("no problems\n")


CASES = [
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensation_by_use &&",
        "TEST-PAY-001.yaml:12:41: error: TEST-PAY-001: 'assert' does not compile",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensations_by_use",
        "TEST-PAY-001.yaml:12:19: error: TEST-PAY-001: 'assert' uses unknown name "
        "'compensations_by_use'\n  hint: did you mean 'compensation_by_use'?\n",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensation_by_use && use.categroy != ''",
        "TEST-PAY-001.yaml:12:46: error: TEST-PAY-001: 'assert' reads unknown field 'categroy' "
        "of use\n  hint: did you mean 'category'?\n",
    ),
    (
        "TEST-PAY-001.yaml",
        'message: "{{use.id}} pays',
        'message: "{{use.descripton}} pays',
        "TEST-PAY-001.yaml:13:17: error: TEST-PAY-001: 'message' reads unknown field "
        "'descripton' of use\n  hint: did you mean 'description'?\n",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensation_by_use && use.first_used_on < '2026-01-01'",
        "TEST-PAY-001.yaml:12:60: error: TEST-PAY-001: 'assert' has a type mismatch: '<' cannot "
        "combine timestamp with string",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensation_by_use && use.subjects == 'p-ana'",
        "'assert' has a type mismatch: '==' cannot combine list(string) with string",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensation_by_use\nat: scan.start_at",
        "TEST-PAY-001.yaml:13:10: error: TEST-PAY-001: 'at' names unknown field 'start_at' of "
        "scan\n  hint: did you mean 'starts_at'?\n",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id in compensation_by_use && use.subjects.size() > params.minimum",
        "error: TEST-PAY-001: uses params.minimum, which the rule does not declare",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: uses.all(a, uses.all(b, uses.all(c, uses.all(d, a == d))))",
        "nests comprehensions 4 deep, over 3",
    ),
    (
        "TEST-PAY-001.yaml",
        "assert: use.id in compensation_by_use",
        "assert: use.id.lowerAscii() == 'x'",
        "calls lowerAscii, which rules may not use",
    ),
    (
        "TEST-PAY-001.yaml",
        'message: "{{use.id}} pays',
        'message: "{{use.id +}} pays',
        "error: TEST-PAY-001: 'message' does not compile",
    ),
    (
        "TEST-PAY-001.yaml",
        "severity: high",
        "severity: high\nseverty: low",
        "TEST-PAY-001.yaml:5:1: error: `severty` is not a field",
    ),
    (
        "TEST-PAY-001.yaml",
        '  - {title: Test source, url: "https://example.org/source"}',
        "  - {title: Test source}",
        "TEST-PAY-001.yaml:6:5: error: `references[0].url` is missing: where a reader can check it",
    ),
    (
        "TEST-PAY-001.yaml",
        "id: TEST-PAY-001",
        "id: TEST-CONSENT-001",
        "error: duplicate rule id 'TEST-CONSENT-001'",
    ),
    (
        "TEST-PAY-001.yaml",
        "base: decl.yaml, expect: fail",
        "base: missing.yaml, expect: fail",
        "names base 'missing.yaml', which does not exist",
    ),
    (
        "TEST-PAY-001.yaml",
        "message: ",
        "effective:\n  - {obligation: Test law, from: 2026-07-01, date: use.scan.starts_at, "
        "of: the scan, confidence: secondary}\nmessage: ",
        "TEST-PAY-001.yaml:14:61: error: TEST-PAY-001: 'effective[0].date' reads starts_at, an "
        "instant, but a window's dates are days with no time zone: in UTC a time early on 1 July "
        "at +09:00 falls on 30 June\n  hint: read starts_local instead: the same time on the "
        "clock starts_at was written with\n",
    ),
]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    CASES,
    ids=[
        "syntax",
        "unknown-name",
        "unknown-field",
        "unknown-field-in-message",
        "timestamp-against-string",
        "list-against-scalar",
        "unknown-field-in-at",
        "undeclared-param",
        "deep-nesting",
        "function-not-allowed",
        "message-syntax",
        "unknown-key",
        "reference-without-url",
        "duplicate-id",
        "missing-test-base",
        "window-dated-by-an-instant",
    ],
)
def test_each_problem_is_reported_with_location(
    run_cli: Callable[..., Result], workspace: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(workspace / "rules" / file, old, new)
    result = lint(run_cli, workspace)
    assert result.exit_code == 2
    assert expected in result.output
    assert "Traceback" not in result.output


def test_all_problems_of_all_files_at_once(run_cli: Callable[..., Result], workspace: Path) -> None:
    edit(workspace / "rules" / "TEST-PAY-001.yaml", "severity: high", "severity: hihg")
    edit(workspace / "rules" / "TEST-DISCLOSE-001.yaml", "!= null", "!= ")
    edit(workspace / "policies" / "strict.yaml", "TEST-DISCLOSE-001", "TEST-NOPE-001")
    result = lint(run_cli, workspace)
    assert result.exit_code == 2
    assert (
        "TEST-PAY-001.yaml:4:1: error: `severity` is 'hihg', which is not one of the allowed values"
    ) in result.output
    assert "TEST-DISCLOSE-001.yaml:11:37: error: TEST-DISCLOSE-001: 'assert'" in result.output
    assert "strict.yaml:5:1: error: severity names unknown rule 'TEST-NOPE-001'" in result.output
    assert result.output.endswith("2 rules, 2 policies: 3 problems\n")


def test_check_refuses_a_broken_rule_set(run_cli: Callable[..., Result], workspace: Path) -> None:
    edit(workspace / "rules" / "TEST-DISCLOSE-001.yaml", "!= null", "!= ")
    result = run_cli(
        "check",
        str(workspace / "decl.yaml"),
        "--no-bundled-rules",
        "--rules",
        str(workspace / "rules"),
        "--policy",
        str(workspace / "policies" / "test-policy.yaml"),
    )
    assert result.exit_code == 2
    assert "TEST-DISCLOSE-001: 'assert' does not compile" in result.output
    assert "FAIL" not in result.output


def test_a_message_that_cannot_be_written_is_a_lint_error_and_an_error_finding(
    run_cli: Callable[..., Result], workspace: Path
) -> None:
    """A message part that fails only on data (the type check cannot see it): lint writes the
    message for the rule's failing cases, and a check makes an error finding in the rule's
    words, never `<cannot evaluate …>` in a report."""
    rule = workspace / "rules" / "TEST-PAY-001.yaml"
    edit(rule, 'message: "{{use.id}} pays nobody', 'message: "{{use.subjects[5]}} pays nobody')
    result = lint(run_cli, workspace)
    assert result.exit_code == 2
    assert (
        f"{rule}:13:1: error: TEST-PAY-001: the message cannot be written for test "
        "'unpaid voice fails': {{ use.subjects[5] }} gave index out of bounds: 5\n"
    ) in result.output
    assert "  hint: fix the expression inside {{ }}" in result.output
    checked = run_cli(
        "check",
        str(workspace / "decl.yaml"),
        "--rules",
        str(workspace / "rules"),
        "--no-bundled-rules",
        "--policy",
        str(workspace / "policies" / "test-policy.yaml"),
        "--format",
        "html",
    )
    assert checked.exit_code == 1, "the item failed: an error finding fails closed"
    assert "<cannot evaluate" not in checked.output and "&lt;cannot evaluate" not in checked.output
    assert (
        "cannot write the message for u-voice, which fails the rule “Every use that touches a "
        "person pays them”: {{ use.subjects[5] }} gave index out of bounds: 5" in checked.output
    )
    assert "Error: TEST-PAY-001" in checked.output


def test_not_applicable_reasons_are_sentences_not_expressions(
    run_cli: Callable[..., Result], workspace: Path
) -> None:
    decl = workspace / "decl.yaml"
    edit(decl, "subjects: [p-ana]", "subjects: []")
    checked = run_cli(
        "check",
        str(decl),
        "--rules",
        str(workspace / "rules"),
        "--policy",
        str(workspace / "policies" / "test-policy.yaml"),
        "--format",
        "json",
    )
    findings = json.loads(checked.stdout)["declarations"][0]["findings"]
    reasons = {f["rule_id"]: f["message"] for f in findings if f["status"] == "not_applicable"}
    assert reasons["TEST-PAY-001"] == (
        "This production is a series, no territory declared, under no union agreement; none of "
        "its 2 AI uses is of the kind this rule checks."
    )
    assert not [r for r in reasons.values() if "use." in r or "size()" in r]
