"""Baselines: adopt the checker where findings exist already; fail only on new ones.

A baseline is the JSON result of an earlier run (`check -o json:FILE`). It suppresses a
failing finding only when the same production's same file recorded the same rule failing on the
same subject, at the same or a higher severity, with no waiver in force then, and the rule is
not mandatory. Every entry it cannot use is reported, with where it is in the baseline file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ccai_policy.errors import LoadError, Location
from ccai_policy.load.jsoninput import nearest, positions, read_json_text
from ccai_policy.model.digest import RECORDED_STATUSES, asks, record_digest
from ccai_policy.model.grading import SEVERITY_RANK, Severity
from ccai_policy.model.identity import FindingId, file_key, identities, subject_key
from ccai_policy.model.result import (
    BaselineNote,
    DeclarationResult,
    Finding,
    Result,
    Status,
    Subject,
)
from ccai_policy.model.verdict import breaches

RECORD_HINT = "record it again: ccai-policy check PATHS -o json:FILE"
WRITE_HINT = "write it with 'ccai-policy check ... -o json:FILE'"
#: Above this size, messages about a baseline name the file without a line.
_MAX_LOCATED_BYTES = 20 * 1024 * 1024


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _RecordedWaiver(_Lenient):
    expires: dt.date


class _RecordedFinding(_Lenient):
    rule_id: str
    subject: Subject
    status: Status
    severity: Severity
    message: str = ""
    waiver: _RecordedWaiver | None = None


class _RecordedProduction(_Lenient):
    id: str


class _RecordedDeclaration(_Lenient):
    file: str
    production: _RecordedProduction
    findings: list[_RecordedFinding]


class _RecordedResult(_Lenient):
    """What a baseline is read for, out of a JSON result the schema has already checked."""

    fail_on: Severity
    findings_digest: str | None = None
    declarations: list[_RecordedDeclaration]


@dataclass(frozen=True)
class Entry:
    """One recorded finding, and where it is in the baseline file."""

    status: Status
    severity: Severity
    pointer: str
    #: The expiry of the waiver that matched it then, in force or not.
    waiver_expires: dt.date | None = None
    #: Whether it failed then because a fact was unknown ("needs information").
    asked: bool = False


@dataclass(frozen=True)
class Recorded:
    """What the baseline holds for one declaration file of one production."""

    production: str
    pointer: str
    entries: dict[FindingId, Entry]


@dataclass
class Baseline:
    """A loaded baseline: its entries by declaration file, and how to locate them."""

    path: str
    text: str
    fail_on: Severity
    by_file: dict[str, list[Recorded]]
    #: Why nothing in it may be used (an old format), or "" when it is usable.
    unusable: str = ""

    @cached_property
    def _positions(self) -> dict[str, tuple[int, int]]:
        return positions(self.text) if len(self.text) <= _MAX_LOCATED_BYTES else {}

    def locate(self, pointer: str) -> Location:
        if not self._positions:
            return Location(file=self.path)
        line, column = nearest(self._positions, pointer)
        return Location(file=self.path, line=line, column=column)


def load_baseline(path: Path, shown: str) -> Baseline:
    """Read a JSON result written by `check -o json:FILE`; a changed one is refused."""
    data, text = read_json_text(path, "result", "baseline", WRITE_HINT, shown)
    recorded = _RecordedResult.model_validate(data)  # a subset of what the schema checked
    baseline = Baseline(shown, text, recorded.fail_on, _entries(recorded))
    if recorded.findings_digest is None:
        baseline.unusable = (
            "this baseline has no `findings_digest` (an earlier ccai-policy wrote it, or the "
            "digest was removed), so an edit to it cannot be detected: it suppresses nothing"
        )
    elif recorded.findings_digest != record_digest(recorded.fail_on, _recorded(recorded)):
        if recorded.findings_digest == record_digest(
            recorded.fail_on, _recorded(recorded), marks_asks=False
        ):
            baseline.unusable = (
                "an earlier ccai-policy recorded this baseline, and its `findings_digest` does "
                "not cover which findings only asked for information, so an edit that turns one "
                "into a failure on the facts cannot be detected: it suppresses nothing"
            )
            return baseline
        loc = baseline.locate("/findings_digest")
        raise LoadError(
            "baseline was changed after it was recorded: its findings do not match its "
            "`findings_digest`",
            loc,
            f"{RECORD_HINT}; never edit a baseline by hand: to accept a finding, give it a "
            "waiver, which names an approver and an expiry",
        )
    return baseline


def _recorded(recorded: _RecordedResult) -> Iterable[tuple[str, str, list[_RecordedFinding]]]:
    return ((d.file, d.production.id, d.findings) for d in recorded.declarations)


def _entries(recorded: _RecordedResult) -> dict[str, list[Recorded]]:
    by_file: dict[str, list[Recorded]] = {}
    for i, declaration in enumerate(recorded.declarations):
        entries: dict[FindingId, Entry] = {}
        keys = identities(declaration.findings)
        for j, (key, finding) in enumerate(zip(keys, declaration.findings, strict=True)):
            if finding.status in RECORDED_STATUSES:
                entries[key] = Entry(
                    finding.status,
                    finding.severity,
                    f"/declarations/{i}/findings/{j}",
                    finding.waiver.expires if finding.waiver else None,
                    asks(finding),
                )
        by_file.setdefault(file_key(declaration.file), []).append(
            Recorded(declaration.production.id, f"/declarations/{i}", entries)
        )
    return by_file


def _refusal(
    finding: Finding, entry: Entry, baseline: Baseline, result: Result, mandatory: dict[str, str]
) -> tuple[str, str] | None:
    """Why a recorded entry does not suppress the finding it names, or None when it does."""
    if entry.status == "waived":
        return (
            f"was waived (until {entry.waiver_expires}) when the baseline was recorded: a "
            "baseline never stands in for a waiver that has expired or gone",
            "renew the waiver with its approver, or fix the finding",
        )
    if entry.waiver_expires is not None:
        return (
            f"its waiver had expired (on {entry.waiver_expires}) when the baseline was "
            "recorded: a baseline never extends a waiver",
            "renew the waiver with its approver, or fix the finding",
        )
    if finding.rule_id in mandatory:
        return (
            f"the rule is mandatory in policy {mandatory[finding.rule_id]}: no baseline "
            "suppresses it",
            "fix the finding; a mandatory rule can be neither waived nor baselined",
        )
    if SEVERITY_RANK[finding.severity] > SEVERITY_RANK[entry.severity]:
        return (
            f"its severity rose from {entry.severity} to {finding.severity} since the baseline "
            "was recorded",
            f"fix it, or {RECORD_HINT} if the higher severity is accepted",
        )
    if finding.status != entry.status:
        return (
            f"it was recorded as {entry.status}, and is {finding.status} now",
            f"fix it, or {RECORD_HINT} if this is accepted",
        )
    if entry.asked and not asks(finding):
        return (
            "it was recorded as needing information, and now fails on the facts given: a "
            "baseline accepts only the failure it recorded",
            f"fix it, or {RECORD_HINT} if this failure is accepted",
        )
    if asks(finding) and not entry.asked:
        return (
            "it was recorded as failing on the facts given, and now needs information: the "
            "fact it turns on is no longer given",
            f"give the fact it asks for, or {RECORD_HINT} if this is accepted",
        )
    recorded_breach = SEVERITY_RANK[entry.severity] >= SEVERITY_RANK[baseline.fail_on]
    if not recorded_breach and breaches(finding, result.fail_on):
        return (
            f"it was below the threshold when recorded ({entry.severity}, fail on "
            f"{baseline.fail_on}) and fails the run now (fail on {result.fail_on})",
            f"fix it, or {RECORD_HINT} if it is accepted under the new threshold",
        )
    return None


def _apply(
    declaration: DeclarationResult,
    baseline: Baseline,
    result: Result,
    mandatory: dict[str, str],
    notes: list[BaselineNote],
) -> DeclarationResult:
    records = baseline.by_file.get(file_key(declaration.file), [])
    own = [r for r in records if r.production == declaration.production.id]
    if records and not own:
        other = records[0]
        notes.append(
            BaselineNote(
                message=f"the baseline's entries for {declaration.file} were recorded for "
                f"production {other.production!r}, but the file now declares production "
                f"{declaration.production.id!r}: they suppress nothing",
                hint=f"a baseline belongs to one production; {RECORD_HINT}",
                source=baseline.locate(f"{other.pointer}/production/id"),
                file=declaration.file,
            )
        )
    if not own or baseline.unusable:
        return declaration
    entries = own[0].entries
    findings = []
    for key, finding in zip(identities(declaration.findings), declaration.findings, strict=True):
        entry = entries.get(key)
        if finding.status not in ("fail", "error") or entry is None:
            findings.append(finding)
            continue
        refusal = _refusal(finding, entry, baseline, result, mandatory)
        if refusal is None:
            findings.append(finding.model_copy(update={"baselined": True}))
            continue
        loc = finding.location
        notes.append(
            BaselineNote(
                message=f"{finding.rule_id} on {subject_key(finding.subject)} "
                f"({loc}) is in the baseline but not suppressed: "
                f"{refusal[0]}",
                hint=refusal[1],
                source=baseline.locate(entry.pointer),
                file=declaration.file,
                rule_id=finding.rule_id,
                subject=finding.subject,
            )
        )
        findings.append(finding)
    return declaration.model_copy(update={"findings": findings})


def apply_baseline(result: Result, baseline: Baseline, mandated_by: dict[str, str]) -> Result:
    """Mark the known failing findings; they are shown, do not fail the run, and stay breaches.

    `mandated_by` names, for each mandatory rule of the policy, the policy that made it so.
    """
    notes: list[BaselineNote] = []
    if baseline.unusable:
        notes.append(
            BaselineNote(
                message=baseline.unusable,
                hint=RECORD_HINT,
                source=Location(file=baseline.path, line=1, column=1),
            )
        )
    declarations = [_apply(d, baseline, result, mandated_by, notes) for d in result.declarations]
    return result.model_copy(
        update={"declarations": declarations, "baseline": baseline.path, "baseline_notes": notes}
    )
