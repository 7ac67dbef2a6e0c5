"""Frozen result types: findings, per-declaration results and the run's Result."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, computed_field

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
        default=False,
        description="A known finding recorded in the --baseline file: it does not fail the run, "
        "but a production with a failing finding at or above the threshold is still not "
        "compliant.",
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


class BaselineNote(_Frozen):
    """Why a baseline, or one of its entries, suppresses less than it names."""

    message: str
    hint: str = ""
    source: SourceLocation = Field(description="Where in the baseline file.")
    file: str | None = Field(default=None, description="The declaration file concerned.")
    rule_id: str | None = None
    subject: Subject | None = None


#: The statuses a baseline records: a known failure, a known error, and what was waived then.
RECORDED_STATUSES = ("fail", "error", "waived")


class Recordable(Protocol):
    """What the digest reads of a finding, in a Result or in a baseline read back."""

    @property
    def rule_id(self) -> str: ...
    @property
    def subject(self) -> Subject: ...
    @property
    def status(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def waiver(self) -> object | None: ...


def record_digest(
    fail_on: str, declarations: Iterable[tuple[str, str, Iterable[Recordable]]]
) -> str:
    """SHA-256 over the threshold and, per (file, production id, findings), the recorded ones."""
    rows = sorted(
        (
            file,
            production,
            f.rule_id,
            f.subject.id or "",
            f.subject.pointer,
            f.status,
            f.severity,
            f.waiver is not None,
        )
        for file, production, findings in declarations
        for f in findings
        if f.status in RECORDED_STATUSES
    )
    canonical = json.dumps([fail_on, rows], separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _digest_optional(schema: dict[str, Any]) -> None:
    """Every result written has findings_digest; one read back as a baseline may predate it."""
    schema["required"] = [name for name in schema["required"] if name != "findings_digest"]


class SkippedFile(_Frozen):
    """A file a scan found but did not check: another ccai-policy format, or excluded."""

    file: str
    reason: str


class Result(_Frozen):
    """Everything one run evaluated and found; formats render it, nothing else."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_digest_optional)

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

    baseline_notes: list[BaselineNote] = Field(
        default_factory=list,
        description="Baseline entries that suppressed nothing, and why (another production, a "
        "mandatory rule, a waiver that was in force, a higher severity, an old baseline).",
    )

    @computed_field(  # type: ignore[prop-decorator]
        description="SHA-256 over fail_on and each declaration's file, production id and "
        "failing, erroring and waived findings (rule, subject, status, severity, whether a "
        "waiver matched). --baseline refuses a baseline whose findings no longer match it, and "
        "reads one without it (from an earlier version) but suppresses nothing with it."
    )
    @property
    def findings_digest(self) -> str:
        return record_digest(
            self.fail_on, ((d.file, d.production.id, d.findings) for d in self.declarations)
        )


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
