"""Bind one declaration's data as the variables CEL expressions see, converted as CEL wants it."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import typing
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from pydantic import AnyUrl, BaseModel

from ccai_policy.evaluate.checker_types import unwrap
from ccai_policy.evaluate.facts import DERIVED, derive
from ccai_policy.evaluate.programs import GLOBAL_NAMES, INDEXES
from ccai_policy.model.declaration import LIST_SECTIONS, Declaration

_PLAIN = frozenset({str, int, float, bool, type(None)})


def _utc(value: dt.date) -> dt.datetime:
    """A date or time as the reference runtime's timestamp: a UTC datetime."""
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    assert isinstance(value, dt.datetime)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _to_cel(value: Any, stamp: Callable[[dt.date], Any] = _utc) -> Any:
    """Model data as CEL wants it: dates as UTC timestamps (made by `stamp`), URLs as strings."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _to_cel(v, stamp) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else _to_cel(v, stamp) for v in value]
    if kind is dt.datetime or kind is dt.date:
        return stamp(value)
    if isinstance(value, AnyUrl):
        return str(value)
    return value


def _in_place(value: Any, stamp: Callable[[dt.date], Any]) -> Any:
    """The same as _to_cel for data of its own (a fresh dump): dicts and lists are converted
    where they are instead of copied."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            if type(item) not in _PLAIN:
                value[key] = _in_place(item, stamp)
        return value
    if kind is list:
        for position, item in enumerate(value):
            if type(item) not in _PLAIN:
                value[position] = _in_place(item, stamp)
        return value
    return _to_cel(value, stamp)


#: How one field's dumped value is converted: dates and times stamped, a URL made text, a
#: model's fields by its own plan, anything else the schema does not pin down walked whole.
#: Fields missing from a plan hold plain values only (text, numbers, booleans, their lists).
_Kind = typing.Union[typing.Literal["stamp", "url", "walk"], "_Plan"]
_Plan = dict[str, _Kind]


def _kind(annotation: Any) -> _Kind | None:
    """How values of an annotation are converted (None: they are plain, left as they are)."""
    annotation, _ = unwrap(annotation)
    origin = typing.get_origin(annotation)
    if origin is list:
        return _kind(typing.get_args(annotation)[0])  # lists are walked item by item
    if origin is typing.Literal:
        plain = all(type(value) in _PLAIN for value in typing.get_args(annotation))
        return None if plain else "walk"
    if annotation in (str, int, float, bool):
        return None
    if annotation in (dt.date, dt.datetime):
        return "stamp"
    if isinstance(annotation, type) and issubclass(annotation, AnyUrl):
        return "url"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return plan(annotation)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return None  # an enum member is left as it is, as _to_cel leaves it
    return "walk"


@functools.cache
def plan(model: type[BaseModel]) -> _Plan:
    """The conversion of a model's dump, from its fields and the facts derived on it."""
    fields = {name: info.annotation for name, info in model.model_fields.items()}
    fields.update(DERIVED.get(model.__name__, {}))
    kinds = {name: _kind(annotation) for name, annotation in fields.items()}
    return {name: kind for name, kind in kinds.items() if kind is not None and kind != {}}


def _planned(value: Any, kind: _Kind, stamp: Callable[[dt.date], Any]) -> Any:
    """A dumped value converted by its plan, in place: what _in_place gives, visiting only
    the fields that can hold anything but plain values."""
    if type(value) is list:
        for position, item in enumerate(value):
            if item is not None:
                value[position] = _planned(item, kind, stamp)
        return value
    if type(value) is dict and type(kind) is dict:
        for key, inner in kind.items():
            item = value.get(key)
            if item is not None:
                value[key] = _planned(item, inner, stamp)
        return value
    return value if type(value) in _PLAIN else _in_place(value, stamp)


def bind(
    declaration: Declaration,
    params: dict[str, Any],
    as_of: dt.date,
    names: frozenset[str] = GLOBAL_NAMES,
    stamp: Callable[[dt.date], Any] = _utc,
    positions: bool = False,
) -> dict[str, Any]:
    """The variables expressions see for one declaration, limited to the names they use;
    dates and times as `stamp` makes them (default: for the reference runtime).

    Converting a variable for CEL costs time in proportion to its size, and every index
    holds a copy of its section's items, so unused sections and indexes are left out.
    With `positions` (for the fast runtime, whose programs positional.py rewrites) the
    indexes hold positions into their section instead of the items, and the section is bound.
    """
    raw = declaration.model_dump(mode="python", exclude={"api_version", "kind"})
    derive(raw, as_of)
    data = _planned(raw, plan(Declaration), stamp)
    variables: dict[str, Any] = {k: v for k, v in data.items() if k in names}
    for section in LIST_SECTIONS:
        if f"{section}_by_id" in names:
            items = data[section]
            if positions:
                variables[section] = items
                variables[f"{section}_by_id"] = {item["id"]: at for at, item in enumerate(items)}
            else:
                variables[f"{section}_by_id"] = {item["id"]: item for item in items}
    for name, (section, key, many) in INDEXES.items():
        if name not in names:
            continue
        index: dict[str, list[Any]] = defaultdict(list)
        for at, item in enumerate(data[section]):
            for value in item[key] if many else [item[key]]:
                if value is not None:
                    index[value].append(at if positions else item)
        if positions:
            variables[section] = data[section]
        variables[name] = dict(index)
    variables["params"] = _to_cel(params, stamp)
    variables["today"] = _to_cel(as_of, stamp)
    return variables
