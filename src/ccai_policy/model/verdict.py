"""What a result means: the findings that breach the threshold, rule outcomes, the exit code."""

from __future__ import annotations

from ccai_policy.model.grading import SEVERITY_RANK, Severity
from ccai_policy.model.result import DeclarationResult, Finding, Result, Status

#: The order a person reads outcomes in: what needs action first.
STATUS_ORDER: dict[str, int] = {"error": 0, "fail": 1, "waived": 2, "pass": 3, "not_applicable": 4}


def breaches(finding: Finding, fail_on: Severity) -> bool:
    """A failing or erroring finding at or above the threshold: not compliant, known or new."""
    return (
        finding.status in ("fail", "error")
        and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[fail_on]
    )


def counts_toward_exit(finding: Finding, fail_on: Severity) -> bool:
    """A breach not in the baseline is new: it fails the run."""
    return breaches(finding, fail_on) and not finding.baselined


def is_compliant(declaration: DeclarationResult, fail_on: Severity) -> bool:
    """No breach at all: a baselined finding is known, never compliant."""
    return not any(breaches(f, fail_on) for f in declaration.findings)


def exit_code(result: Result) -> int:
    """0 clean, 1 findings at or above the threshold, 2 something could not be evaluated."""
    if result.problems:
        return 2
    for declaration in result.declarations:
        if any(counts_toward_exit(f, result.fail_on) for f in declaration.findings):
            return 1
    return 0


def rule_outcomes(declaration: DeclarationResult) -> dict[str, Status]:
    """One status per rule for a declaration: the worst of its findings."""
    outcomes: dict[str, Status] = {}
    for finding in declaration.findings:
        current = outcomes.get(finding.rule_id)
        if current is None or STATUS_ORDER[finding.status] < STATUS_ORDER[current]:
            outcomes[finding.rule_id] = finding.status
    return outcomes
