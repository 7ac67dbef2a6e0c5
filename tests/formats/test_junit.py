"""JUnit XML: a testsuite per declaration, a testcase per rule, readable by CI tools."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import junitparser
import pytest
import xmlschema

from ccai_policy.model.result import DeclarationResult, Result
from ccai_policy.model.verdict import exit_code
from ccai_policy.report import junit

from .conftest import run_check

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "schemas" / "junit.xsd")


def test_suites_cases_failures_and_skips(two_productions: Result, tmp_path: Path) -> None:
    text = junit.render(two_productions)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    assert [s.get("name") for s in root.iter("testsuite")] == [
        d.file for d in two_productions.declarations
    ]
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    suites = {suite.name: suite for suite in xml}
    night = suites["tests/formats/fixtures/declarations/night-ferry.yaml"]
    assert (night.tests, night.failures, night.errors, night.skipped) == (5, 2, 0, 1)
    cases = {case.name.split(":")[0]: case for case in night}
    assert len(cases) == 5
    consent = cases["CONSENT-REPLICA-001"]
    [failure] = consent.result
    assert isinstance(failure, junitparser.Failure)
    assert failure.message == (
        "u-omar-voice replicates Omar Haddad, but no unrevoked consent covers it for Omar Haddad"
    )
    assert failure.type == "critical"
    assert failure.text.startswith(
        "tests/formats/fixtures/declarations/night-ferry.yaml:49:5: u-omar-voice replicates"
    )
    [skipped] = cases["CONTROLS-WGA-REQUIRED-001"].result
    assert isinstance(skipped, junitparser.Skipped)
    assert skipped.message.startswith("not applicable: Applies to productions under the WGA")
    waived = cases["COMP-REPLICA-DAY-001"]
    assert waived.result == [], "a waived rule does not fail the build"
    assert waived.system_out.startswith("Waived until 2027-01-31 by R. Mendes")
    below = cases["TRANSP-C2PA-001"]
    assert below.result == [], "a finding below the threshold does not fail the testcase"
    assert below.system_out.startswith(
        "Below the threshold (medium; the run fails at high and above): "
    )
    morning = suites["tests/formats/fixtures/declarations/morning-tide.yaml"]
    assert (morning.tests, morning.failures, morning.skipped) == (5, 0, 4)


def test_totals_on_the_root(two_productions: Result) -> None:
    root = ET.fromstring(junit.render(two_productions).encode("utf-8"))
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "10",
        "failures": "2",
        "errors": "0",
        "skipped": "5",
    }


def test_problems_are_an_error_suite(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("kind: [unclosed\n", encoding="utf-8")
    root = ET.fromstring(junit.render(run_check([broken])).encode("utf-8"))
    [suite] = root.iter("testsuite")
    assert suite.get("name") == "could not evaluate"
    [case] = suite.iter("testcase")
    assert case.get("name") == f"{broken}:1:7"
    [error] = case.iter("error")
    assert error.get("type") == "load"
    assert error.get("message", "").startswith("the `[` on line 1 is never closed")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("bell\x07", "bell\ufffd"), ("tab\tand\nline", "tab\tand\nline"), ("é€😀", "é€😀")],
    ids=["control-character", "whitespace-kept", "unicode-kept"],
)
def test_clean_keeps_xml_well_formed(text: str, expected: str) -> None:
    assert junit.clean(text) == expected


@pytest.mark.parametrize(
    "fixture", ["two_productions", "examples_result"], ids=["fixtures", "examples"]
)
def test_valid_against_the_junit_schema_with_coherent_counts(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    result: Result = request.getfixturevalue(fixture)
    text = junit.render(result)
    SCHEMA.validate(text)
    root = ET.fromstring(text.encode("utf-8"))
    suites = list(root.iter("testsuite"))
    for element in [*suites, root]:
        cases = list(element.iter("testcase"))
        outcomes = [
            [c.tag for c in case if c.tag in ("failure", "error", "skipped")] for case in cases
        ]
        assert all(len(o) <= 1 for o in outcomes), "one outcome per testcase"
        flat = [o[0] for o in outcomes if o]
        assert element.get("tests") == str(len(cases))
        for key, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            assert element.get(key) == str(flat.count(tag)), (element.get("name"), key)
        assert element.get("time") == "0"


def test_junit_fails_exactly_when_the_run_fails(examples_result: Result) -> None:
    """A testcase fails only for a blocking finding: the suites that fail are the declarations
    the exit code fails on, so Jenkins marks no build unstable that exited 0."""
    root = ET.fromstring(junit.render(examples_result).encode("utf-8"))
    failing = {
        s.get("name")
        for s in root.iter("testsuite")
        if s.get("failures") != "0" or s.get("errors") != "0"
    }
    assert failing == {
        d.file for d in examples_result.declarations if exit_code_of(d, examples_result) == 1
    }
    game = next(
        s
        for s in root.iter("testsuite")
        if s.get("name", "").endswith("game-interactive-media.yaml")
    )
    assert game.get("failures") == "0", "the game example exits 0: its JUnit has no failure"
    [realtime] = [
        c for c in game.iter("testcase") if c.get("name", "").startswith("COMP-IMA-REALTIME-001")
    ]
    assert realtime.find("system-out") is not None
    assert "Below the threshold (medium" in (realtime.findtext("system-out") or "")


def test_junitparser_merge_counts_no_more_failures_than_tests(
    examples_result: Result, tmp_path: Path
) -> None:
    path = tmp_path / "junit.xml"
    path.write_text(junit.render(examples_result), encoding="utf-8")
    merged = junitparser.JUnitXml.fromfile(str(path)) + junitparser.JUnitXml.fromfile(str(path))
    merged.update_statistics()
    assert merged.failures + merged.errors <= merged.tests
    series = next(s for s in junitparser.JUnitXml.fromfile(str(path)) if "series" in s.name)
    dga = next(c for c in series if c.name.startswith("CONTROLS-DGA-CONSULT-001"))
    [failure] = dga.result
    assert failure.message.startswith("5 findings fail this rule; the first: ")
    assert failure.text.count("How to fix:") == 5, "the one failure carries every finding"


def exit_code_of(declaration: DeclarationResult, result: Result) -> int:
    one = result.model_copy(update={"declarations": [declaration], "problems": []})
    return exit_code(one)
