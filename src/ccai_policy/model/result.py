"""Frozen result types: findings, per-declaration results and the run's Result."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, computed_field

from ccai_policy.errors import Location
from ccai_policy.model.digest import record_digest
from ccai_policy.model.grading import CRITERION_MEANINGS, SEVERITY_MEANINGS, Criterion, Severity
from ccai_policy.model.packing import made, pack, share_fields_set, shared_fields_set, unpack
from ccai_policy.model.rule import Reference, Rule
from ccai_policy.model.vocabulary import Meanings, field_title, model_title

Status = Literal["pass", "fail", "error", "waived", "not_applicable"]
STATUS_MEANINGS = Meanings(
    {
        "pass": "The item meets the rule.",
        "fail": "The item breaks the rule.",
        "error": "The rule could not be evaluated on the item; counts as a failure.",
        "waived": "The item breaks the rule, but an approved waiver accepts it.",
        "not_applicable": "The rule selects nothing in the declaration, or does not apply.",
    }
)
_Criterion = Annotated[Criterion, CRITERION_MEANINGS]
_Severity = Annotated[Severity, SEVERITY_MEANINGS]


class _Frozen(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        field_title_generator=field_title,
        model_title_generator=model_title,
    )


class Subject(_Frozen):
    id: str | None = Field(description="Id of the item the finding is about, if it has one.")
    pointer: str = Field(description="JSON pointer of the item in the declaration.")


class AppliedWaiver(_Frozen):
    """A waiver that matched a finding: applied, or shown as expired."""

    justification: str = Field(description="Why the exception is acceptable.")
    approver: str = Field(description="Who approved it.")
    expires: dt.date = Field(description="Last day the waiver applies.")
    expired: bool = Field(default=False, description="True: it matched but no longer applies.")
    source: Location | None = Field(default=None, description="Where the waiver is written.")


class UnusedWaiver(_Frozen):
    """A waiver that matched no failing finding in the run."""

    rule: str = Field(description="Id of the rule the waiver names.")
    subject: str = Field(description="Id of the item the waiver names, or '*'.")
    production: str | None = Field(default=None, description="The production it is limited to.")
    approver: str = Field(description="Who approved it.")
    expires: dt.date = Field(description="Last day the waiver applies.")
    source: Location = Field(description="Where the waiver is written.")


class Finding(_Frozen):
    """The outcome of one rule for one item of a declaration."""

    rule_id: str = Field(description="The rule's id.")
    title: str = Field(description="The rule's title.")
    criterion: _Criterion = Field(description="The rule's criterion.")
    severity: _Severity = Field(description="The rule's effective severity under the policy.")
    status: Annotated[Status, STATUS_MEANINGS] = Field(description="The outcome.")
    message: str = Field(description="What is wrong (or right) with the item, in words.")
    subject: Subject = Field(description="The item the finding is about.")
    location: Location = Field(description="Where the item is written.")
    remediation: str = Field(description="What the production must do to pass.")
    references: list[Reference] = Field(
        default_factory=list, description="Where the obligation comes from."
    )
    tags: list[str] = Field(default_factory=list, description="The rule's tags.")
    waiver: AppliedWaiver | None = Field(default=None, description="The waiver that matched.")
    baselined: bool = Field(
        default=False,
        description="A known finding recorded in the --baseline file: it does not fail the run, "
        "but a production with a failing finding at or above the threshold is still not "
        "compliant.",
    )


class Problem(_Frozen):
    """An input that could not be evaluated (exit 2), with where and how to fix it."""

    kind: str = Field(description="load, validation, rule or usage: which stage refused it.")
    message: str = Field(description="What is wrong, in words.")
    hint: str = Field(default="", description="How to fix it.")
    location: Location = Field(description="Where the problem is.")


class ProductionSummary(_Frozen):
    """The production a declaration is about, as reports head it."""

    id: str = Field(description="The production's id.")
    title: str = Field(description="The production's title.")
    studio: str = Field(description="The company responsible.")
    type: str = Field(description="film, series, game or commercial.")
    territories: list[str] = Field(description="Where it is made or released.")
    agreements: list[str] = Field(description="The agreements in force.")
    release_date: dt.date | None = Field(default=None, description="First public release.")


class DeclarationResult(_Frozen):
    """Everything found in one declaration file."""

    file: str = Field(description="The declaration file.")
    sha256: str = Field(description="SHA-256 of the file as read.")
    production: ProductionSummary = Field(description="The production it is about.")
    findings: list[Finding] = Field(description="One per rule and item, sorted.")
    declaration: dict[str, Any] = Field(
        description="The validated declaration as evaluated (JSON-compatible)."
    )

    def __reduce_ex__(self, protocol: Any) -> Any:
        """Pickled packed (packing.py): how a worker sends a result to the parent."""
        packed = pack(self, (DeclarationResult, Finding, Subject))
        return super().__reduce_ex__(protocol) if packed is None else (unpack, packed)


class RuleInfo(_Frozen):
    """A rule of the policy, as evaluated."""

    id: str = Field(description="The rule's id.")
    title: str = Field(description="What must hold, in one line.")
    criterion: _Criterion = Field(description="The rule's criterion.")
    severity: _Severity = Field(description="Effective severity under the policy.")
    tags: list[str] = Field(description="The rule's tags.")
    description: str = Field(description="Why the rule exists.")
    remediation: str = Field(description="What the production must do to pass.")
    references: list[Reference] = Field(description="Where the obligation comes from.")
    mandatory: bool = Field(default=False, description="No waiver may waive it.")
    applicability: str | None = Field(default=None, description="When the rule applies.")

    def finding(self, status: Status, message: str, subject: Subject, where: Location) -> Finding:
        """A finding of this rule at its own severity: how the built-in rules report."""
        return rule_finding(self, self.severity, status, message, subject, where)


def rule_finding(
    rule: Rule | RuleInfo,
    severity: Severity,
    status: Status,
    message: str,
    subject: Subject,
    where: Location,
) -> Finding:
    """A finding of a rule (as written, or as a result lists it) at `severity`, with the rule's
    words beside it.

    Every value is already validated (the rule's words with the rule, the subject as a model)
    or checked here, so the finding is made as pydantic makes it without validating them again:
    a run makes one finding per failing item (110,000 on the benchmark slate), and made this
    way one costs 1.8 us, validated 4 us. Anything unexpected is validated, and refused, by
    the model itself.
    """
    values: dict[str, Any] = {  # in the model's own field order, which dumps follow
        "rule_id": rule.id,
        "title": rule.title,
        "criterion": rule.criterion,
        "severity": severity,
        "status": status,
        "message": message,
        "subject": subject,
        "location": where,
        "remediation": rule.remediation,
        "references": list(rule.references),
        "tags": list(rule.tags),
        "waiver": None,
        "baselined": False,
    }
    if not (
        type(message) is str
        and type(status) is str
        and status in _STATUSES
        and type(severity) is str
        and severity in _SEVERITIES
        and type(subject) is Subject
        and type(where) is Location
    ):
        finding = Finding.model_validate({name: values[name] for name in _FINDING_FIELDS})
        share_fields_set(finding)
        share_fields_set(finding.subject)
        return finding
    if subject.__pydantic_fields_set__ is not _SUBJECT_FIELDS:  # made elsewhere
        share_fields_set(subject)
    return made(Finding, values, _FINDING_FIELDS)


def subject(id_: str | None, pointer: str) -> Subject:
    """The subject of a finding, made without validating again where its values are plain."""
    if (id_ is None or type(id_) is str) and type(pointer) is str:
        return made(Subject, {"id": id_, "pointer": pointer}, _SUBJECT_FIELDS)
    made_here = Subject(id=id_, pointer=pointer)
    share_fields_set(made_here)
    return made_here


_STATUSES = frozenset(get_args(Status))
_SEVERITIES = frozenset(get_args(Severity))
#: The fields a finding made by rule_finding has set, as pydantic records them.
_FINDING_FIELDS = shared_fields_set(
    {"rule_id", "title", "criterion", "severity", "status", "message", "subject", "location"}
    | {"remediation", "references", "tags"}
)
_SUBJECT_FIELDS = shared_fields_set({"id", "pointer"})


class PolicyInfo(_Frozen):
    """The policy the run evaluated."""

    id: str = Field(description="The policy's id.")
    version: str = Field(description="The policy's version.")
    title: str = Field(description="The policy's name.")
    rules_digest: str = Field(description="SHA-256 over the resolved rule set.")
    fail_on: _Severity = Field(description="The policy's default threshold.")


class InputFile(_Frozen):
    """A file the run read, with its digest."""

    file: str = Field(description="The file.")
    sha256: str = Field(description="SHA-256 of the file as read.")


class BaselineNote(_Frozen):
    """Why a baseline, or one of its entries, suppresses less than it names."""

    message: str = Field(description="What the baseline leaves out, in words.")
    hint: str = Field(default="", description="How to fix it.")
    source: Location = Field(description="Where in the baseline file.")
    file: str | None = Field(default=None, description="The declaration file concerned.")
    rule_id: str | None = Field(default=None, description="The rule of the entry concerned.")
    subject: Subject | None = Field(default=None, description="The item of the entry concerned.")


def _digest_optional(schema: dict[str, Any]) -> None:
    """Every result written has findings_digest; one read back as a baseline may predate it."""
    schema["required"] = [name for name in schema["required"] if name != "findings_digest"]


class SkippedFile(_Frozen):
    """A file or folder a scan found but did not check: another ccai-policy format, excluded,
    hidden, a link back into the scan, or a second path to a file already checked."""

    file: str = Field(description="The file or folder skipped.")
    reason: str = Field(description="Why it was not checked, in words.")


class Result(_Frozen):
    """Everything one run evaluated and found; formats render it, nothing else."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_digest_optional)

    tool: str = Field(default="ccai-policy", description="The tool that made the result.")
    tool_version: str = Field(description="Its version.")
    as_of: dt.date = Field(description="The date rules treated as today.")
    policy: PolicyInfo = Field(description="The policy evaluated.")
    fail_on: _Severity = Field(description="The threshold: findings at or above it fail the run.")
    rules: list[RuleInfo] = Field(description="The rules evaluated.")
    inputs: list[InputFile] = Field(description="Every file read, with its digest.")
    declarations: list[DeclarationResult] = Field(description="One per declaration evaluated.")
    problems: list[Problem] = Field(description="Inputs that could not be evaluated (exit 2).")
    unused_waivers: list[UnusedWaiver] = Field(
        default_factory=list, description="Waivers that matched no failing finding."
    )
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
        "waiver matched, whether it only asked for information). --baseline refuses a "
        "baseline whose findings no longer match it, and reads one without it (from an "
        "earlier version) but suppresses nothing with it."
    )
    @property
    def findings_digest(self) -> str:
        return record_digest(
            self.fail_on, ((d.file, d.production.id, d.findings) for d in self.declarations)
        )
