"""Compare two versions of a declaration: what changed in AI use, and which findings changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ccai_policy.errors import CcaiError, Location, UsageProblem, ValidationErrors
from ccai_policy.model.declaration import LIST_SECTIONS
from ccai_policy.model.grading import CRITERIA, SEVERITY_RANK, Severity
from ccai_policy.model.identity import FindingId, identities, same_rule_and_subject, subject_key
from ccai_policy.model.result import DeclarationResult, Finding, PolicyInfo, Problem, Result
from ccai_policy.model.verdict import counts_toward_exit, is_compliant, rule_outcomes
from ccai_policy.policy.catalog import display_path
from ccai_policy.run.pipeline import Checks, Execution, run_pipeline

#: Sections in the order a reader cares about them; production and workforce are one object each.
SECTIONS = (
    "production",
    "people",
    "uses",
    "consents",
    "compensation",
    "notices",
    "assets",
    "tools",
    "workforce",
)
#: The field that names an item of a section next to its id.
LABELS = {
    "people": "name",
    "tools": "name",
    "uses": "category",
    "consents": "person",
    "compensation": "basis",
    "notices": "kind",
    "assets": "title",
    "production": "title",
}
_FAILING = ("fail", "error")

ChangeKind = Literal["added", "removed", "changed"]
FindingKind = Literal["new", "resolved", "unchanged"]
FINDING_KINDS: tuple[FindingKind, ...] = ("new", "resolved", "unchanged")


@dataclass(frozen=True)
class FieldChange:
    """One field of an item, by dotted path, with its old and new JSON values."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ItemChange:
    """An item of a section that was added, removed or changed between the two versions."""

    section: str
    id: str
    kind: ChangeKind
    label: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class FindingChange:
    """A failing finding that is new, resolved or unchanged; `now` says how a resolved one ended."""

    kind: FindingKind
    finding: Finding
    previous: Finding | None = None
    now: str = ""


@dataclass(frozen=True)
class DeclarationDiff:
    """Everything `diff` reports about two versions of one declaration."""

    old: DeclarationResult
    new: DeclarationResult
    policy: PolicyInfo
    as_of: dt.date
    fail_on: Severity
    tool_version: str
    items: tuple[ItemChange, ...]
    findings: tuple[FindingChange, ...]

    def of_kind(self, kind: FindingKind) -> list[FindingChange]:
        return [c for c in self.findings if c.kind == kind]

    def items_of(self, kind: ChangeKind) -> list[ItemChange]:
        return [c for c in self.items if c.kind == kind]

    @property
    def blocking(self) -> list[FindingChange]:
        """New failing findings at or above the threshold: what makes `diff` exit 1."""
        return [c for c in self.of_kind("new") if counts_toward_exit(c.finding, self.fail_on)]

    def compliant(self, which: Literal["old", "new"]) -> bool:
        """No breach at or above the threshold: a known finding is never compliant."""
        return is_compliant(self.old if which == "old" else self.new, self.fail_on)


def flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    """Nested mappings as dotted paths to their leaves; lists and scalars are leaves."""
    if not isinstance(value, dict) or (prefix and not value):
        return {prefix: value}
    out: dict[str, Any] = {}
    for key, item in value.items():
        out.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    return out


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    """Fields whose values differ, in the new item's order, then fields only the old one had."""
    before, after = flatten(old), flatten(new)
    names = [*after, *(name for name in before if name not in after)]
    return tuple(
        FieldChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )


def _label(section: str, item: dict[str, Any]) -> str:
    value = item.get(LABELS.get(section, ""), "")
    return str(value) if value is not None else ""


def _items(declaration: dict[str, Any], section: str) -> dict[str, dict[str, Any]]:
    value = declaration.get(section)
    if section in LIST_SECTIONS:
        return {str(item["id"]): item for item in value or []}
    item = value or {}
    return {str(item.get("id", section)): item}


def item_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[ItemChange, ...]:
    """Items added, removed or changed, section by section, matched by id."""
    changes: list[ItemChange] = []
    for section in SECTIONS:
        before, after = _items(old, section), _items(new, section)
        if section not in LIST_SECTIONS:
            # One object per declaration: compare it even when its id changed.
            new_id = next(iter(after))
            before = {new_id: next(iter(before.values()))}
        for item_id, item in after.items():
            if item_id not in before:
                changes.append(ItemChange(section, item_id, "added", _label(section, item)))
        for item_id, item in before.items():
            if item_id not in after:
                changes.append(ItemChange(section, item_id, "removed", _label(section, item)))
        for item_id, item in after.items():
            if item_id in before:
                fields = field_changes(before[item_id], item)
                if fields:
                    changes.append(
                        ItemChange(section, item_id, "changed", _label(section, item), fields)
                    )
    return tuple(changes)


def _failing(findings: Sequence[Finding]) -> dict[FindingId, Finding]:
    """The failing findings by identity: they match across versions by rule and subject."""
    return {
        key: finding
        for key, finding in zip(identities(findings), findings, strict=True)
        if finding.status in _FAILING
    }


def _ids(declaration: dict[str, Any]) -> set[str]:
    ids = {str(declaration.get("production", {}).get("id"))}
    for section in LIST_SECTIONS:
        ids.update(str(item["id"]) for item in declaration.get(section) or [])
    return ids


def _now(finding: Finding, new: DeclarationResult) -> str:
    """How a resolved finding ended: waived, subject gone, rule passing or no longer applying."""
    for other in new.findings:
        if other.status == "waived" and same_rule_and_subject(other, finding):
            assert other.waiver is not None
            return f"waived by {other.waiver.approver} until {other.waiver.expires}"
    if finding.subject.id is not None and finding.subject.id not in _ids(new.declaration):
        return f"{finding.subject.id} is no longer declared"
    outcome = rule_outcomes(new).get(finding.rule_id)
    if outcome is None:
        return "the rule is not in the policy any more"
    if outcome == "not_applicable":
        return "the rule no longer applies"
    return "passes now"


def _order(change: FindingChange) -> tuple[int, int, str, str]:
    f = change.finding
    rank = -SEVERITY_RANK[f.severity]
    return (CRITERIA.index(f.criterion), rank, f.rule_id, subject_key(f.subject))


def finding_changes(old: DeclarationResult, new: DeclarationResult) -> tuple[FindingChange, ...]:
    """Failing findings of the new version that are new or unchanged, and old ones resolved."""
    before, after = _failing(old.findings), _failing(new.findings)
    changes = [
        FindingChange("unchanged" if key in before else "new", finding, before.get(key))
        for key, finding in after.items()
    ]
    changes += [
        FindingChange("resolved", finding, finding, _now(finding, new))
        for key, finding in before.items()
        if key not in after
    ]
    return tuple(sorted(changes, key=_order))


def _evaluate(path: Path, checks: Checks, execution: Execution) -> Result:
    """One version through the pipeline, under the same limits as `check`."""
    if path.is_dir():
        raise UsageProblem(
            "is a directory; diff compares two declaration files",
            Location(display_path(path)),
            "give the old and the new version of one declaration",
        )
    return run_pipeline([path], checks, execution)


class NotEvaluated(ValidationErrors):
    """A version could not be evaluated (unreadable, invalid, stopped by the limits): each
    problem is the user's to fix, and is reported as `check` reports it, even with --debug."""


def _as_errors(problems: Sequence[Problem]) -> NotEvaluated:
    return NotEvaluated(
        [
            CcaiError(
                p.message, Location(p.location.file, p.location.line, p.location.column), p.hint
            )
            for p in problems
        ]
    )


def diff_files(
    old: Path, new: Path, checks: Checks, execution: Execution | None = None
) -> DeclarationDiff:
    """Evaluate both versions with the same policy, date and waivers, and compare them.

    Either version that cannot be evaluated (unreadable, invalid, stopped by the limits) is an
    error; the problems of both are raised together."""
    execution = execution or Execution()
    before = _evaluate(old, checks, execution)
    after = _evaluate(new, checks, execution)
    if before.problems or after.problems:
        raise _as_errors([*before.problems, *after.problems])
    old_result, new_result = before.declarations[0], after.declarations[0]
    return DeclarationDiff(
        old=old_result,
        new=new_result,
        policy=after.policy,
        as_of=checks.as_of,
        fail_on=after.fail_on,
        tool_version=after.tool_version,
        items=item_changes(old_result.declaration, new_result.declaration),
        findings=finding_changes(old_result, new_result),
    )


def exit_code(diff: DeclarationDiff) -> int:
    """1 when the new version brings a failing finding at or above the threshold, else 0."""
    return 1 if diff.blocking else 0
