"""SARIF 2.1.0: valid against the official schema, with what GitHub code scanning reads."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ccai_policy.model.result import Result
from ccai_policy.model.verdict import counts_toward_exit, exit_code
from ccai_policy.report import sarif

from ..conftest import ROOT, SHARED
from .conftest import EXAMPLE_FILES, FIXTURES, NIGHT_FERRY, run_check

SCHEMA_FILE = SHARED / "testdata" / "sarif" / "sarif-schema-2.1.0.json"


@lru_cache(maxsize=1)
def validator() -> jsonschema.Draft4Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def assert_valid(log: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_every_example_is_valid_sarif(example: Path) -> None:
    result = run_check([example.relative_to(ROOT)], fixture_policy=False)
    log = json.loads(sarif.render(result))
    assert_valid(log)
    run = log["runs"][0]
    assert run["invocations"][0]["exitCode"] == exit_code(result)
    failing = [f for d in result.declarations for f in d.findings if f.status in ("fail", "error")]
    assert len(run["results"]) == len(failing)


def test_fixture_is_valid_and_has_what_code_scanning_reads(night_ferry: Result) -> None:
    log = json.loads(sarif.render(night_ferry))
    assert_valid(log)
    driver = log["runs"][0]["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("ccai-policy", night_ferry.tool_version)
    # The project has no published home page, so the log names none (SARIF makes it optional).
    assert "informationUri" not in driver
    rule = driver["rules"][1]
    assert rule["id"] == "CONSENT-REPLICA-001"
    assert rule["name"] == "EveryDigitalReplicaHasThePerformersOwnUnrevokedConsent"
    assert rule["shortDescription"]["text"] == night_ferry.rules[1].title
    assert rule["fullDescription"]["text"] == night_ferry.rules[1].description
    assert rule["helpUri"].startswith("https://www.sagaftra.org/")
    assert rule["properties"]["criterion"] == "consent"
    assert rule["properties"]["security-severity"] == "9.5"
    assert rule["properties"]["tags"] == ["consent", *night_ferry.rules[1].tags]


def test_results_point_at_rule_level_location_and_waiver(night_ferry: Result) -> None:
    run = json.loads(sarif.render(night_ferry))["runs"][0]
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert set(by_rule) == {
        "CONSENT-REPLICA-001",
        "CONTROLS-DGA-CONSULT-001",
        "COMP-REPLICA-DAY-001",
        "TRANSP-C2PA-001",
    }
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {rule_id: r["level"] for rule_id, r in by_rule.items()}
    assert levels["CONSENT-REPLICA-001"] == "error"  # critical
    assert levels["CONTROLS-DGA-CONSULT-001"] == "error"  # high
    assert levels["TRANSP-C2PA-001"] == "warning"  # medium
    consent = by_rule["CONSENT-REPLICA-001"]
    assert consent["message"]["text"] == (
        "u-omar-voice replicates Omar Haddad, but no unrevoked consent covers it for Omar Haddad"
    )
    assert consent["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": NIGHT_FERRY.as_posix(), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 49, "startColumn": 5},
    }
    waived = by_rule["COMP-REPLICA-DAY-001"]
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Omar's day rate is being settled by the union's arbitration; "
            "pay follows the award.",
            "properties": {
                "approver": "R. Mendes, SAG-AFTRA field representative",
                "expires": "2027-01-31",
            },
        }
    ]
    assert "suppressions" not in consent
    assert run["invocations"][0]["exitCode"] == 1
    assert run["artifacts"][0]["hashes"]["sha-256"] == night_ferry.declarations[0].sha256


def test_fingerprints_survive_moved_lines(tmp_path: Path, night_ferry: Result) -> None:
    target = tmp_path / NIGHT_FERRY
    target.parent.mkdir(parents=True)
    original = (ROOT / NIGHT_FERRY).read_text(encoding="utf-8")
    target.write_text("# a comment\n# and another\n" + original, encoding="utf-8")
    moved = run_check([NIGHT_FERRY], waivers=[FIXTURES / "waivers.yaml"], cwd=tmp_path)
    before = json.loads(sarif.render(night_ferry))["runs"][0]["results"]
    after = json.loads(sarif.render(moved))["runs"][0]["results"]

    def lines(results: list[dict[str, Any]]) -> list[int]:
        return [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]

    assert lines(after) == [n + 2 for n in lines(before)]
    assert [r["partialFingerprints"] for r in after] == [r["partialFingerprints"] for r in before]
    assert len({r["partialFingerprints"][sarif.FINGERPRINT] for r in before}) == len(before)


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("examples/a b.yaml", "examples/a%20b.yaml"),
        ("dir\\decl.yaml", "dir/decl.yaml"),
        ("/abs/decl.yaml", "file:///abs/decl.yaml"),
        ("C:\\work\\decl.yaml", "file:///C:/work/decl.yaml"),
    ],
    ids=["space", "backslashes", "absolute", "windows-drive"],
)
def test_artifact_uris(path: str, uri: str) -> None:
    assert sarif.artifact_uri(path) == uri


def test_problems_become_notifications_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: ccai-policy/v1\nkind: Declaration\n", encoding="utf-8")
    result = run_check([broken])
    log = json.loads(sarif.render(result))
    assert_valid(log)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["exitCode"] == 2 and invocation["executionSuccessful"] is False
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert any("production" in t for t in texts), texts


@pytest.mark.parametrize("fail_on", ["critical", "high", "medium", "low"])
def test_levels_follow_the_threshold(fail_on: str) -> None:
    """`error` exactly for the findings that make the run exit 1, at any threshold; the rule's
    own severity stays readable as `security-severity`."""
    result = run_check([Path("examples")], fixture_policy=False)
    result = result.model_copy(update={"fail_on": fail_on})
    log = json.loads(sarif.render(result))
    assert_valid(log)
    run = log["runs"][0]
    errors = sorted(
        (r["ruleId"], r["properties"]["subject"] or "")
        for r in run["results"]
        if r["level"] == "error"
    )
    blocking = sorted(
        (f.rule_id, f.subject.id or "")
        for d in result.declarations
        for f in d.findings
        if counts_toward_exit(f, result.fail_on)
    )
    assert errors == blocking
    assert all(r["level"] in ("warning", "note") for r in run["results"] if r["level"] != "error")
    assert all(r["properties"]["blocking"] == (r["level"] == "error") for r in run["results"])
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["properties"]["security-severity"] in sarif.SECURITY_SEVERITY.values()
    assert run["automationDetails"] == {"id": "ccai-policy/ccai-baseline/"}
    assert run["tool"]["driver"]["fullName"].startswith("ccai-policy ")
    assert run["invocations"][0]["exitCode"] == exit_code(result)
