"""YAML syntax errors in quotes, `[…]` and `{…}`: left open, closed wrong, or short of a comma."""

from __future__ import annotations

from typing import Any

from ccai_policy.load.yamlsource import Found, Mark, Source, key_of, quoted

_PAIRS = {"[": "]", "{": "}"}


def unclosed_quote(src: Source) -> Found:
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
    key = key_of(src.line(opening.line))
    example = f"`{key}: {quote}{rest}{quote}`" if key else f"`{quote}{rest}{quote}`"
    return (
        f"the text opened with {quote} on line {opening.line + 1} is never closed",
        f"end it with a matching {quote}, e.g. {example}",
        opening,
    )


def flow_problem(src: Source) -> Found:
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
            fixed = f"{key}: {quoted(value)}" if key else quoted(value)
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


def _unclosed_opener(src: Source, mark: Any) -> Mark | None:
    """The last `[` or `{` before a mark that nothing closes, skipping quotes and comments."""
    stack: list[Mark] = []
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
                stack.append(Mark(number, column))
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
