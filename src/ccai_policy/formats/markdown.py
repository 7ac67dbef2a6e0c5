"""A Markdown summary for pull-request comments and $GITHUB_STEP_SUMMARY, from a Jinja2 template."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2

from ..catalog import data_dir
from ..model.result import DeclarationResult, Finding, Result
from ..model.rule import CRITERIA, CRITERION_TITLES
from . import overview

#: Characters that Markdown (GitHub flavoured) could read as syntax inside a line.
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?[A-Za-z0-9]+;))")
_VERDICT_MARK = {
    "not-compliant": "❌",
    "compliant-below": "✅",
    "compliant-baseline": "✅",
    "compliant-waivers": "☑️",
    "compliant": "✅",
}


class Raw(str):
    """Text already in Markdown syntax; the template's finalize leaves it alone."""


def escape(value: Any) -> str:
    """Any value as literal Markdown text on one line."""
    if isinstance(value, Raw):
        return value
    text = re.sub(r"\s+", " ", str(value))
    return _SPECIAL.sub(r"\\\1", text)


def code(value: Any, in_table: bool = False) -> Raw:
    """A code span that holds the value literally, whatever backticks it contains.

    In a table cell a '|' would end the cell even inside the span, so there it is escaped.
    """
    text = " ".join(str(value).split())
    if in_table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Raw(f"{fence}{pad}{text}{pad}{fence}")


def inline_code(value: Any) -> Raw:
    """Rule prose: `backticked` spans stay code spans, everything else is escaped."""
    parts = re.split(r"(`[^`\n]+`)", " ".join(str(value).split()))
    return Raw("".join(p if p.startswith("`") else escape(p) for p in parts))


@lru_cache(maxsize=4)
def environment(directory: str) -> jinja2.Environment:
    """Templates whose every `{{ value }}` is escaped as Markdown unless it is Raw."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(directory),
        autoescape=False,
        finalize=escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code"] = code
    env.filters["inline_code"] = inline_code
    env.globals.update(
        verdict_mark=_VERDICT_MARK,
        criteria=CRITERIA,
        criterion_titles=CRITERION_TITLES,
        status_text=overview.STATUS_TEXT,
        where=overview.where,
    )
    return env


@dataclass(frozen=True)
class Summary:
    """What the summary shows of one declaration."""

    d: DeclarationResult
    verdict: overview.Verdict
    counts: list[overview.CriterionCounts]
    failures: list[Finding]
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
