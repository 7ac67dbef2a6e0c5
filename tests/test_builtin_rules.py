"""One registry of built-in rules: every consumer knows the same ones, from builtin_rules.py."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.policy.builtin_rules import BUILT_IN_RULES

from .authoring import DECL, RULES, check_args

Run = Callable[..., Result]
IDS = [rule.id for rule in BUILT_IN_RULES]


def test_the_registry_holds_the_evidence_and_content_credentials_rules() -> None:
    assert IDS == [
        "TRANSP-AGREEMENT-001",
        "TRANSP-EVIDENCE-FILE-001",
        "TRANSP-C2PA-MANIFEST-001",
        "TRANSP-C2PA-SOURCE-001",
        "TRANSP-C2PA-TDM-001",
    ]
    assert all("built-in" in rule.info.tags for rule in BUILT_IN_RULES)


@pytest.mark.parametrize("rule_id", IDS)
def test_a_rule_file_cannot_take_a_built_in_id(run_cli: Run, tmp_path: Path, rule_id: str) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    text = (RULES / "TEST-PAY-001.yaml").read_text(encoding="utf-8")
    (rules / "TEST-PAY-001.yaml").write_text(
        text.replace("id: TEST-PAY-001", f"id: {rule_id}"), encoding="utf-8"
    )
    shown = f"{rules / 'TEST-PAY-001.yaml'}:1:1"
    message = (
        f"{shown}: error: rule id {rule_id!r} is a built-in rule's (see 'ccai-policy explain "
        f"{rule_id}')\n  hint: give the rule an id of its own\n"
    )
    linted = run_cli("rules", "lint", str(rules), "--no-bundled-rules")
    assert linted.exit_code == 2
    assert message in linted.output
    checked = run_cli(
        "check", str(DECL), "--no-bundled-rules", "--rules", str(rules), "--verify-evidence"
    )
    assert checked.exit_code == 2
    assert checked.stderr == message


@pytest.mark.parametrize("rule", BUILT_IN_RULES, ids=IDS)
def test_explain_knows_every_built_in_rule(run_cli: Run, rule: object) -> None:
    from ccai_policy.policy.builtin_rules import BuiltInRule

    assert isinstance(rule, BuiltInRule)
    result = run_cli("explain", rule.id)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"{rule.id}: {rule.info.title}",
        f"criterion: {rule.info.criterion}; severity: {rule.info.severity}",
        f"built in: runs {rule.runs}, whatever the policy",
    ]
    assert f"What to do: {rule.info.remediation}" in lines


@pytest.mark.parametrize("rule_id", IDS)
def test_a_waiver_may_name_every_built_in_rule(run_cli: Run, tmp_path: Path, rule_id: str) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        f"waivers:\n  - rule: {rule_id}\n    subject: a-promo\n"
        "    justification: The promo is shown to the cast only.\n"
        "    approver: A. Approver\n    expires: 2030-01-01\n",
        encoding="utf-8",
    )
    result = run_cli(*check_args("--waivers", str(waivers), "--format", "json"))
    assert result.exit_code == 1, result.output
    assert "unknown rule" not in result.output


def test_results_list_the_built_in_rules_that_ran(run_cli: Run) -> None:
    result = run_cli(*check_args("--verify-evidence", "--format", "json"))
    listed = [rule["id"] for rule in json.loads(result.stdout)["rules"]]
    assert [i for i in listed if i in IDS] == ["TRANSP-EVIDENCE-FILE-001"]
    result = run_cli(*check_args("--format", "json"))
    assert not set(IDS) & {rule["id"] for rule in json.loads(result.stdout)["rules"]}
