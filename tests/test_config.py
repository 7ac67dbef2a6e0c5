"""The project configuration file, and directory scans that skip ccai-policy's other files."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import EXAMPLES

Run = Callable[..., Result]
COMPLIANT = EXAMPLES / "feature-film-compliant.yaml"
NONCOMPLIANT = EXAMPLES / "series-noncompliant.yaml"
WAIVERS = """\
waivers:
  - rule: TRANSP-C2PA-001
    subject: "*"
    justification: Previs frames never leave the production.
    approver: "J. Ortiz, SAG-AFTRA field rep"
    expires: 2099-01-31
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A production repository: declarations/ with a waivers file kept beside them."""
    (tmp_path / "declarations").mkdir()
    shutil.copy(COMPLIANT, tmp_path / "declarations" / "film.yaml")
    (tmp_path / "declarations" / "waivers.yaml").write_text(WAIVERS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795392000")  # 2026-11-23
    return tmp_path


def test_a_waivers_file_in_a_scanned_folder_is_skipped_with_a_note(
    run_cli: Run, project: Path
) -> None:
    result = run_cli("check", "declarations")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "note: skipped declarations/waivers.yaml: a waivers file (pass it with --waivers)\n"
    )
    assert "1 declaration checked" in result.stdout
    as_json = json.loads(run_cli("check", "declarations", "--format", "json").stdout)
    assert as_json["skipped"] == [
        {"file": "declarations/waivers.yaml", "reason": "a waivers file (pass it with --waivers)"}
    ]


def test_files_named_one_by_one_as_the_pre_commit_hook_does(run_cli: Run, project: Path) -> None:
    result = run_cli("check", "declarations/waivers.yaml", "declarations/film.yaml")
    assert result.exit_code == 0, result.output
    assert "note: skipped declarations/waivers.yaml" in result.stderr
    only = run_cli("check", "declarations/waivers.yaml")
    assert only.exit_code == 0, only.output
    assert "0 declarations checked" in only.stdout or "no declaration" in only.stdout.lower()


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        (
            "policy.yaml",
            'id: acme\nversion: "1"\ntitle: ACME\nextends: [ccai-baseline]\n',
            "a policy file",
        ),
        (
            "ACME-X-001.yaml",
            "id: ACME-X-001\ntitle: t\nfor_each: uses\nas: use\nassert: 'true'\nmessage: m\n",
            "a rule file",
        ),
        (".ccai-policy.yaml", "fail_on: high\n", "the ccai-policy configuration"),
    ],
    ids=["policy", "rule", "configuration"],
)
def test_other_ccai_policy_formats_are_recognised_by_content(
    run_cli: Run, project: Path, name: str, text: str, reason: str
) -> None:
    (project / "declarations" / name).write_text(text, encoding="utf-8")
    result = run_cli("--no-config", "check", "declarations")
    assert result.exit_code == 0, result.output
    assert f"note: skipped declarations/{name}: {reason}\n" in result.stderr


@pytest.mark.parametrize(
    "text",
    [
        # A declaration that lost its apiVersion and kind is still a (broken) declaration.
        "production: {id: p, title: T, studio: S, type: film}\nwaivers: []\n",
        # Keys of no format at all: reported, never skipped.
        "titel: a draft\n",
        # A waivers key beside anything else is not a waivers file.
        "waivers: []\nnotes: x\n",
    ],
    ids=["declaration-without-kind", "unknown", "waivers-and-more"],
)
def test_anything_else_is_checked_and_fails_closed(run_cli: Run, project: Path, text: str) -> None:
    (project / "declarations" / "odd.yaml").write_text(text, encoding="utf-8")
    result = run_cli("check", "declarations")
    assert result.exit_code == 2
    assert "declarations/odd.yaml:" in result.stdout
    assert "skipped declarations/odd.yaml" not in result.stderr


def test_exclude_globs_by_name_and_by_path(run_cli: Run, project: Path) -> None:
    (project / "declarations" / "drafts").mkdir()
    (project / "declarations" / "drafts" / "broken.yaml").write_text("x: 1\n", encoding="utf-8")
    (project / "declarations" / "old.draft.yaml").write_text("x: 1\n", encoding="utf-8")
    assert run_cli("check", "declarations").exit_code == 2
    result = run_cli(
        "check", "declarations", "--exclude", "declarations/drafts/*", "--exclude", "*.draft.yaml"
    )
    assert result.exit_code == 0, result.output
    named = run_cli("check", "declarations/old.draft.yaml", "--exclude", "*.draft.yaml")
    assert named.exit_code == 0
    assert "note: skipped declarations/old.draft.yaml: matches an exclude pattern" in named.stderr


def test_include_globs_choose_the_files_of_a_scan(run_cli: Run, project: Path) -> None:
    (project / "declarations" / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    shutil.copy(NONCOMPLIANT, project / "declarations" / "series.ccai.yaml")
    result = run_cli("check", "declarations", "--include", "*.ccai.yaml", "--format", "json")
    assert [d["file"] for d in json.loads(result.stdout)["declarations"]] == [
        "declarations/series.ccai.yaml"
    ]


CONFIG = """\
# What every CI run of this repository repeats.
paths: [declarations]
policy: policies/acme.yaml
rules: [rules]
waivers: [declarations/waivers.yaml]
fail_on: critical
exclude: ["declarations/drafts/*"]
"""


def configured(project: Path) -> None:
    (project / "policies").mkdir()
    (project / "policies" / "acme.yaml").write_text(
        'id: acme\nversion: "1"\ntitle: ACME\nextends: [ccai-baseline]\n', encoding="utf-8"
    )
    (project / "rules").mkdir()
    (project / "declarations" / "drafts").mkdir()
    (project / "declarations" / "drafts" / "broken.yaml").write_text("x: 1\n", encoding="utf-8")
    shutil.copy(NONCOMPLIANT, project / "declarations" / "series.yaml")


def test_check_with_no_path_uses_the_configuration(run_cli: Run, project: Path) -> None:
    configured(project)
    (project / ".ccai-policy.yaml").write_text(CONFIG, encoding="utf-8")
    result = run_cli("check", "--format", "json")
    assert result.exit_code in (0, 1), result.output
    data = json.loads(result.stdout)
    assert data["policy"]["id"] == "acme"
    assert data["fail_on"] == "critical"
    assert sorted(d["file"] for d in data["declarations"]) == [
        "declarations/film.yaml",
        "declarations/series.yaml",
    ]
    waived = [f for d in data["declarations"] for f in d["findings"] if f["status"] == "waived"]
    assert waived and {f["rule_id"] for f in waived} == {"TRANSP-C2PA-001"}


def test_command_line_options_override_the_configuration(run_cli: Run, project: Path) -> None:
    configured(project)
    (project / ".ccai-policy.yaml").write_text(CONFIG, encoding="utf-8")
    result = run_cli(
        "check",
        "declarations/film.yaml",
        "--policy",
        "ccai-baseline",
        "--fail-on",
        "info",
        "--format",
        "json",
    )
    data = json.loads(result.stdout)
    assert data["policy"]["id"] == "ccai-baseline"
    assert data["fail_on"] == "info"
    assert [d["file"] for d in data["declarations"]] == ["declarations/film.yaml"]
    ignored = run_cli("--no-config", "check", "declarations")
    assert ignored.exit_code == 2  # the drafts are no longer excluded


def test_pyproject_table_is_a_configuration_too(run_cli: Run, project: Path) -> None:
    configured(project)
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ccai-policy]\npaths = ["declarations"]\n'
        'exclude = ["declarations/drafts/*"]\nfail_on = "critical"\n',
        encoding="utf-8",
    )
    result = run_cli("check", "--format", "json")
    assert json.loads(result.stdout)["fail_on"] == "critical"
    listed = run_cli("rules", "list")
    assert listed.exit_code == 0


def test_a_broken_configuration_is_a_located_error(run_cli: Run, project: Path) -> None:
    (project / ".ccai-policy.yaml").write_text("polciy: acme\nfail_on: urgent\n", encoding="utf-8")
    result = run_cli("check", "declarations")
    assert result.exit_code == 2
    assert (
        ".ccai-policy.yaml:1:1: error: `polciy` is not a field: there is no field `polciy` at the "
        "top of the file\n  hint: did you mean 'policy'?\n"
    ) in result.stderr
    assert ".ccai-policy.yaml:2:1: error: `fail_on` is 'urgent', which is not one of the " in (
        result.stderr
    )
    toml = project / "pyproject.toml"
    (project / ".ccai-policy.yaml").unlink()
    toml.write_text('[tool.ccai-policy]\nfail_on = "urgent"\n', encoding="utf-8")
    from_toml = run_cli("check", "declarations")
    assert from_toml.exit_code == 2
    assert "pyproject.toml:1:1: error: `fail_on` is 'urgent'" in from_toml.stderr
    missing = run_cli("--config", "nowhere.yaml", "check", "declarations")
    assert missing.exit_code == 2
    assert "nowhere.yaml: error: configuration file does not exist" in missing.stderr


def test_an_oversized_pyproject_is_refused_not_read_whole(run_cli: Run, project: Path) -> None:
    toml = project / "pyproject.toml"
    toml.write_text('[tool.ccai-policy]\nfail_on = "critical"\n', encoding="utf-8")
    with toml.open("r+b") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: the table, then 11 MiB of nothing
    result = run_cli("check", "declarations")
    assert result.exit_code == 2
    assert (
        "pyproject.toml: error: file is over the limit of 10,485,760 bytes\n"
        "  hint: keep the configuration in a small .ccai-policy.yaml or pyproject.toml\n"
    ) in result.stderr
    toml.write_bytes(b"")
    with toml.open("r+b") as handle:  # no table in what is looked at: not a configuration
        handle.truncate(11 * 1024 * 1024)
    assert "over the limit" not in run_cli("check", "declarations").stderr


def test_the_configured_rules_reach_the_other_commands(run_cli: Run, project: Path) -> None:
    (project / "rules").mkdir()
    rule = Path(__file__).parent / "data" / "authoring" / "rules" / "TEST-PAY-001.yaml"
    shutil.copy(rule, project / "rules")
    (project / ".ccai-policy.yaml").write_text("rules: [rules]\n", encoding="utf-8")
    listed = run_cli("rules", "list")
    assert "TEST-PAY-001" in listed.output
    assert "CONSENT-REPLICA-001" in listed.output
