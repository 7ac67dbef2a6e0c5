"""What the models say about the field at a location: its name, description, type and example."""

from __future__ import annotations

import typing
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ccai_policy.load.valuetext import line
from ccai_policy.model.vocabulary import human_title

#: Where a person reads every field, its meaning and its allowed values.
FIELD_REFERENCE = "docs/fields.md"


@dataclass(frozen=True)
class Field:
    """What the models say about the field at a location, as far as it is known."""

    key: str
    info: FieldInfo | None
    annotation: Any
    item: bool = False  # the location is an item of the field's list

    @property
    def description(self) -> str:
        return (self.info.description or "") if self.info else ""

    @property
    def example(self) -> Any:
        """An example of the value at the location (an item's, for an item of a list)."""
        examples = self.info.examples if self.info else None
        example = examples[0] if examples else None
        if self.item and isinstance(example, list):
            return example[0] if example else None
        return example

    def written(self, value: Any) -> str:
        """`key: value` for the location, as a person writes it (`key: [value]` for an item)."""
        return line(self.key, [value] if self.item else value)

    @property
    def title(self) -> str:
        return human_title(self.key) if self.key else "value"


def field_at(model: type[BaseModel], loc: Sequence[str | int]) -> Field:
    """The field a location names: ('people', 1, 'roles') is Person.roles."""
    options: list[Any] = [model]
    info: FieldInfo | None = None
    annotation: Any = model
    for part in loc:
        following: list[Any] = []
        for option in options:
            if isinstance(part, int) and typing.get_origin(option) is list:
                following.extend(candidates(typing.get_args(option)[0]))
            elif isinstance(option, type) and issubclass(option, BaseModel):
                for name, field in option.model_fields.items():
                    if part in (name, field.alias):
                        info, annotation = field, field.annotation
                        following.extend(candidates(field.annotation))
        options = following
    item = bool(loc) and isinstance(loc[-1], int)
    if item and len(loc) >= 2 and not isinstance(loc[-2], str):
        info = None  # an item of an item: no field describes it
    key = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
    return Field(key, info, annotation, item)


def field_names(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The field names of the mapping at a location, e.g. Person's at ('people', 1)."""
    options: list[Any] = [model]
    for part in loc:
        following: list[Any] = []
        for option in options:
            if isinstance(part, int) and typing.get_origin(option) is list:
                following.extend(candidates(typing.get_args(option)[0]))
            elif isinstance(option, type) and issubclass(option, BaseModel):
                for name, info in option.model_fields.items():
                    if part in (name, info.alias):
                        following.extend(candidates(info.annotation))
        options = following
    return sorted(
        info.alias or name
        for option in options
        if isinstance(option, type) and issubclass(option, BaseModel)
        for name, info in option.model_fields.items()
    )


def candidates(annotation: Any) -> list[Any]:
    """The types a value of an annotation may have: unions and Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return candidates(typing.get_args(annotation)[0])
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        return [c for arg in typing.get_args(annotation) for c in candidates(arg)]
    return [annotation]
