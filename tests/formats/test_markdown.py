"""The Markdown summary for pull requests and the job summary: verdict, criteria, failures."""

from __future__ import annotations

from pathlib import Path

import pytest

from ccai_policy.model.result import Result
from ccai_policy.report import escaping, markdown
from ccai_policy.report.escaping import WORD_JOINER

from ..markdown_reader import mentions, tags, to_html
from .conftest import run_check, unused_waiver_file


def test_summary_leads_with_the_verdict_and_a_criteria_table(two_productions: Result) -> None:
    lines = markdown.render(two_productions).splitlines()
    assert lines[0] == "## ccai-policy: ❌ 1 of 2 not compliant"
    assert (
        "| The Night Ferry (`tests/formats/fixtures/declarations/night-ferry.yaml`) "
        "| ❌ Not compliant | Action needed: 1 failed | Action needed: 1 failed, 1 not applicable "
        "| Met with waivers: 1 waived | Action needed: 1 failed |" in lines
    )
    assert "| Compensation | 0 | 0 | 1 | 0 |" in lines


def test_failures_have_locations_and_fixes_passes_are_collapsed(night_ferry: Result) -> None:
    text = markdown.render(night_ferry)
    assert (
        "- ✗ **CONSENT-REPLICA-001** Every digital replica has the performer's own, unrevoked "
        "consent (blocking, critical) at "
        "`tests/formats/fixtures/declarations/night-ferry.yaml:49:5`: u-omar-voice replicates "
        "Omar Haddad, but no unrevoked consent covers it for Omar Haddad\n"
        "  <br>How to fix: Obtain a written consent from each person the replica depicts that "
        "lists this use under `uses`, or stop the use." in text
    )
    assert "waived until 2027-01-31 by R. Mendes, SAG-AFTRA field representative" in text
    assert "<details><summary>0 passed, 1 not applicable</summary>" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a*b_c", "a\\*b\\_c"),
        ("<b>x</b>", "\\<b\\>x\\</b\\>"),
        ("A & B &amp; C", "A & B \\&amp; C"),
        ("cell | cell", "cell \\| cell"),
        ("two\nlines", "two lines"),
        ("ask @octo-org/team", f"ask @{WORD_JOINER}octo-org/team"),
        ("[x](https://evil.example)", "\\[x\\](https\\://evil.example)"),
        ("see www.evil.example", "see www\\.evil.example"),
        ("bell\x07 and \x1b]52;c;aGk=\x07", r"bell\\x07 and \\e\]52;c;aGk=\\x07"),
    ],
    ids=["emphasis", "html", "entity", "pipe", "newline", "mention", "link", "www", "controls"],
)
def test_escape(value: str, expected: str) -> None:
    assert escaping.markdown(value) == expected


@pytest.mark.parametrize(
    ("value", "in_table", "expected"),
    [
        ("file.yaml:3", False, "`file.yaml:3`"),
        ("a`b", False, "``a`b``"),
        ("`x", False, "`` `x ``"),
        ("a|b", True, "`a\\|b`"),
    ],
    ids=["plain", "backtick", "edge-backtick", "pipe-in-table"],
)
def test_code(value: str, in_table: bool, expected: str) -> None:
    assert escaping.markdown_code(value, in_table) == expected


def test_inline_code_keeps_spans_and_escapes_the_rest() -> None:
    assert escaping.markdown_prose("set `a_b` to *x*") == "set `a_b` to \\*x\\*"


@pytest.mark.parametrize(
    "value",
    [
        "@octocat please look",
        "mail me: someone@example.com",
        "<img src=x onerror=alert(1)> <b>bold</b>",
        "[click](https://evil.example) and https://evil.example/x and www.evil.example",
        "![pic](https://evil.example/p.png)",
        "<https://evil.example>",
    ],
    ids=["mention", "email", "html", "links", "image", "autolink"],
)
def test_github_renders_escaped_text_as_plain_text(value: str) -> None:
    """GitHub's own parser (cmark-gfm) makes no element, link or mention of escaped text."""
    html = to_html(f"Finding: {escaping.markdown(value)}")
    assert tags(html) == {"p"}, html
    assert mentions(html) == []


def many(result: Result, copies: int) -> Result:
    """The result as if `copies` declarations like these had been checked."""
    declarations = [
        d.model_copy(update={"file": f"{i}/{d.file}"})
        for i in range(copies)
        for d in result.declarations
    ]
    return result.model_copy(update={"declarations": declarations})


def test_fifty_non_compliant_declarations_stay_under_github_s_limit(
    examples_result: Result,
) -> None:
    series = examples_result.model_copy(
        update={"declarations": [d for d in examples_result.declarations if "series" in d.file]}
    )
    text = markdown.render(many(series, 50))
    size = len(text.encode("utf-8"))
    assert size <= markdown.SIZE_LIMIT < 1024 * 1024
    assert (
        "> This summary is shortened to stay under GitHub's limit (1,000,000 bytes): it leaves "
        "out the lists of passed and not-applicable rules; waived findings and findings that do "
        "not block the run."
    ) in text
    html = to_html(text)
    assert html.count("<h3>") == 50, "every declaration keeps its section"
    assert (
        text.count(
            "✗ **CONSENT-TIMING-001** Consent is signed before the scan and before the first use "
            "(blocking, critical)"
        )
        == 50
    )


@pytest.mark.parametrize(
    ("limit", "left_out", "kept", "gone"),
    [
        (4_000, "the lists of passed and not-applicable rules", "How to fix:", "<details>"),
        (3_100, "waived findings and findings that do not block the run", "✗ **", "· **"),
        (2_700, "how to fix each blocking finding", "✗ **CONSENT-REPLICA-001**", "How to fix:"),
        (2_300, "the detail of 1 of 2 declarations", "### ❌ The Night Ferry", "### ✅"),
    ],
    ids=["passes", "advisory", "fixes", "sections"],
)
def test_advisory_detail_goes_first_and_the_summary_says_so(
    two_productions: Result,
    monkeypatch: pytest.MonkeyPatch,
    limit: int,
    left_out: str,
    kept: str,
    gone: str,
) -> None:
    full = markdown.render(two_productions)
    monkeypatch.setattr(markdown, "SIZE_LIMIT", limit)
    text = markdown.render(two_productions)
    assert len(text.encode("utf-8")) <= limit < len(full.encode("utf-8"))
    assert left_out in text
    assert kept in text and gone not in text
    assert "| The Night Ferry (`tests/formats/fixtures/declarations/night-ferry.yaml`) " in text, (
        "the table of every declaration stays"
    )


def test_an_unused_waiver_names_its_rule_in_words(tmp_path: Path) -> None:
    waivers = unused_waiver_file(tmp_path)
    series = Path("examples/series-noncompliant.yaml")
    text = markdown.render(run_check([series], waivers=[waivers], fixture_policy=False))
    assert (
        ": the waiver for **CONSENT-SCAN-NOTICE-001** (Performers are told about a scan session "
        "at least 48 hours ahead) on `u-crowd` matched no failing finding" in text
    )
