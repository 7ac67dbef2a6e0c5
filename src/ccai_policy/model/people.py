"""The people section: everyone an AI use touches, and the people consulted."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ccai_policy.model.calendar import Date
from ccai_policy.model.strict import Id, Strict, Text, Tri
from ccai_policy.model.vocabulary import Meanings

Role = Literal[
    "principal", "background", "voice", "stunt", "writer", "director", "crew", "composer", "other"
]
ROLES = Meanings(
    {
        "principal": "A principal performer: an actor with a speaking or featured part.",
        "background": "A background actor (an extra).",
        "voice": "A voice performer: voice-over, dubbing, animation, announcements.",
        "stunt": "A stunt performer.",
        "writer": "A writer of the script or other literary material.",
        "director": "A director of the production (the person the DGA agreement says to consult).",
        "crew": "A member of the crew: a craft or technical job.",
        "composer": "A composer or musician.",
        "other": "Anyone else whose likeness, voice or work is touched.",
    }
)


class Representation(Strict):
    """Who advised the person on the replica terms they signed."""

    counsel: bool = Field(
        default=False,
        description="Represented by legal counsel on the replica terms.",
        examples=[True],
    )
    union_cba_addresses_replicas: bool = Field(
        default=False,
        description="Covered by a collective bargaining agreement that expressly addresses "
        "digital replicas.",
        examples=[True],
    )


class Person(Strict):
    """Someone whose likeness, voice or work an AI use touches, or who is consulted."""

    id: Id = Field(description="A short id other sections use to name the person.")
    name: Text = Field(description="The person's name.", examples=["Ana Ruiz"])
    roles: list[Annotated[Role, ROLES]] = Field(
        min_length=1,
        description="What the person does on the production; at least one.",
        examples=[["principal"]],
    )
    union: str | None = Field(
        default=None,
        description="The person's union, if any (informational).",
        examples=["SAG-AFTRA"],
    )
    minor: Tri = Field(
        default="unknown",
        description="Under 18 when the work is done: true, false or unknown (left out: unknown).",
        examples=[False],
    )
    group_size: int | None = Field(
        default=None,
        ge=2,
        description="For a group of anonymous people (a crowd of scanned extras) declared as "
        "one entry: how many people it holds. Consents for the group must cover that many "
        "people (consents[].covers).",
        examples=[40],
    )
    deceased_on: Date | None = Field(
        default=None, description="Date of death, if the person has died.", examples=["2019-04-02"]
    )
    representation: Representation = Field(
        default_factory=Representation,
        description="Who advised the person on the replica terms.",
        examples=[{"counsel": True}],
    )
    rights_holder: str | None = Field(
        default=None,
        description="For a deceased person: who holds their rights of publicity.",
        examples=["Estate of Ray Collins"],
    )
