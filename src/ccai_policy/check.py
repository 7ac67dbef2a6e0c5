"""Find the declaration files to check: files given, and directory scans with include/exclude."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .catalog import display_path
from .errors import CcaiError, Location
from .filekinds import other_format

YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Target:
    """A file to check, a problem found while looking for files, or a file left out and why."""

    path: Path | None
    problem: CcaiError | None = None
    #: Why the file at `path` is not checked, or '' when it is.
    skipped: str = ""


def _matches(path: Path, relative: str, patterns: Iterable[str]) -> bool:
    """A glob with '/' matches the path (below the scanned folder, or as shown); one without,
    the file name."""
    shown = display_path(path).replace(os.sep, "/")
    for pattern in patterns:
        if "/" in pattern:
            if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(shown, pattern):
                return True
        elif fnmatch.fnmatch(path.name, pattern):
            return True
    return False


def _scan(
    path: Path, include: tuple[str, ...], exclude: tuple[str, ...]
) -> tuple[list[Path], list[OSError]]:
    found: list[Path] = []
    unreadable: list[OSError] = []
    for root, dirs, files in os.walk(path, followlinks=False, onerror=unreadable.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            file = Path(root) / name
            relative = file.relative_to(path).as_posix()
            if _matches(file, relative, include) and not _matches(file, relative, exclude):
                found.append(file)
    return found, unreadable


def find_declarations(
    paths: Iterable[Path],
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> list[Target]:
    """Expand files and directories into declaration files, in a stable order.

    Directory scans take the files matching `include` (default *.yaml, *.yml) and not
    `exclude`; files of ccai-policy's other formats (waivers, policies, rules) are skipped
    with a reason, as are files named directly that `exclude` matches.
    """
    included = tuple(include) or tuple(f"*{suffix}" for suffix in YAML_SUFFIXES)
    excluded = tuple(exclude)
    targets: list[Target] = []
    for path in paths:
        shown = display_path(path)
        if path.is_dir():
            found, unreadable = _scan(path, included, excluded)
            targets.extend(
                Target(
                    None,
                    CcaiError(
                        f"cannot read directory: {error.strerror or error}",
                        Location(display_path(Path(error.filename or path))),
                        "give the checker permission to list it, or leave it out",
                    ),
                )
                for error in unreadable
            )
            kinds = {file: other_format(file) for file in found}
            if not found and not unreadable:
                targets.append(
                    Target(
                        None,
                        CcaiError(
                            "no declarations (*.yaml, *.yml) in this directory",
                            Location(shown),
                            "give a declaration file or a directory that holds some",
                        ),
                    )
                )
            targets.extend(Target(p, skipped=kinds[p]) for p in sorted(found))
        elif path.exists() or path.is_symlink():
            if excluded and _matches(path, shown.replace(os.sep, "/"), excluded):
                targets.append(Target(path, skipped="matches an exclude pattern"))
                continue
            targets.append(Target(path, skipped=other_format(path) if path.is_file() else ""))
        else:
            targets.append(Target(None, CcaiError("no such file or directory", Location(shown))))
    return targets


@dataclass(frozen=True)
class ScanOptions:
    """Which files directory scans take (default *.yaml, *.yml) and which they leave out."""

    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
