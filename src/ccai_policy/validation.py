"""Validate a loaded document against a model and its references, reporting every problem."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import ValidationErrors, ValidationProblem
from .loader import Document, escape_pointer_token
from .model.declaration import LIST_SECTIONS, REFERENCES, Declaration

M = TypeVar("M", bound=BaseModel)

_SINGULAR = {
    "people": "person",
    "tools": "tool",
    "uses": "use",
    "consents": "consent",
    "compensation": "compensation entry",
    "notices": "notice",
    "assets": "asset",
}


def display_path(loc: Sequence[str | int]) -> str:
    """`uses[3].subjects[0]` for ('uses', 3, 'subjects', 0)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(document)"


def pointer_of(loc: Iterable[str | int]) -> str:
    return "".join(f"/{escape_pointer_token(p)}" for p in loc)


def _field_names(model: type[BaseModel]) -> set[str]:
    names: set[str] = set()
    stack: list[type[BaseModel]] = [model]
    seen: set[type[BaseModel]] = set()
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        for name, info in current.model_fields.items():
            names.add(info.alias or name)
            for arg in _model_args(info.annotation):
                stack.append(arg)
    return names


def _model_args(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for a in getattr(annotation, "__args__", ()) for m in _model_args(a)]


def _hint(error: Any, names: set[str]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, sorted(names), n=1)
        return (
            f"did you mean '{close[0]}'?" if close else "remove it; see the schema for the fields"
        )
    if kind == "string_type" and isinstance(value, bool):
        return "YAML reads yes/no/on/off/NO as booleans; put the value in quotes"
    if kind == "string_type" and isinstance(value, int | float):
        return "put the value in quotes if it is text"
    if kind in ("date_from_datetime_parsing", "date_parsing", "datetime_parsing", "date_type"):
        return "write dates as YYYY-MM-DD and times as YYYY-MM-DDTHH:MM:SSZ"
    if kind == "missing":
        return "add it"
    return ""


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field '{error['loc'][-1]}'"
    if kind == "missing":
        return f"required field '{error['loc'][-1]}' is missing"
    value = error.get("input")
    shown = "" if isinstance(value, dict | list) else f" (got {value!r})"
    return f"{error['msg']}{shown}"


def validate_model(model: type[M], document: Document, *, what: str = "document") -> M:
    """Validate a document against a pydantic model; all errors at once, located."""
    if not isinstance(document.data, dict):
        raise ValidationErrors(
            [
                ValidationProblem(
                    f"a {what} must be a mapping of keys to values, "
                    f"not {type(document.data).__name__}",
                    document.locate(""),
                    "start the file with 'apiVersion: ccai-policy/v1'"
                    if what == "declaration"
                    else "see the schema",
                )
            ]
        )
    try:
        return model.model_validate(document.data)
    except ValidationError as exc:
        names = _field_names(model)
        problems = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            problems.append(
                ValidationProblem(
                    f"`{display_path(loc)}`: {_message(error)}",
                    document.locate(pointer_of(loc)),
                    _hint(error, names),
                )
            )
        raise ValidationErrors(problems) from None


def validate_declaration(document: Document) -> Declaration:
    """A Declaration, or ValidationErrors listing every schema and reference problem."""
    declaration = validate_model(Declaration, document, what="declaration")
    problems = list(reference_problems(declaration, document))
    if problems:
        raise ValidationErrors(problems)
    return declaration


def reference_problems(declaration: Declaration, document: Document) -> Iterable[ValidationProblem]:
    """Duplicate ids within a section and references that do not resolve."""
    ids: dict[str, set[str]] = {}
    for section in LIST_SECTIONS:
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(declaration, section)):
            if item.id in seen:
                yield ValidationProblem(
                    f"`{section}[{index}].id`: duplicate id '{item.id}' "
                    f"(also {section}[{seen[item.id]}])",
                    document.locate(pointer_of((section, index, "id"))),
                    "give each item in a section its own id",
                )
            else:
                seen[item.id] = index
        ids[section] = set(seen)
    for section, field, target, many in REFERENCES:
        for index, item in enumerate(getattr(declaration, section)):
            value = getattr(item, field)
            refs = list(enumerate(value)) if many else ([(None, value)] if value else [])
            for position, ref in refs:
                if ref in ids[target]:
                    continue
                loc: tuple[str | int, ...] = (section, index, field)
                if position is not None:
                    loc += (position,)
                close = difflib.get_close_matches(ref, sorted(ids[target]), n=1)
                yield ValidationProblem(
                    f"`{display_path(loc)}`: no {_SINGULAR[target]} with id '{ref}'",
                    document.locate(pointer_of(loc)),
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"add it to '{target}' or correct the id",
                )
