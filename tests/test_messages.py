"""Every field of the declaration, written wrong in every way that applies, gets a plain message.

A declaration holding every field (each with its documented example) is the base; for each
field, each kind of mistake is written into it and the message at that field is checked: it is
located, names the field as written, offers a fix, and says nothing in a library's words.
"""

from __future__ import annotations

import copy
import datetime as dt
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from pydantic import AnyUrl, BaseModel
from pydantic.fields import FieldInfo

from ccai_policy.errors import ValidationErrors
from ccai_policy.load.loader import load_text
from ccai_policy.load.validation import field_path, validate_declaration
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.vocabulary import described_values

from .conftest import AS_OF
from .test_yamlerrors import leaks


def _inner(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _inner(typing.get_args(annotation)[0])
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return [a for arg in typing.get_args(annotation) for a in _inner(arg)]
    return [annotation]


def _kind(annotation: Any) -> Any:
    """The one non-null type of an annotation."""
    return next(a for a in _inner(annotation) if a is not type(None))


def _sample(annotation: Any, info: FieldInfo | None = None) -> Any:
    """A valid value: the field's example, else one made from its type."""
    kind = _kind(annotation)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return full(kind)  # every field of it, not just those of its example
    if info is not None and info.examples:
        return copy.deepcopy(info.examples[0])  # the tests change it; the model's stays
    if typing.get_origin(kind) is list:
        return [_sample(typing.get_args(kind)[0])]
    if typing.get_origin(kind) is typing.Literal:
        return typing.get_args(kind)[0]
    if typing.get_origin(kind) is dict:
        return {}
    samples = {
        bool: True,
        int: 1,
        float: 1.5,
        str: "x",
        dt.date: "2026-05-11",
        dt.datetime: "2026-05-11T09:00:00Z",
        AnyUrl: "https://example.com/x",
    }
    return samples[kind]


def full(model: type[BaseModel]) -> dict[str, Any]:
    """A mapping of a model with every field given."""
    return {
        (info.alias or name): _sample(info.annotation, info)
        for name, info in model.model_fields.items()
    }


def fields(model: type[BaseModel], loc: tuple[Any, ...] = ()) -> list[tuple[tuple[Any, ...], Any]]:
    """Every field below a model in the full declaration: its location and annotation."""
    found = []
    for name, info in model.model_fields.items():
        here = (*loc, info.alias or name)
        found.append((here, info.annotation))
        kind = _kind(info.annotation)
        if typing.get_origin(kind) is list:
            item = _kind(typing.get_args(kind)[0])
            if isinstance(item, type) and issubclass(item, BaseModel):
                found.extend(fields(item, (*here, 0)))
        elif isinstance(kind, type) and issubclass(kind, BaseModel):
            found.extend(fields(kind, here))
    return found


def mistakes(annotation: Any) -> dict[str, Any]:
    """Each wrong value that applies to a field of this annotation."""
    kind = _kind(annotation)
    nullable = type(None) in _inner(annotation)
    wrong: dict[str, Any] = {}
    if typing.get_origin(kind) is list:
        wrong["wrong type"] = {"a": 1}
        item = _kind(typing.get_args(kind)[0])
        if typing.get_origin(item) is typing.Literal:
            wrong["unknown value in the list"] = ["zz-not-a-value"]
        elif item is str and _has_pattern(typing.get_args(kind)[0]):
            wrong["out of pattern in the list"] = ["Not valid!"]
    elif isinstance(kind, type) and issubclass(kind, BaseModel):
        wrong["wrong type"] = "some text"
    elif typing.get_origin(kind) is typing.Literal:
        wrong["unknown value"] = "zz-not-a-value"
        wrong["wrong type"] = ["a", "list"]
    elif kind is bool:
        wrong["wrong type"] = "maybe"
    elif kind in (int, float):
        wrong["wrong type"] = "many"
    elif kind in (dt.date, dt.datetime):
        wrong["wrong type"] = "soon"
    elif kind is AnyUrl:
        wrong["wrong type"] = "not a web address"
    elif typing.get_origin(kind) is dict:
        wrong["wrong type"] = "some text"
    else:
        wrong["wrong type"] = {"a": 1}
        if _has_pattern(annotation):
            wrong["out of pattern"] = "Not valid!"
    if not nullable:
        wrong["null"] = None
    return wrong


def _has_pattern(annotation: Any) -> bool:
    return "pattern=" in repr(annotation)


def _set(data: Any, loc: tuple[Any, ...], value: Any) -> None:
    _at(data, loc[:-1])[loc[-1]] = value


def _at(data: Any, loc: tuple[Any, ...]) -> Any:
    for part in loc:
        data = data[part]
    return data


def _rename(data: Any, loc: tuple[Any, ...], new: str) -> None:
    data = _at(data, loc[:-1])
    items = list(data.items())
    data.clear()
    data.update((new if k == loc[-1] else k, v) for k, v in items)


def problems_at(data: dict[str, Any], loc: tuple[Any, ...]) -> list[Any]:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    with pytest.raises(ValidationErrors) as caught:
        validate_declaration(load_text(text, "d.yaml"))
    prefix = f"`{field_path(loc)}` "
    return [p for p in caught.value.problems if p.message.startswith(prefix)]


FIELDS = fields(Declaration)
CASES = [
    (loc, mistake, value, annotation)
    for loc, annotation in FIELDS
    for mistake, value in mistakes(annotation).items()
]


def test_the_base_declaration_holds_every_field_and_validates() -> None:
    base = full(Declaration)
    assert len(FIELDS) > 130
    text = yaml.safe_dump(base, sort_keys=False)
    try:
        validate_declaration(load_text(text, "d.yaml"))
    except ValidationErrors as exc:  # references between sample ids may dangle; nothing else
        assert all("but there is no" in p.message for p in exc.problems), exc.problems


@pytest.mark.parametrize(
    ("loc", "mistake", "value", "annotation"),
    CASES,
    ids=[f"{field_path(loc)}: {mistake}" for loc, mistake, _, _ in CASES],
)
def test_a_wrong_value_gets_a_located_message_in_plain_words_with_a_fix(
    loc: tuple[Any, ...], mistake: str, value: Any, annotation: Any
) -> None:
    data = full(Declaration)
    _set(data, loc, value)
    problems = problems_at(data, loc) or [
        p for p in problems_at(data, (*loc, 0)) if mistake.endswith("in the list")
    ]
    assert problems, f"no message names `{field_path(loc)}`"
    for problem in problems:
        assert problem.location is not None and problem.location.line >= 1
        assert problem.hint, f"{problem.message}: no fix offered"
        assert leaks(f"{problem.message} {problem.hint}") == []
        if mistake.startswith("unknown value"):
            allowed = described_values(annotation)
            assert any(w in problem.hint for w in ("allowed: ", "docs/fields.md", "write `"))
            shown = [v for v in allowed if f"'{v}'" in problem.hint or f": {v}`" in problem.hint]
            assert shown or len(allowed) > 12
        if mistake == "null" and typing.get_origin(_kind(annotation)) is list:
            assert f"`{loc[-1]}: []`" in problem.hint


RENAMES = [loc for loc, _ in FIELDS if len(str(loc[-1])) > 1]


@pytest.mark.parametrize("loc", RENAMES, ids=[field_path(loc) for loc in RENAMES])
def test_a_misspelt_field_name_in_another_case_finds_the_field(loc: tuple[Any, ...]) -> None:
    key = str(loc[-1])
    data = full(Declaration)
    siblings = _at(data, loc[:-1])
    misspelt = key[:-1].upper() if len(key) > 4 else key.upper()
    if misspelt.lower() in siblings:  # `tools` less its last letter is the field `tool`
        misspelt = key.upper()
    _rename(data, loc, misspelt)
    [problem] = problems_at(data, (*loc[:-1], misspelt))
    assert problem.hint == f"did you mean '{key}'?"
    assert problem.location is not None and problem.location.line >= 1


def test_through_check_a_territory_written_as_a_name_says_how_to_write_it(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    data = full(Declaration)
    data["production"]["territories"] = ["California"]
    data["compensation"] = None
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "--as-of", AS_OF, str(path))
    assert result.exit_code == 2
    assert (
        "error: `production.territories[0]` is 'California', which is not written the way it "
        "must be\n    hint: write a territory as a country code such as `US` or `DK`, a region "
        "such as `US-CA`, or `EU` for the European Union, e.g. `territories: [US-CA]`"
    ) in result.stdout
    assert (
        "error: `compensation` is empty (null), but it should be a list\n"
        "    hint: write `compensation: []` for none, or list the entries"
    ) in result.stdout
    assert leaks(result.output) == []


def test_a_missing_field_says_what_it_is_for_with_an_example(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    data = full(Declaration)
    del data["uses"][0]["category"]
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "--as-of", AS_OF, str(path))
    assert (
        "error: `uses[0].category` is missing: the kind of AI use, in the agreements' terms. It "
        "picks which clause applies; every rule protecting a person applies whenever the use "
        "touches them, whatever the category\n"
        "    hint: add it, for example `category: employment_based_digital_replica`"
    ) in result.stdout


def test_an_opt_out_in_another_case_is_found(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    data = full(Declaration)
    data["tools"][0]["training"]["opt_outs_honoured"] = ["TDMRep"]
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "--as-of", AS_OF, str(path))
    assert (
        "hint: did you mean 'tdmrep'? allowed: 'tdmrep', 'cawg.training-mining', "
        "'spawning_dntr' or 'robots'"
    ) in result.stdout


def test_a_director_consultation_sent_to_the_dga_says_to_write_director(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    data = full(Declaration)
    data["notices"][0].update(to="DGA", kind="director_consultation")
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run_cli("check", "--as-of", AS_OF, str(path))
    assert result.exit_code == 2
    assert (
        "error: `notices[0].to` is 'DGA', but a director consultation goes to 'director'\n"
        "    hint: write `to: director` and name them in `person`"
    ) in result.stdout
