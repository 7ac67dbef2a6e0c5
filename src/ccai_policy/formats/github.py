"""GitHub Actions workflow commands: one annotation per failing finding, at its file and line,
then the verdicts and the summary as plain log lines that GitHub does not read as commands."""

from __future__ import annotations

import hashlib
import re

from ..model.result import Finding, Problem, Result, SourceLocation
from .text import run_summary, summary_line, verdict_line

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

#: The annotation command of each severity.
COMMANDS = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "notice",
    "info": "notice",
}


def escape_data(text: str) -> str:
    """Escape a command's message: '%', carriage returns and newlines."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as data, and also ':' and ','."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, location: SourceLocation, title: str, message: str) -> str:
    """One `::command file=…,line=…,col=…,title=…::message` line."""
    properties = [f"file={escape_property(location.file)}"]
    if location.line:
        properties.append(f"line={location.line}")
        if location.column:
            properties.append(f"col={location.column}")
    properties.append(f"title={escape_property(title)}")
    return f"::{command} {','.join(properties)}::{escape_data(message)}"


def _finding(finding: Finding) -> str:
    prefix = "could not evaluate the rule: " if finding.status == "error" else ""
    message = (
        f"{prefix}{finding.message}\n"
        f"{finding.title} ({finding.severity}, {finding.criterion})\n"
        f"How to fix: {finding.remediation}"
    )
    return annotation(COMMANDS[finding.severity], finding.location, finding.rule_id, message)


def _problem(problem: Problem) -> str:
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return annotation("error", problem.location, "could not evaluate", message)


def escape_log_line(text: str) -> str:
    """A plain log line: control characters and line breaks shown as escapes, so one value
    cannot start a line of its own (where the runner would read a workflow command)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 256 else " ", text)


def log_lines(result: Result) -> str:
    """Each declaration's verdict and rule counts, and the run's summary, for people reading the
    CI log, between `::stop-commands::` and its token: GitHub's way to print text verbatim."""
    plain = []
    for declaration in result.declarations:
        plain.append(escape_log_line(verdict_line(declaration, result)))
        plain.append(f"  {summary_line(declaration)}")
    plain.append(escape_log_line(run_summary(result)))
    body = "".join(line + "\n" for line in plain)
    token = "ccai-" + hashlib.sha256(body.encode("utf-8")).hexdigest()[:32]
    return f"::stop-commands::{token}\n{body}::{token}::\n"


def render(result: Result) -> str:
    lines = [
        _finding(f)
        for d in result.declarations
        for f in d.findings
        if f.status in ("fail", "error") and not f.baselined
    ]
    lines.extend(_problem(p) for p in result.problems)
    lines.extend(
        annotation(
            "warning",
            w.source,
            "unused waiver",
            f"the waiver for {w.rule} on {w.subject} matched no failing finding",
        )
        for w in result.unused_waivers
    )
    return "".join(line + "\n" for line in lines) + log_lines(result)
