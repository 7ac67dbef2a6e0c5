"""Strategies for valid declarations (from the model's JSON Schema), corrupted ones and raw YAML."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from typing import Any

import yaml
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
DATETIMES = st.datetimes(timezones=st.none() | st.just(dt.UTC) | st.builds(dt.timezone, OFFSETS))
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
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in properties.items() if k in required},
            optional={k: from_schema(v) for k, v in properties.items() if k not in required},
        )
    return st.none()


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
                needed = field in schema.get("required", []) and (not many or least > 0)
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


def _evidence_fields(data: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """(mapping, key) of every field that names an evidence file."""
    fields = [(c["evidence"], "path") for c in data.get("consents", []) if c.get("evidence")]
    for asset in data.get("assets", []):
        if asset.get("path") is not None:
            fields.append((asset, "path"))
        if asset.get("content_credentials"):
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
    for mapping, key in _evidence_fields(data):
        mapping[key] = draw(PATHS | URLS if key == "manifest" else PATHS)
    return data


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
        (section, index, field)
        for section, field, _, _ in REFERENCES
        for index, item in enumerate(data.get(section, []))
        if field in item
    ]
    if sites:
        section, index, field = draw(st.sampled_from(sites))
        item = data[section][index]
        dangling = draw(st.sampled_from(["no-such-id", item["id"], "p-ana ", ""]))
        item[field] = [dangling] if isinstance(item[field], list) else dangling


def _duplicate(draw: Draw, data: dict[str, Any]) -> None:
    sections = [s for s in LIST_SECTIONS if data.get(s)]
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


@st.composite
def yaml_documents(draw: Draw, data: st.SearchStrategy[Any]) -> bytes:
    """Data written as YAML in one of PyYAML's styles."""
    text = yaml.safe_dump(
        draw(data),
        sort_keys=draw(st.booleans()),
        allow_unicode=draw(st.booleans()),
        default_flow_style=draw(st.sampled_from([False, None, True])),
        width=draw(st.sampled_from([20, 80, 10_000])),
    )
    return text.encode("utf-8")


PIECES = st.sampled_from(
    [
        *":-[]{},&*!|>'\"#%@`?~=",
        "\n",
        "\n  ",
        "\n- ",
        ": ",
        "<<: ",
        "&a ",
        "*a",
        "!!str ",
        "!!python/object:os.system ",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "\t",
        "\ufeff",
        "\x85",
        "\u2028",
        "NO",
        "1e3",
        "012",
        ".nan",
        "2026-13-45",
        "9" * 400,
        "apiVersion: ccai-policy/v1\n",
        "kind: Declaration\n",
    ]
)


@st.composite
def mangled_yaml(draw: Draw) -> bytes:
    """The YAML of a valid declaration with pieces inserted, spans deleted and bytes broken."""
    raw = bytearray(draw(yaml_documents(declarations())))
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(raw)))
        action = draw(st.sampled_from(["insert", "delete", "byte"]))
        if action == "insert":
            raw[at:at] = draw(PIECES).encode("utf-8")
        elif action == "delete":
            del raw[at : at + draw(st.integers(1, 20))]
        else:
            raw[at:at] = bytes([draw(st.integers(0, 255))])
    return bytes(raw)


def yaml_soup() -> st.SearchStrategy[bytes]:
    """Text made of YAML's special characters and constructs, mostly not YAML at all."""
    return st.lists(PIECES | st.sampled_from(["a", "b", "1", " "]), max_size=60).map(
        lambda pieces: "".join(pieces).encode("utf-8")
    )


#: What a rule about uses (`for_each: uses`, `as: use`) can name.
CEL_NAMES = [
    "use",
    "uses",
    "people",
    "tools",
    "consents",
    "compensation",
    "production",
    "workforce",
    "today",
    "params",
    "uses_by_id",
    "people_by_id",
    "consents_by_use",
    "x",
]
CEL_FIELDS = ["id", "subjects", "description", "tool", "category", "name", "roles", "scan"]
CEL_FIELDS += ["starts_at", "signed_on", "uses", "revoked_on", "amount", "value", "nope"]
CEL_LITERALS = [
    "0",
    "1",
    "-1",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615u",
    "1.5",
    "1e308",
    "-0.0",
    "''",
    "'a'",
    "'\\u00e9\\U0001F600'",
    "b'\\xff'",
    "true",
    "false",
    "null",
    "[]",
    "{}",
    "[1, 'a', null]",
    "{'k': 1, 2: 'v'}",
    "duration('1s')",
    "duration('-9223372036854775808ns')",
    "timestamp('2026-01-01T00:00:00Z')",
    "timestamp('9999-12-31T23:59:59Z')",
    "'^(a+)+$'",
    "'['",
]
_UNARY = ["!{}", "-{}", "size({})", "{}.size()", "int({})", "uint({})", "double({})"]
_UNARY += ["string({})", "bool({})", "timestamp({})", "duration({})", "dyn({})", "type({})"]
_UNARY += ["{}.getFullYear()", "{}.getDayOfWeek()", "{}.getHours()", "{}[0]", "{}['id']"]
_BINARY = ["({} + {})", "({} - {})", "({} * {})", "({} / {})", "({} % {})", "({} == {})"]
_BINARY += ["({} != {})", "({} < {})", "({} >= {})", "({} && {})", "({} || {})", "({} in {})"]
_BINARY += ["{}.contains({})", "{}.startsWith({})", "{}.endsWith({})", "{}.matches({})"]
_BINARY += ["{}.all(x, {})", "{}.exists(x, {})", "{}.exists_one(x, {})", "{}.map(x, {})"]
_BINARY += ["{}.filter(x, {})", "[{}, {}]", "{{'a': {}, 'b': {}}}", "{}[{}]"]


def _cel_extend(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return (
        st.builds(lambda form, a: form.format(a), st.sampled_from(_UNARY), children)
        | st.builds(
            lambda form, a, b: form.format(a, b), st.sampled_from(_BINARY), children, children
        )
        | st.builds(lambda a, field: f"{a}.{field}", children, st.sampled_from(CEL_FIELDS))
        | st.builds(
            lambda a, field: f"has({a}.{field})",
            st.sampled_from(CEL_NAMES),
            st.sampled_from(CEL_FIELDS),
        )
        | st.builds("({} ? {} : {})".format, children, children, children)
    )


def cel_expressions() -> st.SearchStrategy[str]:
    """CEL expressions over a rule's names, mostly well-formed, often ill-typed."""
    leaves = st.sampled_from(CEL_LITERALS) | st.sampled_from(CEL_NAMES)
    return st.recursive(leaves, _cel_extend, max_leaves=12)
