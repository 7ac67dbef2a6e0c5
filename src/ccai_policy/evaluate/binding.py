"""Bind one declaration's data as the variables CEL expressions see, converted as CEL wants it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from pydantic import AnyUrl

from ccai_policy.evaluate.facts import derive
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


def bind(
    declaration: Declaration,
    params: dict[str, Any],
    as_of: dt.date,
    names: frozenset[str] = GLOBAL_NAMES,
    stamp: Callable[[dt.date], Any] = _utc,
) -> dict[str, Any]:
    """The variables expressions see for one declaration, limited to the names they use;
    dates and times as `stamp` makes them (default: for the reference runtime).

    Converting a variable for CEL costs time in proportion to its size, and every index
    holds a copy of its section's items, so unused sections and indexes are left out.
    """
    raw = declaration.model_dump(mode="python", exclude={"api_version", "kind"})
    derive(raw, as_of)
    data = _in_place(raw, stamp)
    variables: dict[str, Any] = {k: v for k, v in data.items() if k in names}
    for section in LIST_SECTIONS:
        if f"{section}_by_id" in names:
            variables[f"{section}_by_id"] = {item["id"]: item for item in data[section]}
    for name, (section, key, many) in INDEXES.items():
        if name not in names:
            continue
        index: dict[str, list[Any]] = defaultdict(list)
        for item in data[section]:
            for value in item[key] if many else [item[key]]:
                if value is not None:
                    index[value].append(item)
        variables[name] = dict(index)
    variables["params"] = _to_cel(params, stamp)
    variables["today"] = _to_cel(as_of, stamp)
    return variables
