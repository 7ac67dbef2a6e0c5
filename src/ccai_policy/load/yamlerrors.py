"""YAML syntax errors explained in plain words, with the fix, from the parser's marks and the text.

The parser's own sentences ("while parsing a block mapping did not find expected key") never
reach a user: each kind of mistake is recognised from where the parser stopped and what the
lines around it hold, and a kind not recognised still gets plain words and a general fix.
"""

from __future__ import annotations

import re
from typing import Any

from ccai_policy.errors import LoadError, Location
from ccai_policy.load.yamlflow import flow_problem, unclosed_quote
from ccai_policy.load.yamlsource import (
    Found,
    Mark,
    Source,
    key_of,
    levels_above,
    previous_line,
    quoted,
)

#: How a line is written: keys, list items, spaces; the hint of last resort.
GENERAL_FIX = (
    "a field is `key: value` and a list item `- value`, indented with spaces; put text in "
    'quotes ("...") when it holds `: ` or ` #`, or starts with a symbol such as @ or `'
)


def explain_syntax(exc: Any, path: str, text: str) -> LoadError:
    """A LoadError for a PyYAML MarkedYAMLError, in plain words, at the most useful place."""
    src = Source(exc, text)
    for explainer in _EXPLAINERS:
        found = explainer(src)
        if found is not None:
            message, hint, mark = found
            where = mark if mark is not None else src.mark
            loc = Location(path, where.line + 1, where.column + 1) if where else Location(path)
            return LoadError(message, loc, hint)
    mark = src.mark
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    line = f"line {mark.line + 1}" if mark else "the file"
    return LoadError(f"{line} is not valid YAML at this point", loc, GENERAL_FIX)


def _tab(src: Source) -> Found:
    first = src.start.line if src.start else (src.mark.line if src.mark else 0)
    last = src.mark.line if src.mark else first
    for number in range(max(0, min(first, last)), last + 1):
        text = src.line(number)
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent or (number == last and src.char(src.mark) == "\t"):
            column = text.index("\t")
            return (
                f"line {number + 1} is indented with a tab character",
                "YAML indents with spaces only: replace the tab with spaces",
                Mark(number, column),
            )
    return None


def _nesting(src: Source) -> Found:
    if not src.says("nesting", "nest level"):
        return None
    from ccai_policy.load.yamlnodes import MAX_DEPTH

    return f"nesting is deeper than {MAX_DEPTH} levels", "flatten it", None


def _colon(src: Source) -> Found:
    if not src.says("mapping values are not allowed"):
        return None
    mark = src.mark
    line = src.line(mark.line)
    first = line.find(": ")
    if 0 <= first < mark.column or (first < 0 < line.find(":") < mark.column):
        key = key_of(line)
        value = line[line.find(":") + 1 :].strip()
        return (
            f"a colon inside unquoted text on line {mark.line + 1}: `: ` separates a key from "
            "its value, so the text cannot hold one",
            f"put the text in quotes: `{key}: {quoted(value)}`",
            mark,
        )
    previous = previous_line(src, mark.line)
    if previous is not None:
        text = src.line(previous)
        squeezed = re.search(r"^\s*(?:-\s+)?([^\s:#]+):(\S.*)$", text)
        if squeezed:
            return (
                f"line {previous + 1} has no space after its colon, so `{squeezed[0].strip()}` "
                "is read as text, not as a key and a value",
                f"add a space after the colon: `{squeezed[1]}: {squeezed[2]}`",
                Mark(previous, text.index(":")),
            )
        return _indent_message(src, mark.line, previous)
    return None


def _indent_message(src: Source, number: int, previous: int | None) -> Found:
    text = src.line(number)
    indent = len(text) - len(text.lstrip(" "))
    levels = sorted(levels_above(src, number))
    shown = ", ".join(str(level) for level in levels[:-1])
    shown = f"{shown} or {levels[-1]}" if len(levels) > 1 else (str(levels[0]) if levels else "0")
    above = f" line {previous + 1}" if previous is not None else ""
    return (
        f"line {number + 1} is indented by {indent} space{'s' if indent != 1 else ''}, which "
        f"lines it up with nothing above it{(' (compare' + above + ')') if above else ''}",
        f"indent it by exactly as many spaces as the fields it belongs with: here {shown} spaces",
        Mark(number, indent),
    )


def _block(src: Source) -> Found:
    if not src.says("block mapping", "block collection", "block end", "expected '-'"):
        return None
    mark = src.mark
    char = src.char(mark)
    line = src.line(mark.line)
    if char in "]}":
        opener = "[" if char == "]" else "{"
        return (
            f"a `{char}` on line {mark.line + 1} closes nothing",
            f"remove the extra `{char}`, or add the `{opener}` it belongs to",
            mark,
        )
    before = line[: mark.column].rstrip()
    if before.endswith(('"', "'")) and key_of(line):
        value = line[line.find(":") + 1 :].strip()
        return (
            f"text follows the closing quote on line {mark.line + 1}",
            f"put the whole value inside the quotes: `{key_of(line)}: "
            f"{quoted(value.replace(before[-1], ''))}`",
            mark,
        )
    indent = len(line) - len(line.lstrip(" "))
    in_list = src.says("block collection", "'-' indicator")
    if in_list and not line.lstrip().startswith("-") and indent in levels_above(src, mark.line):
        return (
            f"line {mark.line + 1} is a field among the items of the list above it",
            "make it an item of its own (`- key: value`), or indent it as much as the fields "
            "of the item it belongs to",
            mark,
        )
    if char == "-" and mark.column == len(line) - len(line.lstrip(" ")):
        return (
            f"the list item on line {mark.line + 1} sits among fields of a mapping",
            "put list items under their key, indented, e.g. `roles:` and below it "
            "`  - principal`; or indent the item like the ones above it",
            mark,
        )
    if mark.column > len(line) - len(line.lstrip(" ")) and before:
        return (
            f"unexpected text after the value on line {mark.line + 1}",
            GENERAL_FIX,
            mark,
        )
    return _indent_message(src, mark.line, previous_line(src, mark.line))


def _simple_key(src: Source) -> Found:
    if not src.says("simple key", "could not find expected ':'"):
        return None
    start = src.start or src.mark
    return (
        f"line {start.line + 1} holds text where a `key: value` is expected",
        "write it as `key: value`; if it continues the text on the line above, indent it more "
        "than that line's key, or put the whole text in quotes on one line",
        start,
    )


def _symbol(src: Source) -> Found:
    symbols = {
        "cannot start any token": "",
        "anchor": "&",
        "alias": "*",
        "tag": "!",
        "node content": "",
    }
    word = next((w for w in symbols if src.says(w)), None)
    if word is None:
        return None
    mark = src.mark if word == "cannot start any token" else (src.start or src.mark)
    char = src.char(mark) or symbols[word] or "?"
    line = src.line(mark.line)
    key = key_of(line)
    value = line[line.find(":") + 1 :].strip() if key else line.strip()
    fixed = f"{key}: {quoted(value)}" if key else quoted(value)
    meaning = {
        "&": " (it marks an anchor)",
        "*": " (it marks an alias)",
        "!": " (it marks a tag)",
    }.get(char, "")
    shown = "a backquote (`)" if char == "`" else f"`{char}`"
    return (
        f"a value cannot start with {shown} unquoted{meaning}",
        f"put the value in quotes: `{fixed}`",
        mark,
    )


def _other_kinds(src: Source) -> Found:
    kinds = (
        (
            ("block sequence entries", "sequence entries are not allowed"),
            "a `- ` list item cannot start on the same line as its key",
            "start the list on the next line, indented (`key:` then `  - item`), or write "
            "`key: [item]`",
        ),
        (
            ("mapping keys are not allowed",),
            "a `?` here would start a complex key",
            "put the value in quotes if it is text",
        ),
        (
            ("block scalar", "indentation indicator", "chomping"),
            "after `|` or `>` only a digit, `+` or `-` may follow on the same line",
            "put the text itself on the lines below, indented more than the key",
        ),
        (
            ("directive", "%yaml", "%tag", "yaml document"),
            "a line starting with `%` is a YAML directive, which declarations do not use",
            "remove the line, or put the value in quotes if it starts with %",
        ),
        (
            ("document", "stream"),
            "`---` and `...` mark the start and the end of a YAML document",
            "a declaration is one document: remove the `---` or `...` line inside it, or quote a "
            "value that starts with one",
        ),
        (
            ("comment or a line break", "comment or line break", "whitespace"),
            "unexpected text after the value",
            GENERAL_FIX,
        ),
    )
    for words, message, hint in kinds:
        if src.says(*words):
            where = f"line {src.mark.line + 1}: " if src.mark else ""
            return f"{where}{message}", hint, None
    return None


_EXPLAINERS = (
    _tab,
    _nesting,
    unclosed_quote,
    flow_problem,
    _colon,
    _simple_key,
    _block,
    _symbol,
    _other_kinds,
)
