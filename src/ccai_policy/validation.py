"""Validate a loaded document against a model and its references, reporting every problem."""

from __future__ import annotations

import difflib
import itertools
import re
import typing
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Location, ValidationErrors, ValidationProblem
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
_DATE_ERRORS = ("date", "datetime", "time")
#: Values echoed in messages are cut to about this many characters.
SHOWN_LENGTH = 80
#: A file reports at most this many problems, then says how many more there are.
MAX_PROBLEMS = 100
_QUOTED = re.compile(r"'([^']*)'")


def display_path(loc: Sequence[str | int]) -> str:
    """`uses[3].subjects[0]` for ('uses', 3, 'subjects', 0)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{cut(part)}" if out else cut(part))
    return out or "(document)"


def cut(text: str, limit: int = SHOWN_LENGTH) -> str:
    """Text as echoed in a message: whole when short, else its start and an ellipsis."""
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def pointer_of(loc: Iterable[str | int]) -> str:
    return "".join(f"/{escape_pointer_token(p)}" for p in loc)


def _loc_of(data: Any, pointer: str) -> tuple[str | int, ...]:
    """('uses', 3, 'subjects') for '/uses/3/subjects': list indexes as numbers, as pydantic has."""
    loc: list[str | int] = []
    for token in pointer.split("/")[1:]:
        part = token.replace("~1", "/").replace("~0", "~")
        if isinstance(data, list) and part.isdigit():
            loc.append(int(part))
            data = data[int(part)] if int(part) < len(data) else None
        else:
            loc.append(part)
            data = data.get(part) if isinstance(data, dict) else None
    return tuple(loc)


def kind_of(value: Any) -> str:
    """What a YAML value is, in the words of someone who wrote it."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "nothing"
    return "text"


def _candidates(annotation: Any) -> list[Any]:
    """The types a value of an annotation may have: unions and Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _candidates(typing.get_args(annotation)[0])
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return [c for arg in typing.get_args(annotation) for c in _candidates(arg)]
    return [annotation]


def _field_names(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the model at a location, e.g. Person's at ('people', 1)."""
    options: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for option in options:
            if isinstance(part, int) and typing.get_origin(option) is list:
                following.extend(_candidates(typing.get_args(option)[0]))
            elif isinstance(option, type) and issubclass(option, BaseModel):
                for name, info in option.model_fields.items():
                    if part in (name, info.alias):
                        following.extend(_candidates(info.annotation))
        options = following
    return sorted(
        info.alias or name
        for option in options
        if isinstance(option, type) and issubclass(option, BaseModel)
        for name, info in option.model_fields.items()
    )


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    if len(word) > SHOWN_LENGTH:  # nothing that long is a typo of a field or an id
        return ""
    close = difflib.get_close_matches(word, sorted(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else ""


def _hint(error: Any, model: type[BaseModel]) -> str:
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        loc = tuple(error["loc"])
        suggestion = _did_you_mean(str(loc[-1]), _field_names(model, loc[:-1]))
        return suggestion or "remove it; see the schema for the fields"
    if kind == "string_type" and isinstance(value, bool):
        return "YAML reads yes/no/on/off/NO as booleans; put the value in quotes"
    if kind == "string_type" and isinstance(value, int | float):
        return "put the value in quotes if it is text"
    if kind == "literal_error" and isinstance(value, str):
        return _did_you_mean(value, _QUOTED.findall(str(error.get("ctx", {}).get("expected"))))
    if kind.startswith(_DATE_ERRORS):
        return "write dates as YYYY-MM-DD and times as YYYY-MM-DDTHH:MM:SSZ"
    if kind == "missing":
        return "add it"
    return ""


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown field '{cut(str(error['loc'][-1]))}'"
    if kind == "missing":
        return f"required field '{error['loc'][-1]}' is missing"
    return f"{error['msg']} (got {_shown(error.get('input'))})"


def _shown(value: Any) -> str:
    """A value as YAML writes it (true, null, 'text', 4.2), containers by kind, long ones cut."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict | list):
        return kind_of(value)
    if isinstance(value, str) and len(value) > SHOWN_LENGTH:
        return f"{value[: SHOWN_LENGTH - 20]!r}… ({len(value):,} characters)"
    if isinstance(value, int) and abs(value) >= 10**SHOWN_LENGTH:
        return f"a number of {len(str(abs(value))):,} digits"
    return repr(value)


def _capped(
    problems: list[ValidationProblem], document: Document, unshown: int
) -> ValidationErrors:
    """The problems in file order, at most MAX_PROBLEMS, then one saying how many more there are.

    unshown: problems already left out (-1: some, not counted).
    """
    problems.sort(key=lambda p: (p.location.line, p.location.column) if p.location else (0, 0))
    if unshown >= 0:
        unshown += max(0, len(problems) - MAX_PROBLEMS)
    if unshown:
        count = f"{unshown:,} " if unshown > 0 else ""
        problems = [
            *problems[:MAX_PROBLEMS],
            ValidationProblem(
                f"{count}more problems in this file are not shown",
                Location(document.path),
                "fix the ones above, then check again",
            ),
        ]
    return ValidationErrors(problems)


def _model_problems(
    model: type[M], document: Document, what: str
) -> tuple[M | None, list[ValidationProblem], int]:
    """The model, or its problems (at most MAX_PROBLEMS of pydantic's) and how many were left."""
    if not isinstance(document.data, dict):
        hint = "start the file with 'apiVersion: ccai-policy/v1'" if what == "declaration" else ""
        kind = "an empty document" if document.data is None else kind_of(document.data)
        problem = ValidationProblem(
            f"a {what} must be a mapping of keys to values, not {kind}",
            document.locate(""),
            hint or "see the schema",
        )
        return None, [problem], 0
    problems = []
    unshown = 0
    try:
        result: M | None = model.model_validate(document.data)
    except ValidationError as exc:
        result = None
        errors = exc.errors(include_url=False)
        unshown = max(0, len(errors) - MAX_PROBLEMS)
        for error in errors[:MAX_PROBLEMS]:  # hints cost time: a hostile file may have millions
            loc = tuple(error["loc"])
            problems.append(
                ValidationProblem(
                    f"`{display_path(loc)}`: {_message(error)}",
                    document.locate(pointer_of(loc)),
                    _hint(error, model),
                )
            )
    if document.ambiguous:
        # Reported in place of whatever the model said about the same value ("should be a
        # boolean" about 'yes'): the ambiguity is the cause.
        places = {document.locate(pointer): item for pointer, item in document.ambiguous.items()}
        problems = [p for p in problems if p.location not in places]
        for pointer, (message, hint) in document.ambiguous.items():
            shown = display_path(_loc_of(document.data, pointer))
            problems.append(
                ValidationProblem(f"`{shown}`: {message}", document.locate(pointer), hint)
            )
    reported = {problem.location for problem in problems}
    for loc, number in _huge_integers(document.data, ()):
        where = document.locate(pointer_of(loc))
        if where not in reported:
            problems.append(
                ValidationProblem(
                    f"`{display_path(loc)}`: {_shown(number)} is out of range: whole numbers "
                    f"must be between {-(2**63):,} and {2**63 - 1:,}",
                    where,
                    "use a smaller number, or quote it if it is text",
                )
            )
    return (result, [], 0) if not problems else (None, problems, unshown)


def _huge_integers(value: Any, loc: tuple[str | int, ...]) -> Iterable[tuple[tuple[Any, ...], int]]:
    """Integers the expression engine cannot hold as 64-bit integers, with where they are."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _huge_integers(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _huge_integers(item, (*loc, index))
    elif isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
        yield loc, value


def validate_model(model: type[M], document: Document, *, what: str = "document") -> M:
    """Validate a document against a pydantic model; all errors at once, located."""
    result, problems, unshown = _model_problems(model, document, what)
    if result is None:
        raise _capped(problems, document, unshown)
    return result


def validate_declaration(document: Document) -> Declaration:
    """A Declaration, or ValidationErrors listing every schema and reference problem."""
    declaration, problems, unshown = _model_problems(Declaration, document, "declaration")
    references = list(itertools.islice(reference_problems(document), MAX_PROBLEMS + 1))
    if len(references) > MAX_PROBLEMS:
        references, unshown = references[:MAX_PROBLEMS], -1
    problems.extend(references)
    if problems or declaration is None:
        raise _capped(problems, document, unshown)
    return declaration


def _items(data: Any, section: str) -> list[tuple[int, dict[str, Any]]]:
    items = data.get(section) if isinstance(data, dict) else None
    if not isinstance(items, list):
        return []
    return [(index, item) for index, item in enumerate(items) if isinstance(item, dict)]


def reference_problems(document: Document) -> Iterable[ValidationProblem]:
    """Duplicate ids within a section and references that do not resolve.

    Works on the loaded data, so that it reports alongside schema errors in the same file.
    """
    data = document.data
    ids: dict[str, set[str]] = {}
    for section in LIST_SECTIONS:
        seen: dict[str, int] = {}
        for index, item in _items(data, section):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                first = document.locate(pointer_of((section, seen[item_id], "id")))
                yield ValidationProblem(
                    f"`{section}[{index}].id`: duplicate id '{item_id}' "
                    f"(also {section}[{seen[item_id]}], line {first.line})",
                    document.locate(pointer_of((section, index, "id"))),
                    "give each item in a section its own id",
                )
            else:
                seen[item_id] = index
        ids[section] = set(seen)
    for section, field, target, many in REFERENCES:
        for index, item in _items(data, section):
            value = item.get(field)
            refs: list[tuple[int | None, Any]]
            if many:
                refs = list(enumerate(value)) if isinstance(value, list) else []
            else:
                refs = [(None, value)] if value is not None else []
            for position, ref in refs:
                if not isinstance(ref, str) or ref in ids[target]:
                    continue
                loc: tuple[str | int, ...] = (section, index, field)
                if position is not None:
                    loc += (position,)
                yield ValidationProblem(
                    f"`{display_path(loc)}`: no {_SINGULAR[target]} with id '{cut(ref)}'",
                    document.locate(pointer_of(loc)),
                    _did_you_mean(ref, ids[target]) or f"add it to '{target}' or correct the id",
                )
