"""Lint rule and policy files: every problem of every file at once, never a silent skip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .catalog import LoadedRule, is_rule_file, load_rule_file, resolve_policy_file, yaml_files
from .compiler import compile_rule
from .errors import CcaiError, RuleError, ValidationErrors


@dataclass(frozen=True)
class LintReport:
    rules: int
    policies: int
    problems: list[CcaiError]


def _collect(exc: CcaiError) -> list[CcaiError]:
    return list(exc.problems) if isinstance(exc, ValidationErrors) else [exc]


def _message_problems(loaded: LoadedRule, root: Path) -> list[CcaiError]:
    """A message template that cannot be written for the rule's own failing test cases."""
    from .engine import MESSAGE_ERROR
    from .ruletests import run_case

    for case in loaded.rule.tests:
        if case.expect != "fail" or not (root / case.base).is_file():
            continue
        outcome = run_case(loaded, case, root)
        if MESSAGE_ERROR in outcome.detail:
            written = outcome.detail.split("”: ", 1)[-1].split("\n", 1)[0]
            return [
                RuleError(
                    f"{loaded.rule.id}: the message cannot be written for test {case.name!r}: "
                    f"{written}",
                    loaded.document.locate("/message"),
                    "fix the expression inside {{ }}: a field name, or a value that can be absent",
                )
            ]
    return []


def lint(rules_dir: Path, policies_dir: Path | None, root: Path | None = None) -> LintReport:
    """Load, validate and compile every rule; resolve every policy; check test bases exist."""
    problems: list[CcaiError] = []
    by_id: dict[str, LoadedRule] = {}
    for path in yaml_files(rules_dir):
        if not is_rule_file(path):
            continue
        try:
            loaded = load_rule_file(path)
        except CcaiError as exc:
            problems.extend(_collect(exc))
            continue
        rule = loaded.rule
        if rule.id in by_id:
            problems.append(
                RuleError(
                    f"duplicate rule id {rule.id!r} (also in {by_id[rule.id].document.path})",
                    loaded.document.locate("/id"),
                    "give every rule its own id",
                )
            )
            continue
        by_id[rule.id] = loaded
        base_root = root or rules_dir.resolve().parent
        try:
            compile_rule(loaded, rule.severity)
        except CcaiError as exc:
            problems.extend(_collect(exc))
        else:
            problems.extend(_message_problems(loaded, base_root))
        for index, case in enumerate(rule.tests):
            if not (base_root / case.base).is_file():
                problems.append(
                    RuleError(
                        f"{rule.id}: test {case.name!r} names base {case.base!r}, which does not "
                        "exist",
                        loaded.document.locate(f"/tests/{index}/base"),
                        f"paths are relative to {base_root}",
                    )
                )
    policies = 0
    if policies_dir is not None and policies_dir.is_dir():
        for path in sorted([*policies_dir.glob("*.yaml"), *policies_dir.glob("*.yml")]):
            policies += 1
            try:
                resolve_policy_file(path, by_id)
            except CcaiError as exc:
                problems.extend(_collect(exc))
    return LintReport(len(by_id), policies, problems)
