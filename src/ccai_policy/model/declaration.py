"""The declaration format (apiVersion ccai-policy/v1): how AI is used on one production."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, StringConstraints

from .calendar import Date, Timestamp

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$"),
    Field(
        description="An identifier: letters, digits, '.', '_', ':' or '-'; unique in its section."
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

ProductionType = Literal["film", "series", "game", "commercial"]
Agreement = Literal[
    "sag-aftra-tv-theatrical-2023",
    "sag-aftra-tv-theatrical-2026",
    "sag-aftra-interactive-media-2025",
    "sag-aftra-commercials-2025",
    "wga-mba-2023",
    "wga-mba-2026",
    "dga-basic-agreement-2023",
    "iatse-basic-agreement-2024",
]
Role = Literal[
    "principal", "background", "voice", "stunt", "writer", "director", "crew", "composer", "other"
]
UseCategory = Literal[
    "employment_based_digital_replica",
    "independently_created_digital_replica",
    "background_actor_digital_replica",
    "digital_alteration",
    "synthetic_performer",
    "voice_replica",
    "gai_literary_material",
    "gai_visual_or_audio",
    "real_time_generation",
    "training_on_production_material",
]
DigitalSourceType = Literal[
    "digitalCapture",
    "computationalCapture",
    "screenCapture",
    "virtualRecording",
    "negativeFilm",
    "positiveFilm",
    "print",
    "humanEdits",
    "digitalCreation",
    "algorithmicallyEnhanced",
    "dataDrivenMedia",
    "algorithmicMedia",
    "compositeCapture",
    "compositeSynthetic",
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "minorHumanEdits",
    "digitalArt",
    "softwareImage",
]
TrainingBasis = Literal[
    "licensed", "owned", "public_domain", "open_licence", "opt_in", "unknown_scraped"
]
OptOutMechanism = Literal["tdmrep", "cawg.training-mining", "spawning_dntr", "robots"]
Permission = Literal["allowed", "notAllowed", "constrained"]
SignerRole = Literal["self", "authorized_representative", "union", "guardian"]
PayBasis = Literal[
    "scan_day",
    "per_digital_performance_day",
    "residuals",
    "negotiated",
    "ph_contribution",
    "scale_multiple",
    "training_licence",
]
Body = Literal["SAG-AFTRA", "WGA", "DGA", "IATSE", "performer", "writer", "director", "audience"]
NoticeKind = Literal[
    "synthetic_performer_notice",
    "director_consultation",
    "writer_gai_disclosure",
    "impact_bargaining",
    "training_licence_notice",
    "scan_notice",
]


class Strict(BaseModel):
    """Base of every declaration model: unknown keys are errors, NaN and infinity too."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True, strict=True)


class Production(Strict):
    id: Id
    title: Text = Field(description="The production's working or release title.")
    studio: Text = Field(description="The company responsible for the declaration.")
    type: ProductionType = Field(description="film, series, game or commercial.")
    territories: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]] = (
        Field(
            default_factory=list,
            description="Where it is made or released: ISO 3166 codes ('US-CA', 'US-NY', 'DK') "
            "or 'EU' for a release in the European Union.",
        )
    )
    agreements: list[Agreement] = Field(
        default_factory=list, description="Collective bargaining agreements in force."
    )
    release_date: Date | None = Field(default=None, description="First public release.")
    is_advertisement: bool = Field(default=False, description="Whether it advertises something.")
    contact: str | None = Field(default=None, description="Who answers questions about it.")


class Representation(Strict):
    counsel: bool = Field(
        default=False, description="Represented by legal counsel on the replica terms."
    )
    union_cba_addresses_replicas: bool = Field(
        default=False,
        description="Covered by a collective bargaining agreement that expressly addresses "
        "digital replicas.",
    )


class Person(Strict):
    id: Id
    name: Text
    roles: list[Role] = Field(min_length=1, description="What the person does on the production.")
    union: str | None = Field(default=None, description="Union membership, e.g. SAG-AFTRA.")
    minor: bool = Field(default=False, description="Under 18 when the work is done.")
    deceased_on: Date | None = Field(default=None, description="Date of death, if deceased.")
    representation: Representation = Field(default_factory=Representation)
    rights_holder: str | None = Field(
        default=None, description="For a deceased person: who holds their rights of publicity."
    )


class OutputMarking(Strict):
    c2pa: bool = Field(default=False, description="Outputs carry C2PA Content Credentials.")
    watermark: bool = Field(default=False, description="Outputs carry an invisible watermark.")


class TrainingAttestation(Strict):
    basis: list[TrainingBasis] = Field(
        min_length=1, description="Legal basis of the training data; 'unknown_scraped' if unknown."
    )
    licences: list[str] = Field(default_factory=list, description="Licences or agreements.")
    opt_outs_honoured: list[OptOutMechanism] = Field(
        default_factory=list, description="Rights-reservation mechanisms the vendor honours."
    )
    contributors_compensated: bool | None = Field(
        default=None, description="Whether people whose work trained the model are paid."
    )
    summary_url: AnyUrl | None = Field(
        default=None, description="Public summary of training content (EU AI Act Art. 53(1)(d))."
    )
    copyright_policy_url: AnyUrl | None = Field(
        default=None, description="Copyright policy (EU AI Act Art. 53(1)(c))."
    )
    certifications: list[str] = Field(
        default_factory=list, description="Third-party certifications, e.g. 'fairly-trained-L'."
    )
    audit_url: AnyUrl | None = Field(default=None, description="Where an audit can be requested.")


class Tool(Strict):
    id: Id
    name: Text
    vendor: Text
    version: str | None = None
    gpai: bool = Field(default=False, description="A general-purpose AI model (EU AI Act).")
    primary_purpose_is_likeness_replication: bool = Field(
        default=False, description="Its primary purpose is producing a voice or likeness."
    )
    output_marking: OutputMarking = Field(default_factory=OutputMarking)
    training: TrainingAttestation | None = Field(
        default=None, description="What the vendor attests about the model's training data."
    )
    trained_on_production_material: bool = Field(
        default=False, description="Fine-tuned or trained on this production's material."
    )


class Scan(Strict):
    notified_at: Timestamp | None = Field(
        default=None, description="When the performer was told of the scan session."
    )
    starts_at: Timestamp = Field(description="When the scan session starts.")
    business_reason: str | None = Field(default=None, description="Why the scan is needed.")
    engaged_at: Timestamp | None = Field(
        default=None,
        description="When the performer was engaged, if less than 48 hours before the session "
        "(notice is then due at engagement).",
    )


class Use(Strict):
    id: Id
    category: UseCategory = Field(description="The kind of AI use, in the agreements' terms.")
    description: Text = Field(description="What is done, in plain words.")
    tool: str = Field(description="Id of the tool or model used (tools[].id).")
    subjects: list[str] = Field(
        default_factory=list,
        description="Ids of the people whose likeness, voice or work this use touches.",
    )
    features_from: list[str] = Field(
        default_factory=list,
        description="For a synthetic performer: people whose recognisable features it uses.",
    )
    same_production: bool = Field(
        default=True, description="Used in the production the material was recorded for."
    )
    in_place_of_in_person_work: bool = Field(
        default=False, description="Replaces work the person would otherwise do in person."
    )
    substantially_as_scripted: bool | None = Field(
        default=None, description="For an alteration: stays substantially as scripted/performed."
    )
    exception_claimed: str | None = Field(
        default=None, description="For an alteration: the consent exception claimed, if any."
    )
    deepfake: bool = Field(
        default=False, description="Output resembles real people, places or events (AI Act)."
    )
    digital_source_type: DigitalSourceType | None = Field(
        default=None, description="IPTC digital source type of the outputs."
    )
    first_used_on: Date | None = Field(default=None, description="Date of first use.")
    scan: Scan | None = None
    initiated_by: Literal["company", "writer", "performer", "vendor"] | None = Field(
        default=None, description="Who chose to use AI here."
    )
    required_by_company: bool = Field(
        default=False, description="The company required a person to use AI."
    )
    creative: bool = Field(
        default=False, description="Touches creative elements (DGA consultation applies)."
    )
    recorded_on: Date | None = Field(
        default=None,
        description="When the performance the use draws on was recorded (fixed); "
        "California Labor Code 927 covers performances fixed from 1 January 2025.",
    )
    justification: str | None = Field(
        default=None,
        description="For a synthetic performer in a role a human would play: the significant "
        "additional value it brings (SAG-AFTRA 2026).",
    )
    during_strike: bool = Field(
        default=False,
        description="Generated or used while the performer's union was on strike against "
        "the company.",
    )
    treated_as_literary_material: bool = Field(
        default=False,
        description="For GAI text: the company treats it as literary, source or assigned "
        "material for a writer's credit or pay (WGA Art. 72 says it is none of these).",
    )
    expression_exception: (
        Literal[
            "caricature",
            "satire",
            "parody",
            "pastiche",
            "criticism",
            "commentary",
            "news",
            "documentary",
        ]
        | None
    ) = Field(
        default=None,
        description="Freedom-of-expression exception claimed for an imitation of a real "
        "person (Danish draft §73a, NO FAKES Act exclusions).",
    )
    ad_disclosure_exemption: (
        Literal["audio_only", "translation_only", "expressive_work_promo"] | None
    ) = Field(
        default=None,
        description="For a synthetic performer in an advertisement: the New York GBL §396-b "
        "exemption claimed, if any.",
    )


class Evidence(Strict):
    path: str = Field(description="Path of the evidence file, relative to the declaration.")
    sha256: Sha256 | None = Field(default=None, description="SHA-256 of the file, hex.")


class Scope(Strict):
    productions: list[str] = Field(default_factory=list)
    media: list[str] = Field(default_factory=list)
    territories: list[str] = Field(default_factory=list)


class Consent(Strict):
    id: Id
    person: str = Field(description="Id of the person the consent is about (people[].id).")
    signer_role: SignerRole = Field(default="self", description="Who signed it.")
    signer_name: str | None = None
    uses: list[str] = Field(min_length=1, description="Ids of the uses it covers.")
    description: str | None = Field(
        default=None, description="The reasonably specific description of intended use."
    )
    scope: Scope = Field(default_factory=Scope)
    separately_signed: bool = Field(
        default=False, description="Signed as a separate writing, not buried in boilerplate."
    )
    clear_and_conspicuous: bool = Field(default=False)
    notice_given_at: Timestamp | None = None
    signed_on: Date = Field(description="Date it was signed.")
    term_ends: Date | None = Field(default=None, description="When the licence ends.")
    revoked_on: Date | None = None
    training_permission: Permission | None = Field(
        default=None, description="Whether the material may train AI models."
    )
    court_approved: bool = Field(default=False, description="For a minor: approved by a court.")
    suspended_during_strike: bool = Field(
        default=False,
        description="The performer suspended this consent for new generation during a strike.",
    )
    rider: str | None = Field(
        default=None,
        description="Reference of the signed Digital Replica Rider (SAG-AFTRA Commercials).",
    )
    evidence: Evidence | None = None


class Money(Strict):
    value: float = Field(ge=0)
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"


class Compensation(Strict):
    id: Id
    person: str = Field(description="Id of the person paid.")
    use: str = Field(description="Id of the use paid for.")
    basis: PayBasis
    amount: Money | None = None
    scale_multiple: float | None = Field(default=None, ge=0)
    paid_on: Date | None = None
    notes: str | None = None


class Notice(Strict):
    id: Id
    to: Body = Field(description="Who was notified or consulted.")
    kind: NoticeKind
    uses: list[str] = Field(default_factory=list, description="Ids of the uses it is about.")
    person: str | None = Field(default=None, description="The person consulted, if one.")
    sent_at: Timestamp
    opportunity_to_bargain: bool = False


class TrainingMining(Strict):
    data_mining: Permission | None = None
    ai_inference: Permission | None = None
    ai_generative_training: Permission | None = None
    ai_training: Permission | None = None


class ContentCredentials(Strict):
    manifest: str = Field(description="URI or relative path of the C2PA manifest.")
    digital_source_type: DigitalSourceType | None = None
    training_mining: TrainingMining | None = None


class AudienceDisclosure(Strict):
    placement: Literal["on_screen", "opening_credits", "end_credits", "packaging", "metadata"]
    text: Text


class Asset(Strict):
    id: Id
    title: Text
    uses: list[str] = Field(min_length=1, description="Ids of the uses that produced it.")
    path: str | None = None
    released_in: list[str] = Field(default_factory=list)
    content_credentials: ContentCredentials | None = None
    audience_disclosure: AudienceDisclosure | None = None


class Workforce(Strict):
    roles_affected: list[str] = Field(default_factory=list)
    positions_displaced: int = Field(default=0, ge=0)
    reskilling_offered: bool = False
    employees_required_to_prompt_replacements: bool = False
    writers_required_to_use_gai: bool = False
    impact_bargaining_offered: bool = False


class Declaration(Strict):
    """A production's declaration of AI use."""

    api_version: Literal["ccai-policy/v1"] = Field(alias="apiVersion")
    kind: Literal["Declaration"]
    production: Production
    people: list[Person] = Field(default_factory=list)
    tools: list[Tool] = Field(default_factory=list)
    uses: list[Use] = Field(default_factory=list)
    consents: list[Consent] = Field(default_factory=list)
    compensation: list[Compensation] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    assets: list[Asset] = Field(default_factory=list)
    workforce: Workforce = Field(default_factory=Workforce)

    model_config = ConfigDict(
        extra="forbid",
        allow_inf_nan=False,
        frozen=True,
        strict=True,
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
