"""Frozen result types: findings, per-declaration results and the run's Result."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .rule import SEVERITY_RANK, Criterion, Reference, Severity

Status = Literal["pass", "fail", "error", "waived", "not_applicable"]
#: The order a person reads outcomes in: what needs action first.
STATUS_ORDER: dict[str, int] = {"error": 0, "fail": 1, "waived": 2, "pass": 3, "not_applicable": 4}


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceLocation(_Frozen):
    file: str
    line: int = 0
    column: int = 0


class Subject(_Frozen):
    id: str | None = Field(description="Id of the item the finding is about, if it has one.")
    pointer: str = Field(description="JSON pointer of the item in the declaration.")


class AppliedWaiver(_Frozen):
    """A waiver that matched a finding: applied, or shown as expired."""

    justification: str
    approver: str
    expires: dt.date
    expired: bool = Field(default=False, description="True: it matched but no longer applies.")
    source: SourceLocation | None = None


class UnusedWaiver(_Frozen):
    """A waiver that matched no failing finding in the run."""

    rule: str
    subject: str
    production: str | None = None
    approver: str
    expires: dt.date
    source: SourceLocation


class Finding(_Frozen):
    rule_id: str
    title: str
    criterion: Criterion
    severity: Severity
    status: Status
    message: str
    subject: Subject
    location: SourceLocation
    remediation: str
    references: list[Reference] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    waiver: AppliedWaiver | None = None
    baselined: bool = Field(
        default=False, description="Matched by the --baseline file: shown, but not counted."
    )


class Problem(_Frozen):
    """An input that could not be evaluated (exit 2), with where and how to fix it."""

    kind: str
    message: str
    hint: str = ""
    location: SourceLocation


class ProductionSummary(_Frozen):
    id: str
    title: str
    studio: str
    type: str
    territories: list[str]
    agreements: list[str]
    release_date: dt.date | None = None


class DeclarationResult(_Frozen):
    file: str
    sha256: str
    production: ProductionSummary
    findings: list[Finding]
    declaration: dict[str, Any] = Field(
        description="The validated declaration as evaluated (JSON-compatible)."
    )


class RuleInfo(_Frozen):
    id: str
    title: str
    criterion: Criterion
    severity: Severity = Field(description="Effective severity under the policy.")
    tags: list[str]
    description: str
    remediation: str
    references: list[Reference]
    mandatory: bool = False
    applicability: str | None = None


class PolicyInfo(_Frozen):
    id: str
    version: str
    title: str
    rules_digest: str = Field(description="SHA-256 over the resolved rule set.")
    fail_on: Severity


class InputFile(_Frozen):
    file: str
    sha256: str


class SkippedFile(_Frozen):
    """A file a scan found but did not check: another ccai-policy format, or excluded."""

    file: str
    reason: str


class Result(_Frozen):
    """Everything one run evaluated and found; formats render it, nothing else."""

    tool: str = "ccai-policy"
    tool_version: str
    as_of: dt.date
    policy: PolicyInfo
    fail_on: Severity
    rules: list[RuleInfo]
    inputs: list[InputFile]
    declarations: list[DeclarationResult]
    problems: list[Problem]
    unused_waivers: list[UnusedWaiver] = Field(default_factory=list)
    baseline: str | None = Field(default=None, description="The --baseline file, if one.")
    skipped: list[SkippedFile] = Field(
        default_factory=list, description="Files found but not checked, and why."
    )


def counts_toward_exit(finding: Finding, fail_on: Severity) -> bool:
    """A failing or erroring finding at or above the threshold fails the run."""
    return (
        finding.status in ("fail", "error")
        and not finding.baselined
        and SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[fail_on]
    )


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
