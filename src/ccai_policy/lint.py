"""Lint rule and policy files: every problem of every file at once, never a silent skip."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import typecheck
from .catalog import (
    LoadedRule,
    RuleSources,
    load_catalog,
    load_rule_folder,
    merge_rules,
    policy_rule_dirs,
    resolve_policy_file,
)
from .compiler import compile_rule
from .errors import CcaiError, RuleError, ValidationErrors
from .folderwalk import has_yaml_suffix


@dataclass(frozen=True)
class LintReport:
    rules: int
    policies: int
    problems: list[CcaiError]
    #: Why expressions were not checked against the declaration model, or '' when they were.
    unchecked: str = ""


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


def _policy_files(policies_dir: Path | None) -> list[Path]:
    if policies_dir is None or not policies_dir.is_dir():
        return []
    return sorted(p for p in policies_dir.iterdir() if has_yaml_suffix(p.name) and not p.is_dir())


def _check_rule(loaded: LoadedRule, base_root: Path) -> list[CcaiError]:
    """A rule's expressions compile and type-check, and its test bases exist."""
    rule = loaded.rule
    problems: list[CcaiError] = []
    try:
        compile_rule(loaded, rule.severity, check_types=True)
    except CcaiError as exc:
        problems.extend(_collect(exc))
    else:
        problems.extend(_message_problems(loaded, base_root))
    from .ruletests import base_path

    for index, case in enumerate(rule.tests):
        try:
            base_path(loaded, case, base_root)
        except RuleError as exc:
            problems.append(exc)
            continue
        if not (base_root / case.base).is_file():
            problems.append(
                RuleError(
                    f"{rule.id}: test {case.name!r} names base {case.base!r}, which does not exist",
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
) -> LintReport:
    """Load, validate and compile every rule of a folder; resolve every policy beside it.

    The rules of `context` (the bundled catalog by default) and of the folders the policies
    name are there for ids and `extends` to resolve against; only the linted folder's rules
    and the policies are reported on.
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
    for loaded in own:
        if by_id.get(loaded.rule.id) is loaded:
            problems.extend(_check_rule(loaded, base_root))
    for path in policies:
        try:
            resolve_policy_file(path, by_id)
        except CcaiError as exc:
            problems.extend(_collect(exc))
    checked = sum(by_id.get(r.rule.id) is r for r in own)
    return LintReport(checked, len(policies), problems, typecheck.available())
