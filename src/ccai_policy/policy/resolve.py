"""Resolve a policy's composition: the rules it and its ancestors select, set and mandate."""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.load.loader import Document
from ccai_policy.model.grading import SEVERITY_RANK, Severity
from ccai_policy.model.policy import Policy
from ccai_policy.policy.catalog import RuleSources, as_sources, load_catalog
from ccai_policy.policy.inheritance import Mandate, mandate_problems
from ccai_policy.policy.policyfiles import (
    PolicyTree,
    bundled_policies,
    find_policy,
    policy_rule_dirs,
)
from ccai_policy.policy.rulefiles import LoadedRule, rule_dump
from ccai_policy.spelling import did_you_mean


@dataclass(frozen=True)
class ResolvedPolicy:
    """A policy with `extends` resolved: the rules it selects and their effective settings."""

    policy: Policy
    document: Document
    rules: list[LoadedRule]
    severity: dict[str, Severity]
    params: dict[str, Any]
    mandatory: frozenset[str]
    fail_on: Severity
    chain: list[str] = field(default_factory=list)
    #: For each mandatory rule, the policy (this one or an ancestor) that first made it so.
    mandated_by: dict[str, str] = field(default_factory=dict)

    def mandatory_below(self, fail_on: Severity) -> list[str]:
        """Mandatory rules whose failures a run with this threshold would not fail on."""
        rank = SEVERITY_RANK[fail_on]
        return sorted(m for m in self.mandatory if SEVERITY_RANK[self.severity[m]] < rank)

    @property
    def digest(self) -> str:
        """SHA-256 over the resolved rules, effective severities and parameters."""
        payload = {
            "rules": [
                {**rule_dump(r.rule), "severity": self.severity[r.rule.id]} for r in self.rules
            ],
            "params": self.params,
            "mandatory": sorted(self.mandatory),
        }
        canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
        return hashlib.sha256(canonical.encode()).hexdigest()


def load_policy(ref: str, rules: RuleSources | Path | None = None) -> ResolvedPolicy:
    """Load a policy by bundled id or file path and resolve what it extends.

    The rules it selects from are the sources given plus the folders the policy (and every
    policy it extends) names in `rule_dirs`.
    """
    path = find_policy(ref)
    tree = PolicyTree(path)
    sources = as_sources(rules).adding(policy_rule_dirs(path, tree))
    by_id = {r.rule.id: r for r in load_catalog(sources)}
    return resolve_policy_file(path, by_id, tree)


def resolve_policy_file(
    path: Path, by_id: dict[str, LoadedRule], tree: PolicyTree | None = None
) -> ResolvedPolicy:
    """Resolve one policy file against a set of rules by id; each policy it extends, directly or
    through others, is read and resolved once."""
    return _resolve(path, by_id, [], tree or PolicyTree(path), {})


def _same_file(bundled: Path, path: Path) -> bool:
    """The bundled policy itself, or a byte-identical copy of it."""
    try:
        return bundled.samefile(path) or bundled.read_bytes() == path.read_bytes()
    except OSError:
        return False


def _resolve(
    path: Path,
    by_id: dict[str, LoadedRule],
    stack: list[str],
    tree: PolicyTree,
    done: dict[str, ResolvedPolicy],
) -> ResolvedPolicy:
    real = os.path.realpath(path)
    if real in done:
        return dataclasses.replace(done[real], chain=[*stack, done[real].policy.id])
    policy, document = tree.load(path)
    bundled = bundled_policies().get(policy.id)
    if bundled is not None and not _same_file(bundled, path):
        raise RuleError(
            f"policy id {policy.id!r} is a bundled policy's, but this file is not that policy: "
            "results and reports would name it as the bundled one",
            document.locate("/id"),
            f"give this policy its own id; to build on the bundled one, write extends: "
            f"[{policy.id}]",
        )
    if policy.id in stack:
        raise RuleError(
            f"policy {policy.id!r} extends itself: {' -> '.join([*stack, policy.id])}",
            document.locate("/extends"),
            "remove the cycle",
        )
    parents = [
        _resolve(parent, by_id, [*stack, policy.id], tree, done)
        for parent in tree.parents(path, stack)
    ]
    selected: set[str] = set()
    severity: dict[str, Severity] = {}
    params: dict[str, Any] = {}
    mandatory: set[str] = set()
    fail_on: Severity | None = None
    inherited: dict[str, Mandate] = {}
    for parent in parents:
        selected.update(r.rule.id for r in parent.rules)
        severity.update(parent.severity)
        params.update(parent.params)
        mandatory.update(parent.mandatory)
        fail_on = parent.fail_on
        for rule_id in parent.mandatory:
            mandate = Mandate(
                parent.mandated_by.get(rule_id, parent.policy.id),
                parent.severity[rule_id],
                parent.params,
            )
            known = inherited.get(rule_id)
            if known is None or SEVERITY_RANK[mandate.severity] > SEVERITY_RANK[known.severity]:
                inherited[rule_id] = mandate
    # A second parent must not lower or retune what the first one mandates.
    for rule_id, mandate in inherited.items():
        if SEVERITY_RANK[severity[rule_id]] < SEVERITY_RANK[mandate.severity]:
            severity[rule_id] = mandate.severity
        for name in by_id[rule_id].rule.params:
            if name in mandate.params:
                params[name] = mandate.params[name]
    include_given = "include" in policy.rules.model_fields_set or not parents
    problems: list[CcaiError] = []
    for index, pattern in enumerate(policy.rules.include if include_given else []):
        matched = fnmatch.filter(by_id, pattern)
        if not matched:
            problems.append(
                RuleError(
                    f"include pattern {pattern!r} matches no rule",
                    document.locate(f"/rules/include/{index}"),
                    "check the rule id",
                )
            )
        selected.update(matched)
    for pattern in policy.rules.exclude:
        selected.difference_update(fnmatch.filter(selected, pattern))
    for key, where in (("severity", policy.severity), ("mandatory", policy.mandatory)):
        for rule_id in where:
            if rule_id not in by_id:
                problems.append(
                    RuleError(
                        f"{key} names unknown rule {rule_id!r}",
                        document.locate(f"/{key}"),
                        did_you_mean(rule_id, by_id) or "check the rule id",
                    )
                )
    if problems:
        raise ValidationErrors(problems)
    rules = [by_id[rule_id] for rule_id in sorted(selected)]
    for loaded in rules:
        severity.setdefault(loaded.rule.id, loaded.rule.severity)
    severity.update(policy.severity)
    for loaded in rules:
        for name, default in loaded.rule.params.items():
            params.setdefault(name, default)
    params.update(policy.params)
    mandatory.update(policy.mandatory)
    resolved_fail_on: Severity = policy.fail_on or fail_on or "high"
    problems.extend(
        mandate_problems(
            policy,
            document,
            inherited,
            {rule_id: loaded.rule.params for rule_id, loaded in by_id.items()},
            selected,
            severity,
            resolved_fail_on,
        )
    )
    if problems:
        raise ValidationErrors(problems)
    mandated_by = {rule_id: m.policy for rule_id, m in inherited.items()}
    for rule_id in policy.mandatory:
        mandated_by.setdefault(rule_id, policy.id)
    resolved = ResolvedPolicy(
        policy=policy,
        document=document,
        rules=rules,
        severity={r.rule.id: severity[r.rule.id] for r in rules},
        params=params,
        mandatory=frozenset(m for m in mandatory if m in selected),
        fail_on=resolved_fail_on,
        chain=[*stack, policy.id],
        mandated_by={m: p for m, p in mandated_by.items() if m in selected},
    )
    done[real] = resolved
    return resolved
