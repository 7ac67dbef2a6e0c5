"""Not-applicable reasons are plain sentences computed from the facts, never expression text,
and never a rule's "applies to California or New York" about a production made in both."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from ccai_policy.model.result import Result
from ccai_policy.report import html, junit, markdown, text
from ccai_policy.report import json as json_format

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
    result = run_check([Path("examples/commercial-synthetic-performer.yaml")], fixture_policy=False)
    summary = Page(to_html(markdown.render(result))).text
    assert (
        "CONSENT-DK-IMITATION-001: In Denmark, realistic digital imitations of a person are "
        "published only with their consent (not applicable: Applies to productions released in "
        "Denmark; this production is a commercial, made or released in US-NY, "
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


# --- The sentence is the finding's message: JSON carries it, every other format shows it ------


def _not_applicable(result: Result) -> dict[str, str]:
    """Rule id -> the reason a reader of the JSON result sees."""
    data = json.loads(json_format.render(result))
    [declaration] = data["declarations"]
    return {
        f["rule_id"]: f["message"]
        for f in declaration["findings"]
        if f["status"] == "not_applicable"
    }


def _edited(tmp_path: Path, path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    written = tmp_path / path.name
    written.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return written


def test_json_tells_a_production_made_in_both_states_what_decided() -> None:
    reasons = _not_applicable(run_check([SERIES], fixture_policy=False))
    assert reasons["CONSENT-CA927-001"] == (
        "This production is a series, made or released in US-NY, US-CA and EU, under "
        "sag-aftra-tv-theatrical-2023, wga-mba-2023, dga-basic-agreement-2023 and "
        "iatse-basic-agreement-2024, released 2027-01-15; none of its 6 AI uses is of the kind "
        "this rule checks."
    )


def test_json_says_when_an_obligation_was_not_yet_in_force_at_the_uses_date(
    tmp_path: Path,
) -> None:
    def early(data: dict[str, Any]) -> None:
        for use in data["uses"]:
            use["first_used_on"] = "2023-06-01"

    reasons = _not_applicable(run_check([_edited(tmp_path, FILM, early)], fixture_policy=False))
    assert reasons["CONTROLS-DGA-CONSULT-001"] == (
        "Not in force for this production: DGA Basic Agreement 2023 (from 1 Jul 2023) applies "
        "from 2023-07-01 by the first use, and every AI use this rule checks falls outside it."
    )


def test_json_says_no_use_is_of_the_kind_when_no_use_touches_a_real_person(
    tmp_path: Path,
) -> None:
    def nobody(data: dict[str, Any]) -> None:
        for use in data["uses"]:
            use["subjects"] = []

    reasons = _not_applicable(run_check([_edited(tmp_path, FILM, nobody)], fixture_policy=False))
    assert reasons["CONSENT-CA927-001"] == (
        "This production is a film, made or released in US-CA and EU, under "
        "sag-aftra-tv-theatrical-2023, wga-mba-2023 and dga-basic-agreement-2023, released "
        "2027-03-12; none of its 2 AI uses is of the kind this rule checks."
    )


def test_every_format_shows_the_message_as_it_is() -> None:
    result = run_check([SERIES], fixture_policy=False)
    reasons = _not_applicable(result)
    table = Page(html.render(result)).text.split("Why it does not apply", 1)[1]
    summary = markdown.render(result)
    skipped = {
        case.get("name", "").split(":", 1)[0]: case.find("skipped")
        for case in ET.fromstring(junit.render(result).encode("utf-8")).iter("testcase")
    }
    for rule_id, reason in reasons.items():
        assert reason in table, rule_id
        assert f"**{rule_id}**: " in summary and f"(not applicable: {reason})" in summary
        element = skipped[rule_id]
        assert element is not None and element.get("message") == f"not applicable: {reason}"


def test_the_text_report_counts_rules_that_do_not_apply_and_lists_none() -> None:
    result = run_check([SERIES], fixture_policy=False)
    reasons = _not_applicable(result)
    report = text.render(result)
    assert f", {len(reasons)} not applicable" in report
    for reason in reasons.values():
        assert reason not in report
