"""From the declaration's JSON Schema: one declaration using every model and field, and copies of it
with every field of one model given a value of the wrong type."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ccai_policy.model.declaration import LIST_SECTIONS, REFERENCES

from .strategies import SCHEMA

#: The one id every item has: ids are unique per section, so sharing it across sections is valid.
SHARED_ID = "x-1"
#: A valid sample for each pattern the schema uses; a new pattern needs a sample here.
PATTERN_SAMPLES = {
    "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$": SHARED_ID,
    "^[A-Z]{2}(-[A-Z0-9]{1,3})?$": "US-CA",
    "^[A-Z]{3}$": "USD",
    "^[0-9a-f]{64}$": "0" * 64,
    "^[a-z][a-z0-9]*(-[a-z0-9]+)*-(19|20)[0-9]{2}$": "wga-mba-2023",
}
FORMAT_SAMPLES = {
    "date": "2026-05-01",
    "date-time": "2026-05-01T09:00:00Z",
    "uri": "https://example.org/x",
}


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[1] if ref else None


def _options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """The non-null alternatives of a property, references resolved."""
    options = schema.get("anyOf", [schema])
    return [_resolve(o) for o in options if o.get("type") != "null"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    name = _ref_name(schema)
    return {**SCHEMA["$defs"][name], "model": name} if name else schema


def sample(schema: dict[str, Any]) -> Any:
    """A valid value with every optional property present."""
    schema = _options(schema)[0]
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "string":
        if "format" in schema:
            return FORMAT_SAMPLES[schema["format"]]
        return PATTERN_SAMPLES[schema["pattern"]] if "pattern" in schema else "text"
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        return [sample(schema["items"])]
    assert kind == "object", schema
    return {name: sample(prop) for name, prop in schema.get("properties", {}).items()}


def full_declaration() -> dict[str, Any]:
    """A valid declaration in which every field of every model is present."""
    data: dict[str, Any] = sample(SCHEMA)
    for section, field, _, many in REFERENCES:
        for item in data[section]:
            item[field] = [SHARED_ID] if many else SHARED_ID
    assert set(LIST_SECTIONS) <= set(data)
    return data


@dataclass(frozen=True)
class WrongField:
    """A field given a value of the wrong type, and where it is."""

    model: str
    loc: tuple[str | int, ...]
    value: Any


def _instances(
    schema: dict[str, Any], value: Any, loc: tuple[str | int, ...]
) -> Iterator[tuple[str, tuple[str | int, ...], dict[str, Any]]]:
    """(model name, location, object schema) for each object in the data, outermost first."""
    for option in _options(schema):
        if option.get("type") == "object" and isinstance(value, dict):
            yield option.get("model", "Declaration"), loc, option
            for name, prop in option.get("properties", {}).items():
                if name in value:
                    yield from _instances(prop, value[name], (*loc, name))
        elif option.get("type") == "array" and isinstance(value, list):
            for index, item in enumerate(value):
                yield from _instances(option["items"], item, (*loc, index))


def wrong_value(schema: dict[str, Any]) -> Any:
    """A value no alternative of the property accepts: text for a list, a list for the rest."""
    accepts_list = any(o.get("type") == "array" for o in _options(schema))
    return "text, not a list" if accepts_list else ["a", "list"]


def every_model_wrong() -> dict[str, tuple[dict[str, Any], list[WrongField]]]:
    """Per model: the full declaration with every field of its first instance of the wrong type."""
    base = full_declaration()
    cases: dict[str, tuple[dict[str, Any], list[WrongField]]] = {}
    for model, loc, schema in _instances(SCHEMA, base, ()):
        if model in cases:
            continue
        data = copy.deepcopy(base)
        target: Any = data
        for part in loc:
            target = target[part]
        wrong = []
        for name, prop in schema["properties"].items():
            target[name] = wrong_value(prop)
            wrong.append(WrongField(model, (*loc, name), target[name]))
        cases[model] = (data, wrong)
    return cases
