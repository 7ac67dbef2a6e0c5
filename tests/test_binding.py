"""Binding a declaration for CEL: the conversion guided by the models' fields (binding.plan)
gives what walking every value gives, and leaves no date, time or URL unconverted."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate import write_set
from pydantic import AnyUrl

from ccai_policy.evaluate.binding import _in_place, _planned, _utc, bind, plan
from ccai_policy.evaluate.facts import derive
from ccai_policy.evaluate.programs import GLOBAL_NAMES, INDEXES
from ccai_policy.load.loader import load_file
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
