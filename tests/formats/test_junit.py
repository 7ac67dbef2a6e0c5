"""JUnit XML: a testsuite per declaration, a testcase per rule, readable by CI tools."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import junitparser
import pytest

from ccai_policy.formats import junit
from ccai_policy.model.result import Result

from .conftest import run_check


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
    assert (night.tests, night.failures, night.errors, night.skipped) == (5, 3, 0, 1)
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
    morning = suites["tests/formats/fixtures/declarations/morning-tide.yaml"]
    assert (morning.tests, morning.failures, morning.skipped) == (5, 0, 4)


def test_totals_on_the_root(two_productions: Result) -> None:
    root = ET.fromstring(junit.render(two_productions).encode("utf-8"))
    assert {k: root.get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "10",
        "failures": "3",
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
