"""Load waiver files and apply them to a Result: matching, unexpired waivers waive failures."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ccai_policy.errors import CcaiError, Location, ValidationErrors, ValidationProblem
from ccai_policy.load.loader import load_file
from ccai_policy.load.validation import validate_model
from ccai_policy.model.result import AppliedWaiver, DeclarationResult, Finding, Result, UnusedWaiver
from ccai_policy.model.waiver import Waiver, WaiverFile
from ccai_policy.policy.builtin_rules import BUILT_IN_IDS
from ccai_policy.policy.catalog import ResolvedPolicy, display_path
from ccai_policy.spelling import did_you_mean

#: What a waiver file over the loader's size limit (10 MB) is told; nesting is limited as in
#: declarations (64 levels), and so are aliases.
LIMIT_HINT = "a waiver file may be at most 10 MB: split it into several --waivers files"


@dataclass(frozen=True)
class LoadedWaiver:
    waiver: Waiver
    location: Location

    def matches(self, finding: Finding, production_id: str) -> bool:
        w = self.waiver
        return (
            w.rule == finding.rule_id
            and (w.subject == "*" or w.subject == finding.subject.id)
            and (w.production is None or w.production == production_id)
        )

    def applied(self, as_of: dt.date) -> AppliedWaiver:
        loc = self.location
        return AppliedWaiver(
            justification=self.waiver.justification,
            approver=self.waiver.approver,
            expires=self.waiver.expires,
            expired=self.waiver.expires < as_of,
            source=loc,
        )


def _origin(policy: ResolvedPolicy, rule_id: str) -> str:
    origin = policy.mandated_by.get(rule_id, policy.policy.id)
    return "" if origin == policy.policy.id else f" (made mandatory by {origin}, which it extends)"


def load_waivers(paths: Iterable[Path], policy: ResolvedPolicy) -> list[LoadedWaiver]:
    """Every waiver of every file; malformed files and waivers of mandatory rules are errors."""
    loaded: list[LoadedWaiver] = []
    problems: list[CcaiError] = []
    rule_ids = sorted({*(r.rule.id for r in policy.rules), *BUILT_IN_IDS})
    for path in paths:
        try:
            document = load_file(path, display=display_path(path), limit_hint=LIMIT_HINT)
            parsed = validate_model(WaiverFile, document, what="waiver file")
        except ValidationErrors as exc:
            problems.extend(exc.problems)
            continue
        except CcaiError as exc:
            problems.append(exc)
            continue
        for index, waiver in enumerate(parsed.waivers):
            location = document.locate(f"/waivers/{index}")
            if waiver.rule in policy.mandatory:
                problems.append(
                    ValidationProblem(
                        f"`waivers[{index}]`: rule {waiver.rule} is mandatory in policy "
                        f"{policy.policy.id}{_origin(policy, waiver.rule)} and cannot be waived",
                        document.locate(f"/waivers/{index}/rule"),
                        "fix the finding instead of waiving it",
                    )
                )
                continue
            if waiver.rule not in rule_ids:
                problems.append(
                    ValidationProblem(
                        f"`waivers[{index}].rule`: no rule {waiver.rule!r} in policy "
                        f"{policy.policy.id}",
                        document.locate(f"/waivers/{index}/rule"),
                        did_you_mean(waiver.rule, rule_ids) or "see 'ccai-policy rules list'",
                    )
                )
                continue
            loaded.append(LoadedWaiver(waiver, location))
    if problems:
        raise ValidationErrors(problems)
    return loaded


def _waive(
    declaration: DeclarationResult, waivers: list[LoadedWaiver], as_of: dt.date, used: set[int]
) -> DeclarationResult:
    findings = []
    for finding in declaration.findings:
        if finding.status != "fail":
            findings.append(finding)
            continue
        matching = [
            (i, w) for i, w in enumerate(waivers) if w.matches(finding, declaration.production.id)
        ]
        if not matching:
            findings.append(finding)
            continue
        # An unexpired waiver wins; otherwise show the one that expired last.
        matching.sort(key=lambda pair: (pair[1].waiver.expires >= as_of, pair[1].waiver.expires))
        waiver = matching[-1][1]
        used.update(i for i, _ in matching)
        applied = waiver.applied(as_of)
        status = "fail" if applied.expired else "waived"
        findings.append(finding.model_copy(update={"status": status, "waiver": applied}))
    return declaration.model_copy(update={"findings": findings})


def apply_waivers(result: Result, waivers: list[LoadedWaiver]) -> Result:
    """Waive the failing findings that unexpired waivers match; list the waivers never used."""
    used: set[int] = set()
    declarations = [_waive(d, waivers, result.as_of, used) for d in result.declarations]
    unused = [
        UnusedWaiver(
            rule=w.waiver.rule,
            subject=w.waiver.subject,
            production=w.waiver.production,
            approver=w.waiver.approver,
            expires=w.waiver.expires,
            source=w.location,
        )
        for i, w in enumerate(waivers)
        if i not in used
    ]
    return result.model_copy(update={"declarations": declarations, "unused_waivers": unused})
