"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY, from a Jinja2 template."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2

from ccai_policy.model.grading import CRITERIA, CRITERION_TITLES
from ccai_policy.model.result import BaselineNote, DeclarationResult, Finding, Result
from ccai_policy.paths import data_dir
from ccai_policy.report import overview
from ccai_policy.report.escaping import (
    Markdown,
    markdown,
    markdown_code,
    markdown_fence,
    markdown_link,
    markdown_prose,
)
from ccai_policy.report.field_words import pieces

_VERDICT_MARK = {
    "not-compliant": "❌",
    "compliant-below": "✅",
    "not-compliant-known": "❌",
    "compliant-waivers": "☑️",
    "compliant": "✅",
}


@lru_cache(maxsize=4)
def environment(directory: str) -> jinja2.Environment:
    """Templates whose every `{{ value }}` is escaped as Markdown unless it is already Markdown."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=False,
        finalize=markdown,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = markdown_code
    env.filters["inline_code"] = markdown_prose
    env.filters["fix_text"] = fix_text
    env.filters["fence"] = markdown_fence
    env.globals["link"] = markdown_link
    env.globals.update(
        verdict_mark=_VERDICT_MARK,
        criteria=CRITERIA,
        criterion_titles=CRITERION_TITLES,
        status_text=overview.STATUS_TEXT,
        where=overview.where,
        blocking=overview.blocking,
    )
    return env


def fix_text(text: str, pointer: str = "") -> Markdown:
    """Rule prose as Markdown: `backticked` spans stay code spans, each field or value they
    name with its plain label before it; everything else escaped."""
    return Markdown(
        "".join(
            markdown_code(content) if kind == "code" else markdown(content)
            for kind, content in pieces(" ".join(text.split()), pointer)
        )
    )


@dataclass(frozen=True)
class Summary:
    """What the summary shows of one declaration."""

    d: DeclarationResult
    verdict: overview.Verdict
    counts: list[overview.CriterionCounts]
    failures: list[Finding]
    by_criterion: dict[str, list[Finding]]
    hidden: int
    waived: list[Finding]
    passed: list[Finding]
    not_applicable: list[Finding]
    baseline: str | None
    baseline_notes: list[BaselineNote]


#: GitHub refuses a job summary over 1 MiB; the summary stays under this many bytes.
SIZE_LIMIT = 1_000_000
#: What is left out, in order, when the summary would be too big: advisory detail first.
_CUTS = (
    "the lists of passed and not-applicable rules",
    "waived findings and findings that do not block the run",
    "how to fix each blocking finding",
)


def _summary(d: DeclarationResult, result: Result, level: int) -> Summary:
    by_criterion: dict[str, list[Finding]] = {
        c: sorted(overview.failures(d, c), key=lambda f: overview.severity_order(f, result))
        for c in CRITERIA
    }
    every = sum(len(found) for found in by_criterion.values())
    if level >= 2:
        by_criterion = {
            c: [f for f in found if overview.blocking(f, result)]
            for c, found in by_criterion.items()
        }
    return Summary(
        d=d,
        verdict=overview.verdict(d, result),
        counts=overview.criterion_counts(d),
        failures=[f for found in by_criterion.values() for f in found],
        by_criterion=by_criterion,
        hidden=every - sum(len(found) for found in by_criterion.values()),
        waived=overview.with_status(d, "waived") if level < 2 else [],
        passed=overview.with_status(d, "pass") if level < 1 else [],
        not_applicable=overview.with_status(d, "not_applicable") if level < 1 else [],
        baseline=overview.baseline_statement(d, result),
        baseline_notes=overview.baseline_notes(result, d),
    )


def _render(result: Result, level: int, sections: int | None) -> str:
    summaries = [_summary(d, result, level) for d in result.declarations]
    failing = sum(1 for s in summaries if overview.not_compliant(s.verdict))
    # When sections must go, declarations that are not compliant keep theirs first.
    shown = sorted(summaries, key=lambda s: not overview.not_compliant(s.verdict))[:sections]
    omitted = [*_CUTS[:level]]
    if sections is not None and sections < len(summaries):
        omitted.append(
            f"the detail of {len(summaries) - sections} of {len(summaries)} declarations"
        )
    env = environment(str(data_dir("templates")))
    return env.get_template("report/summary.md.j2").render(
        result=result,
        summaries=summaries,
        sections=[s for s in summaries if s in shown],
        failing=failing,
        show_fixes=level < 3,
        omitted=omitted,
        limit=SIZE_LIMIT,
        run_baseline_notes=overview.baseline_notes(result, None),
        rule_titles={r.id: r.title for r in result.rules},
    )


def render(result: Result) -> str:
    """The summary; over SIZE_LIMIT bytes, advisory detail is left out first, and it says so."""
    for level in range(len(_CUTS) + 1):
        text = _render(result, level, None)
        if len(text.encode("utf-8")) <= SIZE_LIMIT:
            return text
    low, high = 0, len(result.declarations)
    while low < high:  # the most declaration sections that fit
        middle = (low + high + 1) // 2
        if len(_render(result, len(_CUTS), middle).encode("utf-8")) <= SIZE_LIMIT:
            low = middle
        else:
            high = middle - 1
    return _render(result, len(_CUTS), low)
