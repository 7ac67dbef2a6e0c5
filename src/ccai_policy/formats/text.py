"""Plain text for people and CI logs: per declaration and criterion, what needs action first."""

from __future__ import annotations

from collections import Counter

from ..model.result import (
    STATUS_ORDER,
    DeclarationResult,
    Finding,
    Problem,
    Result,
    counts_toward_exit,
    is_compliant,
    rule_outcomes,
)
from ..model.rule import CRITERIA, CRITERION_TITLES
from .overview import verdict

_LABEL = {"fail": "FAIL", "error": "ERROR", "waived": "WAIVED", "pass": "pass"}
_SHOWN = ("error", "fail", "waived")


def _where(finding: Finding) -> str:
    loc = finding.location
    return f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file


def summary_line(declaration: DeclarationResult) -> str:
    counts: Counter[str] = Counter(rule_outcomes(declaration).values())
    parts = [
        f"{counts[s]} {label}"
        for s, label in (
            ("pass", "passed"),
            ("fail", "failed"),
            ("error", "errors"),
            ("waived", "waived"),
            ("not_applicable", "not applicable"),
        )
        if counts[s] or s in ("pass", "fail")
    ]
    total = sum(counts.values())
    return f"{total} rule{'s' if total != 1 else ''}: {', '.join(parts)}"


def _declaration(declaration: DeclarationResult, result: Result) -> list[str]:
    p = declaration.production
    label = verdict(declaration, result).label.upper()
    lines = [f"{declaration.file}: {p.title} ({p.type}, {p.studio}) — {label}"]
    for criterion in CRITERIA:
        findings = sorted(
            (f for f in declaration.findings if f.criterion == criterion and f.status in _SHOWN),
            key=lambda f: (STATUS_ORDER[f.status], f.location.line, f.rule_id),
        )
        if not findings:
            continue
        lines.append(f"  {CRITERION_TITLES[criterion]}")
        for f in findings:
            label = _LABEL[f.status] + (" (in baseline)" if f.baselined else "")
            lines.append(f"    {_where(f)}: {label} {f.rule_id} [{f.severity}] {f.message}")
            if f.waiver is not None and f.waiver.expired:
                lines.append(
                    f"      waiver expired on {f.waiver.expires} "
                    f"(approved by {f.waiver.approver}); it no longer applies"
                )
            elif f.waiver is not None:
                lines.append(
                    f"      waived by {f.waiver.approver} until {f.waiver.expires}: "
                    f"{f.waiver.justification}"
                )
    lines.append(f"  {summary_line(declaration)}")
    return lines


def _problem(problem: Problem) -> str:
    loc = problem.location
    where = f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file
    hint = f"\n    hint: {problem.hint}" if problem.hint else ""
    return f"{where}: error: {problem.message}{hint}"


def render(result: Result) -> str:
    lines: list[str] = []
    for declaration in result.declarations:
        lines.extend(_declaration(declaration, result))
        lines.append("")
    for unused in result.unused_waivers:
        where = f"{unused.source.file}:{unused.source.line}:{unused.source.column}"
        lines.append(
            f"{where}: unused waiver: {unused.rule} for {unused.subject} matched no failing finding"
        )
    if result.unused_waivers:
        lines.append("")
    for note in result.baseline_notes:
        loc = note.source
        where = f"{loc.file}:{loc.line}:{loc.column}" if loc.line else loc.file
        lines.append(f"{where}: baseline: {note.message}\n    hint: {note.hint}")
    if result.baseline_notes:
        lines.append("")
    if result.problems:
        lines.append("Could not evaluate:")
        lines.extend(f"  {_problem(p)}" for p in result.problems)
        lines.append("")
    failing = sum(1 for d in result.declarations if not is_compliant(d, result.fail_on))
    files_with_problems = len({p.location.file for p in result.problems})
    n = len(result.declarations)
    total = (
        f"{n} declaration{'s' if n != 1 else ''} checked against "
        f"{result.policy.id} {result.policy.version} (fail on {result.fail_on} and above): "
        f"{n - failing} compliant, {failing} not compliant"
    )
    if result.baseline is not None:
        new = sum(
            1
            for d in result.declarations
            if any(counts_toward_exit(f, result.fail_on) for f in d.findings)
        )
        total += f" ({new} with new findings since the baseline)"
    if files_with_problems:
        total += (
            f"; {files_with_problems} file{'s' if files_with_problems != 1 else ''} "
            "could not be evaluated"
        )
    lines.append(total)
    return "\n".join(lines) + "\n"
