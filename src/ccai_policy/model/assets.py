"""The assets section: what reaches audiences, its Content Credentials and disclosure."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ccai_policy.model.consents import PERMISSIONS, Permission
from ccai_policy.model.digital_source_types import DIGITAL_SOURCE_TYPES, DigitalSourceType
from ccai_policy.model.production import Territory
from ccai_policy.model.strict import Id, Strict, Text
from ccai_policy.model.vocabulary import Meanings

Placement = Literal["on_screen", "opening_credits", "end_credits", "packaging", "metadata"]
PLACEMENTS = Meanings(
    {
        "on_screen": "On screen while the AI-made content is shown.",
        "opening_credits": "In the opening credits or title cards.",
        "end_credits": "In the end credits (after the audience first sees the content).",
        "packaging": "On the packaging, store page or listing.",
        "metadata": "Only in the file's metadata, not visible to the audience.",
    }
)


class TrainingMining(Strict):
    """The CAWG training-and-data-mining terms in an asset's Content Credentials."""

    data_mining: Annotated[Permission, PERMISSIONS] | None = Field(
        default=None, description="cawg.data_mining: mining the asset for data."
    )
    ai_inference: Annotated[Permission, PERMISSIONS] | None = Field(
        default=None, description="cawg.ai_inference: using the asset as AI input."
    )
    ai_generative_training: Annotated[Permission, PERMISSIONS] | None = Field(
        default=None,
        description="cawg.ai_generative_training: training generative AI on the asset.",
        examples=["notAllowed"],
    )
    ai_training: Annotated[Permission, PERMISSIONS] | None = Field(
        default=None,
        description="cawg.ai_training: training any AI on the asset.",
        examples=["notAllowed"],
    )


class ContentCredentials(Strict):
    """The C2PA Content Credentials an asset carries."""

    manifest: str = Field(
        description="URI or relative path of the C2PA manifest.",
        examples=["https://example.com/c2pa/episode-3.c2pa"],
    )
    digital_source_type: Annotated[DigitalSourceType, DIGITAL_SOURCE_TYPES] | None = Field(
        default=None,
        description="The IPTC digital source type the manifest declares.",
        examples=["compositeWithTrainedAlgorithmicMedia"],
    )
    training_mining: TrainingMining | None = Field(
        default=None, description="The training-and-data-mining terms in the manifest."
    )


class AudienceDisclosure(Strict):
    """How the audience is told that AI made or changed what they see or hear."""

    placement: Annotated[Placement, PLACEMENTS] = Field(
        description="Where the audience sees the disclosure.", examples=["opening_credits"]
    )
    text: Text = Field(
        description="The words shown. In `{...}` on one line, quote text that holds a comma "
        "or a colon.",
        examples=["Crowd scenes include digital replicas, de-aging and digital crowds."],
    )


class Asset(Strict):
    """Something delivered to audiences that AI helped make: an episode, a trailer, a spot."""

    id: Id = Field(description="A short id for the asset.", examples=["a-episode-3"])
    title: Text = Field(description="The asset's title.", examples=["Harbor Lights, episode 3"])
    uses: list[str] = Field(
        min_length=1,
        description="The ids of the uses that produced it (from `uses`); at least one.",
        examples=[["u-crowd"]],
    )
    path: str | None = Field(
        default=None,
        description="The delivered file, relative to the declaration; --verify-credentials "
        "reads its Content Credentials.",
        examples=["deliveries/episode-3.mp4"],
    )
    released_in: list[Territory] = Field(
        default_factory=list,
        description="Where it is released: country or region codes (`US`, `FR`, `US-CA`), or "
        "`EU`; a member state of the European Union counts as a release in the EU. Left "
        "empty, it is released wherever the production is.",
        examples=[["US", "EU"]],
    )
    content_credentials: ContentCredentials | None = Field(
        default=None, description="The C2PA Content Credentials it carries."
    )
    audience_disclosure: AudienceDisclosure | None = Field(
        default=None, description="How the audience is told."
    )
