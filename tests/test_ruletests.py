"""rules test: each rule's cases run, a sabotaged rule fails, missing cases are reported."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.authoring.ruletests import merge_patch

from .authoring import DATA, RULES


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(RULES, tmp_path / "rules")
    shutil.copy(DATA / "decl.yaml", tmp_path / "decl.yaml")
    return tmp_path


def test_all_cases_pass(run_cli: Callable[..., Result], workspace: Path) -> None:
    result = run_cli("rules", "test", str(workspace / "rules"), "--require-tests")
    assert result.exit_code == 0, result.output
    assert "PASSED TEST-PAY-001::unpaid voice fails" in result.output
    assert result.output.endswith("7 passed, 0 failed (3 rules)\n")


def test_sabotaged_assert_fails_with_expected_and_actual(
    run_cli: Callable[..., Result], workspace: Path
) -> None:
    path = workspace / "rules" / "TEST-PAY-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("assert: use.id in compensation_by_use", "assert: 'true'"), "utf-8"
    )
    result = run_cli("rules", "test", str(workspace / "rules"))
    assert result.exit_code == 1
    assert "FAILED TEST-PAY-001::unpaid voice fails\n    expected fail, got pass" in result.output
    assert result.output.endswith("6 passed, 1 failed (3 rules)\n")


def test_wrong_failure_count_and_message(run_cli: Callable[..., Result], workspace: Path) -> None:
    path = workspace / "rules" / "TEST-PAY-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("failures: 1", "failures: 2").replace(
            "pays nobody among p-ana", "pays no one"
        ),
        "utf-8",
    )
    result = run_cli("rules", "test", str(workspace / "rules"))
    assert result.exit_code == 1
    assert "expected 2 failing item(s), got 1" in result.output


def test_require_tests_reports_rules_without_fail_case(
    run_cli: Callable[..., Result], workspace: Path
) -> None:
    path = workspace / "rules" / "TEST-CONSENT-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.split("tests:")[0] + "tests:\n  - {name: ok, base: decl.yaml, expect: pass}\n"
    )
    result = run_cli("rules", "test", str(workspace / "rules"), "--require-tests")
    assert result.exit_code == 1
    assert "MISSING TEST-CONSENT-001 has no 'fail' test case" in result.output


def test_case_whose_patch_makes_an_invalid_declaration_fails(
    run_cli: Callable[..., Result], workspace: Path
) -> None:
    path = workspace / "rules" / "TEST-PAY-001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("basis: negotiated}]}", "basis: free}]}", 1), "utf-8")
    result = run_cli("rules", "test", str(workspace / "rules"))
    assert result.exit_code == 1
    assert "FAILED TEST-PAY-001::paid passes\n    cannot run the case: " in result.output
    assert "`compensation[1].basis` is " in result.output


@pytest.mark.parametrize(
    ("target", "patch", "expected"),
    [
        ({"a": 1, "b": {"c": 2}}, {"b": {"c": None, "d": 3}}, {"a": 1, "b": {"d": 3}}),
        ({"a": [1, 2]}, {"a": [3]}, {"a": [3]}),
        ({"a": 1}, {"a": None}, {}),
        ({"a": 1}, {"b": {"c": 1}}, {"a": 1, "b": {"c": 1}}),
    ],
    ids=["nested-remove-add", "arrays-replace", "remove", "create-nested"],
)
def test_merge_patch_follows_rfc_7396(target: object, patch: object, expected: object) -> None:
    assert merge_patch(target, patch) == expected
