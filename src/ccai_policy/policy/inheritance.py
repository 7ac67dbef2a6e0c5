"""What a policy may not do to mandatory rules: its own, or those of the policies it extends."""

from __future__ import annotations

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ccai_policy.errors import CcaiError, RuleError
from ccai_policy.load.loader import Document
from ccai_policy.model.grading import SEVERITY_RANK, Severity
from ccai_policy.model.policy import Policy


@dataclass(frozen=True)
class Mandate:
    """A rule an ancestor policy makes mandatory, and what the child must keep of it."""

    policy: str
    severity: Severity
    params: Mapping[str, Any]


def below_threshold(severity: Severity, fail_on: Severity) -> bool:
    return SEVERITY_RANK[severity] < SEVERITY_RANK[fail_on]


def mandate_problems(
    policy: Policy,
    document: Document,
    inherited: Mapping[str, Mandate],
    rule_params: Mapping[str, Mapping[str, Any]],
    selected: set[str],
    severity: Mapping[str, Severity],
    fail_on: Severity,
) -> list[CcaiError]:
    """Every way the policy drops, waters down or unblocks a mandatory rule, each located.

    `inherited` holds the ancestors' mandatory rules; `rule_params` the parameters each rule
    reads; `selected`, `severity` and `fail_on` the policy's resolved selection and settings.
    """
    problems: list[CcaiError] = []
    for index, pattern in enumerate(policy.rules.exclude):
        for rule_id in sorted(fnmatch.filter(inherited, pattern)):
            parent = inherited[rule_id].policy
            problems.append(
                RuleError(
                    f"exclude pattern {pattern!r} removes {rule_id}, which policy {parent!r} "
                    "makes mandatory",
                    document.locate(f"/rules/exclude/{index}"),
                    f"take it out of exclude: a policy that extends {parent!r} keeps its "
                    "mandatory rules",
                )
            )
    for index, rule_id in enumerate(policy.mandatory):
        if rule_id not in selected and rule_id not in inherited:
            problems.append(
                RuleError(
                    f"mandatory rule {rule_id} is not among the rules this policy selects",
                    document.locate(f"/mandatory/{index}"),
                    "select it in rules.include (and keep it out of rules.exclude), "
                    "or take it out of mandatory",
                )
            )
    lowered: set[str] = set()
    for rule_id, given in policy.severity.items():
        mandate = inherited.get(rule_id)
        if mandate is not None and SEVERITY_RANK[given] < SEVERITY_RANK[mandate.severity]:
            lowered.add(rule_id)
            problems.append(
                RuleError(
                    f"severity {given} for {rule_id} is lower than {mandate.severity}, its "
                    f"severity in policy {mandate.policy!r}, which makes it mandatory",
                    document.locate(f"/severity/{rule_id}"),
                    f"a policy that extends {mandate.policy!r} may raise the severity of its "
                    "mandatory rules, never lower it; remove this override",
                )
            )
    for name, value in policy.params.items():
        for rule_id, mandate in sorted(inherited.items()):
            if name in rule_params.get(rule_id, {}) and mandate.params.get(name) != value:
                problems.append(
                    RuleError(
                        f"params.{name} changes what {rule_id} checks, which policy "
                        f"{mandate.policy!r} makes mandatory",
                        document.locate(f"/params/{name}"),
                        f"a policy that extends {mandate.policy!r} cannot change the "
                        "parameters of its mandatory rules; remove this override",
                    )
                )
    own = {rule_id: index for index, rule_id in enumerate(policy.mandatory)}
    for rule_id in sorted((set(own) & selected) | set(inherited)):
        if rule_id in lowered or not below_threshold(severity[rule_id], fail_on):
            continue
        message = (
            f"mandatory rule {rule_id} has severity {severity[rule_id]}, below this policy's "
            f"fail_on {fail_on}: its failures would never fail a check"
        )
        if "fail_on" in policy.model_fields_set:
            where, hint = "/fail_on", f"set fail_on: {severity[rule_id]} or lower"
        elif rule_id in policy.severity:
            where, hint = f"/severity/{rule_id}", f"give it severity {fail_on} or higher"
        elif rule_id in own:
            where = f"/mandatory/{own[rule_id]}"
            hint = f"raise its severity to {fail_on} or higher in `severity`, or lower fail_on"
        else:
            where = "/extends"
            hint = f"set fail_on: {severity[rule_id]} or lower in this policy"
        problems.append(RuleError(message, document.locate(where), hint))
    return problems
