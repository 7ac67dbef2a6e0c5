"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY, from a Jinja2 template."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import jinja2

from ..catalog import data_dir
from ..model.result import DeclarationResult, Finding, Result
from ..model.rule import CRITERIA, CRITERION_TITLES
from . import overview
from .escaping import markdown, markdown_code, markdown_prose

_VERDICT_MARK = {
    "not-compliant": "❌",
    "compliant-below": "✅",
    "compliant-baseline": "✅",
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
    env.globals.update(
        verdict_mark=_VERDICT_MARK,
        criteria=CRITERIA,
        criterion_titles=CRITERION_TITLES,
        status_text=overview.STATUS_TEXT,
        where=overview.where,
        blocking=overview.blocking,
    )
    return env


@dataclass(frozen=True)
class Summary:
    """What the summary shows of one declaration."""

    d: DeclarationResult
    verdict: overview.Verdict
    counts: list[overview.CriterionCounts]
    failures: list[Finding]
    by_criterion: dict[str, list[Finding]]
    waived: list[Finding]
    passed: list[Finding]
    not_applicable: list[Finding]


def render(result: Result) -> str:
    summaries = [
        Summary(
            d=d,
            verdict=overview.verdict(d, result),
            counts=overview.criterion_counts(d),
            failures=overview.failures(d),
            by_criterion={
                c: sorted(overview.failures(d, c), key=lambda f: overview.severity_order(f, result))
                for c in CRITERIA
            },
            waived=overview.with_status(d, "waived"),
            passed=overview.with_status(d, "pass"),
            not_applicable=overview.with_status(d, "not_applicable"),
        )
        for d in result.declarations
    ]
    failing = sum(1 for s in summaries if s.verdict.key == "not-compliant")
    env = environment(str(data_dir("templates")))
    return env.get_template("report/summary.md.j2").render(
        result=result, summaries=summaries, failing=failing
    )
