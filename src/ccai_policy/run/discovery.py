"""Expand the paths given to `check` into declaration files, each once, naming every file left out.

A folder scan takes the files whose names end in .yaml or .yml in any letter case (or that an
include glob matches), follows linked folders once each, and leaves out hidden folders; every
file or folder it leaves out is returned with the reason, for the run to say. A file reached
twice (named twice, or through a link and by its own path) is checked once.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ccai_policy.errors import CcaiError, Location
from ccai_policy.load.filekinds import other_format
from ccai_policy.load.folderwalk import YAML_SUFFIXES, has_yaml_suffix, walk
from ccai_policy.paths import display_path

DEFAULT_INCLUDE = tuple(f"*{suffix}" for suffix in YAML_SUFFIXES)


@dataclass(frozen=True)
class ScanOptions:
    """Which files directory scans take (default *.yaml, *.yml) and which they leave out."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Target:
    """A file to check, a problem found while looking for files, or a file left out and why."""

    path: Path | None
    problem: CcaiError | None = None
    #: Why the file at `path` is not checked, or '' when it is.
    skipped: str = ""


def _glob(text: str, pattern: str) -> bool:
    """A glob match that ignores letter case, as file systems on macOS and Windows do."""
    return fnmatch.fnmatchcase(text.lower(), pattern.lower())


def _matches(path: Path, relative: str, patterns: Iterable[str]) -> bool:
    """A glob with '/' matches the path (below the scanned folder, or as shown); one without,
    the file name. Letter case is ignored."""
    shown = display_path(path).replace(os.sep, "/")
    for pattern in patterns:
        if "/" in pattern:
            if _glob(relative, pattern) or _glob(shown, pattern):
                return True
        elif _glob(path.name, pattern):
            return True
    return False


def _scan(folder: Path, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[Target]:
    """The targets of one folder: its files, what it leaves out, the folders it cannot list."""

    def relative(file: Path) -> str:
        return file.relative_to(folder).as_posix()

    def wanted(file: Path) -> bool:
        return has_yaml_suffix(file.name) or _matches(file, relative(file), include)

    found = walk(folder, wanted, enter_hidden=False)
    targets = [
        Target(
            None,
            CcaiError(
                f"cannot read directory: {error.strerror or error}",
                Location(display_path(Path(error.filename or folder))),
                "give the checker permission to list it, or leave it out",
            ),
        )
        for error in found.unreadable
    ]
    files: list[Target] = []
    taken = 0
    for file in found.files:  # wanted: a YAML name, or one an include glob matches
        if not _matches(file, relative(file), include):
            reason = f"matches no include pattern ({', '.join(include)})"
        elif _matches(file, relative(file), exclude):
            reason = "matches an exclude pattern"
        else:
            reason = other_format(file)
            taken += 1
        files.append(Target(file, skipped=reason))
    if not taken and not found.unreadable:
        targets.append(
            Target(
                None,
                CcaiError(
                    "no declarations (*.yaml, *.yml) in this directory",
                    Location(display_path(folder)),
                    "give a declaration file or a directory that holds some",
                ),
            )
        )
    files += [Target(left.path, skipped=left.reason) for left in found.left_out]
    return targets + sorted(files, key=lambda target: target.path or folder)


def _identity(path: Path) -> tuple[int, int] | str:
    """What makes two paths the same file: device and inode, or the path when it cannot be
    read (the loader then reports it)."""
    try:
        info = os.stat(path)
    except OSError:
        return os.path.abspath(path)
    return info.st_dev, info.st_ino


def _once(targets: list[Target]) -> list[Target]:
    """Each file once: a later path to a file already taken is left out, and says so."""
    first: dict[tuple[int, int] | str, Path] = {}
    out: list[Target] = []
    for target in targets:
        if target.path is None or target.path.is_dir():
            out.append(target)
            continue
        identity = _identity(target.path)
        earlier = first.get(identity)
        if earlier is None:
            first[identity] = target.path
            out.append(target)
        elif os.path.abspath(earlier) == os.path.abspath(target.path):
            out.append(Target(target.path, skipped="reached more than once; checked once"))
        else:
            shown = display_path(earlier)
            out.append(Target(target.path, skipped=f"the same file as {shown}; checked once"))
    return out


def find_declarations(
    paths: Iterable[Path],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> list[Target]:
    """Expand files and directories into declaration files, each once, in a stable order.

    Directory scans take the files matching `include` (default *.yaml, *.yml, any letter case)
    and not `exclude`; files of ccai-policy's other formats (waivers, policies, rules) are
    skipped with a reason, as are files named directly that `exclude` matches, hidden folders,
    links back into the scan and second paths to a file already taken.
    """
    included = tuple(include) or DEFAULT_INCLUDE
    excluded = tuple(exclude)
    targets: list[Target] = []
    for path in paths:
        shown = display_path(path)
        if path.is_dir():
            targets += _scan(path, included, excluded)
        elif path.exists() or path.is_symlink():
            if excluded and _matches(path, shown.replace(os.sep, "/"), excluded):
                targets.append(Target(path, skipped="matches an exclude pattern"))
                continue
            targets.append(Target(path, skipped=other_format(path) if path.is_file() else ""))
        else:
            targets.append(Target(None, CcaiError("no such file or directory", Location(shown))))
    return _once(targets)
