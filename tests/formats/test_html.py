"""The HTML report: what a union representative reads, in order, self-contained and stable."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from ccai_policy.model.result import Result
from ccai_policy.report import html, people

from ..conftest import ROOT
from .conftest import Page, run_check, unused_waiver_file

#: What a union representative needs first: the verdict, then who is affected; the
#: fingerprint of what was evaluated last.
SECTIONS = [
    "Verdict",
    "People affected",
    "Findings by criterion",
    "Waived findings",
    "Rules that do not apply",
    "Passed rules",
    "What was evaluated",
]


def test_sections_come_in_the_documented_order(night_ferry: Result) -> None:
    page = Page(html.render(night_ferry))
    assert page.heading_texts(1) == ["The Night Ferry"]
    assert page.heading_texts(2) == SECTIONS


def test_what_was_evaluated_names_inputs_policy_and_date(night_ferry: Result) -> None:
    text = Page(html.render(night_ferry)).text
    declaration = night_ferry.declarations[0]
    for expected in (
        "Studio Pier Nine Films",
        "Type film",
        "Territories US-NY, EU",
        "Agreements SAG-AFTRA TV/Theatrical Agreement 2023 (sag-aftra-tv-theatrical-2023) "
        "DGA Basic Agreement 2023 (dga-basic-agreement-2023)",
        f"SHA-256 of the file {declaration.sha256}",
        "Report fixture policy (report-fixture, version 1.0)",
        f"Rule set digest {night_ferry.policy.rules_digest} (SHA-256, 5 rules)",
        f"Checked by ccai-policy {night_ferry.tool_version}",
        "As of 2026-11-23",
    ):
        assert expected in text


def test_verdict_and_cards_are_words_not_colour(night_ferry: Result) -> None:
    text = Page(html.render(night_ferry)).text
    assert "✗ Not compliant 2 findings at severity high or above fail the check." in text
    assert (
        "Consent ✗ Action needed Rules passed 0 Rules failed 1 Rules waived 0 Not applicable 0"
        in text
    )
    assert "Compensation ≈ Met with waivers Rules passed 0 Rules failed 0 Rules waived 1" in text


def test_people_affected_shows_each_use_consent_pay_and_findings(night_ferry: Result) -> None:
    page = Page(html.render(night_ferry))
    people = [h for h in page.heading_texts(3) if "(p-" in h]
    assert people == ["Lena Marsh (p-lena)", "Omar Haddad (p-omar)"], "not the director"
    text = page.text
    assert (
        "✓ Consented: c-lena-face, signed 2026-08-01; until 2031-08-01; training use: not allowed"
        in text
    )
    assert "Per digital performance day: 15,000.00 USD, paid 2026-09-30 (pay-lena-face)" in text
    assert "No finding is about Lena Marsh." in text
    assert (
        "✗ No consent recorded for this use: Fails: Every digital replica has the performer's "
        "own, unrevoked consent (CONSENT-REPLICA-001) No compensation recorded" in text
    )
    assert (
        "No compensation recorded Failed (high, fails the check): The director is consulted "
        "before AI touches creative elements (CONTROLS-DGA-CONSULT-001) Waived (high): A "
        "performer's digital replica is paid for every day it performs (COMP-REPLICA-DAY-001)"
        in text
    )


def test_a_persons_findings_are_set_out_once_and_linked_from_their_table(
    examples_result: Result,
) -> None:
    """The people table names each finding with a link; the message is read once, in full,
    under Findings by criterion."""
    series = next(d for d in examples_result.declarations if "series" in d.file)
    page = Page(html.render(examples_result.model_copy(update={"declarations": [series]})))
    text = page.text
    for finding in series.findings:
        if finding.status in ("fail", "error"):
            assert text.count(finding.message) == 1, finding.message
    people_part = text.split("People affected", 2)[2].split("Findings by criterion Consent ")[0]
    assert "no consent that counts covers it for Maya Chen" not in people_part
    # A rule about her consent (its term) stands in the consent cell, not apart from it.
    assert (
        "Fails: A living adult's replica licence lasts at most 10 years (CONTROLS-TERM-001)"
        in people_part
    )
    assert "Other findings about Maya Chen" not in people_part
    ids = {a["id"] for _, a in page.tags if "id" in a}
    links = [a["href"] for tag, a in page.tags if tag == "a" and a.get("href", "").startswith("#")]
    assert links and all(link[1:] in ids for link in links), "every link has its target"


def test_findings_are_grouped_by_criterion_with_source_and_fix(night_ferry: Result) -> None:
    page = Page(html.render(night_ferry))
    assert page.heading_texts(3)[-4:] == [
        "Consent",
        "Controls",
        "Compensation",
        "Transparency & Enforcement",
    ]
    text = page.text
    assert "✗ Failed: CONSENT-REPLICA-001 — Every digital replica has" in text
    assert (
        "Where tests/formats/fixtures/declarations/night-ferry.yaml:49:5, about the AI use "
        "“Omar Haddad's voice rebuilt to say the ferry announcements.” (u-omar-voice)" in text
    )
    assert (
        "SAG-AFTRA 2023 TV/Theatrical Agreement, digital replica provisions — "
        "secondary source: taken from a summary" in text
    )
    assert "How to fix Obtain a written consent from each person" in text
    links = [a["href"] for tag, a in page.tags if tag == "a" and "ref" in (a.get("class") or "")]
    assert (
        "https://www.sagaftra.org/contracts-industry-resources/member-resources/artificial-intelligence"
        in links
    )


def test_waived_not_applicable_and_passed_sections(
    night_ferry: Result, two_productions: Result
) -> None:
    text = Page(html.render(night_ferry)).text
    assert (
        "COMP-REPLICA-DAY-001 high u-omar-voice (Omar Haddad's voice rebuilt to say the ferry "
        "announcements.): no payment per day" in text
    )
    assert (
        "Omar's day rate is being settled by the union's arbitration; pay follows the award. "
        "R. Mendes, SAG-AFTRA field representative 2027-01-31" in text
    )
    assert (
        "CONTROLS-WGA-REQUIRED-001 No writer is required to use generative AI Controls "
        "Applies to productions under the WGA Minimum Basic Agreement (2023 or 2026); this "
        "production is a film, made or released in US-NY and EU, under "
        "sag-aftra-tv-theatrical-2023 and dga-basic-agreement-2023, released 2027-02-14." in text
    )
    assert "No rule passed." in text
    morning = html.render_pages(two_productions)["prod-morning-tide.html"]
    assert "No finding was waived." in Page(morning).text
    assert re.search(r"<details>\s*<summary>1 rule passed</summary>", morning)


def test_page_is_self_contained_with_a_strict_policy(night_ferry: Result) -> None:
    text = html.render(night_ferry)
    page = Page(text)
    assert [tag for tag, _ in page.tags if tag in ("script", "link", "img", "iframe")] == []
    assert "url(" not in text and "@import" not in text
    policy = next(a["content"] for t, a in page.tags if t == "meta" and "http-equiv" in a)
    css = re.search(r"<style>(.*?)</style>", text, re.DOTALL)
    assert css is not None
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    assert policy == (
        f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    hrefs = [a["href"] or "" for t, a in page.tags if t == "a"]
    assert all(h.startswith(("#", "https://", "http://")) for h in hrefs), hrefs


def test_print_stylesheet_breaks_pages_per_criterion(night_ferry: Result) -> None:
    text = html.render(night_ferry)
    print_css = text[text.index("@media print") :]
    assert "section.criterion, article.production { break-before: page; }" in print_css
    assert text.count('<section class="criterion">') == 4


def test_output_is_identical_for_identical_input(night_ferry: Result) -> None:
    assert html.render(night_ferry) == html.render(night_ferry.model_copy(deep=True))


@pytest.mark.parametrize(
    ("production_ids", "expected"),
    [
        (["prod-a", "prod-b"], ["prod-a.html", "prod-b.html"]),
        (["prod-a", "prod-a"], ["prod-a.html", "prod-a-2.html"]),
        (["index", "x:y"], ["index-2.html", "x-y.html"]),
    ],
    ids=["distinct", "duplicate", "reserved-and-colon"],
)
def test_page_names(night_ferry: Result, production_ids: list[str], expected: list[str]) -> None:
    base = night_ferry.declarations[0]
    declarations = [
        base.model_copy(update={"production": base.production.model_copy(update={"id": i})})
        for i in production_ids
    ]
    assert html.page_names(declarations) == expected


def test_directory_has_an_index_linking_every_page(two_productions: Result) -> None:
    pages = html.render_pages(two_productions)
    assert list(pages) == ["prod-morning-tide.html", "prod-night-ferry.html", "index.html"]
    index = Page(pages["index.html"])
    links = [a["href"] for t, a in index.tags if t == "a" and a["href"] != "#main"]
    assert links == ["prod-morning-tide.html", "prod-night-ferry.html"]
    assert "1 not compliant, 1 compliant" in index.text
    night = Page(pages["prod-night-ferry.html"])
    assert "All productions" in night.text and night.heading_texts(2) == SECTIONS


def test_one_file_for_several_holds_portfolio_and_every_report(two_productions: Result) -> None:
    page = Page(html.render(two_productions))
    assert page.heading_texts(1) == ["2 productions checked"]
    assert page.heading_texts(2) == [
        "Portfolio",
        "Morning Tide: Compliant",
        "The Night Ferry: Not compliant",
        "What was evaluated",
    ]
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids)), "ids stay unique when reports share a page"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (
            {
                "id": "pay-1",
                "basis": "scale_multiple",
                "scale_multiple": 5.0,
                "amount": {"value": 21500, "currency": "USD"},
            },
            "Multiple of scale: 5 \N{MULTIPLICATION SIGN} scale, 21,500.00 USD (pay-1)",
        ),
        ({"id": "pay-2", "basis": "residuals"}, "Residuals: amount not stated (pay-2)"),
        (
            {
                "id": "pay-3",
                "basis": "scan_day",
                "amount": {"value": 900.5, "currency": "EUR"},
                "paid_on": "2026-05-01",
            },
            "Scan day: 900.50 EUR, paid 2026-05-01 (pay-3)",
        ),
    ],
    ids=["multiple-and-amount", "nothing-stated", "paid"],
)
def test_pay_text(entry: dict[str, object], expected: str) -> None:
    assert people.pay_text(entry) == expected


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("employment_based_digital_replica", "Employment-based digital replica"),
        ("real_time_generation", "Real-time generation"),
        ("gai_literary_material", "GAI literary material"),
    ],
)
def test_category_text(category: str, expected: str) -> None:
    assert people.category_text(category) == expected


def test_a_consent_cell_reflects_every_consent_finding(examples_result: Result) -> None:
    """Maya Chen's consent is on file but signed after the scan: no tick stands beside it."""
    series = next(d for d in examples_result.declarations if "series" in d.file)
    [maya] = [p for p in people.people_affected(series, examples_result.as_of) if p.id == "p-maya"]
    [replica] = [u for u in maya.uses if u.use_id == "u-maya-replica"]
    states = [c.state for c in replica.consents]
    assert "given" not in states and "invalid" in states
    [invalid] = [c for c in replica.consents if c.state == "invalid"]
    assert invalid.text == "Does not count (c-maya-general)"
    assert invalid.details == (
        "It was signed on 2026-08-01, after u-maya-replica was first used on 2026-07-20",
        "It was signed on 2026-08-01, after the scan for u-maya-replica on 2026-07-08",
    )
    assert "CONSENT-TIMING-001" in [f.rule_id for f in invalid.failed]
    one = examples_result.model_copy(update={"declarations": [series]})
    text = Page(html.render(one)).text
    assert (
        "✗ Does not count (c-maya-general): It was signed on 2026-08-01, after u-maya-replica "
        "was first used on 2026-07-20 It was signed on 2026-08-01, after the scan for "
        "u-maya-replica on 2026-07-08 Fails: Every digital replica has the performer's own, "
        "unrevoked consent (CONSENT-REPLICA-001) Fails: Consent is signed before the scan and "
        "before the first use (CONSENT-TIMING-001)" in text
    )
    assert "✓ Consented: c-maya-general" not in text


def test_a_consent_a_control_fails_gets_no_tick(tmp_path: Path) -> None:
    """A consent whose scope names another production fails CONTROLS-SCOPE-001, a controls
    rule: the consent cell says a rule about it fails, never "Consented"."""
    import yaml

    film = yaml.safe_load((ROOT / "examples" / "feature-film-compliant.yaml").read_text("utf-8"))
    consent = next(c for c in film["consents"] if c["id"] == "c-ana-deage")
    consent["scope"]["productions"] = ["prod-other-film"]
    decl = tmp_path / "film.yaml"
    decl.write_text(yaml.safe_dump(film, sort_keys=False), encoding="utf-8")
    result = run_check([decl], fixture_policy=False)
    [declaration] = result.declarations
    [ana] = people.people_affected(declaration, result.as_of)
    [deage] = [u for u in ana.uses if u.use_id == "u-deage"]
    [cell] = deage.consents
    assert (cell.state, cell.text) == ("disputed", "Consent on file, but 1 rule about it fails")
    assert [f.rule_id for f in cell.failed] == ["CONTROLS-SCOPE-001"]
    text = Page(html.render(result)).text
    assert "✗ Consent on file, but 1 rule about it fails" in text
    assert "✓ Consented: c-ana-deage" not in text


def test_a_waived_consent_finding_is_named_in_the_consent_cell(tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - rule: CONSENT-SCAN-NOTICE-001\n"
        "    subject: u-maya-replica\n"
        "    justification: The union agreed to the shorter notice in writing.\n"
        "    approver: R. Mendes\n"
        "    expires: 2027-01-31\n",
        encoding="utf-8",
    )
    series = Path("examples/series-noncompliant.yaml")
    result = run_check([series], waivers=[waivers], fixture_policy=False)
    text = Page(html.render(result)).text
    assert (
        "≈ Waived: Performers are told about a scan session at least 48 hours ahead "
        "(CONSENT-SCAN-NOTICE-001) Scan day: 1,200.00 USD" in text
    )


def test_an_unused_waiver_names_its_rule_in_words(tmp_path: Path) -> None:
    waivers = unused_waiver_file(tmp_path)
    series = Path("examples/series-noncompliant.yaml")
    result = run_check([series], waivers=[waivers], fixture_policy=False)
    assert result.unused_waivers
    text = Page(html.render(result)).text
    assert (
        "Waivers that matched no failing finding Rule Subject Approved by Expires Waiver file "
        "Performers are told about a scan session at least 48 hours ahead "
        "CONSENT-SCAN-NOTICE-001 the AI use" in text
    )
