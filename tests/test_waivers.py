"""Waivers: required fields, expiry, mandatory rules, unused waivers, exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import check_args

WAIVER = """\
waivers:
  - rule: TEST-PAY-001
    subject: u-voice
    justification: Ana's voice work is paid under her existing ADR contract.
    approver: "J. Ortiz, SAG-AFTRA field rep"
    expires: {expires}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "waivers.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_unexpired_waiver_waives_and_run_passes(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    waivers = write(tmp_path, WAIVER.format(expires="2027-01-31"))
    result = run_cli(*check_args("--waivers", str(waivers)))
    # The remaining failure is medium, below the policy's fail_on (high).
    assert result.exit_code == 0, result.output
    assert "WAIVED TEST-PAY-001 [high] u-voice pays nobody among p-ana" in result.output
    assert (
        "waived by J. Ortiz, SAG-AFTRA field rep until 2027-01-31: "
        "Ana's voice work is paid under her existing ADR contract." in result.output
    )


def test_waiver_is_recorded_in_json(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    waivers = write(tmp_path, WAIVER.format(expires="2027-01-31"))
    result = run_cli(*check_args("--waivers", str(waivers), "--format", "json"))
    data = json.loads(result.output)
    [finding] = [f for f in data["declarations"][0]["findings"] if f["rule_id"] == "TEST-PAY-001"]
    assert finding["status"] == "waived"
    assert finding["waiver"]["approver"] == "J. Ortiz, SAG-AFTRA field rep"
    assert finding["waiver"]["expired"] is False
    assert finding["waiver"]["source"]["line"] == 2


def test_expired_waiver_does_not_waive(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    waivers = write(tmp_path, WAIVER.format(expires="2026-01-31"))
    result = run_cli(*check_args("--waivers", str(waivers)))
    assert result.exit_code == 1
    assert "FAIL TEST-PAY-001 [high] u-voice pays nobody" in result.output
    assert (
        "waiver expired on 2026-01-31 (approved by J. Ortiz, SAG-AFTRA field rep); "
        "it no longer applies" in result.output
    )


def test_waiver_expiring_today_still_applies(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    waivers = write(tmp_path, WAIVER.format(expires="2026-11-23"))
    assert run_cli(*check_args("--waivers", str(waivers))).exit_code == 0


def test_waiver_of_mandatory_rule_is_an_error(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    text = WAIVER.format(expires="2027-01-31").replace("TEST-PAY-001", "TEST-CONSENT-001")
    waivers = write(tmp_path, text)
    result = run_cli(*check_args("--waivers", str(waivers)))
    assert result.exit_code == 2
    assert f"{waivers}:2:5: error: `waivers[0]`: rule TEST-CONSENT-001 is mandatory" in (
        result.output
    )
    assert "cannot be waived" in result.output


def test_unused_waiver_is_reported(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    text = WAIVER.format(expires="2027-01-31").replace("u-voice", "u-deage")
    waivers = write(tmp_path, text)
    result = run_cli(*check_args("--waivers", str(waivers)))
    assert result.exit_code == 1
    assert (
        f"{waivers}:2:5: unused waiver: TEST-PAY-001 for u-deage matched no failing finding"
        in result.output
    )


def test_star_subject_waives_every_finding_of_the_rule(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    text = WAIVER.format(expires="2027-01-31").replace("subject: u-voice", "subject: '*'")
    result = run_cli(*check_args("--waivers", str(write(tmp_path, text))))
    assert result.exit_code == 0
    assert "WAIVED TEST-PAY-001" in result.output


def test_production_scope_limits_the_waiver(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    text = WAIVER.format(expires="2027-01-31") + "    production: prod-other\n"
    result = run_cli(*check_args("--waivers", str(write(tmp_path, text))))
    assert result.exit_code == 1
    assert "unused waiver: TEST-PAY-001" in result.output


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "waivers:\n  - rule: TEST-PAY-001\n    subject: u-voice\n    expires: 2027-01-31\n",
            ":2:5: error: `waivers[0].justification` is missing: why the exception is acceptable",
        ),
        (
            WAIVER.format(expires="soon"),
            ":6:5: error: `waivers[0].expires` is 'soon', which is not a date",
        ),
        (
            WAIVER.format(expires="2027-01-31").replace("TEST-PAY-001", "TEST-PAY-01"),
            "no rule 'TEST-PAY-01' in policy test-policy",
        ),
        ("waivers: [\n", "error: the `[` on line 1 is never closed"),
    ],
    ids=["missing-justification", "bad-expiry", "unknown-rule", "broken-yaml"],
)
def test_malformed_waiver_files_exit_2(
    run_cli: Callable[..., Result], tmp_path: Path, text: str, expected: str
) -> None:
    result = run_cli(*check_args("--waivers", str(write(tmp_path, text))))
    assert result.exit_code == 2
    assert expected in result.output


def test_built_in_evidence_rule_can_be_waived(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = tmp_path / "decl.yaml"
    text = (Path(__file__).parent / "data" / "authoring" / "decl.yaml").read_text(encoding="utf-8")
    decl.write_text(
        text.replace(
            "    person: p-ana\n    uses: [u-voice",
            "    person: p-ana\n    evidence: {path: missing.pdf}\n    uses: [u-voice",
        ),
        encoding="utf-8",
    )
    waiver = (
        "waivers:\n  - rule: TRANSP-EVIDENCE-FILE-001\n    subject: c-1\n"
        "    justification: The signed consent is held by the union's legal team.\n"
        "    approver: A. Rep\n    expires: 2027-01-31\n"
    )
    waivers = write(tmp_path, waiver)
    result = run_cli(*check_args("--verify-evidence", "--waivers", str(waivers), decl=decl))
    assert "WAIVED TRANSP-EVIDENCE-FILE-001 [high] c-1: evidence file missing.pdf" in result.output
