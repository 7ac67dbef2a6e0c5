"""Validate a loaded document against a model and its references, reporting every problem."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ccai_policy.errors import Location, ValidationErrors, ValidationProblem
from ccai_policy.load.loader import Document
from ccai_policy.load.messages import explain
from ccai_policy.load.valuetext import cut, kind_of, shown
from ccai_policy.load.yamlnodes import escape_pointer_token
from ccai_policy.model.declaration import LIST_SECTIONS, REFERENCES, Declaration
from ccai_policy.model.notices import NOTICE_RECIPIENTS, RECIPIENTS
from ccai_policy.spelling import FEW, did_you_mean, listing

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
#: A file reports at most this many problems, then says how many more there are.
MAX_PROBLEMS = 100


def field_path(loc: Sequence[str | int]) -> str:
    """`uses[3].subjects[0]` for ('uses', 3, 'subjects', 0)."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{cut(part)}" if out else cut(part))
    return out or "(document)"


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
            message, hint = explain(error, model, document.data)
            problems.append(
                ValidationProblem(
                    f"`{field_path(loc)}` {message}", document.locate(pointer_of(loc)), hint
                )
            )
    if document.ambiguous:
        # Reported in place of whatever the model said about the same value ("should be a
        # boolean" about 'yes'): the ambiguity is the cause.
        places = {document.locate(pointer): item for pointer, item in document.ambiguous.items()}
        problems = [p for p in problems if p.location not in places]
        for pointer, (message, hint) in document.ambiguous.items():
            path = field_path(_loc_of(document.data, pointer))
            problems.append(
                ValidationProblem(f"`{path}`: {message}", document.locate(pointer), hint)
            )
    reported = {problem.location for problem in problems}
    huge = _huge_integers(document.data, ()) if _any_huge_integer(document.data) else ()
    for loc, number in huge:
        where = document.locate(pointer_of(loc))
        if where not in reported:
            problems.append(
                ValidationProblem(
                    f"`{field_path(loc)}` is {shown(number)}, out of range: whole numbers "
                    f"must be between {-(2**63):,} and {2**63 - 1:,}",
                    where,
                    "use a smaller number, or quote it if it is text",
                )
            )
    return (result, [], 0) if not problems else (None, problems, unshown)


def _any_huge_integer(value: Any) -> bool:
    """Whether _huge_integers finds any (a third of its time: no places kept, texts skipped
    first, as most values are)."""
    stack = [value]
    pop, extend = stack.pop, stack.extend
    low, high = -(2**63), 2**63
    while stack:
        item = pop()
        kind = type(item)
        if kind is str:
            continue
        if kind is dict:
            extend(item.values())
        elif kind is list:
            extend(item)
        elif kind is int:
            if not low <= item < high:
                return True
        elif isinstance(item, dict):
            extend(item.values())
        elif isinstance(item, list):
            extend(item)
        elif isinstance(item, int) and not isinstance(item, bool) and not low <= item < high:
            return True
    return False


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
    problems.extend(todo_problems(document))
    if problems or declaration is None:
        raise _capped(problems, document, unshown)
    return declaration


def todo_problems(document: Document) -> list[ValidationProblem]:
    """A TODO left anywhere in a declaration: it is not finished, so it is not evaluated."""
    return [
        ValidationProblem(
            "a TODO is left here: the declaration is not finished",
            Location(document.path, line, column),
            "replace the placeholder with the production's real facts and delete the TODO",
        )
        for line, column in document.todos[: MAX_PROBLEMS + 1]
    ]


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
                    f"`{section}[{index}].id` is '{cut(item_id)}', the id of "
                    f"{section}[{seen[item_id]}] too (line {first.line})",
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
                    f"`{field_path(loc)}` names '{cut(ref)}', but there is no "
                    f"{_SINGULAR[target]} with that id",
                    document.locate(pointer_of(loc)),
                    did_you_mean(ref, ids[target]) or _add_or_correct(target, ids[target]),
                )
    yield from _recipient_problems(document)


def _add_or_correct(section: str, ids: set[str]) -> str:
    known = f"; the ids there are {listing(sorted(ids))}" if 0 < len(ids) <= FEW else ""
    return f"add it to '{section}' or correct the id{known}"


def _recipient_problems(document: Document) -> Iterable[ValidationProblem]:
    """A notice of a kind sent to someone it cannot go to: a consultation with the DGA, say."""
    for index, notice in _items(document.data, "notices"):
        kind, to = notice.get("kind"), notice.get("to")
        allowed = NOTICE_RECIPIENTS.get(kind) if isinstance(kind, str) else None
        if not isinstance(kind, str) or not isinstance(to, str) or allowed is None:
            continue
        if to not in RECIPIENTS.meanings or to in allowed:  # an unknown value has its own message
            continue
        loc = ("notices", index, "to")
        person = " and name them in `person`" if allowed[0] in ("director", "writer") else ""
        yield ValidationProblem(
            f"`{field_path(loc)}` is '{cut(to)}', but a {kind.replace('_', ' ')} goes to "
            f"{listing(allowed)}",
            document.locate(pointer_of(loc)),
            f"write `to: {allowed[0]}`{person}",
        )
