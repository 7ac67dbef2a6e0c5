"""Type-check rule expressions against the declaration models, with a did-you-mean for typos.

The checker is `cel_expr_python` (Google's CEL implementation), which types expressions
against protobuf messages: checker_types builds them from the declaration's pydantic models.
Evaluation still uses `cel`.
"""

from __future__ import annotations

import functools
import re
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from ccai_policy.evaluate import checker_types
from ccai_policy.model.declaration import Declaration
from ccai_policy.spelling import did_you_mean

_ERROR = re.compile(r"ERROR: <input>:(\d+):(\d+): (.*)")
_FIELD = re.compile(r"undefined field '([^']*)' not found in struct '([^']*)'")
_NAME = re.compile(r"undeclared reference to '([^']*)'")
_OVERLOAD = re.compile(r"found no matching overload for '([^']*)' applied to '\((.*)\)'")
_NUMERIC = {"int", "uint", "double"}
#: Operators that compare across numeric types at run time, as the evaluator (`cel`) does.
_COMPARISONS = {"_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_"}
_OPERATORS = {
    "_==_": "==",
    "_!=_": "!=",
    "_<_": "<",
    "_<=_": "<=",
    "_>_": ">",
    "_>=_": ">=",
    "_+_": "+",
    "_-_": "-",
    "_*_": "*",
    "_/_": "/",
    "_%_": "%",
    "@in": "in",
    "_&&_": "&&",
    "_||_": "||",
    "!_": "!",
    "-_": "-",
    "_?_:_": "?:",
    "_[_]": "[]",
}


@dataclass(frozen=True)
class TypeProblem:
    """One problem in one expression: 1-based line and column inside it, and what to do."""

    line: int
    column: int
    message: str
    hint: str = ""


def available() -> str:
    """'' when the checker can run, else why not."""
    try:
        checker_types.declaration_types()
    except checker_types.CheckerUnavailable as exc:
        return str(exc)
    except Exception as exc:  # a library that installed but does not load on this platform
        return f"cel-expr-python does not load: {type(exc).__name__}: {exc}"
    return ""


@functools.cache
def _environment(item: str, item_model: str) -> Any:
    model = checker_types.declaration_types()
    variables = {**model.globals, item: model.cel.Type(f"{checker_types.PACKAGE}.{item_model}")}
    return model.cel.NewEnv(model.pool, variables=variables)


def _noun(model_name: str) -> str:
    """A model's name in words: 'TrainingAttestation' -> 'training attestation'."""
    return re.sub(r"(?<!^)([A-Z])", r" \1", model_name).lower()


def _readable(type_name: str) -> str:
    """A checker type as a rule author knows it: 'timestamp', 'list(string)', 'a use'."""
    text = type_name.strip()
    text = text.replace("google.protobuf.Timestamp", "timestamp")
    text = text.replace("google.protobuf.Duration", "duration")
    text = re.sub(r"wrapper\((\w+)\)", r"\1 or null", text)
    return re.sub(rf"\b{checker_types.PACKAGE}\.(\w+)", lambda m: _noun(m.group(1)), text)


def _problem(line: int, column: int, text: str, names: set[str]) -> TypeProblem | None:
    model = checker_types.declaration_types()
    field = _FIELD.match(text)
    if field:
        name, struct = field.groups()
        short = struct.removeprefix(f"{checker_types.PACKAGE}.")
        hint = did_you_mean(name, model.fields.get(short, []))
        return TypeProblem(
            line,
            column + 1,  # the checker points at the dot; the author looks for the name
            f"reads unknown field {name!r} of {_noun(short)}",
            hint or f"fields of {_noun(short)}: {', '.join(model.fields.get(short, []))}",
        )
    reference = _NAME.match(text)
    if reference:
        name = reference.group(1).split(".")[0]  # 'a.b' when 'a' itself is unknown
        return TypeProblem(
            line,
            column,
            f"uses unknown name {name!r}",
            did_you_mean(name, names) or "a name is a section, an index, params, today or the item",
        )
    overload = _OVERLOAD.match(text)
    if overload:
        operator, arguments = overload.groups()
        kinds = [_readable(a) for a in re.split(r",\s*(?![^()]*\))", arguments)]
        bare = {k.removesuffix(" or null") for k in kinds}
        if operator in _COMPARISONS and bare <= _NUMERIC:
            return None  # the evaluator compares int, uint and double with each other
        if operator == "_?_:_":
            return None  # branches of different types are the evaluator's to handle
        shown = _OPERATORS.get(operator, operator)
        if operator in _OPERATORS and len(kinds) == 2:
            what = f"'{shown}' cannot combine {kinds[0]} with {kinds[1]}"
        else:
            what = f"{shown}({', '.join(kinds)}) is not defined"
        return TypeProblem(
            line,
            column,
            f"has a type mismatch: {what}",
            "compare values of the same type (a date with a date, a list's items with a value)",
        )
    return TypeProblem(line, column, f"does not type-check: {text}")


def check(source: str, item: str, for_each: str, *, condition: bool = False) -> list[TypeProblem]:
    """Problems of one expression, where `item` is the name the rule gives one item.

    A `condition` (applies_when, where, assert) must give true or false.
    """
    model = checker_types.declaration_types()
    env = _environment(item, checker_types.item_type(for_each))
    try:
        result = env.compile(source).return_type()
    except Exception as exc:
        names = {*model.globals, item}
        found = [
            _problem(int(m.group(1)), int(m.group(2)), m.group(3).strip(), names)
            for m in _ERROR.finditer(str(exc))
        ]
        problems = [p for p in found if p is not None]
        if not found:
            problems = [TypeProblem(1, 1, f"does not type-check: {' '.join(str(exc).split())}")]
        return problems
    if condition and not (
        result == model.cel.Type.DYN or model.cel.Type.BOOL.is_assignable_from(result)
    ):
        shown = _readable(result.name().lower().replace("<", "(").replace(">", ")"))
        return [
            TypeProblem(
                1,
                1,
                f"gives {shown}, not true or false",
                "a condition compares or tests something, e.g. use.subjects.size() > 0",
            )
        ]
    return []


def check_field_path(path: str, for_each: str) -> TypeProblem | None:
    """`at`: a dotted path of fields of the item's model, e.g. 'scan.starts_at'."""
    fields = checker_types.declaration_types().fields
    model = checker_types.item_type(for_each)
    column = 1
    for segment in path.split("."):
        known = fields.get(model, [])
        if segment not in known:
            return TypeProblem(
                1,
                column,
                f"names unknown field {segment!r} of {_noun(model)}",
                did_you_mean(segment, known) or f"fields of {_noun(model)}: {', '.join(known)}",
            )
        annotation, _ = checker_types.unwrap(_annotation(model, segment))
        if typing.get_origin(annotation) is list:
            annotation, _ = checker_types.unwrap(typing.get_args(annotation)[0])
        model = annotation.__name__ if isinstance(annotation, type) else ""
        column += len(segment) + 1
    return None


def _annotation(model_name: str, field: str) -> Any:
    for model in _models(Declaration):
        if model.__name__ == model_name:
            return model.model_fields[field].annotation
    return None


@functools.cache
def _models(root: type[BaseModel]) -> tuple[type[BaseModel], ...]:
    found: dict[str, type[BaseModel]] = {}

    def visit(model: type[BaseModel]) -> None:
        if model.__name__ in found:
            return
        found[model.__name__] = model
        for info in model.model_fields.values():
            annotation, _ = checker_types.unwrap(info.annotation)
            if typing.get_origin(annotation) is list:
                annotation, _ = checker_types.unwrap(typing.get_args(annotation)[0])
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                visit(annotation)

    visit(root)
    return tuple(found.values())
