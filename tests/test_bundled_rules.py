"""Every bundled rule passes its own test cases, and has a passing and a failing one."""

from __future__ import annotations

import pytest

from ccai_policy.authoring.ruletests import CaseResult, missing_tests, run_rule_tests
from ccai_policy.paths import data_dir
from ccai_policy.policy.catalog import load_rules

from .conftest import ROOT

RULES = load_rules(data_dir("rules"))
CASES = run_rule_tests(RULES, ROOT)


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_rule_case(case: CaseResult) -> None:
    assert case.passed, case.detail


def test_every_rule_has_pass_and_fail_cases() -> None:
    assert missing_tests(RULES) == []
