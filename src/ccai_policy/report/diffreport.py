"""Render a declaration diff as plain text or Markdown; HTML lives in diffhtml."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ccai_policy.model.result import Finding
from ccai_policy.report.escaping import log_text, markdown, markdown_code
from ccai_policy.report.overview import where
from ccai_policy.run.diff import FINDING_KINDS, DeclarationDiff, FindingChange, ItemChange

_MARK = {"added": "+", "removed": "-", "changed": "~"}
_STATUS = {"fail": "FAIL", "error": "ERROR"}


def show(value: Any) -> str:
    """A JSON value as a reader expects it: strings quoted, null as (none), lists compact."""
    if value is None:
        return "(none)"
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def subject(finding: Finding) -> str:
    return finding.subject.id or finding.subject.pointer or "the declaration"


def verdict(diff: DeclarationDiff, which: str) -> str:
    return "compliant" if diff.compliant("old" if which == "old" else "new") else "not compliant"


def outcome(diff: DeclarationDiff) -> str:
    """One sentence: the verdict before and after, and what decides the exit code."""
    blocking = len(diff.blocking)
    tail = (
        f"{blocking} new failing finding{'s' if blocking != 1 else ''} at or above {diff.fail_on}"
        if blocking
        else f"No new failing finding at or above {diff.fail_on}"
    )
    return f"Before: {verdict(diff, 'old')}. Now: {verdict(diff, 'new')}. {tail}."


def counts(diff: DeclarationDiff) -> tuple[str, str]:
    """The item and finding counts, as the headings of both formats say them."""
    items = ", ".join(f"{len(diff.items_of(k))} {k}" for k in ("added", "removed", "changed"))
    findings = ", ".join(f"{len(diff.of_kind(k))} {k}" for k in FINDING_KINDS)
    return items, findings


def _text_item(change: ItemChange) -> list[str]:
    label = f" ({change.label})" if change.label else ""
    lines = [f"    {_MARK[change.kind]} {change.kind} {change.id}{label}"]
    lines += [f"        {f.field}: {show(f.old)} -> {show(f.new)}" for f in change.fields]
    return lines


def _text_finding(change: FindingChange) -> list[str]:
    f = change.finding
    if change.kind == "resolved":
        return [
            f"    {where(f)}: {f.rule_id} [{f.severity}] {subject(f)}: {change.now}",
            f"      was: {f.message}",
        ]
    return [f"    {where(f)}: {_STATUS[f.status]} {f.rule_id} [{f.severity}] {f.message}"]


def render_text(diff: DeclarationDiff) -> str:
    """What changed, for a terminal or a CI log."""
    p = diff.new.production
    items, findings = counts(diff)
    lines = [
        f"diff: {diff.old.file} -> {diff.new.file}",
        f"{p.title} ({p.type}, {p.studio})",
        f"evaluated with {diff.policy.id} {diff.policy.version} as of {diff.as_of}; "
        f"fail on {diff.fail_on} and above",
        "",
        f"Declaration: {items}",
    ]
    section = ""
    for change in diff.items:
        if change.section != section:
            section = change.section
            lines.append(f"  {section}")
        lines.extend(_text_item(change))
    lines += ["", f"Findings: {findings}"]
    for kind in FINDING_KINDS:
        changes = diff.of_kind(kind)
        if changes:
            lines.append(f"  {kind.capitalize()}")
            lines.extend(line for c in changes for line in _text_finding(c))
    lines += ["", outcome(diff)]
    return log_text(lines)


def md(text: str) -> str:
    """Text safe in a Markdown table cell: the one Markdown escaper, on one line."""
    return markdown(text)


def code(text: str) -> str:
    """Text as a Markdown code span in a table cell."""
    return markdown_code(text, in_table=True)


def _md_table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _md_item(change: ItemChange) -> list[str]:
    fields = "<br>".join(
        f"{code(f.field)}: {md(show(f.old))} → {md(show(f.new))}" for f in change.fields
    )
    return [change.section, f"{code(change.id)} {md(change.label)}".strip(), change.kind, fields]


def _md_findings(
    changes: list[FindingChange], last_header: str, last: Callable[[FindingChange], str]
) -> list[str]:
    rows = [
        [
            c.finding.severity,
            code(c.finding.rule_id),
            code(subject(c.finding)),
            md(c.finding.message),
            last(c),
        ]
        for c in changes
    ]
    return _md_table(["severity", "rule", "subject", "message", last_header], rows)


def _md_location(change: FindingChange) -> str:
    return code(where(change.finding))


def render_markdown(diff: DeclarationDiff) -> str:
    """What changed, for a pull-request comment or a job summary."""
    p = diff.new.production
    items, findings = counts(diff)
    lines = [
        f"## ccai-policy diff: {md(p.title)}",
        "",
        f"**{md(outcome(diff))}**",
        "",
        *_md_table(
            ["", "old", "new"],
            [
                ["file", code(diff.old.file), code(diff.new.file)],
                ["SHA-256", code(diff.old.sha256), code(diff.new.sha256)],
                ["verdict", verdict(diff, "old"), verdict(diff, "new")],
            ],
        ),
        "",
        f"Evaluated with {code(diff.policy.id)} {md(diff.policy.version)} as of {diff.as_of} "
        f"by ccai-policy {diff.tool_version}; fail on {diff.fail_on} and above.",
        "",
        f"### Changes to the declaration: {items}",
        "",
    ]
    if diff.items:
        lines += _md_table(
            ["section", "item", "change", "what changed"], [_md_item(c) for c in diff.items]
        )
    else:
        lines.append("No item was added, removed or changed.")
    lines += ["", f"### Findings: {findings}"]
    new, resolved, unchanged = (diff.of_kind(k) for k in FINDING_KINDS)
    if new:
        lines += ["", "#### New", "", *_md_findings(new, "location", _md_location)]
    if resolved:
        lines += ["", "#### Resolved", ""]
        lines += _md_findings(resolved, "now", lambda c: md(c.now))
    if unchanged:
        lines += ["", f"<details><summary>Unchanged ({len(unchanged)})</summary>", ""]
        lines += [*_md_findings(unchanged, "location", _md_location), "", "</details>"]
    return "\n".join(lines) + "\n"
