"""The tools section: each AI tool or model, its output marking and its training data."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AnyUrl, Field

from ccai_policy.model.calendar import Date
from ccai_policy.model.strict import Id, Strict, Text, Tri
from ccai_policy.model.vocabulary import Meanings

TrainingBasis = Literal[
    "licensed", "owned", "public_domain", "open_licence", "opt_in", "unknown_scraped"
]
TRAINING_BASES = Meanings(
    {
        "licensed": "Licensed by contract from the rights holders.",
        "owned": "Owned by the vendor (its own footage, recordings or texts).",
        "public_domain": "In the public domain.",
        "open_licence": "Under an open licence that permits training (some Creative Commons "
        "licences, say).",
        "opt_in": "Given by contributors who chose to opt in.",
        "unknown_scraped": "Collected from the web without permission, or the vendor does not "
        "say: treated as unconsented.",
    }
)
OptOutMechanism = Literal["tdmrep", "cawg.training-mining", "spawning_dntr", "robots"]
OPT_OUTS = Meanings(
    {
        "tdmrep": "W3C TDMRep: the tdm-reservation signal (1 = reserved) in "
        "/.well-known/tdmrep.json or HTTP headers.",
        "cawg.training-mining": "The CAWG (formerly C2PA) training-and-data-mining assertion in "
        "Content Credentials, e.g. cawg.ai_training: notAllowed.",
        "spawning_dntr": "Spawning's Do Not Train Registry.",
        "robots": "robots.txt rules that exclude AI crawlers.",
    }
)


class OutputMarking(Strict):
    """How the tool marks what it generates."""

    c2pa: bool = Field(
        default=False, description="Outputs carry C2PA Content Credentials.", examples=[True]
    )
    watermark: bool = Field(
        default=False, description="Outputs carry an invisible watermark.", examples=[True]
    )


class TrainingAttestation(Strict):
    """What the vendor attests about the data the model was trained on."""

    basis: list[Annotated[TrainingBasis, TRAINING_BASES]] = Field(
        min_length=1,
        description="The legal basis of the training data; `unknown_scraped` when unknown.",
        examples=[["licensed", "owned"]],
    )
    licences: list[str] = Field(
        default_factory=list,
        description="Licences or agreements the training data is used under (informational).",
        examples=[["Stock footage licence 2025-114"]],
    )
    opt_outs_honoured: list[Annotated[OptOutMechanism, OPT_OUTS]] = Field(
        default_factory=list,
        description="The rights-reservation signals the vendor honours when collecting data.",
        examples=[["tdmrep", "cawg.training-mining"]],
    )
    contributors_compensated: bool | None = Field(
        default=None,
        description="Whether the people whose work trained the model are paid; leave it out "
        "when unknown.",
        examples=[True],
    )
    summary_url: AnyUrl | None = Field(
        default=None,
        description="The public summary of the training content (EU AI Act Art. 53(1)(d)).",
        examples=["https://vendor.example/training-summary"],
    )
    copyright_policy_url: AnyUrl | None = Field(
        default=None,
        description="The vendor's copyright policy (EU AI Act Art. 53(1)(c)).",
        examples=["https://vendor.example/copyright-policy"],
    )
    certifications: list[str] = Field(
        default_factory=list,
        description="Third-party certifications of the training data.",
        examples=[["fairly-trained-L"]],
    )
    audit_url: AnyUrl | None = Field(
        default=None,
        description="Where an audit of the training data can be requested.",
        examples=["https://vendor.example/audit"],
    )


class Tool(Strict):
    """An AI tool or model the production uses."""

    id: Id = Field(description="A short id uses name the tool by.", examples=["t-voice"])
    name: Text = Field(description="The product's name.", examples=["VoiceForge"])
    vendor: Text = Field(description="Who makes it.", examples=["Forge Audio Inc."])
    version: str | None = Field(
        default=None, description="The version used (informational).", examples=["4.2"]
    )
    gpai: Tri = Field(
        default="unknown",
        description="A general-purpose AI model in the EU AI Act's sense: true, false or "
        "unknown (left out: unknown).",
        examples=[True],
    )
    primary_purpose_is_likeness_replication: Tri = Field(
        default="unknown",
        description="Its primary purpose or function is producing a person's voice or "
        "likeness (Tennessee ELVIS Act): true, false or unknown.",
        examples=[True],
    )
    placed_on_market: Date | None = Field(
        default=None,
        description="When the model was first placed on the EU market; EU AI Act Art. 53 "
        "applies to models placed from 2 August 2025, and to earlier ones from 2 August 2027.",
        examples=["2025-09-01"],
    )
    output_marking: OutputMarking = Field(
        default_factory=OutputMarking,
        description="How the tool marks its outputs.",
        examples=[{"c2pa": True, "watermark": False}],
    )
    training: TrainingAttestation | None = Field(
        default=None,
        description="What the vendor attests about the model's training data; leave it out "
        "when the vendor says nothing (rules then ask for it).",
    )
    trained_on_production_material: bool = Field(
        default=False,
        description="Fine-tuned or trained on this production's material.",
        examples=[True],
    )
