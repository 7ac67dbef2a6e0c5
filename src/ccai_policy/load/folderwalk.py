"""Walk a folder tree: linked folders followed once each, and every folder left out named."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")


def has_yaml_suffix(name: str) -> bool:
    """A name ending in .yaml or .yml in any letter case (`X.YAML` too)."""
    return name.lower().endswith(YAML_SUFFIXES)


def is_hidden(name: str) -> bool:
    return name.startswith(".") and name not in (".", "..")


@dataclass(frozen=True)
class Left:
    """Something a walk found and did not enter or return, and why, in words."""

    path: Path
    reason: str


@dataclass
class Walk:
    """What one walk found: the files wanted, what it left out, the folders it could not list."""

    files: list[Path] = field(default_factory=list)
    left_out: list[Left] = field(default_factory=list)
    unreadable: list[OSError] = field(default_factory=list)


def _identity(info: os.stat_result) -> tuple[int, int]:
    return info.st_dev, info.st_ino


def _holds(folder: str, inner: str) -> bool:
    """`folder` is `inner` or one of its ancestors (both real, absolute paths)."""
    return os.path.commonpath([folder, inner]) == folder


class _Walker:
    def __init__(self, root: Path, wanted: Callable[[Path], bool], enter_hidden: bool) -> None:
        self.root = root
        self.root_real = os.path.realpath(root)
        self.wanted = wanted
        self.enter_hidden = enter_hidden
        self.out = Walk()
        #: Each folder entered, by device and inode, and the path it was entered by.
        self.seen: dict[tuple[int, int], Path] = {}
        self.plain: list[Path] = []
        self.links: list[Path] = []

    def run(self) -> Walk:
        try:
            self.seen[_identity(os.stat(self.root))] = self.root
        except OSError as exc:
            self.out.unreadable.append(exc)
            return self.out
        self.plain.append(self.root)
        # Folders reached without a link come first, so that a folder that is also reached
        # through a link is shown by its own path; links are followed after, in order.
        while self.plain or self.links:
            if self.plain:
                self._list(self.plain.pop())
            else:
                self._follow(self.links.pop(0))
        self.out.files.sort()
        self.out.left_out.sort(key=lambda left: left.path)
        return self.out

    def _follow(self, link: Path) -> None:
        try:
            identity = _identity(os.stat(link))
            real = os.path.realpath(link)
        except OSError as exc:  # changed since it was listed
            self.out.unreadable.append(exc)
            return
        if identity in self.seen:
            self.out.left_out.append(
                Left(link, f"a link to a folder this scan already covers ({self.seen[identity]})")
            )
            return
        if _holds(real, self.root_real):
            self.out.left_out.append(
                Left(link, "a link to a folder that holds this scan's own folder (a loop)")
            )
            return
        self.seen[identity] = link
        self._list(link)

    def _list(self, folder: Path) -> None:
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            self.out.unreadable.append(exc)
            return
        for entry in entries:
            path = folder / entry.name
            try:
                linked = entry.is_symlink()
                is_folder = entry.is_dir()  # through a link too
            except OSError:
                linked, is_folder = True, False
            if is_folder and is_hidden(entry.name) and not self.enter_hidden:
                what = "a link to a hidden folder" if linked else "a hidden folder"
                self.out.left_out.append(
                    Left(path, f"{what}: scans leave those out; give its path to check it")
                )
            elif is_folder and linked:
                self.links.append(path)
            elif is_folder:
                self._enter(path, entry)
            elif self.wanted(path):
                self.out.files.append(path)
            elif linked and not os.path.exists(path):
                self.out.left_out.append(Left(path, _broken(path)))

    def _enter(self, path: Path, entry: os.DirEntry[str]) -> None:
        try:
            identity = _identity(entry.stat(follow_symlinks=False))
        except OSError as exc:
            self.out.unreadable.append(exc)
            return
        if identity in self.seen:  # a bind mount of a folder already entered
            self.out.left_out.append(
                Left(path, f"the same folder as {self.seen[identity]}, which this scan covers")
            )
            return
        self.seen[identity] = path
        self.plain.append(path)


def _broken(path: Path) -> str:
    try:
        target = os.readlink(path)
    except OSError:
        return "a symbolic link that cannot be followed"
    return f"a symbolic link to {target}, which cannot be followed (missing, or a loop)"


def walk(root: Path, wanted: Callable[[Path], bool], *, enter_hidden: bool = True) -> Walk:
    """Every file below `root` that `wanted` takes, in path order.

    Linked folders are followed, each real folder entered once (by device and inode): a link
    to a folder already covered, or to one that holds `root`, is left out and named. So are
    hidden folders, unless `enter_hidden`, and links that lead nowhere (unless wanted: the
    caller then reports them as unreadable files).
    """
    return _Walker(root, wanted, enter_hidden).run()
