"""JUnit XML for CI dashboards: a testsuite per declaration, a testcase per rule, failing only
where a finding blocks the run."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ccai_policy.model.grading import SEVERITY_RANK
from ccai_policy.model.result import DeclarationResult, Finding, Result
from ccai_policy.report.escaping import log_line, terminal
from ccai_policy.report.overview import (
    baseline_notes,
    baseline_statement,
    blocking,
    verdict,
    where,
)

#: Characters XML 1.0 cannot hold; YAML's escapes can produce them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


#: Rules are not timed one by one (formats never read the clock); tools that need `time` get 0.
NOT_TIMED = "0"


def clean(text: str) -> str:
    """Text safe for XML 1.0: characters it cannot hold become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    """An element whose attributes and text a CI log may print: an attribute is one line, every
    control an escape; no line of the text begins a command (data in the text comes through
    `terminal`, so that its own newlines stay escapes)."""
    element = ET.SubElement(parent, tag, {k: clean(log_line(v)) for k, v in attrs.items()})
    if text is not None:
        element.text = clean("\n".join(log_line(line) for line in text.split("\n")))
    return element


def _detail(finding: Finding) -> str:
    lines = [f"{terminal(where(finding))}: {terminal(finding.message)}"]
    if finding.subject.id:
        lines.append(f"About: {finding.subject.id} ({finding.subject.pointer})")
    lines.append(f"How to fix: {finding.remediation}")
    lines.extend(f"Source: {r.title} <{r.url}> ({r.confidence})" for r in finding.references)
    return "\n".join(lines)


def _severest(findings: list[Finding]) -> Finding:
    return max(findings, key=lambda f: SEVERITY_RANK[f.severity])


def _testcase(
    suite: ET.Element,
    findings: list[Finding],
    result: Result,
    counts: dict[str, int],
) -> None:
    """One testcase per rule: at most one <failure> or <error>, carrying every blocking finding.

    Only blocking findings fail the testcase, so a CI tool that counts failures agrees with the
    exit code; failing findings that do not block are told in <system-out>.
    """
    first = findings[0]
    blocks = [f for f in findings if blocking(f, result)]
    failing = [f for f in findings if f.status in ("fail", "error")]
    shown = (blocks or failing or findings)[0]
    case = _element(
        suite,
        "testcase",
        name=f"{first.rule_id}: {first.title}",
        classname=f"ccai-policy.{first.criterion}",
        file=shown.location.file,
        line=str(shown.location.line),
        time=NOT_TIMED,
    )
    counts["tests"] += 1
    if blocks:
        tag = "error" if any(f.status == "error" for f in blocks) else "failure"
        message = (
            blocks[0].message
            if len(blocks) == 1
            else f"{len(blocks)} findings fail this rule; the first: {blocks[0].message}"
        )
        text = "\n\n".join(_detail(f) for f in blocks)
        _element(case, tag, text, message=message, type=_severest(blocks).severity)
        counts["errors" if tag == "error" else "failures"] += 1
    elif all(f.status == "not_applicable" for f in findings):
        _element(case, "skipped", message=f"not applicable: {first.message}")
        counts["skipped"] += 1
    notes = []
    for finding in failing:
        if finding in blocks:
            continue
        if finding.baselined:
            notes.append(f"In the baseline (does not fail the run): {_detail(finding)}")
        else:
            notes.append(
                f"Below the threshold ({finding.severity}; the run fails at "
                f"{result.fail_on} and above): {_detail(finding)}"
            )
    for finding in findings:
        if finding.status == "waived" and finding.waiver is not None:
            w = finding.waiver
            notes.append(
                f"Waived until {w.expires} by {terminal(w.approver)}: "
                f"{terminal(w.justification)}\n{_detail(finding)}"
            )
    if notes:
        _element(case, "system-out", "\n\n".join(notes))


def _suite(parent: ET.Element, declaration: DeclarationResult, result: Result) -> dict[str, int]:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suite = _element(parent, "testsuite", name=declaration.file, time=NOT_TIMED)
    properties = _element(suite, "properties")
    p = declaration.production
    for name, value in (
        ("production", p.id),
        ("title", p.title),
        ("studio", p.studio),
        ("type", p.type),
        ("sha256", declaration.sha256),
        ("policy", f"{result.policy.id} {result.policy.version}"),
        ("rules_digest", result.policy.rules_digest),
        ("fail_on", result.fail_on),
        ("as_of", result.as_of.isoformat()),
        ("tool", f"{result.tool} {result.tool_version}"),
        ("verdict", verdict(declaration, result).label),
    ):
        _element(properties, "property", name=name, value=value)
    # A baselined breach passes its testcase (it does not fail the run) but is still not met:
    # the suite's properties say so, with whatever the baseline names and does not excuse.
    statement = baseline_statement(declaration, result)
    if result.baseline is not None and statement is not None:
        _element(properties, "property", name="baseline", value=result.baseline)
        _element(properties, "property", name="baseline_findings", value=statement)
    for note in baseline_notes(result, declaration):
        text = f"{note.message} (hint: {note.hint})" if note.hint else note.message
        _element(properties, "property", name="baseline_note", value=text)
    by_rule: dict[str, list[Finding]] = {}
    for finding in declaration.findings:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    for rule_id in sorted(by_rule):
        _testcase(suite, by_rule[rule_id], result, counts)
    for key, count in counts.items():
        suite.set(key, str(count))
    return counts


def _problems(parent: ET.Element, result: Result) -> dict[str, int]:
    suite = _element(parent, "testsuite", name="could not evaluate", time=NOT_TIMED)
    for problem in result.problems:
        loc = problem.location
        case = _element(
            suite,
            "testcase",
            name=str(loc),
            classname="ccai-policy.problems",
            file=loc.file,
            line=str(loc.line),
            time=NOT_TIMED,
        )
        text = terminal(problem.message) + (
            f"\nhint: {terminal(problem.hint)}" if problem.hint else ""
        )
        _element(case, "error", text, message=problem.message, type=problem.kind)
    n = len(result.problems)
    counts = {"tests": n, "failures": 0, "errors": n, "skipped": 0}
    for key, value in counts.items():
        suite.set(key, str(value))
    return counts


def render(result: Result) -> str:
    root = ET.Element(
        "testsuites", {"name": clean(f"{result.tool} {result.policy.id}"), "time": NOT_TIMED}
    )
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    parts = [_suite(root, d, result) for d in result.declarations]
    if result.problems:
        parts.append(_problems(root, result))
    for counts in parts:
        for key in totals:
            totals[key] += counts[key]
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"
