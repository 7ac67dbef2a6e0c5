"""SARIF 2.1.0 for code scanning: one run, the policy's rules, a result per failing finding,
`error` exactly for the findings that block the run."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

from ccai_policy.errors import Location
from ccai_policy.model.grading import CRITERION_TITLES, SEVERITY_RANK, Severity
from ccai_policy.model.identity import FindingId, identities
from ccai_policy.model.result import Finding, Problem, Result, RuleInfo
from ccai_policy.model.verdict import exit_code
from ccai_policy.report.escaping import markdown, markdown_link, markdown_prose
from ccai_policy.report.overview import blocking, verdict

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
#: The SARIF level of a finding that does not block the run, by severity; blocking is `error`.
ADVISORY_LEVELS = {
    "critical": "warning",
    "high": "warning",
    "medium": "warning",
    "low": "note",
    "info": "note",
}
#: GitHub code scanning reads `security-severity` (0.0-10.0) to rank alerts.
SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
#: GitHub's own levels for rules without a security severity: error, warning, recommendation.
PROBLEM_SEVERITY = {
    "critical": "error",
    "high": "error",
    "medium": "warning",
    "low": "recommendation",
    "info": "recommendation",
}
FINGERPRINT = "ccaiPolicyFinding/v1"
FULL_NAME = "policy checker for the use of AI in film, TV, games and commercials"


def rule_name(title: str) -> str:
    """A rule's title as one PascalCase word, e.g. 'EveryDigitalReplicaHasThePerformersConsent'."""
    words = re.findall(r"[A-Za-z0-9]+", title.replace("'", ""))
    return "".join(w[:1].upper() + w[1:] for w in words) or "Rule"


def artifact_uri(path: str) -> str:
    """A relative path as a URI reference with '/' separators; absolute paths as file URIs."""
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return "file://" + quote(posix)
    if re.match(r"^[A-Za-z]:/", posix):
        return "file:///" + quote(posix, safe="/:")
    return quote(posix)


def _artifact(path: str) -> dict[str, Any]:
    uri = artifact_uri(path)
    return {"uri": uri} if uri.startswith("file:") else {"uri": uri, "uriBaseId": "%SRCROOT%"}


def _location(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(loc.file)}
    if loc.line:
        physical["region"] = {"startLine": loc.line, "startColumn": max(loc.column, 1)}
    return {"physicalLocation": physical}


def level(finding: Finding, result: Result) -> str:
    """`error` exactly when the finding blocks the run (as the exit code decides), else by
    severity `warning` or `note`: the level follows the threshold, not the severity alone."""
    return "error" if blocking(finding, result) else ADVISORY_LEVELS[finding.severity]


def default_level(severity: Severity, fail_on: Severity) -> str:
    """A rule's level when it fails: `error` at or above the threshold."""
    at_threshold = SEVERITY_RANK[severity] >= SEVERITY_RANK[fail_on]
    return "error" if at_threshold else ADVISORY_LEVELS[severity]


def _rule(rule: RuleInfo, fail_on: Severity) -> dict[str, Any]:
    sources = "\n".join(f"- {r.title} <{r.url}> ({r.confidence})" for r in rule.references)
    linked = "\n".join(
        f"- {markdown_link(r.title, r.url)} ({markdown(r.confidence)})" for r in rule.references
    )
    entry: dict[str, Any] = {
        "id": rule.id,
        "name": rule_name(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.description},
        "help": {
            "text": f"{rule.remediation}\n\nSources:\n{sources}",
            "markdown": f"**How to fix.** {markdown_prose(rule.remediation)}\n\n"
            f"**Sources**\n\n{linked}",
        },
        "defaultConfiguration": {"level": default_level(rule.severity, fail_on)},
        "properties": {
            "criterion": rule.criterion,
            "criterionTitle": CRITERION_TITLES[rule.criterion],
            "tags": [rule.criterion, *rule.tags],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "mandatory": rule.mandatory,
        },
    }
    if rule.references:
        entry["helpUri"] = str(rule.references[0].url)
    return entry


def _result(
    finding: Finding, identity: FindingId, rule_index: dict[str, int], result: Result
) -> dict[str, Any]:
    text = finding.message
    if finding.status == "error":
        text = f"The rule could not be evaluated: {text}"
    if finding.baselined:
        text += " (in the baseline: a known finding, so it does not fail the check; still not met)"
    entry: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index[finding.rule_id],
        "kind": "fail",
        "level": level(finding, result),
        "message": {"text": text},
        "locations": [_location(finding.location)],
        "partialFingerprints": {FINGERPRINT: identity.fingerprint(finding.location.file)},
        "properties": {
            "criterion": finding.criterion,
            "severity": finding.severity,
            "status": finding.status,
            "blocking": blocking(finding, result),
            "baselined": finding.baselined,
            "subject": finding.subject.id,
            "pointer": finding.subject.pointer,
        },
    }
    if finding.subject.id:
        entry["locations"][0]["logicalLocations"] = [
            {"name": finding.subject.id, "fullyQualifiedName": finding.subject.pointer or "/"}
        ]
    if result.baseline is not None:
        entry["baselineState"] = "unchanged" if finding.baselined else "new"
    if finding.waiver is not None and finding.status == "waived":
        entry["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": finding.waiver.justification,
                "properties": {
                    "approver": finding.waiver.approver,
                    "expires": finding.waiver.expires.isoformat(),
                },
            }
        ]
    return entry


def _notification(problem: Problem) -> dict[str, Any]:
    text = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
    return {"level": "error", "message": {"text": text}, "locations": [_location(problem.location)]}


def sarif_log(result: Result) -> dict[str, Any]:
    """The SARIF log as plain data, in a deterministic order."""
    rule_index = {rule.id: i for i, rule in enumerate(result.rules)}
    results = [
        _result(f, identity, rule_index, result)
        for d in result.declarations
        for f, identity in zip(d.findings, identities(d.findings), strict=True)
        if f.status in ("fail", "error", "waived") and f.rule_id in rule_index
    ]
    notifications = [_notification(p) for p in result.problems]
    for unused in result.unused_waivers:
        notifications.append(
            {
                "level": "warning",
                "message": {
                    "text": f"unused waiver: {unused.rule} for {unused.subject} "
                    "matched no failing finding"
                },
                "locations": [_location(unused.source)],
            }
        )
    for note in result.baseline_notes:
        text = f"baseline: {note.message}" + (f" (hint: {note.hint})" if note.hint else "")
        notifications.append(
            {"level": "warning", "message": {"text": text}, "locations": [_location(note.source)]}
        )
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": result.tool,
                "fullName": f"{result.tool} {result.tool_version}: {FULL_NAME}",
                "version": result.tool_version,
                "semanticVersion": result.tool_version,
                "rules": [_rule(rule, result.fail_on) for rule in result.rules],
            }
        },
        "automationDetails": {"id": f"{result.tool}/{result.policy.id}/"},
        "invocations": [
            {
                "executionSuccessful": not result.problems,
                "exitCode": exit_code(result),
                "toolExecutionNotifications": notifications,
            }
        ],
        "artifacts": [
            {
                "location": _artifact(i.file),
                "hashes": {"sha-256": i.sha256},
                "roles": ["analysisTarget"],
            }
            for i in result.inputs
        ],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "policy": result.policy.model_dump(mode="json"),
            "asOf": result.as_of.isoformat(),
            "failOn": result.fail_on,
            "verdicts": [
                {"file": d.file, "production": d.production.id, "verdict": verdict(d, result).label}
                for d in result.declarations
            ],
        },
    }
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}


def render(result: Result) -> str:
    return json.dumps(sarif_log(result), indent=2, ensure_ascii=False) + "\n"
