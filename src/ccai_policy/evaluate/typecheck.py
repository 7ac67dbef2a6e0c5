"""Type-check rule expressions against the declaration models, with a did-you-mean for typos.

The only module that imports `cel_expr_python` (Google's CEL implementation, whose checker
types expressions against protobuf messages). The messages are generated here from the same
pydantic models the declaration's JSON Schema comes from; evaluation still uses `cel`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import AnyUrl, BaseModel

from ccai_policy.errors import did_you_mean
from ccai_policy.evaluate.facts import DERIVED
from ccai_policy.evaluate.programs import INDEXES
from ccai_policy.model.declaration import LIST_SECTIONS, OBJECT_SECTIONS, Declaration

PACKAGE = "ccai"
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
_WRAPPERS = {
    str: "StringValue",
    bool: "BoolValue",
    int: "Int64Value",
    float: "DoubleValue",
}


class CheckerUnavailable(Exception):
    """The type checker cannot run here (its library is missing or does not load)."""


@dataclass(frozen=True)
class TypeProblem:
    """One problem in one expression: 1-based line and column inside it, and what to do."""

    line: int
    column: int
    message: str
    hint: str = ""


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None` and Annotated[...], and whether None was allowed."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = _unwrap(args[0] if len(args) == 1 else Any)
        return inner, True
    return annotation, False


def _scalar(annotation: Any) -> type | None:
    """The Python type a field's values have, for a scalar annotation (None: several, or not
    a scalar; a fact that is true, false or 'unknown' is checked at run time)."""
    if typing.get_origin(annotation) is typing.Literal:
        kinds = {type(value) for value in typing.get_args(annotation)}
        return kinds.pop() if len(kinds) == 1 else None
    if annotation in (str, bool, int, float):
        return typing.cast(type, annotation)
    if isinstance(annotation, type) and issubclass(annotation, AnyUrl):
        return str
    return None


class _Builder:
    """Protobuf message descriptors for a pydantic model and every model it contains."""

    def __init__(self) -> None:
        from google.protobuf import descriptor_pb2

        self.pb = descriptor_pb2
        self.file = descriptor_pb2.FileDescriptorProto(
            name="ccai_declaration.proto", package=PACKAGE, syntax="proto3"
        )
        self.file.dependency.extend(
            [
                "google/protobuf/timestamp.proto",
                "google/protobuf/wrappers.proto",
                "google/protobuf/struct.proto",
            ]
        )
        self.fields: dict[str, list[str]] = {}
        self.titles: dict[str, str] = {}

    def message(self, model: type[BaseModel]) -> str:
        name = model.__name__
        if name in self.fields:
            return name
        declared = {field: info.annotation for field, info in model.model_fields.items()}
        annotations = {**declared, **DERIVED.get(name, {})}
        self.fields[name] = list(annotations)
        message = self.file.message_type.add(name=name)
        field_type = self.pb.FieldDescriptorProto
        for number, (field_name, annotation) in enumerate(annotations.items(), start=1):
            annotation, nullable = _unwrap(annotation)
            repeated = typing.get_origin(annotation) is list
            if repeated:
                annotation, _ = _unwrap(typing.get_args(annotation)[0])
            field = message.field.add(
                name=field_name,
                number=number,
                label=field_type.LABEL_REPEATED if repeated else field_type.LABEL_OPTIONAL,
            )
            scalar = _scalar(annotation)
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                field.type = field_type.TYPE_MESSAGE
                field.type_name = f".{PACKAGE}.{self.message(annotation)}"
            elif annotation in (dt.date, dt.datetime):
                field.type = field_type.TYPE_MESSAGE
                field.type_name = ".google.protobuf.Timestamp"
            elif scalar is not None and nullable and not repeated:
                field.type = field_type.TYPE_MESSAGE
                field.type_name = f".google.protobuf.{_WRAPPERS[scalar]}"
            elif scalar is not None:
                field.type = {
                    str: field_type.TYPE_STRING,
                    bool: field_type.TYPE_BOOL,
                    int: field_type.TYPE_INT64,
                    float: field_type.TYPE_DOUBLE,
                }[scalar]
            else:  # anything else is checked at run time only
                field.type = field_type.TYPE_MESSAGE
                field.type_name = ".google.protobuf.Value"
        return name


@dataclass(frozen=True)
class _Model:
    """The declaration as the checker sees it."""

    cel: Any
    pool: Any
    fields: dict[str, list[str]]
    section_types: dict[str, str]
    globals: dict[str, Any]


@functools.cache
def _model() -> _Model:
    try:
        from cel_expr_python import cel
        from google.protobuf import (
            descriptor_pb2,
            descriptor_pool,
            struct_pb2,
            timestamp_pb2,
            wrappers_pb2,
        )
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise CheckerUnavailable(f"cel-expr-python is not installed ({exc})") from None
    builder = _Builder()
    section_types: dict[str, str] = {}
    for name, info in Declaration.model_fields.items():
        annotation, _ = _unwrap(info.annotation)
        if typing.get_origin(annotation) is list:
            annotation = typing.get_args(annotation)[0]
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            section_types[name] = builder.message(annotation)
    pool = descriptor_pool.DescriptorPool()
    for module in (timestamp_pb2, wrappers_pb2, struct_pb2):
        proto = descriptor_pb2.FileDescriptorProto()
        module.DESCRIPTOR.CopyToProto(proto)
        pool.Add(proto)
    pool.Add(builder.file)

    def message(section: str) -> Any:
        return cel.Type(f"{PACKAGE}.{section_types[section]}")

    variables: dict[str, Any] = {}
    for section in OBJECT_SECTIONS:
        variables[section] = message(section)
    for section in LIST_SECTIONS:
        variables[section] = cel.Type.List(message(section))
        variables[f"{section}_by_id"] = cel.Type.Map(cel.Type.STRING, message(section))
    for name, (section, _, _) in INDEXES.items():
        variables[name] = cel.Type.Map(cel.Type.STRING, cel.Type.List(message(section)))
    variables["params"] = cel.Type.Map(cel.Type.STRING, cel.Type.DYN)
    variables["today"] = cel.Type.TIMESTAMP
    return _Model(cel, pool, builder.fields, section_types, variables)


def available() -> str:
    """'' when the checker can run, else why not."""
    try:
        _model()
    except CheckerUnavailable as exc:
        return str(exc)
    except Exception as exc:  # a library that installed but does not load on this platform
        return f"cel-expr-python does not load: {type(exc).__name__}: {exc}"
    return ""


def item_type(for_each: str) -> str:
    """The model an item of `for_each` has (the production for `declaration`)."""
    return _model().section_types["production" if for_each == "declaration" else for_each]


@functools.cache
def _environment(item: str, item_model: str) -> Any:
    model = _model()
    variables = {**model.globals, item: model.cel.Type(f"{PACKAGE}.{item_model}")}
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
    return re.sub(rf"\b{PACKAGE}\.(\w+)", lambda m: _noun(m.group(1)), text)


def _problem(line: int, column: int, text: str, names: set[str]) -> TypeProblem | None:
    model = _model()
    field = _FIELD.match(text)
    if field:
        name, struct = field.groups()
        short = struct.removeprefix(f"{PACKAGE}.")
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
    model = _model()
    env = _environment(item, item_type(for_each))
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
    fields = _model().fields
    model = item_type(for_each)
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
        annotation, _ = _unwrap(_annotation(model, segment))
        if typing.get_origin(annotation) is list:
            annotation, _ = _unwrap(typing.get_args(annotation)[0])
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
            annotation, _ = _unwrap(info.annotation)
            if typing.get_origin(annotation) is list:
                annotation, _ = _unwrap(typing.get_args(annotation)[0])
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                visit(annotation)

    visit(root)
    return tuple(found.values())
