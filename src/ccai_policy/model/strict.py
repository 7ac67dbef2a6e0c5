"""Strict, the base of every declaration model, and the ids, text and Tri facts sections share."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ccai_policy.model.vocabulary import Meanings, field_title, model_title

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"),
    Field(
        description="An identifier: letters, digits, '.', '_', ':' or '-'; unique in its section.",
        examples=["p-ana"],
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
#: A fact that switches an obligation on or off: true, false, or 'unknown' until someone finds
#: out. Left out, it is unknown, and a rule that turns on it asks for it ("needs information").
TRI = Meanings(
    {
        True: "Yes.",
        False: "No.",
        "unknown": "Not known yet; a rule that turns on this fact asks for it.",
    }
)
Tri = Annotated[Literal[True, False, "unknown"], TRI]

#: The model configuration of every declaration model; a model that adds to it spreads it.
STRICT_CONFIG = ConfigDict(
    extra="forbid",
    allow_inf_nan=False,
    frozen=True,
    strict=True,
    field_title_generator=field_title,
    model_title_generator=model_title,
)


class Strict(BaseModel):
    """Base of every declaration model: unknown keys are errors, NaN and infinity too."""

    model_config = STRICT_CONFIG
