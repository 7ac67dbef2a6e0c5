"""Baselines: adopt the checker where findings exist already; fail only on new ones."""

from __future__ import annotations

from pathlib import Path

from .jsoninput import read_json
from .model.result import Finding, Result, Subject

Key = tuple[str, str, str]


def finding_key(file: str, finding: Finding) -> Key:
    """What identifies a finding across edits: rule, file and subject, never the line."""
    return _key(finding.rule_id, file, finding.subject)


def _key(rule_id: str, file: str, subject: Subject) -> Key:
    return (rule_id, file, subject.id or subject.pointer)


def load_baseline(path: Path) -> set[Key]:
    """The failing findings recorded in a JSON result written by `check -o json:FILE`."""
    data = read_json(
        path, "result", "baseline", "write it with 'ccai-policy check ... -o json:FILE'"
    )
    keys: set[Key] = set()
    for declaration in data["declarations"]:  # the schema guarantees the shape
        for raw in declaration["findings"]:
            if raw["status"] in ("fail", "error", "waived"):
                subject = Subject.model_validate(raw["subject"])
                keys.add(_key(str(raw["rule_id"]), str(declaration["file"]), subject))
    return keys


def apply_baseline(result: Result, keys: set[Key], source: str) -> Result:
    """Mark failing findings already in the baseline; they are shown but do not fail the run."""
    declarations = []
    for declaration in result.declarations:
        findings = [
            f.model_copy(update={"baselined": True})
            if f.status in ("fail", "error") and finding_key(declaration.file, f) in keys
            else f
            for f in declaration.findings
        ]
        declarations.append(declaration.model_copy(update={"findings": findings}))
    return result.model_copy(update={"declarations": declarations, "baseline": source})
