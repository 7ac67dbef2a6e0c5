"""The fast runtime's compiled programs kept between runs, beside the rule catalog's cache.

Compiling a program in the fast runtime costs about 0.5 ms, reading one back about 0.1 ms: a
cold `check` of one example compiled 64 programs (35 ms). The programs a run compiled are kept
in one entry per build of the runtime and of this tool (cel-expr-python's library file, and
what the catalog's cache is keyed by: this tool's code and version, Python's and its
libraries'), each under the SHA-256 of the text it was compiled from, and read back from that
entry by later runs. The entry is trusted as the catalog's is (policy/catalogcache.py): the
user's own, writable by no one else, with its checksum right; any other entry is ignored, and
any failure to read or write one only means compiling again. `CCAI_POLICY_NO_CACHE=1` turns
it off.

Entry format: MAGIC, the SHA-256 (hex) of the rest, then records of a 32-byte digest of a
program's text, the length of its serialized form (4 bytes, big-endian) and that form.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from ccai_policy.policy.catalogcache import cache_dir, code_identity, read_entry, write_entry

MAGIC = b"ccai-policy fast programs 1\n"
#: Programs one entry holds at most (the bundled catalog runs about 600 fast programs).
MAX_PROGRAMS = 4096
#: Entries kept: one per build of the runtime used lately.
KEEP = 4
_DIGEST = 32
_LENGTH = 4


class ProgramCache:
    """Serialized programs by the text they were compiled from, read once and written when
    a run added some (`save`)."""

    def __init__(self, library_file: str) -> None:
        self._library_file = library_file
        self._known: dict[bytes, bytes] | None = None
        self._added = 0

    @functools.cached_property
    def _path(self) -> Path | None:
        """The entry of this build (None: no cache here), named once per process."""
        folder = cache_dir()
        if folder is None:
            return None
        try:
            info = os.stat(self._library_file)
        except OSError:
            return None
        parts = [self._library_file, str(info.st_size), str(info.st_mtime_ns)]
        identity = hashlib.sha256(code_identity())
        identity.update("\0".join(parts).encode("utf-8", "surrogateescape"))
        return folder / f"programs-{identity.hexdigest()[:32]}.bin"

    def _records(self) -> dict[bytes, bytes]:
        if self._known is None:
            path = self._path
            self._known = read_records(path) if path is not None else {}
        return self._known

    def get(self, text: str) -> bytes | None:
        return self._records().get(_digest(text))

    def add(self, text: str, serialized: bytes) -> None:
        records = self._records()
        if len(records) < MAX_PROGRAMS:
            records[_digest(text)] = serialized
            self._added += 1

    def save(self) -> None:
        """Write the entry if programs were added since it was read or last written."""
        if not self._added or self._known is None:
            return
        path = self._path
        if path is not None:
            write_records(path, self._known)
        self._added = 0


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def read_records(path: Path) -> dict[bytes, bytes]:
    """The records of a trusted, intact entry; none otherwise."""
    body = read_entry(path, MAGIC)
    if body is None:
        return {}
    records: dict[bytes, bytes] = {}
    at = 0
    while at < len(body):
        start = at + _DIGEST + _LENGTH
        size = int.from_bytes(body[at + _DIGEST : start], "big")
        if start + size > len(body) or len(records) >= MAX_PROGRAMS:
            return {}
        records[body[at : at + _DIGEST]] = body[start : start + size]
        at = start + size
    return records


def write_records(path: Path, records: dict[bytes, bytes]) -> None:
    """Write an entry in place of any before it (ignored where that fails)."""
    body = b"".join(
        digest + len(serialized).to_bytes(_LENGTH, "big") + serialized
        for digest, serialized in records.items()
    )
    write_entry(path, MAGIC, body, KEEP)
