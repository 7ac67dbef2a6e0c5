"""GitHub Actions workflow commands: one annotation per failing finding, at its file and line."""

from __future__ import annotations

from ..model.result import Finding, Problem, Result, SourceLocation

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
    return "".join(line + "\n" for line in lines)
