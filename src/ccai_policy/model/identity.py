"""What makes two findings "the same finding": the one identity baselines, diff and SARIF share.

A finding is the same across runs and edits when it is the same rule on the same subject (the
item's id, or its JSON pointer when it has none), never by line; when one rule reports one
subject more than once in a declaration (an asset whose file and manifest both fail), the
occurrences are told apart by their order. Where the identity applies (one file of one
production for a baseline, the two versions for diff, each file for SARIF) is the consumer's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ccai_policy.model.result import Subject


class Identifiable(Protocol):
    """What the identity reads of a finding: in a Result, or in a baseline read back."""

    @property
    def rule_id(self) -> str: ...
    @property
    def subject(self) -> Subject: ...


@dataclass(frozen=True, order=True)
class FindingId:
    """A rule on a subject; `occurrence` counts earlier findings of the same pair."""

    rule_id: str
    subject: str
    occurrence: int = 0

    def fingerprint(self, file: str) -> str:
        """SARIF's partial fingerprint of the finding in `file`: stable across line moves.

        The first occurrence hashes what earlier releases hashed (rule, file, subject), so
        code scanning keeps its alerts; later ones add their number."""
        parts = [self.rule_id, file_key(file), self.subject]
        if self.occurrence:
            parts.append(str(self.occurrence))
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def subject_key(subject: Subject) -> str:
    """The subject as identities name it: its id, or its JSON pointer when it has none."""
    return subject.id or subject.pointer


def file_key(file: str) -> str:
    """A declaration's file as identities compare it: with '/' separators on every system."""
    return file.replace("\\", "/")


def identities(findings: Iterable[Identifiable]) -> list[FindingId]:
    """The identity of each finding of one declaration, in the order given (a Result's order)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for finding in findings:
        pair = (finding.rule_id, subject_key(finding.subject))
        out.append(FindingId(*pair, seen.get(pair, 0)))
        seen[pair] = seen.get(pair, 0) + 1
    return out


def same_rule_and_subject(a: Identifiable, b: Identifiable) -> bool:
    """Whether two findings are one rule's on one subject, whichever occurrence each is."""
    return a.rule_id == b.rule_id and subject_key(a.subject) == subject_key(b.subject)
