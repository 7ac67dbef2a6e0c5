"""Fix texts as a union representative reads them: every field name with its plain words."""

from __future__ import annotations

import re

import pytest

from ccai_policy.model.result import Result
from ccai_policy.paths import data_dir
from ccai_policy.policy.catalog import load_rules
from ccai_policy.report import field_words, html, markdown

from ..markdown_reader import to_html
from .conftest import Page


@pytest.mark.parametrize(
    ("prose", "pointer", "shown"),
    [
        (
            "Give the consent an end date (`term_ends`) no more than 10 years after signing.",
            "/consents/0",
            "Give the consent an end date (“Term ends”, <code>term_ends</code>) no more than "
            "10 years after signing.",
        ),
        (
            "Add a compensation line with `basis: per_digital_performance_day` and the amount.",
            "/uses/0",
            "Add a compensation line with “Basis: per digital performance day” "
            "(<code>basis: per_digital_performance_day</code>) and the amount.",
        ),
        (
            "record `clear_and_conspicuous: true`",
            "/consents/1",
            "record “Clear and conspicuous: yes” (<code>clear_and_conspicuous: true</code>)",
        ),
        (
            "record its address as `training.summary_url`.",
            "/tools/0",
            "record its address as “Training summary URL” (<code>training.summary_url</code>).",
        ),
        (
            "with `ai_training: notAllowed`",
            "/assets/0",
            "with “AI training: not allowed” (<code>ai_training: notAllowed</code>)",
        ),
        (
            "a notice of kind `director_consultation` with `to: director`",
            "/uses/2",
            "a notice of kind “Director consultation” (<code>director_consultation</code>) "
            "with <code>to: director</code>",
        ),
    ],
    ids=["in-parentheses", "field-and-value", "yes-no", "dotted", "camel-case-value", "plain"],
)
def test_fix_text_pairs_field_names_with_plain_words(prose: str, pointer: str, shown: str) -> None:
    assert str(html.fix_text(prose, pointer)) == shown


@pytest.mark.parametrize(
    ("span", "label"),
    [
        ("union", None),
        ("basis: residuals", None),
        ("sha256sum FILE", None),
        ("evidence: {path, sha256}", "Evidence"),
    ],
    ids=["a-word", "words", "a-command", "a-field-with-a-mapping"],
)
def test_plain_words_and_commands_get_no_label_of_their_own(span: str, label: str | None) -> None:
    assert field_words.label(span, "consents") == label


def test_a_value_chooses_the_field_that_allows_it() -> None:
    """`basis` is a field of payments and of a tool's training data: the value decides."""
    assert field_words.label("basis: ph_contribution", "uses") == (
        "Basis: pension and health contribution"
    )
    assert field_words.label("basis: unknown_scraped", "uses") == "Basis: unknown scraped"


def test_fix_text_is_escaped_in_html_and_markdown() -> None:
    prose = "Set `<b>x_y</b>` and <i>*this*</i> @someone `training.audit_url`"
    shown = str(html.fix_text(prose))
    assert "<b>" not in shown and "<i>" not in shown
    assert "<code>&lt;b&gt;x_y&lt;/b&gt;</code>" in shown
    assert "“Training audit URL” (<code>training.audit_url</code>)" in shown
    rendered = to_html(markdown.fix_text(prose))
    assert "<b>" not in rendered and "<i>" not in rendered and "<em>" not in rendered
    assert "“Training audit URL” (<code>training.audit_url</code>)" in rendered


def test_every_field_a_bundled_fix_text_names_has_plain_words() -> None:
    """Each code span in a fix text that is written like a field name (snake_case, a dotted
    path, a camelCase value) comes with its label, in HTML and in Markdown."""
    exempt = {"day_rate_floor"}  # a policy parameter, not a declaration field
    unlabelled = []
    for loaded in load_rules(data_dir("rules")):
        rule = loaded.rule
        pointer = f"/{rule.for_each or ''}"
        shown = str(html.fix_text(rule.remediation, pointer))
        for match in re.finditer(r"(?:(“[^”]+”)(?:, | \())?<code>([^<]+)</code>", shown):
            code = match[2]
            if re.search(r"_|\.|[a-z][A-Z]", code) and code not in exempt and not match[1]:
                unlabelled.append((rule.id, code))
        text = to_html(markdown.fix_text(rule.remediation, pointer))
        assert Page(text).text == Page(shown).text, rule.id
    assert unlabelled == []


def test_the_markdown_summary_shows_the_plain_words(examples_result: Result) -> None:
    text = markdown.render(examples_result)
    assert "declare “Signed on” (`signed_on`) truthfully" in text
    assert "(“Scan notified at”, `scan.notified_at`)" in text
