"""Rule sources that add up: an author's folder beside the bundled catalog, in every command."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import CONTACT_RULE
from .conftest import AS_OF, EXAMPLES

Run = Callable[..., Result]

RULE = (
    CONTACT_RULE
    + """\
tests:
  - name: the compliant film names a contact
    base: examples/film.yaml
    expect: pass
  - name: no contact fails
    base: examples/film.yaml
    patch: {production: {contact: null}}
    expect: fail
    message_contains: names no contact
"""
)

POLICY = """\
id: acme
version: "2026.1"
title: ACME on top of the coalition baseline
extends: [ccai-baseline]
rule_dirs: [../rules]
rules: {include: ["ACME-*"]}
severity: {ACME-CONTACT-001: critical}
"""


@pytest.fixture
def author(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An author's folder: one new rule, a policy extending ccai-baseline, an example."""
    (tmp_path / "acme" / "rules").mkdir(parents=True)
    (tmp_path / "acme" / "policies").mkdir()
    (tmp_path / "acme" / "examples").mkdir()
    (tmp_path / "acme" / "rules" / "ACME-CONTACT-001.yaml").write_text(RULE, encoding="utf-8")
    (tmp_path / "acme" / "policies" / "acme.yaml").write_text(POLICY, encoding="utf-8")
    shutil.copy(EXAMPLES / "feature-film-compliant.yaml", tmp_path / "acme/examples/film.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "acme"


def no_contact(folder: Path) -> Path:
    path = folder / "examples" / "film.yaml"
    text = path.read_text(encoding="utf-8")
    out = folder.parent / "declarations" / "film.yaml"
    out.parent.mkdir()
    out.write_text(
        "\n".join(line for line in text.splitlines() if "contact:" not in line) + "\n",
        encoding="utf-8",
    )
    return out


def test_check_with_a_policy_that_extends_the_baseline_and_names_its_rule_folder(
    run_cli: Run, author: Path
) -> None:
    declaration = no_contact(author)
    result = run_cli("check", str(declaration), "--policy", "acme/policies/acme.yaml")
    assert result.exit_code == 1, result.output
    assert "FAIL ACME-CONTACT-001 [critical] prod-lighthouse names no contact" in result.output
    assert "against acme 2026.1" in result.output
    extended = run_cli(
        "check", str(declaration), "--policy", "acme/policies/acme.yaml", "--format", "json"
    )
    plain = run_cli("check", str(declaration), "--format", "json")
    extended_ids = {rule["id"] for rule in json.loads(extended.output)["rules"]}
    plain_ids = {rule["id"] for rule in json.loads(plain.output)["rules"]}
    # The baseline's own rules all still run under the extending policy, plus the new one.
    assert extended_ids == plain_ids | {"ACME-CONTACT-001"}
    assert "ACME-CONTACT-001" not in plain_ids


def test_rules_flag_adds_to_the_bundled_catalog(run_cli: Run, author: Path) -> None:
    listed = run_cli("rules", "list", "--rules", "acme/rules")
    assert listed.exit_code == 0, listed.output
    ids = [line.split()[0] for line in listed.output.splitlines()]
    assert "ACME-CONTACT-001" in ids
    assert "CONSENT-REPLICA-001" in ids
    bundled = run_cli("rules", "list").output.splitlines()
    assert len(ids) == len(bundled) + 1
    alone = run_cli("rules", "list", "--rules", "acme/rules", "--no-bundled-rules")
    assert [line.split()[0] for line in alone.output.splitlines()] == ["ACME-CONTACT-001"]
    shown = run_cli("rules", "show", "ACME-CONTACT-001", "--rules", "acme/rules")
    assert shown.exit_code == 0
    assert "title: Every declaration names who answers questions about it" in shown.output


def test_lint_of_the_authors_folder_reports_only_the_authors_files(
    run_cli: Run, author: Path
) -> None:
    result = run_cli("rules", "lint", "acme/rules")
    assert result.exit_code == 0, result.output
    assert result.output == "1 rules, 1 policies: no problems\n"
    (author / "rules" / "ACME-CONTACT-001.yaml").write_text(
        RULE.replace("severity: high", "severity: urgent"), encoding="utf-8"
    )
    broken = run_cli("rules", "lint", "acme/rules")
    assert broken.exit_code == 2
    problems = [line for line in broken.output.splitlines() if ": error: " in line]
    assert problems[0].startswith("acme/rules/ACME-CONTACT-001.yaml:4:1: error: `severity`")
    assert all(line.startswith("acme/") for line in problems)


def test_rules_test_runs_the_authors_cases(run_cli: Run, author: Path) -> None:
    result = run_cli("rules", "test", "acme/rules", "--require-tests")
    assert result.exit_code == 0, result.output
    assert "PASSED ACME-CONTACT-001::no contact fails" in result.output
    assert result.output.splitlines()[-1] == "2 passed, 0 failed (1 rules)"


def test_docs_and_explain_show_the_authors_rule_beside_the_bundled_ones(
    run_cli: Run, author: Path
) -> None:
    result = run_cli("rules", "docs", "--out", "site", "--policy", "acme/policies/acme.yaml")
    assert result.exit_code == 0, result.output
    assert result.output == "wrote site/rules.md\nwrote site/index.html\n"
    markdown = Path("site/rules.md").read_text(encoding="utf-8")
    assert "ACME-CONTACT-001" in markdown and "CONSENT-REPLICA-001" in markdown
    assert not Path("docs").exists()
    explained = run_cli("explain", "ACME-CONTACT-001", "--policy", "acme/policies/acme.yaml")
    assert explained.exit_code == 0, explained.output
    assert "ACME-CONTACT-001: Every declaration names who answers questions about it" in (
        explained.output
    )
    assert "policies: acme\n" in explained.output
    bundled = run_cli("explain", "CONSENT-REPLICA-001", "--policy", "acme/policies/acme.yaml")
    assert "acme" in bundled.output.split("policies: ")[1].splitlines()[0].split(", ")
    with_rules = run_cli("explain", "ACME-CONTACT-001", "--rules", "acme/rules")
    assert "policies: ccai-baseline\n" in with_rules.output


def test_docs_needs_to_be_told_where_to_write(run_cli: Run, author: Path) -> None:
    result = run_cli("rules", "docs")
    assert result.exit_code == 2
    assert "Missing option '--out'" in result.output


def test_policies_take_the_same_sources(run_cli: Run, author: Path) -> None:
    shown = run_cli("policies", "show", "acme/policies/acme.yaml")
    assert shown.exit_code == 0, shown.output
    assert "ACME-CONTACT-001             critical" in shown.output
    assert "CONSENT-REPLICA-001" in shown.output
    listed = run_cli("policies", "list", "--rules", "acme/rules")
    plain = run_cli("policies", "list")
    baseline = next(line for line in listed.output.splitlines() if line.startswith("ccai-baseline"))
    before = next(line for line in plain.output.splitlines() if line.startswith("ccai-baseline"))
    assert int(baseline.split()[2]) == int(before.split()[2]) + 1


def test_diff_takes_the_same_sources(run_cli: Run, author: Path) -> None:
    declaration = no_contact(author)
    result = run_cli(
        "diff",
        "acme/examples/film.yaml",
        str(declaration),
        "--rules",
        "acme/rules",
        "--as-of",
        AS_OF,
    )
    assert result.exit_code == 1, result.output
    assert "ACME-CONTACT-001" in result.output


def test_a_clash_with_a_bundled_id_names_both_files(run_cli: Run, author: Path) -> None:
    clash = author / "rules" / "mine.yaml"
    clash.write_text(RULE.replace("ACME-CONTACT-001", "CONSENT-REPLICA-001"), encoding="utf-8")
    result = run_cli("rules", "list", "--rules", "acme/rules")
    assert result.exit_code == 2
    assert "acme/rules/mine.yaml:1:1: error: duplicate rule id 'CONSENT-REPLICA-001': also " in (
        result.output
    )
    assert "rules/consent/CONSENT-REPLICA-001.yaml:" in result.output
    assert "--no-bundled-rules" in result.output
    linted = run_cli("rules", "lint", "acme/rules")
    assert linted.exit_code == 2
    assert "acme/rules/mine.yaml:1:1: error: duplicate rule id 'CONSENT-REPLICA-001'" in (
        linted.output
    )


def test_a_clash_between_two_added_folders_names_both(run_cli: Run, author: Path) -> None:
    other = author.parent / "other"
    other.mkdir()
    (other / "copy.yaml").write_text(RULE, encoding="utf-8")
    result = run_cli(
        "check", "acme/examples/film.yaml", "--rules", "acme/rules", "--rules", "other"
    )
    assert result.exit_code == 2
    assert (
        "other/copy.yaml:1:1: error: duplicate rule id 'ACME-CONTACT-001': also defined in "
        "acme/rules/ACME-CONTACT-001.yaml:1:1"
    ) in result.output


def test_a_missing_rule_folder_named_by_a_policy_is_an_error(run_cli: Run, author: Path) -> None:
    policy = author / "policies" / "acme.yaml"
    policy.write_text(POLICY.replace("../rules", "../rulez"), encoding="utf-8")
    result = run_cli("check", "acme/examples/film.yaml", "--policy", str(policy))
    assert result.exit_code == 2
    assert result.output == (
        "acme/policies/acme.yaml:5:13: error: rule_dirs names '../rulez', which is not a "
        "folder (acme/rulez)\n"
        "  hint: rule folders are relative to the policy file\n"
    )
