"""YAML syntax errors explained in plain words, with the fix, from the parser's marks and the text.

The parser's own sentences ("while parsing a block mapping did not find expected key") never
reach a user: each kind of mistake is recognised from where the parser stopped and what the
lines around it hold, and a kind not recognised still gets plain words and a general fix.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ccai_policy.errors import LoadError, Location

_PAIRS = {"[": "]", "{": "}"}
_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([^\s#:][^:#]*?)\s*:(?:\s|$)")
#: How a line is written: keys, list items, spaces; the hint of last resort.
GENERAL_FIX = (
    "a field is `key: value` and a list item `- value`, indented with spaces; put text in "
    'quotes ("...") when it holds `: ` or ` #`, or starts with a symbol such as @ or `'
)


class _Source:
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


def explain_syntax(exc: Any, path: str, text: str) -> LoadError:
    """A LoadError for a PyYAML MarkedYAMLError, in plain words, at the most useful place."""
    src = _Source(exc, text)
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


Found = tuple[str, str, Any] | None


def _tab(src: _Source) -> Found:
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
                _Mark(number, column),
            )
    return None


def _nesting(src: _Source) -> Found:
    if not src.says("nesting", "nest level"):
        return None
    from ccai_policy.load.yamltree import MAX_DEPTH

    return f"nesting is deeper than {MAX_DEPTH} levels", "flatten it", None


def _quote(src: _Source) -> Found:
    if not src.says("quoted scalar", "double-quoted"):
        return None
    opening = src.start or src.mark
    if src.says("escape", "hexadecimal"):
        return (
            "a backslash in double-quoted text starts an escape such as \\n, and this one is "
            "not an escape YAML knows",
            "write \\\\ for a backslash, or put the text in single quotes ('...') instead",
            src.mark,
        )
    quote = src.char(opening) or '"'
    rest = src.line(opening.line)[opening.column + 1 :].rstrip()
    key = _key_of(src.line(opening.line))
    example = f"`{key}: {quote}{rest}{quote}`" if key else f"`{quote}{rest}{quote}`"
    return (
        f"the text opened with {quote} on line {opening.line + 1} is never closed",
        f"end it with a matching {quote}, e.g. {example}",
        opening,
    )


def _flow(src: _Source) -> Found:
    in_flow = src.says("flow mapping", "flow sequence", "flow node", "expected ',' or")
    unexpected_colon = src.says("unexpected ':'")
    if not (in_flow or unexpected_colon):
        return None
    opening = src.start if src.start is not None else src.mark
    if src.char(opening) not in _PAIRS:
        opening = _unclosed_opener(src, src.mark) or opening
    opener = src.char(opening)
    closer = _PAIRS.get(opener, "]" if src.says("sequence", "']'") else "}")
    mark = src.mark
    closed_later = closer in "\n".join(src.lines[mark.line :])[mark.column :]
    if mark.line == opening.line or unexpected_colon or closed_later:
        char = src.char(mark)
        if char in "]}" and char != closer:
            return (
                f"the `{opener}` at column {opening.column + 1} is closed by `{char}`",
                f"close it with `{closer}`",
                mark,
            )
        entry = _flow_entry(src.line(mark.line), mark.column)
        if char == ":" or unexpected_colon:
            key, value = entry
            fixed = f"{key}: {_quoted(value)}" if key else _quoted(value)
            return (
                "a colon inside unquoted text: in `{…}` and `[…]`, `: ` separates a key from "
                "its value",
                f"put the text in quotes: `{fixed}`",
                mark,
            )
        return (
            f"the list or mapping in `{opener}…{closer}` goes on after an entry without a comma",
            "separate entries with commas, and put text that holds a comma, colon or bracket in "
            'quotes ("...")',
            mark,
        )
    example = (
        "roles: [principal, voice]" if closer == "]" else "amount: {value: 2500, currency: USD}"
    )
    return (
        f"the `{opener}` on line {opening.line + 1} is never closed",
        f"close it with `{closer}` at the end of what it holds, e.g. `{example}`",
        opening,
    )


def _unclosed_opener(src: _Source, mark: Any) -> _Mark | None:
    """The last `[` or `{` before a mark that nothing closes, skipping quotes and comments."""
    stack: list[_Mark] = []
    for number in range(0, mark.line + 1):
        text = src.line(number)
        end = mark.column if number == mark.line else len(text)
        quote = ""
        for column, char in enumerate(text[:end]):
            if quote:
                quote = "" if char == quote else quote
            elif char in "\"'" and (column == 0 or text[column - 1] in " [{,:"):
                quote = char
            elif char == "#" and (column == 0 or text[column - 1] == " "):
                break
            elif char in _PAIRS:
                stack.append(_Mark(number, column))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _flow_entry(line: str, column: int) -> tuple[str, str]:
    """The key and the text of the flow entry around a column: `text: Note: x` -> ('text', ...)."""
    start = max(line.rfind(",", 0, column), line.rfind("{", 0, column), line.rfind("[", 0, column))
    ends = [i for i in (line.find(",", column), line.find("}", column), line.find("]", column))]
    end = min([i for i in ends if i >= 0], default=len(line))
    entry = line[start + 1 : end].strip()
    key, sep, value = entry.partition(": ")
    return (key.strip(), value.strip()) if sep else ("", entry)


def _colon(src: _Source) -> Found:
    if not src.says("mapping values are not allowed"):
        return None
    mark = src.mark
    line = src.line(mark.line)
    first = line.find(": ")
    if 0 <= first < mark.column or (first < 0 < line.find(":") < mark.column):
        key = _key_of(line)
        value = line[line.find(":") + 1 :].strip()
        return (
            f"a colon inside unquoted text on line {mark.line + 1}: `: ` separates a key from "
            "its value, so the text cannot hold one",
            f"put the text in quotes: `{key}: {_quoted(value)}`",
            mark,
        )
    previous = _previous_line(src, mark.line)
    if previous is not None:
        text = src.line(previous)
        squeezed = re.search(r"^\s*(?:-\s+)?([^\s:#]+):(\S.*)$", text)
        if squeezed:
            return (
                f"line {previous + 1} has no space after its colon, so `{squeezed[0].strip()}` "
                "is read as text, not as a key and a value",
                f"add a space after the colon: `{squeezed[1]}: {squeezed[2]}`",
                _Mark(previous, text.index(":")),
            )
        return _indent_message(src, mark.line, previous)
    return None


def _indent_message(src: _Source, number: int, previous: int | None) -> Found:
    text = src.line(number)
    indent = len(text) - len(text.lstrip(" "))
    levels = sorted(_levels_above(src, number))
    shown = ", ".join(str(level) for level in levels[:-1])
    shown = f"{shown} or {levels[-1]}" if len(levels) > 1 else (str(levels[0]) if levels else "0")
    above = f" line {previous + 1}" if previous is not None else ""
    return (
        f"line {number + 1} is indented by {indent} space{'s' if indent != 1 else ''}, which "
        f"lines it up with nothing above it{(' (compare' + above + ')') if above else ''}",
        f"indent it by exactly as many spaces as the fields it belongs with: here {shown} spaces",
        _Mark(number, indent),
    )


def _block(src: _Source) -> Found:
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
    if before.endswith(('"', "'")) and _key_of(line):
        value = line[line.find(":") + 1 :].strip()
        return (
            f"text follows the closing quote on line {mark.line + 1}",
            f"put the whole value inside the quotes: `{_key_of(line)}: "
            f"{_quoted(value.replace(before[-1], ''))}`",
            mark,
        )
    indent = len(line) - len(line.lstrip(" "))
    in_list = src.says("block collection", "'-' indicator")
    if in_list and not line.lstrip().startswith("-") and indent in _levels_above(src, mark.line):
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
    return _indent_message(src, mark.line, _previous_line(src, mark.line))


def _simple_key(src: _Source) -> Found:
    if not src.says("simple key", "could not find expected ':'"):
        return None
    start = src.start or src.mark
    return (
        f"line {start.line + 1} holds text where a `key: value` is expected",
        "write it as `key: value`; if it continues the text on the line above, indent it more "
        "than that line's key, or put the whole text in quotes on one line",
        start,
    )


def _symbol(src: _Source) -> Found:
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
    key = _key_of(line)
    value = line[line.find(":") + 1 :].strip() if key else line.strip()
    fixed = f"{key}: {_quoted(value)}" if key else _quoted(value)
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


def _other_kinds(src: _Source) -> Found:
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
    _quote,
    _flow,
    _colon,
    _simple_key,
    _block,
    _symbol,
    _other_kinds,
)


class _Mark:
    """A position made here (0-based), shaped like the parser's marks."""

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _key_of(line: str) -> str:
    match = _KEY_LINE.match(line)
    return match[2].strip() if match else ""


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _previous_line(src: _Source, number: int) -> int | None:
    for previous in range(number - 1, -1, -1):
        stripped = src.line(previous).strip()
        if stripped and not stripped.startswith("#"):
            return previous
    return None


def _levels_above(src: _Source, number: int) -> set[int]:
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
        elif _KEY_LINE.match(text):
            levels.add(indent)
        if indent == 0:
            break
    return levels
