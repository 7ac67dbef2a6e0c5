"""The six rules' outcomes, ccai-policy's and a Rego peer's, compared rule by rule, in words."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

#: Examples of differing outcomes shown in the notes, at least one per rule that differs.
SHOWN = 10
#: Item ids an example names before it says how many more there are.
IDS = 5


def six_outcomes(stdout: str) -> dict[str, dict[str, Any]]:
    """file -> rule -> 'not_applicable', 'pass' or the sorted ids of failing items, from
    `ccai-policy check --format json`."""
    out: dict[str, dict[str, Any]] = {}
    for declaration in json.loads(stdout)["declarations"]:
        rules: dict[str, Any] = {}
        for finding in declaration["findings"]:
            rule, status = finding["rule_id"], finding["status"]
            if status in ("fail", "error"):
                failing = rules.get(rule) if isinstance(rules.get(rule), list) else []
                rules[rule] = sorted([*failing, finding["subject"]["id"]])
            else:
                rules.setdefault(rule, status)
        out[str(Path(declaration["file"]).resolve())] = rules
    return out


def peer_outcomes(stdout: str) -> dict[str, dict[str, Any]]:
    """The same, from benchmarks/peer.py's JSON."""
    out: dict[str, dict[str, Any]] = {}
    for name, rules in json.loads(stdout).items():
        out[str(Path(name).resolve())] = {
            rule: "not_applicable"
            if got.get("not_applicable") or not got["applicable"]
            else (got["failing"] or "pass")
            for rule, got in rules.items()
        }
    return out


def _ids(ids: list[str]) -> str:
    more = f" (+{len(ids) - IDS} more)" if len(ids) > IDS else ""
    return ", ".join(ids[:IDS]) + more


def _said(outcome: Any) -> str:
    if isinstance(outcome, list):
        return f"fails {len(outcome)}: {_ids(outcome)}"
    return {"pass": "passes", "not_applicable": "does not apply", None: "has no outcome"}.get(
        outcome, str(outcome)
    )


def _example(name: str, rule: str, ours: Any, theirs: Any, engine: str) -> str:
    """'decl-0000.yaml COMP-REPLICA-DAY-001: fails only in ccai-policy: u-00010, ...'."""
    if isinstance(ours, list) and isinstance(theirs, list):
        only_ours = [i for i in ours if i not in theirs]
        only_theirs = [i for i in theirs if i not in ours]
        parts = [f"fails only in ccai-policy: {_ids(only_ours)}"] if only_ours else []
        parts += [f"fails only in {engine}: {_ids(only_theirs)}"] if only_theirs else []
        return f"{name} {rule}: {'; '.join(parts)}"
    return f"{name} {rule}: ccai-policy {_said(ours)}; {engine} {_said(theirs)}"


def differences(
    expected: dict[str, dict[str, Any]], theirs: dict[str, dict[str, Any]], engine: str
) -> tuple[int, int, list[str]]:
    """(outcomes compared, outcomes that differ, notes): the notes name each rule that
    differs and in how many files, then examples, the first of each rule first."""
    found = [
        (Path(f).name, rule, expected.get(f, {}).get(rule), got)
        for f, rules in theirs.items()
        for rule, got in sorted(rules.items())
        if expected.get(f, {}).get(rule) != got
    ]
    compared = sum(len(rules) for rules in theirs.values())
    if not found:
        return compared, 0, []
    files = Counter(rule for _, rule, _, _ in found)
    rules = ", ".join(f"{rule} in {n} file{'s' if n > 1 else ''}" for rule, n in files.items())
    notes = [f"six rules differ from {engine} in {len(found)} of {compared} outcomes: {rules}"]
    firsts = {rule: i for i, (_, rule, _, _) in reversed(list(enumerate(found)))}
    order = sorted(range(len(found)), key=lambda i: (i not in firsts.values(), i))
    for i in order[:SHOWN]:
        notes.append(f"six rules differ: {_example(*found[i], engine)}")
    return compared, len(found), notes
