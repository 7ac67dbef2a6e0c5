"""Baselines: adopt the checker where findings exist already; fail only on new ones."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import LoadError, Location
from .model.result import Finding, Result, Subject

Key = tuple[str, str, str]


def finding_key(file: str, finding: Finding) -> Key:
    """What identifies a finding across edits: rule, file and subject, never the line."""
    return _key(finding.rule_id, file, finding.subject)


def _key(rule_id: str, file: str, subject: Subject) -> Key:
    return (rule_id, file, subject.id or subject.pointer)


def load_baseline(path: Path) -> set[Key]:
    """The failing findings recorded in a JSON result written by `check -o json:FILE`."""
    shown = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LoadError(f"cannot read baseline: {exc.strerror or exc}", Location(shown)) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        column = getattr(exc, "colno", 0)
        raise LoadError(
            f"baseline is not valid JSON: {exc}",
            Location(shown, line, column),
            "write it with 'ccai-policy check ... -o json:FILE'",
        ) from None
    keys: set[Key] = set()
    try:
        for declaration in data["declarations"]:
            for raw in declaration["findings"]:
                if raw["status"] in ("fail", "error", "waived"):
                    subject = Subject.model_validate(raw["subject"])
                    keys.add(_key(str(raw["rule_id"]), str(declaration["file"]), subject))
    except (KeyError, TypeError, ValueError) as exc:
        raise LoadError(
            f"baseline is not a ccai-policy JSON result ({type(exc).__name__}: {exc})",
            Location(shown),
            "write it with 'ccai-policy check ... -o json:FILE'",
        ) from None
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
