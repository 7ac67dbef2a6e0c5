"""Verdicts and counts that the HTML and Markdown reports share."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccai_policy.model.result import Finding, Result
from ccai_policy.report import html, overview

from .conftest import NIGHT_FERRY, Page, run_check


def _with(result: Result, change: dict[str, dict[str, object]]) -> Result:
    """The result with the findings of some rules changed, e.g. {'RULE': {'status': 'pass'}}."""
    declaration = result.declarations[0]
    findings: list[Finding] = [
        f.model_copy(update=change.get(f.rule_id, {})) for f in declaration.findings
    ]
    return result.model_copy(
        update={"declarations": [declaration.model_copy(update={"findings": findings})]}
    )


PASSING = {
    "CONSENT-REPLICA-001": {"status": "pass"},
    "CONTROLS-DGA-CONSULT-001": {"status": "pass"},
    "TRANSP-C2PA-001": {"status": "pass"},
}


@pytest.mark.parametrize(
    ("change", "label"),
    [
        ({}, "Not compliant"),
        ({**PASSING, "TRANSP-C2PA-001": {}}, "Compliant, with findings below the threshold"),
        (
            {**PASSING, "TRANSP-C2PA-001": {"baselined": True}},
            "Compliant, with findings below the threshold",
        ),
        (PASSING, "Compliant with waivers"),
        ({**PASSING, "COMP-REPLICA-DAY-001": {"status": "pass"}}, "Compliant"),
        (
            {
                **PASSING,
                "COMP-REPLICA-DAY-001": {"status": "fail", "baselined": True},
            },
            "Not compliant, no new findings",
        ),
    ],
    ids=["failing", "below-threshold", "baselined-below", "waived", "clean", "baselined"],
)
def test_verdict(night_ferry: Result, change: dict[str, dict[str, object]], label: str) -> None:
    result = _with(night_ferry, change)
    assert overview.verdict(result.declarations[0], result).label == label


def test_a_known_breach_is_not_compliant_and_says_there_is_nothing_new(
    night_ferry: Result,
) -> None:
    change = {**PASSING, "COMP-REPLICA-DAY-001": {"status": "fail", "baselined": True}}
    result = _with(night_ferry, change)
    shown = overview.verdict(result.declarations[0], result)
    assert (shown.key, shown.label) == ("not-compliant-known", "Not compliant, no new findings")
    assert shown.explanation.startswith("Rules failed at severity high or above; every such ")
    assert "in the baseline of known findings, so the check passes, but the production is not " in (
        shown.explanation
    )


def test_counts_take_each_rule_once_by_its_worst_finding(night_ferry: Result) -> None:
    counts = {c.key: c for c in overview.criterion_counts(night_ferry.declarations[0])}
    assert counts["controls"].summary == "Action needed: 1 failed, 1 not applicable"
    assert counts["compensation"].summary == "Met with waivers: 1 waived"
    assert [c.title for c in counts.values()] == [
        "Consent",
        "Controls",
        "Compensation",
        "Transparency & Enforcement",
    ]


def test_files_that_could_not_be_evaluated_are_listed(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: ccai-policy/v1\nkind: Declaration\n", encoding="utf-8")
    result = run_check([NIGHT_FERRY, broken])
    page = Page(html.render(result))
    assert "Files that could not be evaluated" in page.heading_texts(2)
    assert f"{broken}:1:1" in page.text
    index = Page(html.render_pages(result)["index.html"])
    assert "1 file(s) could not be evaluated" in index.text
