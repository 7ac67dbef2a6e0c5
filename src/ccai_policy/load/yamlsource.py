"""The text around a YAML syntax error: its lines, the parser's marks, and the keys lines hold."""

from __future__ import annotations

import json
import re
from typing import Any

KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([^\s#:][^:#]*?)\s*:(?:\s|$)")


class Source:
    """The lines of the text and the parser's marks, 0-based as PyYAML gives them."""

    def __init__(self, exc: Any, text: str) -> None:
        self.lines = text.split("\n")
        self.problem = f"{exc.problem or ''}".lower()
        self.context = f"{exc.context or ''}".lower()
        self.mark = exc.problem_mark or exc.context_mark
        self.start = exc.context_mark

    def line(self, number: int) -> str:
        return self.lines[number] if 0 <= number < len(self.lines) else ""

    def char(self, mark: Any) -> str:
        return self.line(mark.line)[mark.column : mark.column + 1] if mark else ""

    def says(self, *words: str) -> bool:
        return any(w in self.problem or w in self.context for w in words)


class Mark:
    """A position made here (0-based), shaped like the parser's marks."""

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


Found = tuple[str, str, Any] | None


def key_of(line: str) -> str:
    match = KEY_LINE.match(line)
    return match[2].strip() if match else ""


def quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def previous_line(src: Source, number: int) -> int | None:
    for previous in range(number - 1, -1, -1):
        stripped = src.line(previous).strip()
        if stripped and not stripped.startswith("#"):
            return previous
    return None


def levels_above(src: Source, number: int) -> set[int]:
    """The indentations of the lines above that hold a key or a list item."""
    levels: set[int] = set()
    for previous in range(number - 1, -1, -1):
        text = src.line(previous)
        stripped = text.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(text) - len(stripped)
        if stripped.startswith("- "):
            levels.add(indent)
            levels.add(indent + 2)
        elif KEY_LINE.match(text):
            levels.add(indent)
        if indent == 0:
            break
    return levels
