"""Validation errors in the words of the person who wrote the file: what, and how to fix it."""

from __future__ import annotations

import json
import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ccai_policy.model.vocabulary import described_values, human_title
from ccai_policy.spelling import FEW, did_you_mean, listing, nearest

#: Values echoed in messages are cut to about this many characters.
SHOWN_LENGTH = 80
#: Where a person reads every field, its meaning and its allowed values.
FIELD_REFERENCE = "docs/fields.md"

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


@dataclass(frozen=True)
class Field:
    """What the models say about the field at a location, as far as it is known."""

    key: str
    info: FieldInfo | None
    annotation: Any
    item: bool = False  # the location is an item of the field's list

    @property
    def description(self) -> str:
        return (self.info.description or "") if self.info else ""

    @property
    def example(self) -> Any:
        """An example of the value at the location (an item's, for an item of a list)."""
        examples = self.info.examples if self.info else None
        example = examples[0] if examples else None
        if self.item and isinstance(example, list):
            return example[0] if example else None
        return example

    def written(self, value: Any) -> str:
        """`key: value` for the location, as a person writes it (`key: [value]` for an item)."""
        return line(self.key, [value] if self.item else value)

    @property
    def title(self) -> str:
        return human_title(self.key) if self.key else "value"


def field_at(model: type[BaseModel], loc: Sequence[str | int]) -> Field:
    """The field a location names: ('people', 1, 'roles') is Person.roles."""
    options: list[Any] = [model]
    info: FieldInfo | None = None
    annotation: Any = model
    for part in loc:
        following: list[Any] = []
        for option in options:
            if isinstance(part, int) and typing.get_origin(option) is list:
                following.extend(_candidates(typing.get_args(option)[0]))
            elif isinstance(option, type) and issubclass(option, BaseModel):
                for name, field in option.model_fields.items():
                    if part in (name, field.alias):
                        info, annotation = field, field.annotation
                        following.extend(_candidates(field.annotation))
        options = following
    item = bool(loc) and isinstance(loc[-1], int)
    if item and len(loc) >= 2 and not isinstance(loc[-2], str):
        info = None  # an item of an item: no field describes it
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    return Field(key, info, annotation, item)


def field_names(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the mapping at a location, e.g. Person's at ('people', 1)."""
    options: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for option in options:
            if isinstance(part, int) and typing.get_origin(option) is list:
                following.extend(_candidates(typing.get_args(option)[0]))
            elif isinstance(option, type) and issubclass(option, BaseModel):
                for name, info in option.model_fields.items():
                    if part in (name, info.alias):
                        following.extend(_candidates(info.annotation))
        options = following
    return sorted(
        info.alias or name
        for option in options
        if isinstance(option, type) and issubclass(option, BaseModel)
        for name, info in option.model_fields.items()
    )


def _candidates(annotation: Any) -> list[Any]:
    """The types a value of an annotation may have: unions and Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(annotation)[0])
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return [c for arg in typing.get_args(annotation) for c in _candidates(arg)]
    return [annotation]


def cut(text: str, limit: int = SHOWN_LENGTH) -> str:
    """Text as echoed in a message: whole when short, else its start and an ellipsis."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def shown(value: Any) -> str:
    """A value as YAML writes it (true, null, 'text', 4.2), containers by kind, long ones cut."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty (null)"
    if isinstance(value, dict | list):
        return kind_of(value)
    if isinstance(value, str) and len(value) > SHOWN_LENGTH:
        return f"{value[: SHOWN_LENGTH - 20]!r}… ({len(value):,} characters)"
    if isinstance(value, int) and abs(value) >= 10**SHOWN_LENGTH:
        return f"a number of {len(str(abs(value))):,} digits"
    return repr(value)


def kind_of(value: Any) -> str:
    """What a YAML value is, in the words of someone who wrote it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "empty"
    return "text"


def as_yaml(value: Any) -> str:
    """A value the way a person writes it in YAML flow style."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list):
        return f"[{', '.join(as_yaml(v) for v in value)}]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {as_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str):
        plain = (
            value and not any(c in value for c in ":#,[]{}&*!|>'\"%@`") and value.strip() == value
        )
        lowered = value.lower()
        if plain and lowered not in ("true", "false", "null", "yes", "no", "on", "off", "~"):
            try:
                float(value)
            except ValueError:
                return value
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def line(key: str, value: Any) -> str:
    """`key: value` as a person writes it."""
    return f"`{key}: {as_yaml(value)}`" if key else f"`{as_yaml(value)}`"


def explain(error: Any, model: type[BaseModel], data: Any) -> tuple[str, str]:
    """The message and the hint for one pydantic error, in plain words."""
    loc = tuple(error["loc"])
    kind: str = error["type"]
    value = error.get("input")
    field = field_at(model, loc)
    if kind == "missing":
        return _missing(field)
    if kind == "extra_forbidden":
        return _unknown_field(model, loc, data)
    if kind in ("literal_error", "enum"):
        return _not_allowed(field, value)
    if kind == "value_error" and _time_kind(field.annotation):  # a number where a date belongs
        return (_date if _time_kind(field.annotation) == "date" else _datetime)(field, value, error)
    handler = _HANDLERS.get(kind) or next(
        (h for prefix, h in _PREFIXES if kind.startswith(prefix)), _other
    )
    return handler(field, value, error)


def _time_kind(annotation: Any) -> str:
    """'date' or 'datetime' for a date or time field, else ''."""
    import datetime as dt

    for candidate in _candidates(annotation):
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


def _missing(field: Field) -> tuple[str, str]:
    what = f": {_lower_first(field.description)}" if field.description else ""
    message = f"is missing{what.rstrip('.')}"
    if field.example is not None:
        return message, f"add it, for example {field.written(field.example)}"
    return message, f"add `{field.key}:` with its fields indented below it; see {FIELD_REFERENCE}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _unknown_field(model: type[BaseModel], loc: tuple[Any, ...], data: Any) -> tuple[str, str]:
    name = str(loc[-1])
    container = _at(data, loc[:-1])
    cut_text = _cut_at_comma(container, name)
    if cut_text is not None:
        text_key, whole = cut_text
        return (
            f"is read as a field name: the text of `{text_key}` was cut at a comma, because "
            "inside `{…}` a comma separates fields",
            f"put the whole text in quotes: `{text_key}: {json.dumps(whole, ensure_ascii=False)}`",
        )
    fields = field_names(model, loc[:-1])
    suggestion = did_you_mean(name, fields)
    where = "here" if len(loc) > 1 else "at the top of the file"
    message = f"is not a field: there is no field `{cut(name)}` {where}"
    if suggestion:
        return message, suggestion
    if len(fields) <= FEW:
        return message, f"the fields here are {listing(fields)}; check the spelling"
    return message, f"check the spelling; every field is listed in {FIELD_REFERENCE}"


def _at(data: Any, loc: Sequence[Any]) -> Any:
    for part in loc:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and part < len(data)
        ):
            data = data[part]
        else:
            return None
    return data


def _cut_at_comma(container: Any, name: str) -> tuple[str, str] | None:
    """For `{text: A, b c.}`: ('text', 'A, b c.') — words after a comma read as a key."""
    if not isinstance(container, dict) or container.get(name) is not None or " " not in name:
        return None
    keys = list(container)
    index = keys.index(name)
    for previous in reversed(keys[:index]):
        if isinstance(container[previous], str):
            between = [k for k in keys[keys.index(previous) + 1 : index + 1]]
            return previous, ", ".join([container[previous], *between])
        if container[previous] is not None:
            return None
    return None


def _not_allowed(field: Field, value: Any) -> tuple[str, str]:
    meanings = described_values(field.annotation)
    if set(meanings) >= {"true", "false", "unknown"}:  # a fact: true, false or unknown
        return (
            f"is {shown(value)}, but it should be true, false or unknown",
            f"write `{field.key}: true`, `{field.key}: false` or `{field.key}: unknown`, "
            "without quotes around true or false",
        )
    allowed = [v for v in meanings if v != "None"]
    if len(allowed) == 1:
        return (
            f"is {shown(value)}; it must be {allowed[0]}",
            f"write {field.written(allowed[0])}",
        )
    message = f"is {shown(value)}, which is not one of the allowed values"
    suggestion = did_you_mean(value, allowed) if isinstance(value, str) else ""
    if len(allowed) <= FEW:
        listed = f"allowed: {listing(allowed)}"
        return message, f"{suggestion} {listed}" if suggestion else listed
    return message, suggestion or f"the allowed values are listed in {FIELD_REFERENCE}"


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
    what = f" ({_lower_first(field.description).rstrip('.')})" if field.description else ""
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


def suggest_id(ref: str, ids: Sequence[str]) -> list[str]:
    """Ids near a dangling reference, for 'did you mean'."""
    return nearest(ref, ids, limit=1)
