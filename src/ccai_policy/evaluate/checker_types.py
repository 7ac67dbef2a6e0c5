"""The declaration models as the protobuf messages and CEL types the type checker checks against.

The only module that imports `cel_expr_python` (Google's CEL implementation); the messages
come from the same pydantic models as the declaration's JSON Schema.
"""

from __future__ import annotations

import datetime as dt
import functools
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import AnyUrl, BaseModel

from ccai_policy.evaluate.facts import DERIVED
from ccai_policy.evaluate.programs import INDEXES
from ccai_policy.model.declaration import LIST_SECTIONS, OBJECT_SECTIONS, Declaration

#: The protobuf package of the generated messages, as checker types name them ('ccai.Use').
PACKAGE = "ccai"
_WRAPPERS = {
    str: "StringValue",
    bool: "BoolValue",
    int: "Int64Value",
    float: "DoubleValue",
}


class CheckerUnavailable(Exception):
    """The type checker cannot run here (its library is missing or does not load)."""


def unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None` and Annotated[...], and whether None was allowed."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        inner, _ = unwrap(args[0] if len(args) == 1 else Any)
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
            annotation, nullable = unwrap(annotation)
            repeated = typing.get_origin(annotation) is list
            if repeated:
                annotation, _ = unwrap(typing.get_args(annotation)[0])
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
class DeclarationTypes:
    """The declaration as the checker sees it."""

    cel: Any
    pool: Any
    fields: dict[str, list[str]]
    section_types: dict[str, str]
    globals: dict[str, Any]


@functools.cache
def declaration_types() -> DeclarationTypes:
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
        annotation, _ = unwrap(info.annotation)
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
    return DeclarationTypes(cel, pool, builder.fields, section_types, variables)


def item_type(for_each: str) -> str:
    """The model an item of `for_each` has (the production for `declaration`)."""
    section = "production" if for_each == "declaration" else for_each
    return declaration_types().section_types[section]
