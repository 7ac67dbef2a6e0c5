"""Binding a declaration for CEL: the conversion guided by the models' fields (binding.plan)
gives what walking every value gives, and leaves no date, time or URL unconverted."""

from __future__ import annotations

import copy
import datetime as dt
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from benchmarks.generate import write_set
from pydantic import AnyUrl, AwareDatetime, BaseModel

from ccai_policy.evaluate.binding import _in_place, _planned, _utc, bind, plan
from ccai_policy.evaluate.facts import DERIVED, derive
from ccai_policy.evaluate.programs import GLOBAL_NAMES, INDEXES
from ccai_policy.evaluate.timeplace import LOCAL_TIMES, local_name
from ccai_policy.load.loader import load_file, load_text
from ccai_policy.load.validation import validate_declaration
from ccai_policy.model.declaration import LIST_SECTIONS, Declaration

from .conftest import EXAMPLES

AS_OF = dt.date(2026, 11, 1)


def declarations(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    generated = write_set(tmp_path_factory.mktemp("generated"), 7, 3, 120)
    return sorted(EXAMPLES.glob("*.yaml")) + generated


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return declarations(tmp_path_factory)


def dumped(path: Path) -> dict[str, Any]:
    declaration = validate_declaration(load_file(path, sparse=True))
    raw = declaration.model_dump(mode="python", exclude={"api_version", "kind"})
    derive(raw, AS_OF)
    return raw


def leftovers(value: Any, where: str = "") -> list[str]:
    """Where a value still holds a date, a time or a URL object."""
    if isinstance(value, dt.date | AnyUrl) and not isinstance(value, dt.datetime):
        return [where]
    if isinstance(value, dt.datetime):
        return [] if value.tzinfo is not None else [where]  # as written, with its offset
    if isinstance(value, dict):
        return [w for k, v in value.items() for w in leftovers(v, f"{where}/{k}")]
    if isinstance(value, list):
        return [w for i, v in enumerate(value) for w in leftovers(v, f"{where}/{i}")]
    return []


def test_the_planned_conversion_is_the_whole_walk(paths: list[Path]) -> None:
    converted_dates = 0
    for path in paths:
        raw = dumped(path)
        walked = _in_place(copy.deepcopy(raw), _utc)
        planned = _planned(copy.deepcopy(raw), plan(Declaration), _utc)
        assert planned == walked, path.name
        assert leftovers(planned) == [], path.name
        converted_dates += str(planned).count("datetime.datetime(")
    assert converted_dates > 100  # the data had dates to convert


def test_every_date_field_of_the_models_is_in_the_plan() -> None:
    """The fields that hold dates, times or URLs in the declaration's examples are planned."""
    declared = plan(Declaration)
    assert declared["consents"]["signed_on"] == "stamp"  # type: ignore[index]
    assert declared["uses"]["first_used_on"] == "stamp"  # type: ignore[index]
    assert declared["tools"]["used_on"] == "stamp"  # type: ignore[index]  # a derived fact
    assert declared["tools"]["training"]["summary_url"] == "url"  # type: ignore[index]


def test_indexes_as_positions_point_at_the_items_they_index(paths: list[Path]) -> None:
    for path in paths:
        declaration = validate_declaration(load_file(path, sparse=True))
        items = bind(declaration, {}, AS_OF, GLOBAL_NAMES)
        positions = bind(declaration, {}, AS_OF, GLOBAL_NAMES, positions=True)
        for section in LIST_SECTIONS:
            by_id = positions[f"{section}_by_id"]
            assert {k: positions[section][v] for k, v in by_id.items()} == items[f"{section}_by_id"]
        for name, (section, _, _) in INDEXES.items():
            indexed = {k: [positions[section][v] for v in vs] for k, vs in positions[name].items()}
            assert indexed == items[name], (path.name, name)


def _leaves(annotation: Any) -> list[Any]:
    """An annotation and every type inside it (unions, Annotated, lists)."""
    return [annotation, *(leaf for arg in typing.get_args(annotation) for leaf in _leaves(arg))]


def _timestamp_fields() -> set[tuple[str, str]]:
    """(model, field) of every timestamp a declaration can hold."""
    seen: set[type[BaseModel]] = set()
    found: set[tuple[str, str]] = set()

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            for leaf in _leaves(info.annotation):
                if leaf is AwareDatetime:
                    found.add((model.__name__, name))
                elif isinstance(leaf, type) and issubclass(leaf, BaseModel):
                    visit(leaf)

    visit(Declaration)
    return found


def test_every_timestamp_has_a_fact_that_holds_it_on_its_own_clock() -> None:
    """A new timestamp field gets its `_local` fact, or rules would compare it with dates in
    UTC, and compiler.py could not refuse a window dated by it."""
    timestamps = _timestamp_fields()
    assert {field for _, field in timestamps} == {field for _, _, field in LOCAL_TIMES}
    assert len(timestamps) == 5, timestamps
    for model, field in timestamps:
        assert local_name(field) in DERIVED[model], (model, field)


def test_the_fact_is_the_time_of_day_the_offset_names() -> None:
    data = yaml.safe_load((EXAMPLES / "feature-film-compliant.yaml").read_text(encoding="utf-8"))
    deage = next(u for u in data["uses"] if u["id"] == "u-deage")
    deage["scan"].update(
        {"notified_at": "2026-05-10T20:30:00-08:00", "starts_at": "2026-05-15T07:00:00+09:00"}
    )
    data["notices"][0]["sent_at"] = "2026-04-20T23:30:00-07:00"
    notice = {k: v for k, v in data["notices"][0].items() if k != "sent_at"}
    data["notices"] += [
        {**notice, "id": "n-late-evening", "sent_at": "2026-11-01T23:00:00-08:00"},
        {**notice, "id": "n-next-morning", "sent_at": "2026-11-02T07:00:00+09:00"},
    ]
    data["consents"][0]["notice_given_at"] = "2026-05-09T08:00:00+09:00"
    declaration = validate_declaration(load_text(yaml.safe_dump(data), "decl.yaml"))
    raw = declaration.model_dump(mode="python", exclude={"api_version", "kind"})
    derive(raw, AS_OF)
    scan = next(u for u in raw["uses"] if u["id"] == "u-deage")["scan"]
    assert scan["starts_at"] == dt.datetime(2026, 5, 14, 22, tzinfo=dt.UTC)
    assert scan["starts_local"] == dt.datetime(2026, 5, 15, 7, tzinfo=dt.UTC)
    assert scan["notified_local"] == dt.datetime(2026, 5, 10, 20, 30, tzinfo=dt.UTC)
    assert scan["engaged_local"] is None
    assert raw["notices"][0]["sent_local"] == dt.datetime(2026, 4, 20, 23, 30, tzinfo=dt.UTC)
    assert raw["consents"][0]["notice_given_local"] == dt.datetime(2026, 5, 9, 8, tzinfo=dt.UTC)
    assert raw["consents"][1]["notice_given_local"] is None
    # Sent by the as-of date (1 November) on its own clock, whatever UTC says.
    assert [(n["id"], n["sent"]) for n in raw["notices"]] == [
        ("n-dga-deage", True),
        ("n-late-evening", True),
        ("n-next-morning", False),
    ]


def test_an_exchange_rate_dated_after_the_as_of_date_converts_nothing() -> None:
    data = yaml.safe_load((EXAMPLES / "feature-film-compliant.yaml").read_text(encoding="utf-8"))
    data["compensation"][0]["amount"] = {
        "value": 2000, "currency": "EUR",
        "exchange_rate": {"to": "USD", "rate": 1.1, "on": "2026-11-02"},
    }  # fmt: skip
    data["compensation"][1]["amount"] = {
        "value": 2000, "currency": "EUR",
        "exchange_rate": {"to": "USD", "rate": 1.1, "on": "2026-11-01"},
    }  # fmt: skip
    declaration = validate_declaration(load_text(yaml.safe_dump(data), "decl.yaml"))
    raw = declaration.model_dump(mode="python", exclude={"api_version", "kind"})
    derive(raw, AS_OF)
    assert raw["compensation"][0]["amount"]["converted"] == {"EUR": 2000.0}
    assert raw["compensation"][1]["amount"]["converted"] == {"EUR": 2000.0, "USD": 2200.0}
