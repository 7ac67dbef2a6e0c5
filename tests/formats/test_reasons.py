"""Not-applicable reasons are plain sentences computed from the facts, never expression text,
and never a rule's "applies to California or New York" about a production made in both."""

from __future__ import annotations

from pathlib import Path

from ccai_policy.report import html, markdown

from ..markdown_reader import to_html
from .conftest import Page, run_check

SERIES = Path("examples/series-noncompliant.yaml")
FILM = Path("examples/feature-film-compliant.yaml")


def _row(text: str, rule_id: str) -> str:
    """The not-applicable row of a rule, as a reader sees it."""
    table = text.split("Why it does not apply", 1)[1]
    return table.split(rule_id, 1)[1].split("\n", 1)[0][:600]


def test_a_production_made_in_both_states_is_told_what_decided() -> None:
    result = run_check([SERIES], fixture_policy=False)
    text = Page(html.render(result)).text
    row = _row(text, "CONSENT-CA927-001")
    assert "Applies to productions made in California or New York" not in row
    assert (
        "This production is a series, made or released in US-NY, US-CA and EU, under "
        "sag-aftra-tv-theatrical-2023, wga-mba-2023, dga-basic-agreement-2023 and "
        "iatse-basic-agreement-2024, released 2027-01-15; none of its 6 AI uses is of the kind "
        "this rule checks."
    ) in row


def test_a_condition_on_the_production_is_said_beside_the_facts() -> None:
    result = run_check([SERIES], fixture_policy=False)
    summary = Page(to_html(markdown.render(result))).text
    assert (
        "CONSENT-DK-IMITATION-001: In Denmark, realistic digital imitations of a person are "
        "published only with their consent (not applicable: Applies to productions released in "
        "Denmark; this production is a series, made or released in US-NY, US-CA and EU, under "
    ) in summary


def test_no_reason_shows_expression_text() -> None:
    for path in (SERIES, FILM):
        result = run_check([path], fixture_policy=False)
        table = Page(html.render(result)).text.split("Why it does not apply", 1)[1]
        lines = markdown.render(result).splitlines()
        reasons = [
            table.split("Passed rules", 1)[0],
            *(line.split("(not applicable:", 1)[1] for line in lines if "(not applicable:" in line),
        ]
        assert len(reasons) > 10
        for reason in reasons:
            for code in ("production.", " in [", "&&", "||", "size(", "use.", "where "):
                assert code not in reason, (code, reason)
