"""Plain text for people and CI logs: per declaration and criterion, what fails the run first,
every line escaped so that data can neither start a line nor drive the terminal."""

from __future__ import annotations

from collections import Counter

from ccai_policy.model.grading import CRITERIA, CRITERION_TITLES
from ccai_policy.model.result import DeclarationResult, Finding, Problem, Result
from ccai_policy.model.verdict import rule_outcomes
from ccai_policy.report.escaping import log_line
from ccai_policy.report.overview import (
    Verdict,
    blocking,
    blocking_first,
    not_compliant,
    verdict,
    where,
)

_LABEL = {"fail": "FAIL", "error": "ERROR", "waived": "WAIVED", "pass": "pass"}
_SHOWN = ("error", "fail", "waived")
#: The mark in front of each finding: what fails the run, what does not, what is waived.
BLOCKING_MARK, ADVISORY_MARK, WAIVED_MARK = "✗", "·", "≈"
#: ANSI styles of a line (SGR parameters); applied after escaping, so data never carries one.
_STYLE = {"blocking": "1;31", "advisory": "33", "waived": "36", "compliant": "1;32", "bold": "1"}


class _Lines:
    """Output lines, each escaped as one log line, then styled when colour is on."""

    def __init__(self, color: bool) -> None:
        self.color = color
        self.lines: list[str] = []

    def add(self, text: str, style: str | None = None) -> None:
        line = log_line(text)
        if self.color and style:
            line = f"\x1b[{_STYLE[style]}m{line}\x1b[0m"
        self.lines.append(line)

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)


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


def _finding_lines(out: _Lines, f: Finding, blocks: bool) -> None:
    label = _LABEL[f.status] + (" (in baseline)" if f.baselined else "")
    mark = BLOCKING_MARK if blocks else WAIVED_MARK if f.status == "waived" else ADVISORY_MARK
    style = "blocking" if blocks else "waived" if f.status == "waived" else "advisory"
    out.add(
        f"    {mark} {where(f)}: {label} {f.rule_id} [{f.severity}] {f.message}",
        style,
    )
    if f.waiver is not None and f.waiver.expired:
        out.add(
            f"        waiver expired on {f.waiver.expires} "
            f"(approved by {f.waiver.approver}); it no longer applies"
        )
    elif f.waiver is not None:
        w = f.waiver
        out.add(f"        waived by {w.approver} until {w.expires}: {w.justification}")


def _declaration(
    out: _Lines, declaration: DeclarationResult, result: Result, shown: Verdict
) -> None:
    p = declaration.production
    out.add(
        f"{declaration.file}: {p.title} ({p.type}, {p.studio}) — {shown.label.upper()}",
        "blocking" if not_compliant(shown) else "compliant",
    )
    listed: dict[str, list[Finding]] = {criterion: [] for criterion in CRITERIA}
    for f in declaration.findings:  # one pass over what may be tens of thousands
        if f.status in _SHOWN and f.criterion in listed:
            listed[f.criterion].append(f)
    for criterion in CRITERIA:
        flagged = [(blocking(f, result), f) for f in listed[criterion]]  # each decided once
        flagged.sort(key=lambda pair: blocking_first(*pair))
        if not flagged:
            continue
        out.add(f"  {CRITERION_TITLES[criterion]}", "bold")
        for blocks, f in flagged:
            _finding_lines(out, f, blocks)
    out.add(f"  {summary_line(declaration)}")


def _problem(out: _Lines, problem: Problem) -> None:
    loc = problem.location
    where = str(loc)
    out.add(f"  {where}: error: {problem.message}")
    if problem.hint:
        out.add(f"    hint: {problem.hint}")


def render(result: Result, *, color: bool = False, quiet: bool = False) -> str:
    """The text report; `color` adds ANSI styles, `quiet` keeps only problems and the summary."""
    out = _Lines(color)
    verdicts = [verdict(d, result) for d in result.declarations]  # a pass over every finding
    if not quiet:
        for declaration, shown in zip(result.declarations, verdicts, strict=True):
            _declaration(out, declaration, result, shown)
            out.add("")
        for unused in result.unused_waivers:
            where = str(unused.source)
            out.add(
                f"{where}: unused waiver: {unused.rule} for {unused.subject} "
                "matched no failing finding"
            )
        if result.unused_waivers:
            out.add("")
        for note in result.baseline_notes:
            loc = note.source
            where = str(loc)
            out.add(f"{where}: baseline: {note.message}")
            out.add(f"    hint: {note.hint}")
        if result.baseline_notes:
            out.add("")
    if result.problems:
        out.add("Could not evaluate:", "blocking")
        for problem in result.problems:
            _problem(out, problem)
        out.add("")
    failing = sum(1 for v in verdicts if not_compliant(v))
    files_with_problems = len({p.location.file for p in result.problems})
    blocking_count = (  # said only in the full report: a quiet one skips the count
        0 if quiet else sum(blocking(f, result) for d in result.declarations for f in d.findings)
    )
    if blocking_count:
        counted = (
            "the finding that fails"
            if blocking_count == 1
            else f"the {blocking_count} findings that fail"
        )
        out.add(f"{BLOCKING_MARK} marks {counted} the run; the others are listed for information")
    summary = run_summary(result, verdicts)
    out.add(summary, "blocking" if failing or files_with_problems else "compliant")
    return out.text()


def verdict_line(declaration: DeclarationResult, result: Result) -> str:
    """`file: title (type, studio) — VERDICT`, as the text report heads a declaration."""
    p = declaration.production
    label = verdict(declaration, result).label.upper()
    return f"{declaration.file}: {p.title} ({p.type}, {p.studio}) — {label}"


def run_summary(result: Result, verdicts: list[Verdict] | None = None) -> str:
    """The run's last line: how many declarations, against what, how many compliant
    (`verdicts`: the declarations' own, where the caller has them)."""
    if verdicts is None:
        verdicts = [verdict(d, result) for d in result.declarations]
    failing = sum(1 for v in verdicts if not_compliant(v))
    known = sum(1 for v in verdicts if v.key == "not-compliant-known")
    files_with_problems = len({p.location.file for p in result.problems})
    n = len(result.declarations)
    total = (
        f"{n} declaration{'s' if n != 1 else ''} checked against "
        f"{result.policy.id} {result.policy.version} (fail on {result.fail_on} and above): "
        f"{n - failing} compliant, {failing} not compliant"
    )
    if known:
        total += f" ({known} with no new findings: all in the baseline)"
    if files_with_problems:
        total += (
            f"; {files_with_problems} file{'s' if files_with_problems != 1 else ''} "
            "could not be evaluated"
        )
    return total
