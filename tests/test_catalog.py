"""Policies: extends, include/exclude, severity and params overrides, cycles, lookups."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.errors import CcaiError, ValidationErrors
from ccai_policy.policy.resolve import load_policy

from .authoring import DECL, RULES, STRICT, check_args


def write_policy(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_extends_inherits_rules_and_overrides_severity_and_fail_on() -> None:
    resolved = load_policy(str(STRICT), RULES)
    assert [r.rule.id for r in resolved.rules] == [
        "TEST-CONSENT-001",
        "TEST-DISCLOSE-001",
        "TEST-PAY-001",
    ]
    assert resolved.severity["TEST-DISCLOSE-001"] == "high"
    assert resolved.severity["TEST-PAY-001"] == "high"
    assert resolved.mandatory == {"TEST-CONSENT-001"}
    assert resolved.fail_on == "medium"
    assert resolved.chain == ["strict"]


def test_stricter_policy_fails_on_what_the_base_tolerates(
    run_cli: Callable[..., Result],
) -> None:
    result = run_cli(*check_args(policy=STRICT))
    assert result.exit_code == 1
    assert "FAIL TEST-DISCLOSE-001 [high] a-promo has no audience disclosure" in result.output
    assert "against strict 2.0 (fail on medium and above)" in result.output


def test_include_and_exclude_globs(tmp_path: Path) -> None:
    path = write_policy(
        tmp_path,
        "only",
        'id: only\nversion: "1"\ntitle: Only\nrules:\n  include: ["TEST-*"]\n'
        '  exclude: ["*-PAY-*"]\n',
    )
    resolved = load_policy(str(path), RULES)
    assert [r.rule.id for r in resolved.rules] == ["TEST-CONSENT-001", "TEST-DISCLOSE-001"]


def test_params_defaults_and_overrides(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    rule = (RULES / "TEST-PAY-001.yaml").read_text(encoding="utf-8")
    rule = rule.replace(
        "assert: use.id in compensation_by_use",
        "params: {max_subjects: 5}\nassert: use.subjects.size() <= params.max_subjects",
    )
    (rules / "TEST-PAY-001.yaml").write_text(rule, encoding="utf-8")
    base = write_policy(tmp_path, "base", 'id: base\nversion: "1"\ntitle: Base\n')
    tight = write_policy(
        tmp_path,
        "tight",
        'id: tight\nversion: "1"\ntitle: Tight\nextends: [base]\nparams: {max_subjects: 0}\n',
    )
    assert load_policy(str(base), rules).params == {"max_subjects": 5}
    assert load_policy(str(tight), rules).params == {"max_subjects": 0}
    assert load_policy(str(base), rules).digest != load_policy(str(tight), rules).digest


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    write_policy(tmp_path, "a", 'id: a\nversion: "1"\ntitle: A\nextends: [b]\n')
    b = write_policy(tmp_path, "b", 'id: b\nversion: "1"\ntitle: B\nextends: [a]\n')
    with pytest.raises(CcaiError) as caught:
        load_policy(str(b), RULES)
    assert caught.value.message == "policy 'b' extends itself: b -> a -> b"
    assert str(caught.value.location).endswith("b.yaml:4:1")


def test_include_matching_nothing_is_an_error(tmp_path: Path) -> None:
    path = write_policy(
        tmp_path, "p", 'id: p\nversion: "1"\ntitle: P\nrules:\n  include: [TEST-TYPO-001]\n'
    )
    with pytest.raises(ValidationErrors) as caught:
        load_policy(str(path), RULES)
    assert caught.value.problems[0].message == "include pattern 'TEST-TYPO-001' matches no rule"


def test_unquoted_version_gets_a_hint(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write_policy(tmp_path, "p", "id: p\nversion: 2026.1\ntitle: P\n")
    result = run_cli(*check_args(policy=path))
    assert result.exit_code == 2
    assert "p.yaml:2:1: error: `version` is 2026.1, but it should be text" in (result.output)
    assert 'hint: if it is text, put it in quotes as you wrote it, e.g. `version: "2026.1"`' in (
        result.output
    )


def test_unknown_policy_id_lists_bundled(run_cli: Callable[..., Result]) -> None:
    result = run_cli("check", str(DECL), "--policy", "no-such-policy")
    assert result.exit_code == 2
    assert "error: unknown policy 'no-such-policy'" in result.output
    assert "bundled policies: " in result.output and "ccai-baseline" in result.output


def test_policies_show_prints_effective_severities(run_cli: Callable[..., Result]) -> None:
    result = run_cli("policies", "show", str(STRICT), "--no-bundled-rules", "--rules", str(RULES))
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "strict 2.0: A stricter in-house policy extending the test policy"
    assert lines[1].startswith("fail on: medium and above; rule set digest ")
    assert lines[2].split() == [
        "TEST-CONSENT-001",
        "critical",
        "Replicas",
        "have",
        "an",
        "unrevoked",
        "consent",
        "(mandatory)",
    ]
    assert lines[3].split()[:2] == ["TEST-DISCLOSE-001", "high"]


def test_policies_list_names_the_baseline(run_cli: Callable[..., Result]) -> None:
    result = run_cli("policies", "list")
    assert result.exit_code == 0
    assert any(line.startswith("ccai-baseline ") for line in result.output.splitlines())
