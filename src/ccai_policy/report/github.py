"""GitHub Actions workflow commands: an annotation per failing finding, what blocks the run first.

GitHub shows at most 10 annotations of each level (error, warning, notice) for a step and drops
the rest, so annotations come in the order a reviewer needs them (could-not-evaluate problems,
then blocking findings, then the others, each by severity) and a level with more than 10 gets 9
annotations, a 10th that says how many more there are and where, and the rest as log lines.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from ccai_policy.errors import Location
from ccai_policy.model.grading import SEVERITY_RANK
from ccai_policy.model.result import Problem, Result
from ccai_policy.report.escaping import log_line, terminal
from ccai_policy.report.overview import blocking, severity_order
from ccai_policy.report.text import run_summary, summary_line, verdict_line

#: Annotations GitHub shows per level and step.
PER_LEVEL = 10
LEVELS = ("error", "warning", "notice")


def escape_data(text: str) -> str:
    """Escape a command's message: controls made visible, then '%', CR and LF as GitHub reads."""
    visible = "".join(
        part if part in ("\r", "\n") else terminal(part) for part in re.split(r"(\r|\n)", text)
    )
    return visible.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, and also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, location: Location | None, title: str, message: str) -> str:
    """One `::command file=…,line=…,col=…,title=…::message` line."""
    properties = []
    if location is not None:
        properties.append(f"file={escape_property(location.file)}")
        if location.line:
            properties.append(f"line={location.line}")
            if location.column:
                properties.append(f"col={location.column}")
    properties.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


@dataclass(frozen=True)
class Entry:
    """One annotation to be, and the plain log line that stands for it past GitHub's limit."""

    command: str
    location: Location
    title: str
    message: str

    def line(self) -> str:
        return annotation(self.command, self.location, self.title, self.message)

    def log(self) -> str:
        loc = self.location
        where = str(loc)
        return log_line(f"{where}: {self.command}: {self.title}: {self.message.split(chr(10))[0]}")


def _problem(problem: Problem) -> Entry:
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return Entry("error", problem.location, "could not evaluate", message)


def entries(result: Result) -> list[Entry]:
    """Every annotation in reading order: problems, blocking findings, then the rest."""
    out = [_problem(p) for p in result.problems]
    findings = sorted(
        (
            f
            for d in result.declarations
            for f in d.findings
            if f.status in ("fail", "error") and not f.baselined
        ),
        key=lambda f: severity_order(f, result),
    )
    for f in findings:
        if blocking(f, result):
            command = "error"
        elif SEVERITY_RANK[f.severity] >= SEVERITY_RANK["medium"]:
            command = "warning"
        else:
            command = "notice"
        prefix = "could not evaluate the rule: " if f.status == "error" else ""
        message = (
            f"{prefix}{f.message}\n"
            f"{f.title} ({f.severity}, {f.criterion}"
            f"{', blocks the run' if command == 'error' else ''})\n"
            f"How to fix: {f.remediation}"
        )
        out.append(Entry(command, f.location, f.rule_id, message))
    out.extend(
        Entry(
            "warning",
            w.source,
            "unused waiver",
            f"the waiver for {w.rule} on {w.subject} matched no failing finding",
        )
        for w in result.unused_waivers
    )
    return out


def _more(command: str, count: int) -> str:
    noun = {"error": "errors", "warning": "warnings", "notice": "notices"}[command]
    return annotation(
        command,
        None,
        f"ccai-policy: {count} more {noun}",
        f"{count} more {noun} are not shown as annotations (GitHub shows {PER_LEVEL} of each "
        "level per step). Every finding is listed in this step's log after the annotations, "
        "and in the job summary, SARIF and HTML reports when the workflow writes them.",
    )


def render(result: Result) -> str:
    lines: list[str] = []
    overflow: list[Entry] = []
    all_entries = entries(result)
    for command in LEVELS:
        of_level = [e for e in all_entries if e.command == command]
        if len(of_level) <= PER_LEVEL:
            lines.extend(e.line() for e in of_level)
            continue
        shown = of_level[: PER_LEVEL - 1]
        lines.extend(e.line() for e in shown)
        lines.append(_more(command, len(of_level) - len(shown)))
        overflow.extend(of_level[len(shown) :])
    if overflow:
        lines.append(log_line(f"{len(overflow)} findings beyond GitHub's annotation limit:"))
        lines.extend(e.log() for e in overflow)
    return "".join(line + "\n" for line in lines) + log_lines(result)


def log_lines(result: Result) -> str:
    """Each declaration's verdict and rule counts, and the run's summary, for people reading the
    CI log, between `::stop-commands::` and its token: GitHub's way to print text verbatim."""
    plain = []
    for declaration in result.declarations:
        plain.append(log_line(verdict_line(declaration, result)))
        plain.append(f"  {summary_line(declaration)}")
    plain.append(log_line(run_summary(result)))
    body = "".join(line + "\n" for line in plain)
    token = "ccai-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    return f"::stop-commands::{token}\n{body}::{token}::\n"
