"""Every bundled rule passes its own test cases, and has a passing and a failing one.

Collected one rule file at a time and loaded inside its own test, so that a rule that no longer
loads, or whose cases fail, is one failing test among the others, never a collection error that
stops the whole suite.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ccai_policy.authoring.ruletests import missing_tests, run_case
from ccai_policy.policy.catalog import data_dir, is_rule_file, load_rule_file, load_rules

from .conftest import ROOT

RULES_DIR = data_dir("rules")
RULE_FILES = sorted(
    p for p in RULES_DIR.rglob("*") if p.suffix in (".yaml", ".yml") and is_rule_file(p)
)


def test_the_catalog_has_its_rules() -> None:
    assert len(RULE_FILES) >= 58
    assert len(load_rules(RULES_DIR)) == len(RULE_FILES)


@pytest.mark.parametrize(
    "path", RULE_FILES, ids=[p.relative_to(RULES_DIR).as_posix() for p in RULE_FILES]
)
def test_rule_passes_its_cases(path: Path) -> None:
    loaded = load_rule_file(path)
    assert missing_tests([loaded]) == []
    failed = [
        f"{result.label}: {result.detail}"
        for result in (run_case(loaded, case, ROOT) for case in loaded.rule.tests)
        if not result.passed
    ]
    assert failed == []
