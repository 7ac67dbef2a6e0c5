"""Lint rule and policy files: every problem of every file at once, never a silent skip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ccai_policy.authoring.ruleruns import STOPPED_HINT
from ccai_policy.authoring.ruletests import base_path
from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.evaluate import typecheck
from ccai_policy.evaluate.compiler import compile_rule
from ccai_policy.load.folderwalk import has_yaml_suffix
from ccai_policy.policy.catalog import RuleSources, load_catalog, merge_rules
from ccai_policy.policy.policyfiles import policy_rule_dirs
from ccai_policy.policy.resolve import resolve_policy_file
from ccai_policy.policy.rulefiles import LoadedRule, load_rule_folder
from ccai_policy.run.pipeline import Execution
from ccai_policy.run.workers import Killed


@dataclass(frozen=True)
class LintReport:
    rules: int
    policies: int
    problems: list[CcaiError]
    #: Why expressions were not checked against the declaration model, or '' when they were.
    unchecked: str = ""


def _collect(exc: CcaiError) -> list[CcaiError]:
    return list(exc.problems) if isinstance(exc, ValidationErrors) else [exc]


def _unwritable_message(job: tuple[LoadedRule, Path]) -> tuple[str, str]:
    """(case name, what went wrong) for the first failing test case whose message cannot be
    written, or ('', '') when every one can; run in a worker, under the limits."""
    from ccai_policy.authoring.ruletests import run_case
    from ccai_policy.evaluate.messages import MESSAGE_ERROR

    loaded, root = job
    for case in loaded.rule.tests:
        if case.expect != "fail" or not (root / case.base).is_file():
            continue
        outcome = run_case(loaded, case, root)
        if MESSAGE_ERROR in outcome.detail:
            return case.name, outcome.detail.split("”: ", 1)[-1].split("\n", 1)[0]
    return "", ""


def _message_problems(
    rules: list[LoadedRule], root: Path, execution: Execution
) -> dict[str, list[CcaiError]]:
    """Per rule, a message template that cannot be written for its own failing test cases,
    or its cases stopped by the limits (a rule's cases run as `rules test` runs them)."""
    found: dict[str, list[CcaiError]] = {}
    outcomes = execution.run(_unwritable_message, [(loaded, root) for loaded in rules])
    for loaded, outcome in zip(rules, outcomes, strict=True):
        rule_id = loaded.rule.id
        if isinstance(outcome, Killed):
            found[rule_id] = [
                RuleError(
                    f"{rule_id}: its test cases could not run: {outcome.reason}",
                    loaded.document.locate("/id"),
                    STOPPED_HINT,
                )
            ]
        elif outcome[0]:
            found[rule_id] = [
                RuleError(
                    f"{rule_id}: the message cannot be written for test {outcome[0]!r}: "
                    f"{outcome[1]}",
                    loaded.document.locate("/message"),
                    "fix the expression inside {{ }}: a field name, or a value that can be absent",
                )
            ]
    return found


def _policy_files(policies_dir: Path | None) -> list[Path]:
    if policies_dir is None or not policies_dir.is_dir():
        return []
    return sorted(p for p in policies_dir.iterdir() if has_yaml_suffix(p.name) and not p.is_dir())


def _compile_problems(loaded: LoadedRule) -> list[CcaiError]:
    """A rule's expressions compile and type-check."""
    try:
        compile_rule(loaded, loaded.rule.severity, check_types=True)
    except CcaiError as exc:
        return _collect(exc)
    return []


def _missing_bases(loaded: LoadedRule, base_root: Path) -> list[CcaiError]:
    """Test cases whose base declaration is outside the base root, or does not exist."""
    problems: list[CcaiError] = []
    for index, case in enumerate(loaded.rule.tests):
        try:
            base_path(loaded, case, base_root)
        except RuleError as exc:
            problems.append(exc)
            continue
        if not (base_root / case.base).is_file():
            problems.append(
                RuleError(
                    f"{loaded.rule.id}: test {case.name!r} names base {case.base!r}, which "
                    "does not exist",
                    loaded.document.locate(f"/tests/{index}/base"),
                    f"paths are relative to {base_root}",
                )
            )
    return problems


def lint(
    rules_dir: Path,
    policies_dir: Path | None,
    root: Path | None = None,
    context: RuleSources | None = None,
    execution: Execution | None = None,
) -> LintReport:
    """Load, validate and compile every rule of a folder; resolve every policy beside it.

    The rules of `context` (the bundled catalog by default) and of the folders the policies
    name are there for ids and `extends` to resolve against; only the linted folder's rules
    and the policies are reported on. Rules' test cases run under `execution`'s limits.
    """
    own, problems = load_rule_folder(rules_dir)
    policies = _policy_files(policies_dir)
    extra: list[Path] = []
    for path in policies:
        try:
            extra += policy_rule_dirs(path)
        except CcaiError as exc:
            problems.extend(_collect(exc))
    sources = (context or RuleSources()).without(rules_dir).adding(extra).without(rules_dir)
    try:
        around = {r.rule.id: r for r in load_catalog(sources)}
    except CcaiError as exc:
        problems.extend(_collect(exc))
        around = {}
    by_id, clashes = merge_rules([own], around)
    problems.extend(clashes)
    base_root = root or rules_dir.resolve().parent
    checked_rules = [loaded for loaded in own if by_id.get(loaded.rule.id) is loaded]
    compiled = {loaded.rule.id: _compile_problems(loaded) for loaded in checked_rules}
    runnable = [loaded for loaded in checked_rules if not compiled[loaded.rule.id]]
    messages = _message_problems(runnable, base_root, execution or Execution())
    for loaded in checked_rules:
        problems.extend(compiled[loaded.rule.id])
        problems.extend(messages.get(loaded.rule.id, []))
        problems.extend(_missing_bases(loaded, base_root))
    for path in policies:
        try:
            resolve_policy_file(path, by_id)
        except CcaiError as exc:
            problems.extend(_collect(exc))
    return LintReport(len(checked_rules), len(policies), problems, typecheck.available())
