"""The digest a result carries over its recorded findings, so that a baseline edited by hand
is refused, and what it reads of each finding."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Protocol

#: The statuses a baseline records: a known failure, a known error, and what was waived then.
RECORDED_STATUSES = ("fail", "error", "waived")

#: How the message of a finding that asks for a fact starts ("needs information: say ...").
NEEDS_INFORMATION = "needs information: "


class _Subject(Protocol):
    @property
    def id(self) -> str | None: ...
    @property
    def pointer(self) -> str: ...


class Recordable(Protocol):
    """What the digest reads of a finding, in a Result or in a baseline read back."""

    @property
    def rule_id(self) -> str: ...
    @property
    def subject(self) -> _Subject: ...
    @property
    def status(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def waiver(self) -> object | None: ...
    @property
    def message(self) -> str: ...


def asks(finding: Recordable) -> bool:
    """Whether a finding fails because a fact is unknown, not on the facts given."""
    return finding.message.startswith(NEEDS_INFORMATION)


def record_digest(
    fail_on: str,
    declarations: Iterable[tuple[str, str, Iterable[Recordable]]],
    *,
    marks_asks: bool = True,
) -> str:
    """SHA-256 over the threshold and, per (file, production id, findings), the recorded ones.

    A finding that asks for a fact adds "asks" to its row, so that an edit turning it into a
    failure on the facts is seen; a row without one reads as before that mark existed, and
    `marks_asks=False` gives the digest as versions before it wrote it.
    """
    rows = sorted(
        (
            file,
            production,
            f.rule_id,
            f.subject.id or "",
            f.subject.pointer,
            f.status,
            f.severity,
            f.waiver is not None,
            *(["asks"] if marks_asks and asks(f) else []),
        )
        for file, production, findings in declarations
        for f in findings
        if f.status in RECORDED_STATUSES
    )
    canonical = json.dumps([fail_on, rows], separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
