"""Strategies for valid declarations (from the model's JSON Schema), corrupted ones and raw YAML."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from typing import Any

from hypothesis import strategies as st

from ccai_policy.model.declaration import LIST_SECTIONS, REFERENCES, Declaration

Draw = Callable[[st.SearchStrategy[Any]], Any]
SCHEMA: dict[str, Any] = Declaration.model_json_schema(by_alias=True, mode="validation")

#: Text a person may type, with what breaks markup, YAML, XML and terminals mixed in.
TEXT = st.lists(
    st.characters(codec="utf-8")
    | st.sampled_from(["<", ">", "&", '"', "'", "\n", "::", "{{", "#", "\x1b", "\t", "\x00"]),
    min_size=1,
    max_size=20,
).map("".join)
OFFSETS = st.integers(-23 * 60, 23 * 60).map(lambda minutes: dt.timedelta(minutes=minutes))
DATES = st.dates().map(dt.date.isoformat)
# Times always carry a zone: the models refuse a time without one (it names no instant).
DATETIMES = st.datetimes(timezones=st.just(dt.UTC) | st.builds(dt.timezone, OFFSETS))
URLS = st.from_regex(r"https://[a-z]{1,10}\.example/[a-z0-9/]{0,20}", fullmatch=True)
#: Evidence files: relative paths inside the declaration's folder, or (for manifests) URLs.
PATHS = st.from_regex(r"[a-z0-9_-]{1,12}(/[a-z0-9_-]{1,12}){0,2}\.(pdf|c2pa|wav)", fullmatch=True)
#: Evidence paths a declaration must not use, and one that is merely odd.
HOSTILE_PATHS = st.sampled_from(
    ["../../etc/passwd", "/etc/passwd", "a\x00b.pdf", "évidence/ü.pdf", "x/" * 150, "."]
)
#: Values of every YAML kind, put in place of a field to give it the wrong type.
WRONG_VALUES = st.sampled_from(
    [True, False, None, 0, -1, 1.5, "text", "NO", "on", "012", "2026-13-45", [], ["x"], {"a": 1}]
) | st.integers(min_value=-(2**70), max_value=2**70)
UNKNOWN_KEYS = st.sampled_from(["categry", "extra", "Id", "<<", "a b", "ünïcode", "x" * 200])


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMA["$defs"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def from_schema(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    """Values valid against a fragment of the declaration's JSON Schema."""
    return _cached(json.dumps(schema, sort_keys=True))


@cache
def _cached(key: str) -> st.SearchStrategy[Any]:
    return st.deferred(lambda: _build(json.loads(key)))


def _build(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    schema = _resolve(schema)
    if "anyOf" in schema:
        return st.one_of([from_schema(option) for option in schema["anyOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind, low = schema.get("type"), schema.get("minimum")
    if isinstance(kind, list):  # an optional field: `type: [string, null]`
        return st.one_of([from_schema({**schema, "type": one}) for one in kind])
    if kind == "null":
        return st.none()
    above = schema.get("exclusiveMinimum")  # e.g. an exchange rate: more than 0
    if kind == "number" and above is not None:
        return st.floats(min_value=above, exclude_min=True, allow_nan=False, allow_infinity=False)
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return st.integers(min_value=low if low is not None else -(2**63), max_value=2**63 - 1)
    if kind == "number":
        return st.floats(min_value=low, allow_nan=False, allow_infinity=False) | st.integers(
            min_value=low if low is not None else -(2**53), max_value=2**53
        )
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        least = schema.get("minItems", 0)
        return st.lists(from_schema(schema["items"]), min_size=least, max_size=least + 3)
    if kind == "object":
        properties, required = schema.get("properties", {}), set(schema.get("required", []))
        mappings = st.fixed_dictionaries(
            {k: from_schema(v) for k, v in properties.items() if k in required},
            optional={k: from_schema(v) for k, v in properties.items() if k not in required},
        )
        conditions = schema.get("allOf", [])
        return mappings.map(lambda item: _conditioned(item, conditions)) if conditions else mappings
    return st.none()


def _conditioned(item: dict[str, Any], conditions: list[dict[str, Any]]) -> dict[str, Any]:
    """Apply `if: {properties: {k: {const: v}}}, then: {properties: {f: {enum: [...]}}}`."""
    for condition in conditions:
        [(key, test)] = condition["if"]["properties"].items()
        if "const" not in test or item.get(key) != test["const"]:
            continue
        for field, allowed in condition["then"]["properties"].items():
            if field in item and item[field] not in allowed["enum"]:
                item[field] = allowed["enum"][0]
    return item


def _string(schema: dict[str, Any]) -> st.SearchStrategy[Any]:
    form = schema.get("format")
    if form == "date":
        return DATES
    if form == "date-time":
        return DATETIMES.map(dt.datetime.isoformat)
    if form == "uri":
        return URLS
    if "pattern" in schema:
        return st.from_regex(schema["pattern"], fullmatch=True)
    return TEXT


def _item_schema(section: str) -> dict[str, Any]:
    return _resolve(SCHEMA["properties"][section]["items"])


def _required(schema: dict[str, Any], item: dict[str, Any]) -> set[str]:
    """The fields an item must have: the schema's `required`, and the `then: {required}` of
    each `if: {properties: {k: {not: {const: v}}}}` that holds for it."""
    required = set(schema.get("required", []))
    for condition in schema.get("allOf", []):
        [(key, test)] = condition["if"]["properties"].items()
        excluded = test.get("not", {}).get("const", object())
        if "not" in test and item.get(key) != excluded:
            required.update(condition["then"].get("required", []))
    return required


def _unique_ids(items: list[dict[str, Any]]) -> list[str]:
    seen: set[str] = set()
    for index, item in enumerate(items):
        while item["id"] in seen:
            item["id"] = f"{item['id'][:100]}.{index}"
        seen.add(item["id"])
    return [item["id"] for item in items]


def _link(draw: Draw, data: dict[str, Any]) -> None:
    """Make ids unique per section and point every reference at an item that exists."""
    ids: dict[str, list[str]] = {}
    for section in LIST_SECTIONS:
        schema = _item_schema(section)
        kept = []
        for item in data.get(section, []):
            for name, field, target, many in REFERENCES:
                if name != section:
                    continue
                least = schema["properties"][field].get("minItems", 0)
                needed = field in _required(schema, item) and (not many or least > 0)
                if not ids[target]:
                    if needed:
                        break
                    item.pop(field, None)
                    continue
                choice = st.sampled_from(ids[target])
                item[field] = draw(st.lists(choice, min_size=least, max_size=3) if many else choice)
            else:
                kept.append(item)
        if section in data:
            data[section] = kept
        ids[section] = _unique_ids(kept)


def _items(data: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """The mappings of a section; an earlier mutation may have made it anything."""
    items = data.get(section)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _evidence_fields(data: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(mapping, key) of every field that names an evidence file."""
    fields = []
    for consent in _items(data, "consents"):
        if isinstance(consent.get("evidence"), dict):
            fields.append((consent["evidence"], "path"))
    for asset in _items(data, "assets"):
        if asset.get("path") is not None:
            fields.append((asset, "path"))
        if isinstance(asset.get("content_credentials"), dict):
            fields.append((asset["content_credentials"], "manifest"))
    return fields


@st.composite
def declarations(draw: Draw) -> dict[str, Any]:
    """A declaration the models accept, with unique ids, every reference resolving and every
    evidence path inside the declaration's folder."""
    data: dict[str, Any] = draw(from_schema(SCHEMA))
    for section in LIST_SECTIONS:  # mostly non-empty, so that references have targets
        count = draw(st.integers(0, 4))
        item = from_schema(SCHEMA["properties"][section]["items"])
        data[section] = draw(st.lists(item, min_size=count, max_size=count))
    _link(draw, data)
    _released_before_distributed(data)
    for mapping, key in _evidence_fields(data):
        mapping[key] = draw(PATHS | URLS if key == "manifest" else PATHS)
    return data


def _released_before_distributed(data: dict[str, Any]) -> None:
    """A work is distributed from its release on (the Production model refuses otherwise)."""
    production = data.get("production")
    if not isinstance(production, dict):
        return
    starts, ends = production.get("release_date"), production.get("distributed_until")
    if isinstance(starts, str) and isinstance(ends, str) and ends < starts:  # ISO text sorts
        production["release_date"], production["distributed_until"] = ends, starts


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _nodes(child, (*path, index))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        data = data[part]
    return data


def _wrong_type(draw: Draw, data: dict[str, Any]) -> None:
    path = draw(st.sampled_from(_nodes(data)))
    _parent(data, path)[path[-1]] = draw(WRONG_VALUES)


def _delete(draw: Draw, data: dict[str, Any]) -> None:
    keys = [p for p in _nodes(data) if isinstance(p[-1], str)]
    path = draw(st.sampled_from(keys))
    del _parent(data, path)[path[-1]]


def _unknown_key(draw: Draw, data: dict[str, Any]) -> None:
    mappings = [()] + [p for p in _nodes(data) if isinstance(_parent(data, (*p, 0)), dict)]
    target = _parent(data, (*draw(st.sampled_from(mappings)), 0))
    target[draw(UNKNOWN_KEYS)] = draw(WRONG_VALUES)


def _dangle(draw: Draw, data: dict[str, Any]) -> None:
    sites = [
        (item, field)
        for section, field, _, _ in REFERENCES
        for item in _items(data, section)
        if field in item
    ]
    if sites:
        item, field = draw(st.sampled_from(sites))
        dangling = draw(st.sampled_from(["no-such-id", item.get("id"), "p-ana ", ""]))
        item[field] = [dangling] if isinstance(item[field], list) else dangling


def _duplicate(draw: Draw, data: dict[str, Any]) -> None:
    sections = [s for s in LIST_SECTIONS if isinstance(data.get(s), list) and data[s]]
    if sections:
        items = data[draw(st.sampled_from(sections))]
        items.insert(draw(st.integers(0, len(items))), copy.deepcopy(draw(st.sampled_from(items))))


def _hostile_path(draw: Draw, data: dict[str, Any]) -> None:
    fields = _evidence_fields(data)
    if fields:
        mapping, key = draw(st.sampled_from(fields))
        mapping[key] = draw(HOSTILE_PATHS)


MUTATIONS = [_wrong_type, _delete, _unknown_key, _dangle, _duplicate, _hostile_path]


@st.composite
def corrupted_declarations(draw: Draw) -> dict[str, Any]:
    """A declaration with one to three mistakes: wrong types, missing or unknown keys,
    dangling references, duplicate ids, evidence paths outside its folder."""
    data: dict[str, Any] = draw(declarations())
    for _ in range(draw(st.integers(1, 3))):
        draw(st.sampled_from(MUTATIONS))(draw, data)
    return data


@st.composite
def hostile_evidence_paths(draw: Draw) -> dict[str, Any]:
    """A valid declaration but for one evidence path that is absolute, escapes, or is odd."""
    data: dict[str, Any] = draw(declarations())
    _hostile_path(draw, data)
    return data
