"""Run each rule's test cases (and, on request, its mutants) under the limits `check` uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ccai_policy.authoring.mutation import MutantResult, mutate_rule
from ccai_policy.authoring.ruletests import CaseResult, run_case
from ccai_policy.policy.rulefiles import LoadedRule
from ccai_policy.run.pipeline import Execution
from ccai_policy.run.workers import Killed

#: What to do about a rule whose cases the worker limits stopped (`rules test`, `rules lint`).
STOPPED_HINT = (
    "make its expressions cheaper (fewer nested comprehensions, no growing strings or "
    "lists), or give --timeout and --memory-limit more"
)


@dataclass(frozen=True)
class RuleRun:
    """What one rule's cases gave, its mutants' outcomes, or why its run was stopped."""

    loaded: LoadedRule
    cases: list[CaseResult] = field(default_factory=list)
    mutants: list[MutantResult] = field(default_factory=list)
    stopped: str = ""


@dataclass(frozen=True)
class _Job:
    loaded: LoadedRule
    root: Path
    mutate: bool
    equivalents: dict[str, str]


def _run(job: _Job) -> RuleRun:
    cases = [run_case(job.loaded, case, job.root) for case in job.loaded.rule.tests]
    if not job.mutate or not cases or not all(c.passed for c in cases):
        return RuleRun(job.loaded, cases)  # mutants mean nothing while a case fails
    return RuleRun(job.loaded, cases, mutate_rule(job.loaded, job.root, job.equivalents))


def run_rules(
    rules: list[tuple[LoadedRule, Path]],
    *,
    mutate: bool = False,
    equivalents: dict[str, dict[str, str]] | None = None,
    execution: Execution | None = None,
) -> list[RuleRun]:
    """Each rule (with the folder its test bases are relative to) as one job.

    Each job runs in a worker under the time and memory limits (as `check` evaluates), so that
    a rule whose cases or mutants run away is stopped and reported, and the others go on;
    only `jobs=0` runs them in this process, without limits.
    """
    documented = equivalents or {}
    work = [
        _Job(loaded, root, mutate, documented.get(loaded.rule.id, {})) for loaded, root in rules
    ]
    outcomes = (execution or Execution()).run(_run, work)
    return [
        RuleRun(job.loaded, stopped=outcome.reason) if isinstance(outcome, Killed) else outcome
        for job, outcome in zip(work, outcomes, strict=True)
    ]
