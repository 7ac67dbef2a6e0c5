"""Run the test cases each rule carries: a base declaration, a merge patch, an expectation."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.evaluate.compiler import RuleSet, compile_rule
from ccai_policy.load.loader import Document, load_file
from ccai_policy.model.policy import Policy
from ccai_policy.model.result import Finding
from ccai_policy.model.rule import RuleTest
from ccai_policy.model.verdict import rule_outcomes
from ccai_policy.policy.catalog import LoadedRule, ResolvedPolicy, display_path
from ccai_policy.run.pipeline import Checks, evaluate_document

#: Rule tests evaluate on a fixed date so that they give the same answer every day.
TEST_AS_OF = dt.date(2026, 11, 1)


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply an RFC 7396 JSON merge patch; returns a new value."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


@dataclass(frozen=True)
class CaseResult:
    rule_id: str
    case: RuleTest
    passed: bool
    actual: str
    detail: str = ""

    @property
    def label(self) -> str:
        return f"{self.rule_id}::{self.case.name}"


def _check(case: RuleTest, status: str, fails: list[Finding], said: list[Finding]) -> str:
    """Why the case failed, or '' when it passed."""
    if status != case.expect:
        return f"expected {case.expect}, got {status}"
    if case.failures is not None and len(fails) != case.failures:
        return f"expected {case.failures} failing item(s), got {len(fails)}"
    if case.message_contains and not any(case.message_contains in f.message for f in said):
        shown = "; ".join(f.message for f in said) or "(no messages)"
        return f"no message contains {case.message_contains!r}; messages: {shown}"
    return ""


def base_path(loaded: LoadedRule, case: RuleTest, root: Path) -> Path:
    """The declaration a case starts from: `base` below `root`, never a file elsewhere (the
    refusal comes before any reading, so nothing of such a file reaches a message)."""
    path = root / case.base
    real_root = os.path.realpath(root)
    if os.path.commonpath([real_root, os.path.realpath(path)]) != real_root:
        index = next(i for i, c in enumerate(loaded.rule.tests) if c is case)
        shown = display_path(root)
        raise RuleError(
            f"{loaded.rule.id}: test {case.name!r} names base {case.base!r}, which is outside "
            f"{'the working directory' if shown == '.' else shown}, where test bases are",
            loaded.document.locate(f"/tests/{index}/base"),
            "name a declaration below that folder (rules test --root sets it)",
        )
    return path


def _base(path: Path, shown: str) -> Document:
    """A base declaration, loaded once per process while the file stays the same (mutation
    testing runs every case of a rule once per mutant)."""
    try:
        stat = path.stat()
        key = (str(path), shown, stat.st_mtime_ns, stat.st_size)
    except OSError:
        return load_file(path, display=shown)  # the loader reports it
    return _cached_base(*key)


@functools.lru_cache(maxsize=64)
def _cached_base(path: str, shown: str, mtime: int, size: int) -> Document:
    return load_file(Path(path), display=shown)


def run_case(loaded: LoadedRule, case: RuleTest, root: Path) -> CaseResult:
    """One case through the pipeline's evaluate stage, with a policy of the rule alone."""
    rule = loaded.rule
    policy = ResolvedPolicy(
        policy=Policy(id="rule-test", version="0", title="rule test"),
        document=loaded.document,
        rules=[loaded],
        severity={rule.id: rule.severity},
        params=dict(rule.params),
        mandatory=frozenset(),
        fail_on="info",
    )
    try:
        base = _base(base_path(loaded, case, root), case.base)
        data = merge_patch(base.data, case.patch) if case.patch else base.data
        document = Document(base.path, data, base.sha256, base.positions)
        ruleset = RuleSet(policy, [compile_rule(loaded, rule.severity)])
        result = evaluate_document(document, Checks(ruleset=ruleset, as_of=TEST_AS_OF))
    except CcaiError as exc:
        problems = exc.problems if isinstance(exc, ValidationErrors) else [exc]
        detail = "; ".join(str(p) for p in problems[:5])
        return CaseResult(rule.id, case, False, "invalid", f"cannot run the case: {detail}")
    status = rule_outcomes(result).get(rule.id, "not_applicable")
    fails = [f for f in result.findings if f.status in ("fail", "error")]
    # message_contains reads the failing messages, or the reason a rule is not applicable
    said = (
        fails
        if case.expect in ("fail", "error")
        else [f for f in result.findings if f.status == case.expect]
    )
    detail = _check(case, status, fails, said)
    if detail and fails:
        detail += "\n" + "\n".join(f"  {f.location.line}: {f.message}" for f in fails[:5])
    return CaseResult(rule.id, case, not detail, status, detail)


def run_rule_tests(rules: list[LoadedRule], root: Path) -> list[CaseResult]:
    """Every case of every rule; `root` is where `base` paths are relative to."""
    return [run_case(loaded, case, root) for loaded in rules for case in loaded.rule.tests]


def missing_tests(rules: list[LoadedRule]) -> list[str]:
    """Rules that lack at least one passing and one failing case."""
    missing = []
    for loaded in rules:
        expects = {case.expect for case in loaded.rule.tests}
        lacking = [e for e in ("pass", "fail") if e not in expects]
        if lacking:
            wanted = "' or '".join(lacking)
            missing.append(f"{loaded.rule.id} has no '{wanted}' test case")
    return missing
