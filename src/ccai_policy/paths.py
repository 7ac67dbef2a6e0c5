"""Where bundled data lives and how a path is shown to users."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent  # the ccai_policy package


def data_dir(name: str) -> Path:
    """A bundled data directory: inside the installed wheel, or at the source tree's top."""
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    source_tree = {"templates": Path("reports") / "templates"}.get(name, Path(name))
    return _PACKAGE.parent.parent / source_tree


def printable_path(path: Path | str) -> str:
    """A path as text every output can hold: bytes of a file name that are not UTF-8 (which
    Python keeps as lone surrogates) become U+FFFD, the replacement character."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def display_path(path: Path) -> str:
    """A path as shown to users: relative to the working directory when below it, bytes that are
    not UTF-8 as U+FFFD."""
    absolute = Path(os.path.abspath(path))  # no resolve(): a symlink loop must not raise
    try:
        return printable_path(absolute.relative_to(os.path.abspath(Path.cwd())))
    except ValueError:
        return printable_path(path)
