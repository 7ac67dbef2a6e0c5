"""The production section: its type, territories and the agreements it works under."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, model_validator

from ccai_policy.model.calendar import Date
from ccai_policy.model.strict import Id, Strict, Text, Tri
from ccai_policy.model.vocabulary import Meanings

Territory = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]

ProductionType = Literal["film", "series", "game", "commercial"]
PRODUCTION_TYPES = Meanings(
    {
        "film": "A feature or short film made for theatrical, streaming or festival release.",
        "series": "A television or streaming series, one declaration per season.",
        "game": "A video game or other interactive media.",
        "commercial": "An advertisement, in any medium.",
    }
)
#: The agreements the vocabulary knows, by family; each is declared with its version (year).
AGREEMENT_FAMILIES = (
    "sag-aftra-tv-theatrical",
    "sag-aftra-interactive-media",
    "sag-aftra-commercials",
    "wga-mba",
    "dga-basic-agreement",
    "iatse-basic-agreement",
)
#: The agreement versions the rules encode, with what each covers.
AGREEMENTS: dict[str, str] = {
    "sag-aftra-tv-theatrical-2023": "SAG-AFTRA TV/Theatrical Agreement 2023 (performers in "
    "film and television; digital replica, alteration and synthetic performer terms).",
    "sag-aftra-tv-theatrical-2026": "SAG-AFTRA TV/Theatrical Agreement 2026, from 1 July 2026.",
    "sag-aftra-interactive-media-2025": "SAG-AFTRA Interactive Media Agreement 2025 "
    "(performers in video games).",
    "sag-aftra-commercials-2025": "SAG-AFTRA Commercials Contracts 2025 (performers in "
    "advertisements).",
    "wga-mba-2023": "WGA Minimum Basic Agreement 2023 (writers; Article 72 on generative AI).",
    "wga-mba-2026": "WGA Minimum Basic Agreement 2026, from 2 May 2026.",
    "dga-basic-agreement-2023": "DGA Basic Agreement 2023 (directors; consultation before "
    "AI is used on creative elements).",
    "iatse-basic-agreement-2024": "IATSE Basic Agreement 2024 (crafts and crew; no one "
    "required to prompt AI that displaces a covered employee).",
}
Agreement = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*-(19|20)[0-9]{2}$"),
    Field(
        description="A collective bargaining agreement and its version, as <family>-<year>: "
        + ", ".join(AGREEMENTS)
        + ". A version the rules do not encode is reported as not covered, never checked "
        "against another version.",
        examples=["sag-aftra-tv-theatrical-2023"],
    ),
]


class Production(Strict):
    """The production the declaration is about."""

    id: Id = Field(
        description="A short id for the production, used in reports and waivers.",
        examples=["prod-harbor-s1"],
    )
    title: Text = Field(
        description="The production's working or release title.", examples=["Harbor Lights"]
    )
    studio: Text = Field(
        description="The company responsible for the declaration.", examples=["Harbor Studios LLC"]
    )
    type: Annotated[ProductionType, PRODUCTION_TYPES] = Field(
        description="What kind of production it is.", examples=["series"]
    )
    territories: list[Territory] = Field(
        default_factory=list,
        description="Where it is made or released: a country code such as `US` or `DK`, a "
        "region such as `US-CA` or `US-NY`, or `EU` for a release in the European Union. "
        "Laws of these places apply.",
        examples=[["US-CA", "EU"]],
    )
    agreements: list[Agreement] = Field(
        default_factory=list,
        description="The collective bargaining agreements the production works under.",
        examples=[["sag-aftra-tv-theatrical-2023", "wga-mba-2023"]],
    )
    release_date: Date | None = Field(
        default=None, description="Date of first public release.", examples=["2027-03-01"]
    )
    distributed_until: Date | None = Field(
        default=None,
        description="For a work first released earlier and still offered to the public: the "
        "last day it is (or will be) distributed. Continued distribution after an obligation "
        "takes effect brings the obligation in; left out, the work is taken as still "
        "distributed.",
        examples=["2030-12-31"],
    )
    is_advertisement: Tri = Field(
        default="unknown",
        description="Whether it advertises a product or service: true, false or unknown. A "
        "commercial is always an advertisement.",
        examples=[True],
    )
    contact: str | None = Field(
        default=None,
        description="Who answers questions about this declaration (informational).",
        examples=["ai-compliance@example.com"],
    )

    @model_validator(mode="after")
    def _distributed_from_release(self) -> Production:
        ends, starts = self.distributed_until, self.release_date
        if ends is not None and starts is not None and ends < starts:
            raise ValueError(
                f"`distributed_until` ({ends}) is before `release_date` ({starts}): a work is "
                "distributed from its release on, so give the last day it is offered, on or "
                "after the release, or correct the release date"
            )
        return self
