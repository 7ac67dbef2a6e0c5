"""The declaration (apiVersion ccai-policy/v1): its sections assembled, and their references."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from ccai_policy.model.ai_tools import Tool
from ccai_policy.model.assets import Asset
from ccai_policy.model.compensation import Compensation
from ccai_policy.model.consents import Consent
from ccai_policy.model.notices import Notice
from ccai_policy.model.people import Person
from ccai_policy.model.production import Production
from ccai_policy.model.strict import STRICT_CONFIG, Strict
from ccai_policy.model.uses import Use
from ccai_policy.model.workforce import Workforce


class Declaration(Strict):
    """A production's declaration of AI use."""

    api_version: Literal["ccai-policy/v1"] = Field(
        alias="apiVersion",
        description="The format version; write `ccai-policy/v1`.",
        examples=["ccai-policy/v1"],
    )
    kind: Literal["Declaration"] = Field(
        description="What the file is; write `Declaration`.", examples=["Declaration"]
    )
    production: Production = Field(
        description="The production: its title, studio, type, territories and agreements."
    )
    people: list[Person] = Field(
        default_factory=list,
        description="Everyone whose likeness, voice or work an AI use touches, and the people "
        "consulted.",
    )
    tools: list[Tool] = Field(default_factory=list, description="Each AI tool or model used.")
    uses: list[Use] = Field(default_factory=list, description="Each use of AI.")
    consents: list[Consent] = Field(default_factory=list, description="Each signed consent.")
    compensation: list[Compensation] = Field(
        default_factory=list, description="Each payment for a use."
    )
    notices: list[Notice] = Field(
        default_factory=list,
        description="Notices to unions and people, and consultations with the director.",
    )
    assets: list[Asset] = Field(
        default_factory=list,
        description="What reaches audiences: Content Credentials and disclosures.",
    )
    workforce: Workforce = Field(
        default_factory=Workforce, description="The effect of the AI use on jobs."
    )

    model_config = ConfigDict(
        **STRICT_CONFIG,
        populate_by_name=True,
        json_schema_extra={"title": "ccai-policy declaration"},
    )


#: Sections that are lists of items with ids, in document order.
LIST_SECTIONS = ("people", "tools", "uses", "consents", "compensation", "notices", "assets")
#: Sections that hold one object.
OBJECT_SECTIONS = ("production", "workforce")

#: Every reference between sections: (section, field, target section, field is a list).
REFERENCES: tuple[tuple[str, str, str, bool], ...] = (
    ("uses", "tool", "tools", False),
    ("uses", "tools", "tools", True),
    ("uses", "subjects", "people", True),
    ("uses", "features_from", "people", True),
    ("consents", "person", "people", False),
    ("consents", "uses", "uses", True),
    ("compensation", "person", "people", False),
    ("compensation", "use", "uses", False),
    ("notices", "uses", "uses", True),
    ("notices", "person", "people", False),
    ("assets", "uses", "uses", True),
)
