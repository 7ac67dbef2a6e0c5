"""The waiver file format: exceptions owned by whoever approves them, each with an expiry."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from ccai_policy.model.calendar import Date
from ccai_policy.model.vocabulary import field_title, model_title

_CONFIG = ConfigDict(
    extra="forbid",
    frozen=True,
    strict=True,
    field_title_generator=field_title,
    model_title_generator=model_title,
)


class Waiver(BaseModel):
    """One approved exception to one rule, for one subject or a whole declaration."""

    model_config = _CONFIG

    rule: str = Field(
        min_length=1, description="Id of the rule waived.", examples=["TRANSP-C2PA-002"]
    )
    subject: str = Field(
        min_length=1,
        description="Id of the item the finding is about (a use, consent, ...), or '*' for "
        "every finding of the rule in the declaration.",
        examples=["u-previs-07"],
    )
    production: str | None = Field(
        default=None,
        description="Limit the waiver to the declaration of this production id.",
        examples=["prod-harbor-s1"],
    )
    justification: str = Field(
        min_length=10,
        description="Why the exception is acceptable, in at least 10 characters.",
        examples=["Previs frames never leave the production; marking not applicable."],
    )
    approver: str = Field(
        min_length=2,
        description="Who approved it: name and role.",
        examples=["J. Ortiz, SAG-AFTRA field rep"],
    )
    expires: Date = Field(
        description="Last day the waiver applies (YYYY-MM-DD).", examples=["2027-01-31"]
    )


class WaiverFile(BaseModel):
    """A file of waivers, passed to check with --waivers."""

    model_config = _CONFIG

    waivers: list[Waiver] = Field(description="The waivers; may be empty.")
