"""Render a declaration diff as one self-contained HTML page, in the look of the HTML report."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache

import jinja2
from markupsafe import Markup

from ccai_policy.model.grading import CRITERION_TITLES
from ccai_policy.paths import data_dir
from ccai_policy.report.diffreport import counts, show, verdict
from ccai_policy.report.overview import where
from ccai_policy.report.templating import template_environment
from ccai_policy.run.diff import FINDING_KINDS, SECTIONS, DeclarationDiff, ItemChange

#: The report's own stylesheet, when present, and what the diff adds to it.
STYLESHEETS = ("report/report.css", "diff.css")


@lru_cache(maxsize=4)
def environment(directory: str) -> jinja2.Environment:
    """Templates from the bundled directory; every value is escaped unless marked safe."""
    env = template_environment(directory)
    env.globals.update(
        show=show,
        where=where,
        criterion_titles=CRITERION_TITLES,
        marks={"added": "+", "removed": "-", "changed": "~"},
    )
    return env


def stylesheet(env: jinja2.Environment) -> str:
    """The report's stylesheet and the diff's additions, inlined."""
    parts = []
    for name in STYLESHEETS:
        try:
            source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            continue
        parts.append(source.strip())
    return "\n".join(parts) + "\n"


def _sections(diff: DeclarationDiff) -> list[tuple[str, list[ItemChange]]]:
    return [
        (section, changes)
        for section in SECTIONS
        if (changes := [c for c in diff.items if c.section == section])
    ]


def render(diff: DeclarationDiff) -> str:
    """The page; identical input gives identical bytes."""
    env = environment(str(data_dir("templates")))
    css = stylesheet(env)
    style_hash = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return env.get_template("diff.html.j2").render(
        diff=diff,
        p=diff.new.production,
        css=Markup(css),
        style_hash=style_hash,
        blocking=diff.blocking,
        verdict_old=verdict(diff, "old"),
        verdict_new=verdict(diff, "new"),
        compliant_new=diff.compliant("new"),
        item_counts=counts(diff)[0],
        sections=_sections(diff),
        findings={kind: diff.of_kind(kind) for kind in FINDING_KINDS},
    )
