"""A cache of the bundled rule catalog as loaded and validated, used only while nothing changed.

Reading and validating the 62 bundled rule files took 0.05-0.06 s of every cold `check`; the
cache reads them back in about 0.01 s. An entry is named by a digest of everything loading
depends on: this tool's version and code (each module's size and modification time, the test
Python applies to its own bytecode cache), the versions of Python, Pydantic and PyYAML, and for
every rule file its absolute path and its bytes. A changed file or an upgrade means another
entry, never a stale one. An entry that is unreadable, corrupt (its own SHA-256 is checked
before it is read), not the user's own, or writable by others is ignored, and the rules are
loaded from their files as if there were no cache.

Entries live in `$XDG_CACHE_HOME/ccai-policy` (by default `~/.cache/ccai-policy`);
`CCAI_POLICY_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ccai_policy import __version__
from ccai_policy.errors import CcaiError
from ccai_policy.paths import display_path
from ccai_policy.policy.rulefiles import (
    LoadedRule,
    load_rule_files,
    remember_dumps,
    rule_dump,
    rule_paths,
)

#: Set to anything but "" or "0" to neither read nor write the cache.
NO_CACHE = "CCAI_POLICY_NO_CACHE"
_MAGIC = b"ccai-policy rule catalog 2\n"
#: Entries kept: one per install, version or set of rules used lately.
KEEP = 8
_PACKAGE = Path(__file__).resolve().parent.parent


def cache_dir() -> Path | None:
    """Where entries live, or None when the cache is off or there is no home to keep it in."""
    if os.environ.get(NO_CACHE, "") not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG specification: a relative path is to be ignored
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "ccai-policy"


@functools.cache
def code_identity() -> bytes:
    """The versions and the modules whose code the loaded rules depend on (read once)."""
    import pydantic
    import yaml

    parts = [__version__, sys.version, pydantic.VERSION, yaml.__version__]
    for folder, subfolders, names in os.walk(_PACKAGE):
        subfolders.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                info = os.stat(os.path.join(folder, name))
                parts += [os.path.join(folder, name), str(info.st_size), str(info.st_mtime_ns)]
    return "\0".join(parts).encode("utf-8", "surrogateescape")


def catalog_key(files: list[Path]) -> str | None:
    """The name of the entry for these rule files, or None when one cannot be read."""
    digest = hashlib.sha256()
    try:
        digest.update(code_identity())
        for path in files:
            with open(path, "rb") as handle:
                content = handle.read()
            name = os.path.abspath(path).encode("utf-8", "surrogateescape")
            digest.update(b"\0%s\0%d\0" % (name, len(content)))
            digest.update(content)
    except OSError:
        return None
    return digest.hexdigest()


def _trusted(handle_fd: int) -> bool:
    """An entry this user wrote and no one else can change (pickle data runs code when read)."""
    info = os.fstat(handle_fd)
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return mine and not info.st_mode & 0o022


def read_entry(path: Path, magic: bytes) -> bytes | None:
    """What an entry holds, if it is trusted, starts with `magic` and its checksum is right."""
    try:
        with open(path, "rb") as handle:
            if not _trusted(handle.fileno()):
                return None
            blob = handle.read()
    except OSError:
        return None
    head = len(magic) + 64
    if not blob.startswith(magic) or blob[len(magic) : head] != _checksum(blob[head:]):
        return None
    return blob[head:]


def write_entry(path: Path, magic: bytes, payload: bytes, keep: int) -> None:
    """Write an entry in place of any before it, then remove all but the `keep` newest of its
    kind (its name up to the first '-'). Any failure is ignored: a read-only home only means
    no cache."""
    folder, kind = path.parent, path.name.split("-", 1)[0]
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{kind}-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(magic + _checksum(payload) + payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        entries = sorted(folder.glob(f"{kind}-*{path.suffix}"), key=_age)
        for old in entries[keep:]:  # other installs, versions or rules: the newest few stay
            with contextlib.suppress(OSError):
                old.unlink()
    except OSError:
        return


def read_catalog(key: str) -> list[LoadedRule] | None:
    """The rules of an entry, or None when there is none to trust."""
    folder = cache_dir()
    payload = read_entry(folder / f"catalog-{key}.pickle", _MAGIC) if folder else None
    if payload is None:
        return None
    try:
        rules, dumps = pickle.loads(payload)
    except Exception:  # a checked entry of another build of the same classes: reload
        return None
    if not isinstance(rules, list) or not all(isinstance(r, LoadedRule) for r in rules):
        return None
    if not isinstance(dumps, list) or len(dumps) != len(rules):
        return None
    remember_dumps([loaded.rule for loaded in rules], dumps)
    # Kept with absolute paths; shown, as when loaded, relative to this working directory.
    return [
        LoadedRule(
            r.rule, dataclasses.replace(r.document, path=display_path(Path(r.document.path)))
        )
        for r in rules
    ]


def _checksum(payload: bytes) -> bytes:
    return hashlib.sha256(payload).hexdigest().encode()


def write_catalog(key: str, files: list[Path], rules: list[LoadedRule]) -> None:
    """Keep an entry for next time: the rules loaded from `files`, one each, in order. Any
    failure to write is ignored (a read-only home only means no cache)."""
    folder = cache_dir()
    if folder is None or len(files) != len(rules):
        return
    kept = [
        LoadedRule(r.rule, dataclasses.replace(r.document, path=os.path.abspath(path)))
        for path, r in zip(files, rules, strict=True)
    ]
    dumps = [rule_dump(r.rule) for r in rules]  # what the rule set's digest reads
    payload = pickle.dumps((kept, dumps), protocol=pickle.HIGHEST_PROTOCOL)
    write_entry(folder / f"catalog-{key}.pickle", _MAGIC, payload, KEEP)


def _age(path: Path) -> float:
    try:
        return -path.stat().st_mtime
    except OSError:
        return 0.0


def load_bundled_folder(
    directory: Path, seen: set[tuple[int, int] | str]
) -> tuple[list[LoadedRule], list[CcaiError]]:
    """`rulefiles.load_rule_folder` for the bundled catalog, through the cache."""
    paths, problems = rule_paths(directory, seen)
    key = catalog_key(paths) if not problems else None
    found = read_catalog(key) if key else None
    if found is not None:
        return found, problems
    rules, broken = load_rule_files(paths)
    if key and not broken:
        write_catalog(key, paths, rules)
    return rules, problems + broken
