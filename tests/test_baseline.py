"""Baselines: record today's findings, fail only on new ones, keep matching after edits."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from jsonschema import Draft202012Validator

from .authoring import DECL, RULES, STRICT, check_args
from .conftest import ROOT
from .formats.conftest import Page
from .markdown_reader import to_html


def record(run_cli: Callable[..., Result], decl: Path, tmp_path: Path) -> Path:
    baseline = tmp_path / "baseline.json"
    result = run_cli(*check_args("-o", f"json:{baseline}", decl=decl))
    assert result.exit_code == 1
    return baseline


def at(baseline: Path, needle: str, occurrence: int = 0, above: int = 0) -> str:
    """`file:line:col` of the n-th `needle` in a baseline's JSON text, or of the `{` that
    opens the object `above` lines higher (where an entry of a list starts)."""
    lines = baseline.read_text(encoding="utf-8").split("\n")
    number = [n for n, line in enumerate(lines) if needle in line][occurrence] - above
    column = lines[number].index("{" if above else needle) + 1
    return f"{baseline}:{number + 1}:{column}"


def entry(baseline: Path, rule_id: str, occurrence: int = 0) -> str:
    """Where the n-th recorded finding of a rule starts in the baseline."""
    return at(baseline, f'"rule_id": "{rule_id}"', occurrence, above=1)


def test_baseline_findings_do_not_fail_the_run_but_are_not_compliant(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline)))
    assert result.exit_code == 0, result.output
    # Shown as such, never hidden; known findings are still a breach, just not a new one.
    assert "FAIL (in baseline) TEST-PAY-001 [high] u-voice pays nobody among p-ana" in (
        result.output
    )
    assert "decl.yaml: Harbour Lights (series, Test Studio) — NOT COMPLIANT" in result.output
    assert (
        "1 declaration checked against test-policy 1.0 (fail on high and above): 0 compliant, "
        "1 not compliant (1 with no new findings: all in the baseline)"
    ) in result.output


@pytest.mark.parametrize(
    ("fmt", "shown"),
    [
        ("html", "in the baseline of known findings, so the check passes, but the production is"),
        ("markdown", "## ccai-policy: ❌ 1 of 1 not compliant"),
    ],
)
def test_reports_call_a_baselined_breach_not_compliant(
    run_cli: Callable[..., Result], tmp_path: Path, fmt: str, shown: str
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline), "--format", fmt))
    assert result.exit_code == 0
    assert "Compliant, with known findings" not in result.output
    assert shown in result.output


def test_json_with_a_baseline_validates_against_the_result_schema(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    schema = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
    for args in ([], ["--baseline", str(baseline)]):
        data = json.loads(run_cli(*check_args(*args, "--format", "json")).output)
        Draft202012Validator(schema).validate(data)
        assert data["findings_digest"].startswith("sha256:")


def test_baseline_keeps_matching_after_lines_are_inserted_above(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = tmp_path / "decl.yaml"
    decl.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    baseline = record(run_cli, decl, tmp_path)
    text = decl.read_text(encoding="utf-8").replace(
        "people:\n", "# a comment\n# another\npeople:\n  - {id: p-bo, name: Bo, roles: [crew]}\n"
    )
    decl.write_text(text, encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl))
    assert result.exit_code == 0, result.output
    assert "decl.yaml:21:5: FAIL (in baseline) TEST-PAY-001" in result.output


def test_new_finding_fails_despite_baseline(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    decl = tmp_path / "decl.yaml"
    decl.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    baseline = record(run_cli, decl, tmp_path)
    text = decl.read_text(encoding="utf-8").replace(
        "compensation:\n  - id: pay-1\n    person: p-ana\n    use: u-deage\n"
        "    basis: per_digital_performance_day\n",
        "",
    )
    decl.write_text(text, encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl))
    assert result.exit_code == 1
    assert "FAIL TEST-PAY-001 [high] u-deage pays nobody among p-ana" in result.output
    assert "FAIL (in baseline) TEST-PAY-001 [high] u-voice" in result.output


def test_baseline_is_named_in_json(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline), "--format", "json"))
    data = json.loads(result.output)
    assert data["baseline"] == str(baseline)
    flags = {
        f["subject"]["id"]: f["baselined"]
        for f in data["declarations"][0]["findings"]
        if f["status"] == "fail"
    }
    assert flags == {"u-voice": True, "a-promo": True}


def test_malformed_baseline_exits_2(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text('{"declarations": [\n', encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(bad)))
    assert result.exit_code == 2
    assert f"{bad}:2:1: error: baseline is not valid JSON" in result.output
    bad.write_text('{"findings": []}', encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(bad)))
    assert result.exit_code == 2
    assert f"{bad}:1:1: error: baseline does not follow the ccai-policy result format: " in (
        result.output
    )
    assert (
        "line 1, column 1 (/): missing 'tool_version', 'as_of', 'policy', 'fail_on', 'rules', "
        "'inputs', 'declarations', 'problems'"
    ) in result.output
    assert "line 1, column 1 (/): has a field the format does not have" in result.output


def copy_decl(tmp_path: Path, old: str = "", new: str = "") -> Path:
    decl = tmp_path / "decl.yaml"
    decl.write_text(DECL.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return decl


def test_another_productions_baseline_suppresses_nothing_and_says_so(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = copy_decl(tmp_path)
    baseline = record(run_cli, decl, tmp_path)
    # Same file name, same ids, another production.
    copy_decl(tmp_path, "id: prod-harbour", "id: prod-tides")
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl))
    assert result.exit_code == 1, result.output
    assert "FAIL TEST-PAY-001 [high] u-voice pays nobody among p-ana" in result.output
    assert "(in baseline)" not in result.output
    where = at(baseline, '"id": "prod-harbour"')
    assert (
        f"{where}: baseline: the baseline's entries for "
        f"{decl} were recorded for production 'prod-harbour', but the file now declares "
        "production 'prod-tides': they suppress nothing\n"
        "    hint: a baseline belongs to one production; record it again: ccai-policy check "
        "PATHS -o json:FILE"
    ) in result.output


WAIVER = (
    "waivers:\n  - rule: TEST-PAY-001\n    subject: u-voice\n"
    "    justification: Pay for the ADR session is being negotiated.\n"
    "    approver: J. Ortiz, union rep\n    expires: 2026-12-01\n"
)


def test_a_finding_waived_when_recorded_blocks_once_the_waiver_expires(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER, encoding="utf-8")
    decl = copy_decl(tmp_path)
    baseline = tmp_path / "baseline.json"
    recorded = run_cli(*check_args("--waivers", str(waivers), "-o", f"json:{baseline}", decl=decl))
    assert recorded.exit_code == 0, recorded.output
    assert "WAIVED TEST-PAY-001 [high] u-voice" in recorded.output
    args = check_args("--waivers", str(waivers), "--baseline", str(baseline), decl=decl)
    assert run_cli(*args).exit_code == 0  # the waiver is in force
    result = run_cli(*args, "--as-of", "2026-12-15")
    assert result.exit_code == 1, result.output
    assert "decl.yaml:18:5: FAIL TEST-PAY-001 [high] u-voice pays nobody among p-ana" in (
        result.output
    )
    assert "waiver expired on 2026-12-01 (approved by J. Ortiz, union rep)" in result.output
    assert (
        f"{entry(baseline, 'TEST-PAY-001')}: baseline: TEST-PAY-001 on u-voice ({decl}:18:5) "
        "is in the baseline but not suppressed: was waived (until 2026-12-01) when the "
        "baseline was recorded: a baseline never stands in for a waiver that has expired or "
        "gone\n"
        "    hint: renew the waiver with its approver, or fix the finding"
    ) in result.output
    # The finding that was failing then is still a known one.
    assert "FAIL (in baseline) TEST-DISCLOSE-001" in result.output


def test_a_baseline_recorded_after_a_waiver_expired_does_not_extend_it(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER, encoding="utf-8")
    decl = copy_decl(tmp_path)
    baseline = tmp_path / "baseline.json"
    late = ("--waivers", str(waivers), "--as-of", "2026-12-15")
    recorded = run_cli(*check_args(*late, "-o", f"json:{baseline}", decl=decl))
    assert recorded.exit_code == 1
    assert "waiver expired on 2026-12-01" in recorded.output
    result = run_cli(*check_args(*late, "--baseline", str(baseline), decl=decl))
    assert result.exit_code == 1, result.output
    assert f"{decl}:18:5: FAIL TEST-PAY-001 [high] u-voice pays nobody" in result.output
    assert (
        f"{entry(baseline, 'TEST-PAY-001')}: baseline: TEST-PAY-001 on u-voice ({decl}:18:5) "
        "is in the baseline but not suppressed: its waiver had expired (on 2026-12-01) when the "
        "baseline was recorded: a baseline never extends a waiver"
    ) in result.output
    # Without the waiver file, the same baseline still does not extend it.
    result = run_cli(*check_args("--as-of", "2026-12-15", "--baseline", str(baseline), decl=decl))
    assert result.exit_code == 1


def test_a_mandatory_rule_is_never_baselined(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = copy_decl(
        tmp_path, "signed_on: 2026-01-10", "signed_on: 2026-01-10\n    revoked_on: 2026-02-01"
    )
    baseline = record(run_cli, decl, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl))
    assert result.exit_code == 1, result.output
    assert f"{decl}:18:5: FAIL TEST-CONSENT-001 [critical] u-voice has no consent" in result.output
    assert "FAIL (in baseline) TEST-PAY-001" in result.output
    assert (
        f"{entry(baseline, 'TEST-CONSENT-001')}: baseline: TEST-CONSENT-001 on u-voice "
        f"({decl}:18:5) is in the baseline but not suppressed: the rule is mandatory in policy "
        "test-policy: no baseline suppresses it\n"
        "    hint: fix the finding; a mandatory rule can be neither waived nor baselined"
    ) in result.output
    # Under a policy that extends it, the note names where the mandate comes from.
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl, policy=STRICT))
    assert result.exit_code == 1
    assert "not suppressed: the rule is mandatory in policy test-policy" in result.output


def test_a_finding_whose_severity_rose_is_not_suppressed(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = copy_decl(tmp_path)
    baseline = record(run_cli, decl, tmp_path)
    # The strict policy raises TEST-DISCLOSE-001 from medium to high.
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl, policy=STRICT))
    assert result.exit_code == 1, result.output
    assert "FAIL TEST-DISCLOSE-001 [high] a-promo has no audience disclosure" in result.output
    assert "FAIL (in baseline) TEST-PAY-001 [high]" in result.output
    assert (
        f"{entry(baseline, 'TEST-DISCLOSE-001')}: baseline: TEST-DISCLOSE-001 on a-promo "
        f"({decl}:39:5) is in the baseline but not suppressed: its severity rose from medium to "
        "high since the baseline was recorded"
    ) in result.output


def test_a_finding_recorded_below_the_threshold_blocks_under_a_lower_one(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline), "--fail-on", "medium"))
    assert result.exit_code == 1, result.output
    assert "FAIL TEST-DISCLOSE-001 [medium] a-promo has no audience disclosure" in result.output
    assert (
        "is in the baseline but not suppressed: it was below the threshold when recorded "
        "(medium, fail on high) and fails the run now (fail on medium)"
    ) in result.output


def test_a_known_error_does_not_cover_the_failure_found_once_the_rule_works(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    for rule in RULES.glob("*.yaml"):
        (rules / rule.name).write_text(rule.read_text(encoding="utf-8"), encoding="utf-8")
    pay = rules / "TEST-PAY-001.yaml"
    working = pay.read_text(encoding="utf-8")
    # A broken rule: for the unpaid voice it reads a description as a number.
    pay.write_text(
        working.replace(
            "assert: use.id in compensation_by_use",
            "assert: use.id in compensation_by_use || int(use.description) > 0",
        ),
        encoding="utf-8",
    )

    def args(*extra: str) -> list[str]:
        out = check_args(*extra)
        out[out.index("--rules") + 1] = str(rules)
        return out

    baseline = tmp_path / "baseline.json"
    recorded = run_cli(*args("-o", f"json:{baseline}"))
    assert recorded.exit_code == 1
    assert "ERROR TEST-PAY-001" in recorded.output
    assert run_cli(*args("--baseline", str(baseline))).exit_code == 0
    pay.write_text(working, encoding="utf-8")
    result = run_cli(*args("--baseline", str(baseline)))
    assert result.exit_code == 1, result.output
    assert "FAIL TEST-PAY-001 [high] u-voice pays nobody among p-ana" in result.output
    assert (
        "is in the baseline but not suppressed: it was recorded as error, and is fail now"
    ) in result.output


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"status": "pass"', '"status": "fail"'),
        ('"id": "prod-harbour"', '"id": "prod-tides"'),
        ('"severity": "medium"', '"severity": "critical"'),
        ('"rule_id": "TEST-PAY-001"', '"rule_id": "TEST-CONSENT-001"'),
        ('"fail_on": "high",\n  "rules"', '"fail_on": "info",\n  "rules"'),
        ('"status": "waived"', '"status": "fail"'),
    ],
    ids=["pass-made-fail", "production", "severity", "rule", "threshold", "waived-made-fail"],
)
def test_an_edited_baseline_is_refused(
    run_cli: Callable[..., Result], tmp_path: Path, old: str, new: str
) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(WAIVER if "waived" in old else "waivers: []\n", encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_cli(*check_args("--waivers", str(waivers), "-o", f"json:{baseline}"))
    text = baseline.read_text(encoding="utf-8")
    assert old in text
    baseline.write_text(text.replace(old, new), encoding="utf-8")
    result = run_cli(*check_args("--waivers", str(waivers), "--baseline", str(baseline)))
    assert result.exit_code == 2, result.output
    where = at(baseline, '"findings_digest"')
    assert (
        f"{where}: error: baseline was changed after it was "
        "recorded: its findings do not match its `findings_digest`\n"
        "  hint: record it again: ccai-policy check PATHS -o json:FILE; never edit a baseline by "
        "hand: to accept a finding, give it a waiver, which names an approver and an expiry"
    ) in result.output


def test_an_old_baseline_without_a_digest_is_read_and_suppresses_nothing(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    del data["findings_digest"]
    baseline.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(baseline)))
    assert result.exit_code == 1, result.output
    assert "FAIL TEST-PAY-001 [high] u-voice pays nobody among p-ana" in result.output
    assert "(in baseline)" not in result.output
    assert (
        f"{baseline}:1:1: baseline: this baseline has no `findings_digest` (an earlier "
        "ccai-policy wrote it, or the digest was removed), so an edit to it cannot be detected: "
        "it suppresses nothing\n"
        "    hint: record it again: ccai-policy check PATHS -o json:FILE"
    ) in result.output
    notes = json.loads(
        run_cli(*check_args("--baseline", str(baseline), "--format", "json")).output
    )["baseline_notes"]
    assert [n["source"] for n in notes] == [{"file": str(baseline), "line": 1, "column": 1}]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"[" * 200_000, ": error: baseline is nested too deeply"),
        (b"\xff\xfe{\x00}\x00", ":1:1: error: file is UTF-16, not UTF-8"),
        (b'{"fail_on":\n "\xc3\x28"}', ":2:3: error: invalid UTF-8 byte 0xc3"),
        (
            b'{"fail_on": "high", "declarations": 7}',
            ":1:1: error: baseline does not follow the ccai-policy result format: line 1, "
            "column 1 (/): missing 'tool_version', 'as_of', 'policy', 'rules', 'inputs', "
            "'problems'; line 1, column 21 (/declarations): should be array, not int",
        ),
        (None, ": error: cannot read baseline: Is a directory"),
    ],
    ids=["deep", "utf-16", "bad-utf-8", "wrong-shape", "directory"],
)
def test_a_hostile_baseline_is_a_located_error(
    run_cli: Callable[..., Result], tmp_path: Path, content: bytes | None, expected: str
) -> None:
    bad = tmp_path / "baseline.json"
    if content is None:
        bad.mkdir()
    else:
        bad.write_bytes(content)
    result = run_cli(*check_args("--baseline", str(bad)))
    assert result.exit_code == 2, result.output
    assert f"{bad}{expected}" in result.output
    assert "Traceback" not in result.output


def _mandatory_case(run_cli: Callable[..., Result], tmp_path: Path) -> tuple[Path, Path]:
    """Two findings of a mandatory rule (never baselined) beside two known ones."""
    decl = copy_decl(
        tmp_path, "signed_on: 2026-01-10", "signed_on: 2026-01-10\n    revoked_on: 2026-02-01"
    )
    return decl, record(run_cli, decl, tmp_path)


def _statement(baseline: Path) -> str:
    return (
        f"2 findings are in the baseline {baseline}: known, so they do not fail the check, but "
        "they are still not met; 2 findings not in the baseline fail the check."
    )


NOTE = (
    "TEST-CONSENT-001 on u-voice ({decl}:18:5) is in the baseline but not suppressed: the rule "
    "is mandatory in policy test-policy: no baseline suppresses it"
)
HINT = "fix the finding; a mandatory rule can be neither waived nor baselined"


def test_html_says_what_the_baseline_knows_and_what_it_does_not_excuse(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl, baseline = _mandatory_case(run_cli, tmp_path)
    output = run_cli(*check_args("--baseline", str(baseline), "--format", "html", decl=decl))
    text = Page(output.output).text
    verdict = text.split("People affected", 2)[1]  # after the table of contents
    assert "✗ Not compliant 2 findings at severity high or above fail the check." in verdict
    assert f"Baseline: {_statement(baseline)}" in verdict
    assert "What the baseline names but does not excuse (2):" in verdict
    assert f"{NOTE.format(decl=decl)}. How to fix: {HINT}." in verdict
    # Each known finding says it is known and still not met; each new one that it fails.
    assert text.count("In the baseline: a known finding, not a new one; still not met") == 2
    assert text.count("Fails the check") == 2


def test_markdown_says_what_the_baseline_knows_and_what_it_does_not_excuse(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl, baseline = _mandatory_case(run_cli, tmp_path)
    output = run_cli(*check_args("--baseline", str(baseline), "--format", "markdown", decl=decl))
    page = Page(to_html(output.output)).text
    assert "ccai-policy: ❌ 1 of 1 not compliant" in page
    assert (
        f"with the baseline {baseline}: known findings do not fail the check but still make a "
        "production not compliant."
    ) in page
    assert _statement(baseline) in page
    assert f"{NOTE.format(decl=decl)}; how to fix: {HINT} ({baseline}:89)" in page


def test_known_findings_alone_are_no_new_findings_and_still_not_compliant(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    statement = (
        f"2 findings are in the baseline {baseline}: known, so they do not fail the check, but "
        "they are still not met; no new findings."
    )
    for fmt in ("html", "markdown"):
        output = run_cli(*check_args("--baseline", str(baseline), "--format", fmt)).output
        text = Page(output if fmt == "html" else to_html(output)).text
        assert ("✗" if fmt == "html" else "❌") + " Not compliant, no new findings" in text
        assert statement in text
        assert "Compliant" not in text.replace("Not compliant", "")


def test_junit_and_sarif_carry_the_verdict_and_what_the_baseline_does_not_excuse(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl, baseline = _mandatory_case(run_cli, tmp_path)
    junit, sarif = tmp_path / "r.xml", tmp_path / "r.sarif"
    args = ("--baseline", str(baseline), "-o", f"junit:{junit}", "-o", f"sarif:{sarif}")
    assert run_cli(*check_args(*args, decl=decl)).exit_code == 1
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    properties = [(p.get("name"), p.get("value")) for p in suite.iter("property")]
    assert ("verdict", "Not compliant") in properties
    assert ("baseline", str(baseline)) in properties
    assert ("baseline_findings", _statement(baseline)) in properties
    assert ("baseline_note", f"{NOTE.format(decl=decl)} (hint: {HINT})") in properties
    # The known finding passes its testcase (it does not fail the run) and says why.
    pay = next(c for c in suite.iter("testcase") if c.get("name", "").startswith("TEST-PAY-001"))
    assert pay.find("failure") is None
    assert "In the baseline (does not fail the run)" in (pay.findtext("system-out") or "")

    run = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]
    assert run["properties"]["verdicts"] == [
        {"file": str(decl), "production": "prod-harbour", "verdict": "Not compliant"}
    ]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert {
        "level": "warning",
        "message": {"text": f"baseline: {NOTE.format(decl=decl)} (hint: {HINT})"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": f"file://{baseline}"},
                    "region": {"startLine": 89, "startColumn": 9},
                }
            }
        ],
    } in notes
    known = [r for r in run["results"] if r["properties"]["baselined"]]
    assert [(r["ruleId"], r["level"], r["baselineState"]) for r in known] == [
        ("TEST-PAY-001", "warning", "unchanged"),
        ("TEST-DISCLOSE-001", "warning", "unchanged"),
    ]
    assert known[0]["message"]["text"] == (
        "u-voice pays nobody among p-ana (in the baseline: a known finding, so it does not fail "
        "the check; still not met)"
    )


def test_a_question_in_the_baseline_does_not_cover_the_failure_its_answer_shows(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Recorded while `same_production` was unknown, COMP-REPLICA-DAY-001 asked for it; once
    it is given and the per-day pay is gone, the rule fails on the facts: a new failure."""
    import yaml

    film = ROOT / "examples" / "feature-film-compliant.yaml"
    data = yaml.safe_load(film.read_text(encoding="utf-8"))
    deage = next(u for u in data["uses"] if u["id"] == "u-deage")
    del deage["same_production"]
    decl = tmp_path / "film.yaml"
    decl.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    recorded = run_cli("check", str(decl), "--as-of", "2026-11-01", "-o", f"json:{baseline}")
    assert "COMP-REPLICA-DAY-001 [high] needs information: say whether u-deage" in (recorded.output)
    unchanged = run_cli("check", str(decl), "--as-of", "2026-11-01", "--baseline", str(baseline))
    assert "FAIL (in baseline) COMP-REPLICA-DAY-001 [high] needs information" in unchanged.output
    deage["same_production"] = True
    data["compensation"] = [c for c in data["compensation"] if c["use"] != "u-deage"]
    decl.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", str(decl), "--as-of", "2026-11-01", "--baseline", str(baseline))
    assert result.exit_code == 1, result.output
    assert "FAIL COMP-REPLICA-DAY-001 [high] u-deage" in result.output
    assert "FAIL (in baseline) COMP-REPLICA-DAY-001" not in result.output
    assert (
        "COMP-REPLICA-DAY-001 on u-deage "
        f"({decl}:{deage_line(decl)}:3) is in the baseline but not suppressed: it was recorded "
        "as needing information, and now fails on the facts given: a baseline accepts only the "
        "failure it recorded"
    ) in result.output


def deage_line(decl: Path) -> int:
    lines = decl.read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines) if line.startswith("- id: u-deage")) + 1


def test_an_old_baseline_that_holds_a_question_suppresses_nothing(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """Its digest was written before questions were marked, so turning one into a failure by
    hand would go unseen: it is read, says so, and suppresses nothing."""
    import yaml

    from ccai_policy.model.digest import record_digest

    film = ROOT / "examples" / "feature-film-compliant.yaml"
    data = yaml.safe_load(film.read_text(encoding="utf-8"))
    del next(u for u in data["uses"] if u["id"] == "u-deage")["same_production"]
    decl = tmp_path / "film.yaml"
    decl.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_cli("check", str(decl), "--as-of", "2026-11-01", "-o", f"json:{baseline}")
    recorded = json.loads(baseline.read_text(encoding="utf-8"))
    recorded["findings_digest"] = record_digest(
        recorded["fail_on"],
        [(d["file"], d["production"]["id"], [_Row(f) for f in d["findings"]])
         for d in recorded["declarations"]],
        marks_asks=False,
    )  # fmt: skip
    baseline.write_text(json.dumps(recorded, indent=2), encoding="utf-8")
    result = run_cli("check", str(decl), "--as-of", "2026-11-01", "--baseline", str(baseline))
    assert result.exit_code == 1, result.output
    assert "(in baseline)" not in result.output
    assert (
        f"{baseline}:1:1: baseline: an earlier ccai-policy recorded this baseline, and its "
        "`findings_digest` does not cover which findings only asked for information"
    ) in result.output


class _Row:
    """A recorded finding as the digest reads it, from the baseline's JSON."""

    def __init__(self, finding: dict[str, Any]) -> None:
        self.rule_id = finding["rule_id"]
        self.subject = _Subject(finding["subject"])
        self.status = finding["status"]
        self.severity = finding["severity"]
        self.waiver = finding.get("waiver")
        self.message = finding["message"]


class _Subject:
    def __init__(self, subject: dict[str, Any]) -> None:
        self.id = subject.get("id")
        self.pointer = subject["pointer"]


def test_a_failure_in_the_baseline_does_not_cover_a_question_about_a_fact_taken_away(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    import yaml

    film = ROOT / "examples" / "feature-film-compliant.yaml"
    data = yaml.safe_load(film.read_text(encoding="utf-8"))
    data["compensation"] = [c for c in data["compensation"] if c["use"] != "u-deage"]
    decl = tmp_path / "film.yaml"
    decl.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    run_cli("check", str(decl), "--as-of", "2026-11-01", "-o", f"json:{baseline}")
    del next(u for u in data["uses"] if u["id"] == "u-deage")["same_production"]
    decl.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", str(decl), "--as-of", "2026-11-01", "--baseline", str(baseline))
    assert result.exit_code == 1, result.output
    assert "FAIL COMP-REPLICA-DAY-001 [high] needs information: say whether u-deage" in (
        result.output
    )
    assert (
        "is in the baseline but not suppressed: it was recorded as failing on the facts given, "
        "and now needs information: the fact it turns on is no longer given"
    ) in result.output
