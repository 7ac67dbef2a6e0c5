"""What each allowed value means, and human titles: shown by editors, messages and the docs."""

from __future__ import annotations

import re
import typing
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.fields import ComputedFieldInfo, FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

#: Words that keep their capitals in a title, by their spelling in a field name.
_WORDS = {
    "id": "ID",
    "url": "URL",
    "uri": "URI",
    "c2pa": "C2PA",
    "gpai": "GPAI",
    "cba": "CBA",
    "ai": "AI",
    "gai": "GAI",
    "sha256": "SHA-256",
    "api": "API",
}


class Meanings:
    """Annotated metadata: the plain-words meaning of every value of a Literal.

    `Annotated[Literal["a", "b"], Meanings({"a": "...", "b": "..."})]`; the JSON Schema gets
    `enumDescriptions` (read by editors' hover and completion), and the field reference and the
    validation messages read the same text. A value without a meaning is an error at import.
    """

    def __init__(self, meanings: dict[Any, str]) -> None:
        self.meanings = meanings

    def check(self, values: tuple[Any, ...]) -> None:
        if set(values) != set(self.meanings):
            missing = sorted(set(map(str, values)) - set(self.meanings))
            extra = sorted(set(self.meanings) - set(map(str, values)))
            raise TypeError(f"Meanings do not match the values: missing {missing}, extra {extra}")

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        values = target.get("enum") or ([target["const"]] if "const" in target else [])
        self.check(tuple(values))
        if "const" in target:
            target.setdefault("description", self.meanings[target["const"]])
        else:
            target["enumDescriptions"] = [self.meanings[v] for v in values]
        return schema


def described_values(annotation: Any) -> dict[str, str]:
    """The allowed values of an annotation with their meanings ('' where none is given)."""
    found: dict[str, str] = {}
    _collect(annotation, found, {})
    return found


def field_values(info: FieldInfo) -> dict[str, str]:
    """The allowed values of a field with their meanings, including its own Annotated metadata
    (pydantic moves the metadata of a field's outermost Annotated off its annotation)."""
    found = described_values(info.annotation)
    for item in info.metadata:
        if isinstance(item, Meanings):
            written = {_written(k): v for k, v in item.meanings.items()}
            found.update({k: v for k, v in written.items() if k in found or not found})
    return found


def _written(value: Any) -> str:
    """An allowed value as YAML writes it: true and false in lower case."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def _collect(annotation: Any, found: dict[str, str], meanings: dict[str, str]) -> None:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        for item in metadata:
            if isinstance(item, Meanings):
                meanings = {**meanings, **item.meanings}
        _collect(inner, found, meanings)
    elif origin is typing.Literal:
        for value in typing.get_args(annotation):
            found[_written(value)] = meanings.get(value, meanings.get(str(value), ""))
    elif origin is list or origin is typing.Union or type(annotation).__name__ == "UnionType":
        for arg in typing.get_args(annotation):
            _collect(arg, found, meanings)


def human_title(name: str) -> str:
    """`first_used_on` -> `First used on`; `apiVersion` -> `API version`; `gpai` -> `GPAI`."""
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).strip("_")
    words = [w for w in spaced.split("_") if w]
    shown = [_WORDS.get(w.lower(), w.lower()) for w in words]
    if shown and shown[0] == shown[0].lower():
        shown[0] = shown[0][:1].upper() + shown[0][1:]
    return " ".join(shown)


def field_title(name: str, info: FieldInfo | ComputedFieldInfo) -> str:
    """The title editors show for a field: its alias (the key written) in words."""
    return human_title(info.alias or name)


def model_title(model: type) -> str:
    return human_title(model.__name__)
