"""The HTML report for union representatives: self-contained pages from Jinja2 templates.

`render` gives one file: the report on one declaration, or for several a portfolio followed by
every report. `render_pages` gives a directory: `index.html` (the portfolio) and one page per
declaration; the CLI writes it when the output target ends with `/` or is an existing directory.
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup, escape

from ccai_policy.model.grading import CRITERIA, CRITERION_TITLES
from ccai_policy.model.result import BaselineNote, DeclarationResult, Finding, Result, UnusedWaiver
from ccai_policy.paths import data_dir
from ccai_policy.report import field_words, overview
from ccai_policy.report.people import PersonAffected, people_affected, subject_labels
from ccai_policy.report.templating import template_environment

#: Marks that repeat in shape what colour says, for greyscale print; screen readers skip them.
_MARKS: dict[str, Any] = {
    "status_mark": {
        "error": "!",
        "fail": "✗",
        "waived": "≈",
        "pass": "✓",
        "not_applicable": "\N{EN DASH}",
    },
    "verdict_mark": {
        "not-compliant": "✗",
        "compliant-below": "✓",
        "not-compliant-known": "✗",
        "compliant-waivers": "≈",
        "compliant": "✓",
    },
    "state_mark": {
        "Action needed": "✗",
        "Met with waivers": "≈",
        "Met": "✓",
        "Nothing to check": "\N{EN DASH}",
    },
    "consent_mark": {
        "given": "✓",
        "missing": "✗",
        "revoked": "✗",
        "expired": "✗",
        "invalid": "✗",
        "disputed": "✗",
        "waived": "≈",
    },
}
_CARD_CLASS = {"Action needed": "action", "Met with waivers": "waivers", "Met": "met"}


@dataclass(frozen=True)
class DeclarationView:
    """What the templates show about one declaration, computed once."""

    result: DeclarationResult
    anchor: str
    page: str
    verdict: overview.Verdict
    counts: list[overview.CriterionCounts]
    people: list[PersonAffected]
    failures: dict[str, list[Finding]]
    waived: list[Finding]
    not_applicable: list[Finding]
    passed: list[Finding]
    unused_waivers: list[UnusedWaiver]
    baseline: str | None
    baseline_notes: list[BaselineNote]
    labels: dict[str, str] = field(default_factory=dict)
    _ids: dict[int, str] = field(default_factory=dict)

    def finding_id(self, finding: Finding) -> str:
        """The HTML id of a finding, stable for identical input."""
        return self._ids[id(finding)]


#: What every page starts with; the CLI removes pages that carry it and this run did not write.
GENERATOR = '<meta name="generator" content="ccai-policy '
#: Names Windows reserves whatever the extension.
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{i}" for i in range(10)),
    *(f"lpt{i}" for i in range(10)),
}


def is_report_page(head: str) -> bool:
    """Whether the start of an HTML file is one of these reports (written by an earlier run)."""
    return GENERATOR in head


def page_names(declarations: list[DeclarationResult]) -> list[str]:
    """A file name per declaration from its production id, unique in the directory even where
    the file system ignores case, and never a name Windows reserves."""
    names: list[str] = []
    taken = {"index.html"}
    for declaration in declarations:
        stem = re.sub(r"[^A-Za-z0-9._-]+", "-", declaration.production.id).strip(".-") or "report"
        if stem.lower() in _RESERVED:
            stem = f"{stem}-report"
        name, n = f"{stem}.html", 1
        while name.lower() in taken:
            n += 1
            name = f"{stem}-{n}.html"
        taken.add(name.lower())
        names.append(name)
    return names


def views(result: Result, prefixed: bool) -> list[DeclarationView]:
    """One view per declaration; `prefixed` keeps HTML ids unique when they share a page."""
    out = []
    pages = page_names(result.declarations)
    for index, (declaration, page) in enumerate(zip(result.declarations, pages, strict=True)):
        anchor = f"d{index + 1}-" if prefixed else ""
        production = declaration.production.id
        out.append(
            DeclarationView(
                result=declaration,
                anchor=anchor,
                page=page,
                verdict=overview.verdict(declaration, result),
                counts=overview.criterion_counts(declaration),
                people=people_affected(declaration, result.as_of),
                failures={c: overview.failures(declaration, c) for c in CRITERIA},
                waived=overview.with_status(declaration, "waived"),
                not_applicable=overview.with_status(declaration, "not_applicable"),
                passed=overview.with_status(declaration, "pass"),
                unused_waivers=[
                    w for w in result.unused_waivers if w.production in (None, production)
                ],
                baseline=overview.baseline_statement(declaration, result),
                baseline_notes=overview.baseline_notes(result, declaration),
                labels=subject_labels(declaration.declaration),
                _ids={
                    id(f): f"{anchor}finding-{i + 1}" for i, f in enumerate(declaration.findings)
                },
            )
        )
    return out


def http_url(url: object) -> str | None:
    """A reference URL fit for a link: http or https only, anything else stays text."""
    text = str(url)
    return text if urlsplit(text).scheme in ("http", "https") else None


def fix_text(text: str, pointer: str = "") -> Markup:
    """Rule prose as HTML: `backticked` spans as code, each field or value they name with its
    plain label before it; everything escaped."""
    return Markup("").join(
        Markup("<code>{}</code>").format(content) if kind == "code" else escape(content)
        for kind, content in field_words.pieces(text, pointer)
    )


def _card_class(counts: overview.CriterionCounts) -> str:
    return _CARD_CLASS.get(counts.state, "empty")


@lru_cache(maxsize=4)
def environment(directory: str) -> jinja2.Environment:
    """The Jinja2 environment of the report templates; autoescaping everything it renders."""
    env = template_environment(directory)
    env.filters["http_url"] = http_url
    env.filters["fix_text"] = fix_text
    env.globals.update(
        _MARKS,
        status_text=overview.STATUS_TEXT,
        confidence_text=overview.CONFIDENCE_TEXT,
        criterion_titles=CRITERION_TITLES,
        criteria=CRITERIA,
        where=overview.where,
        card_class=_card_class,
        blocking=overview.blocking,
        agreement_title=field_words.agreement_title,
    )
    return env


def _render(template: str, result: Result, **context: Any) -> str:
    env = environment(str(data_dir("templates")))
    css = env.get_template("report/report.css").render()
    style_hash = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return env.get_template(template).render(
        result=result,
        css=Markup(css),
        style_hash=style_hash,
        run_baseline_notes=overview.baseline_notes(result, None),
        rule_titles={r.id: r.title for r in result.rules},
        **context,
    )


def _portfolio(result: Result, site: bool) -> str:
    shown = views(result, prefixed=not site)
    not_compliant = sum(1 for v in shown if overview.not_compliant(v.verdict))
    return _render(
        "report/portfolio.html.j2", result, views=shown, site=site, not_compliant=not_compliant
    )


def render(result: Result) -> str:
    """One self-contained HTML file for the whole run."""
    if len(result.declarations) == 1:
        return _render(
            "report/page.html.j2", result, v=views(result, prefixed=False)[0], site=False
        )
    return _portfolio(result, site=False)


def render_pages(result: Result) -> dict[str, str]:
    """A directory of pages: one per declaration, then `index.html` linking them."""
    pages = {
        v.page: _render("report/page.html.j2", result, v=v, site=True)
        for v in views(result, prefixed=False)
    }
    pages["index.html"] = _portfolio(result, site=True)
    return pages
