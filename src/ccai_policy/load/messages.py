"""Validation errors in the words of the person who wrote the file: what, and how to fix it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from ccai_policy.load.modelfields import FIELD_REFERENCE, Field, field_at, field_names
from ccai_policy.load.valuemessages import explain_value
from ccai_policy.load.valuetext import cut, lower_first, shown
from ccai_policy.model.vocabulary import described_values
from ccai_policy.spelling import FEW, did_you_mean, listing


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
    return explain_value(field, value, error)


def _missing(field: Field) -> tuple[str, str]:
    what = f": {lower_first(field.description)}" if field.description else ""
    message = f"is missing{what.rstrip('.')}"
    if field.example is not None:
        return message, f"add it, for example {field.written(field.example)}"
    return message, f"add `{field.key}:` with its fields indented below it; see {FIELD_REFERENCE}"


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
