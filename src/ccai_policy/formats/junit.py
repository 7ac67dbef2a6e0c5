"""JUnit XML for CI dashboards: a testsuite per declaration, a testcase per rule."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..model.result import DeclarationResult, Finding, Result
from .overview import where

#: Characters XML 1.0 cannot hold; YAML's escapes can produce them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Text safe for XML 1.0: characters it cannot hold become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: clean(v) for k, v in attrs.items()})
    if text is not None:
        element.text = clean(text)
    return element


def _detail(finding: Finding) -> str:
    lines = [f"{where(finding)}: {finding.message}"]
    if finding.subject.id:
        lines.append(f"About: {finding.subject.id} ({finding.subject.pointer})")
    lines.append(f"How to fix: {finding.remediation}")
    lines.extend(f"Source: {r.title} <{r.url}> ({r.confidence})" for r in finding.references)
    return "\n".join(lines)


def _testcase(suite: ET.Element, findings: list[Finding], counts: dict[str, int]) -> None:
    first = findings[0]
    failing = [f for f in findings if f.status in ("fail", "error")]
    shown = failing[0] if failing else first
    case = _element(
        suite,
        "testcase",
        name=f"{first.rule_id}: {first.title}",
        classname=f"ccai-policy.{first.criterion}",
        file=first.location.file,
        line=str(shown.location.line),
    )
    counts["tests"] += 1
    notes = []
    for finding in failing:
        if finding.baselined:
            notes.append(f"In the baseline (not counted): {_detail(finding)}")
            continue
        tag = "error" if finding.status == "error" else "failure"
        _element(case, tag, _detail(finding), message=finding.message, type=finding.severity)
    if any(c.tag == "error" for c in case):
        counts["errors"] += 1
    elif any(c.tag == "failure" for c in case):
        counts["failures"] += 1
    if all(f.status == "not_applicable" for f in findings):
        _element(case, "skipped", message=f"not applicable: {first.message}")
        counts["skipped"] += 1
    for finding in findings:
        if finding.status == "waived" and finding.waiver is not None:
            w = finding.waiver
            notes.append(
                f"Waived until {w.expires} by {w.approver}: {w.justification}\n{_detail(finding)}"
            )
    if notes:
        _element(case, "system-out", "\n\n".join(notes))


def _suite(parent: ET.Element, declaration: DeclarationResult, result: Result) -> dict[str, int]:
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suite = _element(parent, "testsuite", name=declaration.file)
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
    ):
        _element(properties, "property", name=name, value=value)
    by_rule: dict[str, list[Finding]] = {}
    for finding in declaration.findings:
        by_rule.setdefault(finding.rule_id, []).append(finding)
    for rule_id in sorted(by_rule):
        _testcase(suite, by_rule[rule_id], counts)
    for key, count in counts.items():
        suite.set(key, str(count))
    return counts


def _problems(parent: ET.Element, result: Result) -> dict[str, int]:
    suite = _element(parent, "testsuite", name="could not evaluate")
    for problem in result.problems:
        loc = problem.location
        case = _element(
            suite,
            "testcase",
            name=f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file,
            classname="ccai-policy.problems",
            file=loc.file,
            line=str(loc.line),
        )
        text = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
        _element(case, "error", text, message=problem.message, type=problem.kind)
    n = len(result.problems)
    counts = {"tests": n, "failures": 0, "errors": n, "skipped": 0}
    for key, value in counts.items():
        suite.set(key, str(value))
    return counts


def render(result: Result) -> str:
    root = ET.Element("testsuites", {"name": f"{result.tool} {result.policy.id}"})
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
