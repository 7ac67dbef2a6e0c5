"""The waiver file format: exceptions owned by whoever approves them, each with an expiry."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from .calendar import Date


class Waiver(BaseModel):
    """One approved exception to one rule, for one subject or a whole declaration."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    rule: str = Field(min_length=1, description="Id of the rule waived.")
    subject: str = Field(
        min_length=1,
        description="Id of the item the finding is about (a use, consent, ...), or '*' for "
        "every finding of the rule in the declaration.",
    )
    production: str | None = Field(
        default=None, description="Limit the waiver to the declaration of this production id."
    )
    justification: str = Field(min_length=10, description="Why the exception is acceptable.")
    approver: str = Field(min_length=2, description="Who approved it: name and role.")
    expires: Date = Field(description="Last day the waiver applies (YYYY-MM-DD).")


class WaiverFile(BaseModel):
    """A file of waivers, passed to check with --waivers."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    waivers: list[Waiver] = Field(description="The waivers; may be empty.")
