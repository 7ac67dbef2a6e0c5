"""Values of the wrong type or form, in plain words: what is wrong and how to write it."""

from __future__ import annotations

from typing import Any

from ccai_policy.load.modelfields import FIELD_REFERENCE, Field, candidates
from ccai_policy.load.valuetext import line, lower_first, shown


def explain_value(field: Field, value: Any, error: Any) -> tuple[str, str]:
    """The message and the hint for a value of the wrong type or form, by pydantic error type."""
    kind: str = error["type"]
    if kind == "value_error" and time_kind(field.annotation):  # a number where a date belongs
        return (_date if time_kind(field.annotation) == "date" else _datetime)(field, value, error)
    handler = _HANDLERS.get(kind) or next(
        (h for prefix, h in _PREFIXES if kind.startswith(prefix)), _other
    )
    return handler(field, value, error)


#: Each pattern the models use, in words, with an example.
PATTERNS = {
    r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$": (
        "an id is letters, digits, '.', '_', ':' or '-', starting with a letter or digit, "
        "at most 128 characters",
        "p-ana",
    ),
    r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$": (
        "write a territory as a country code such as `US` or `DK`, a region such as `US-CA`, "
        "or `EU` for the European Union",
        "US-CA",
    ),
    r"^[0-9a-f]{64}$": (
        "a SHA-256 is 64 hex digits, 0-9 and a-f, in lower case (`sha256sum FILE` prints it)",
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    ),
    r"^[A-Z]{3}$": ("write a currency as its three-letter code in capitals", "USD"),
    r"^[A-Z]+(-[A-Z0-9]+)*-[0-9]{3}$": (
        "a rule id is capital words joined by '-', ending in three digits",
        "CONSENT-REPLICA-001",
    ),
    r"^[a-z0-9][a-z0-9-]{0,63}$": (
        "a policy id is lowercase letters, digits and '-', at most 64 characters",
        "acme-studio",
    ),
    r"^[a-z][a-z0-9_]{0,30}$": (
        "a name in expressions is lowercase letters, digits and '_', starting with a letter",
        "use",
    ),
}


def time_kind(annotation: Any) -> str:
    """'date' or 'datetime' for a date or time field, else ''."""
    import datetime as dt

    for candidate in candidates(annotation):
        name = getattr(candidate, "__name__", "")
        if candidate is dt.datetime or name == "AwareDatetime":
            return "datetime"
        if candidate is dt.date:
            return "date"
    return ""


def _example_hint(field: Field, lead: str = "for example") -> str:
    if field.example is None:
        return f"see {field.title.lower()} in {FIELD_REFERENCE}"
    return f"{lead} {field.written(field.example)}"


def _text(field: Field, value: Any, error: Any) -> tuple[str, str]:
    message = f"is {shown(value)}, but it should be text"
    if isinstance(value, bool):
        written = field.written("no" if not value else "yes")
        return message, (
            "YAML reads unquoted yes, no, on, off, true and false as true or false; if you "
            f"meant text, put it in quotes as you wrote it, e.g. {written}"
        )
    if isinstance(value, int | float):
        written = field.written(str(value))
        return message, f"if it is text, put it in quotes as you wrote it, e.g. {written}"
    return message, _example_hint(field, "write one value, e.g.")


def _pattern(field: Field, value: Any, error: Any) -> tuple[str, str]:
    pattern = str(error.get("ctx", {}).get("pattern", ""))
    words, example = PATTERNS.get(pattern, ("", ""))
    message = f"is {shown(value)}, which is not written the way it must be"
    fixed = _fixed(value, pattern)
    if fixed:
        return message, f"did you mean '{fixed}'? {words}".strip()
    example_text = f", e.g. {field.written(example)}" if example else ""
    return message, (words + example_text) if words else _example_hint(field)


def _fixed(value: Any, pattern: str) -> str:
    """The value in the case or with the separators the pattern wants, when that is all."""
    import re

    if not isinstance(value, str) or not pattern:
        return ""
    for candidate in (value.upper(), value.lower(), value.strip().replace(" ", "-")):
        if candidate != value and re.match(pattern, candidate):
            return candidate
    return ""


def _length(field: Field, value: Any, error: Any) -> tuple[str, str]:
    ctx = error.get("ctx", {})
    if error["type"] == "string_too_short":
        need = ctx.get("min_length", 1)
        if not value:
            return "is empty", _example_hint(field, "write it, e.g.")
        return (
            f"is too short: at least {need} characters are needed",
            _example_hint(field, "say more, e.g."),
        )
    limit = ctx.get("max_length", 0)
    return (
        f"is {len(value) if isinstance(value, str) else 0:,} characters, "
        f"over the limit of {limit:,}",
        "shorten it",
    )


def _items(field: Field, value: Any, error: Any) -> tuple[str, str]:
    ctx = error.get("ctx", {})
    if error["type"] == "too_short":
        need = ctx.get("min_length", 1)
        return (
            f"needs at least {need} entr{'y' if need == 1 else 'ies'}",
            _example_hint(field, "add one, e.g."),
        )
    return "has too many entries", f"at most {ctx.get('max_length', 0):,}"


def _list(field: Field, value: Any, error: Any) -> tuple[str, str]:
    if value is None:
        return (
            "is empty (null), but it should be a list",
            f"write `{field.key}: []` for none, or list the entries",
        )
    if isinstance(value, str | int | float):
        return (
            f"is {shown(value)}, but it should be a list",
            f"write it as a list: {line(field.key, [value])}",
        )
    return f"is {shown(value)}, but it should be a list", _example_hint(field)


def _mapping(field: Field, value: Any, error: Any) -> tuple[str, str]:
    if value is None:
        return (
            "is empty (null), but it should hold fields",
            "write its fields indented below it, or leave the key out",
        )
    message = f"is {shown(value)}, but it should be a mapping of fields"
    if field.example is not None:
        return message, f"for example {field.written(field.example)}"
    return message, f"write its fields indented below `{field.key}:`; see {FIELD_REFERENCE}"


def _boolean(field: Field, value: Any, error: Any) -> tuple[str, str]:
    return (
        f"is {shown(value)}, but it should be true or false",
        f"write `{field.key}: true` or `{field.key}: false`, without quotes",
    )


def _whole(field: Field, value: Any, error: Any) -> tuple[str, str]:
    example = field.example if isinstance(field.example, int) else 2
    if error["type"] == "int_from_float":
        return f"is {shown(value)}, but it should be a whole number", (
            f"write a whole number, e.g. `{field.key}: {example}`"
        )
    return (
        f"is {shown(value)}, but it should be a whole number",
        f"write digits only, without quotes, e.g. `{field.key}: {example}`",
    )


def _number(field: Field, value: Any, error: Any) -> tuple[str, str]:
    example = field.example if isinstance(field.example, int | float) else 2500
    if error["type"] == "finite_number":
        return (
            f"is {shown(value)}, which is not an amount",
            f"write the actual number, e.g. `{field.key}: {example}`",
        )
    return (
        f"is {shown(value)}, but it should be a number",
        f"write digits without quotes, currency signs or thousands separators, "
        f"e.g. `{field.key}: {example}`",
    )


def _bound(field: Field, value: Any, error: Any) -> tuple[str, str]:
    ctx = error.get("ctx", {})
    words = {
        "greater_than_equal": ("ge", "or more"),
        "greater_than": ("gt", "or more, not equal"),
        "less_than_equal": ("le", "or less"),
        "less_than": ("lt", "or less, not equal"),
    }
    key, text = words.get(error["type"], ("", ""))
    limit = ctx.get(key, "")
    return (
        f"is {shown(value)}; it must be {limit} {text}".rstrip(),
        _example_hint(field, "e.g."),
    )


def _date(field: Field, value: Any, error: Any) -> tuple[str, str]:
    example = field.example or "2026-05-11"
    if error["type"] == "date_from_datetime_inexact":
        return (
            f"is {shown(value)}, a date with a time; a date alone is wanted",
            f"write the day only, e.g. `{field.key}: {str(example)[:10]}`",
        )
    return (
        f"is {shown(value)}, which is not a date",
        f"write dates as year-month-day, YYYY-MM-DD, e.g. `{field.key}: {example}`",
    )


def _datetime(field: Field, value: Any, error: Any) -> tuple[str, str]:
    example = field.example or "2026-04-20T15:00:00Z"
    if error["type"] in ("timezone_aware", "timezone_naive"):
        return (
            f"is {shown(value)}, a time without a time zone",
            f"add Z for UTC or an offset such as +02:00, e.g. `{field.key}: {example}`",
        )
    return (
        f"is {shown(value)}, which is not a date and time",
        "write YYYY-MM-DDTHH:MM:SS and a time zone (Z for UTC, or an offset such as +02:00), "
        f"e.g. `{field.key}: {example}`",
    )


def _url(field: Field, value: Any, error: Any) -> tuple[str, str]:
    example = field.example or "https://example.com/page"
    return (
        f"is {shown(value)}, which is not a web address",
        f"write the whole address, starting with https://, e.g. `{field.key}: {example}`",
    )


def _own(field: Field, value: Any, error: Any) -> tuple[str, str]:
    """A check written in this project: its words are already the user's."""
    text = str(error.get("msg", "")).removeprefix("Value error, ")
    text = text.removeprefix("Assertion failed, ")
    return f"is not accepted: {text}", _example_hint(field)


def _other(field: Field, value: Any, error: Any) -> tuple[str, str]:
    what = f" ({lower_first(field.description).rstrip('.')})" if field.description else ""
    return f"is {shown(value)}, which is not accepted here{what}", _example_hint(field)


_HANDLERS = {
    "string_type": _text,
    "string_pattern_mismatch": _pattern,
    "string_too_short": _length,
    "string_too_long": _length,
    "too_short": _items,
    "too_long": _items,
    "list_type": _list,
    "dict_type": _mapping,
    "model_type": _mapping,
    "model_attributes_type": _mapping,
    "finite_number": _number,
    "value_error": _own,
    "assertion_error": _own,
}


_PREFIXES = (
    ("bool", _boolean),
    ("int", _whole),
    ("float", _number),
    ("greater_than", _bound),
    ("less_than", _bound),
    ("datetime", _datetime),
    ("timezone", _datetime),
    ("date", _date),
    ("url", _url),
)
