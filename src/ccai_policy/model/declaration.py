"""The declaration format (apiVersion ccai-policy/v1): how AI is used on one production."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from ccai_policy.model.calendar import Date, Timestamp
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
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Territory = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

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
#: What each category means, in plain words built on the agreements' own terms (SAG-AFTRA 2023
#: TV/Theatrical for the replica, alteration and synthetic performer terms, WGA 2023 MBA Art. 72
#: for GAI literary material). The category picks the clause; the facts (subjects, voice,
#: features_from) decide whether a person is protected.
CATEGORY_DEFINITIONS: dict[str, str] = {
    "employment_based_digital_replica": "Employment-Based Digital Replica (SAG-AFTRA): a digital "
    "copy of a performer's voice or likeness made with the performer's own participation (a scan "
    "or recording session) while employed on the production, used to show them in scenes they did "
    "not actually perform.",
    "independently_created_digital_replica": "Independently Created Digital Replica (SAG-AFTRA): "
    "a digital copy of a performer's voice or likeness made from material that already exists "
    "(archive footage, earlier recordings), without the performer taking part in making it; the "
    "category for recreating someone who is not on set, including a performer who has died.",
    "background_actor_digital_replica": "Background Actor Digital Replica (SAG-AFTRA): a digital "
    "copy of a background actor's likeness, made while they are employed, used as a background "
    "figure (crowds, extras).",
    "digital_alteration": "Digital Alteration (SAG-AFTRA): a change to a performer's voice or "
    "likeness within a performance they actually recorded (lip-sync, a changed line, a removed "
    "blemish), where the result stays their performance; showing them in scenes or lines they did "
    "not perform is a digital replica, not an alteration.",
    "synthetic_performer": "Synthetic Performer (SAG-AFTRA): a digitally created performer who is "
    "not recognisable as any real person and is not voiced by one; the people whose recognisable "
    "features it borrows are listed in features_from, never in subjects.",
    "voice_replica": "A digital replica of a person's voice alone (for example ADR or dubbing in "
    "the performer's own voice), under the same terms as the replica of a likeness.",
    "gai_literary_material": "GAI literary material (WGA MBA Article 72): text produced by "
    "generative AI (scripts, outlines, dialogue), which the agreement says is neither literary "
    "material nor source material; subjects are the writers given it or whose material it works "
    "on.",
    "gai_visual_or_audio": "Generative AI visual or audio content that depicts or voices no "
    "identifiable real person (sets, props, skies, music beds, sound effects); a use that shows "
    "or voices a real person belongs to a replica category.",
    "real_time_generation": "Real-time generation: output generated live, while the audience or "
    "players watch or play (a game character answering players in a performer's voice).",
    "training_on_production_material": "Training or fine-tuning an AI model on the production's "
    "material (footage, recordings, scripts); subjects are the people whose performances or work "
    "are in that material.",
}
USE_CATEGORIES = Meanings(CATEGORY_DEFINITIONS)
#: Categories whose definition excludes an identifiable real person in `subjects`.
NO_REAL_PERSON_CATEGORIES = frozenset({"gai_visual_or_audio", "synthetic_performer"})
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
DIGITAL_SOURCE_TYPES = Meanings(
    {
        "digitalCapture": "IPTC: captured by a digital camera or recorder, as shot.",
        "computationalCapture": "IPTC: captured by a device that processes the capture "
        "computationally (a phone's multi-frame photo, say).",
        "screenCapture": "IPTC: a screenshot or screen recording.",
        "virtualRecording": "IPTC: recorded in a virtual environment, such as a game engine.",
        "negativeFilm": "IPTC: scanned from a film negative.",
        "positiveFilm": "IPTC: scanned from positive film (a slide or a print film).",
        "print": "IPTC: scanned from a print on paper.",
        "humanEdits": "IPTC: captured media edited by people with tools that generate nothing.",
        "digitalCreation": "IPTC: made by a person with digital tools (painting, 3D), no model.",
        "algorithmicallyEnhanced": "IPTC: captured media with minor algorithmic changes that "
        "keep its content (noise reduction, upscaling).",
        "dataDrivenMedia": "IPTC: produced by an algorithm from data, such as a chart or a "
        "simulation, without a trained model.",
        "algorithmicMedia": "IPTC: created purely by an algorithm not based on sampled "
        "training data (procedural generation).",
        "compositeCapture": "IPTC: a composite of several captured elements.",
        "compositeSynthetic": "IPTC: a composite that includes synthetic elements.",
        "trainedAlgorithmicMedia": "IPTC: created algorithmically using a model derived from "
        "sampled content (generative AI output).",
        "compositeWithTrainedAlgorithmicMedia": "IPTC: captured media combined with generative "
        "AI output (inpainting, outpainting, a replaced face).",
        "minorHumanEdits": "Older IPTC name for humanEdits; still accepted.",
        "digitalArt": "Older IPTC name for digitalCreation; still accepted.",
        "softwareImage": "Older IPTC name for media created by software; still accepted.",
    }
)
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
Permission = Literal["allowed", "notAllowed", "constrained"]
PERMISSIONS = Meanings(
    {
        "allowed": "Permitted.",
        "notAllowed": "Not permitted.",
        "constrained": "Permitted only under conditions stated elsewhere (a licence, say).",
    }
)
SignerRole = Literal["self", "authorized_representative", "union", "guardian"]
SIGNER_ROLES = Meanings(
    {
        "self": "The person themselves.",
        "authorized_representative": "The person's authorised representative, such as the "
        "executor of a deceased performer's estate.",
        "union": "The union, when no representative of a deceased performer can be found "
        "(SAG-AFTRA).",
        "guardian": "A parent or guardian of a minor; a court may also have to approve "
        "(court_approved).",
    }
)
ConsentForm = Literal["written", "oral", "disputed"]
CONSENT_FORMS = Meanings(
    {
        "written": "A signed document (the default for a consent with a signing date).",
        "oral": "Given by word of mouth; it does not count where writing is required.",
        "disputed": "The person contests it; it never counts.",
    }
)
PayBasis = Literal[
    "scan_day",
    "per_digital_performance_day",
    "residuals",
    "negotiated",
    "ph_contribution",
    "scale_multiple",
    "training_licence",
]
PAY_BASES = Meanings(
    {
        "scan_day": "Pay for the day or days of the scan session.",
        "per_digital_performance_day": "Pay for each day the replica performs, as if the "
        "performer had worked that day (SAG-AFTRA, same production).",
        "residuals": "Residuals, as if the performer had performed the scenes.",
        "negotiated": "An amount bargained for the use (an independently created replica, or a "
        "use in another production).",
        "ph_contribution": "Pension and health contributions on the pay.",
        "scale_multiple": "A multiple of the scale rate (give scale_multiple), as for real-time "
        "generation under the Interactive Media Agreement.",
        "training_licence": "A fee for licensing the person's material to train AI.",
    }
)
Body = Literal["SAG-AFTRA", "WGA", "DGA", "IATSE", "performer", "writer", "director"]
RECIPIENTS = Meanings(
    {
        "SAG-AFTRA": "The union SAG-AFTRA, as an organisation.",
        "WGA": "The Writers Guild of America, as an organisation.",
        "DGA": "The Directors Guild of America, as an organisation. A consultation with this "
        "production's director is `to: director`, not `to: DGA`.",
        "IATSE": "The union IATSE, as an organisation.",
        "performer": "A performer in person; name them in `person`.",
        "writer": "A writer in person; name them in `person`.",
        "director": "The production's director in person, consulted; name them in `person`.",
    }
)
NoticeKind = Literal[
    "synthetic_performer_notice",
    "director_consultation",
    "writer_gai_disclosure",
    "impact_bargaining",
    "training_licence_notice",
    "scan_notice",
]
NOTICE_KINDS = Meanings(
    {
        "synthetic_performer_notice": "Notice to SAG-AFTRA that a synthetic performer is used, "
        "with an opportunity to bargain.",
        "director_consultation": "A consultation with the director before AI is used on "
        "creative elements (DGA Basic Agreement 2023).",
        "writer_gai_disclosure": "Telling a writer that material handed to them was produced "
        "by generative AI (WGA MBA Article 72).",
        "impact_bargaining": "An offer to a union to bargain over the effect of AI on its "
        "members' jobs (IATSE 2024).",
        "training_licence_notice": "Notice that a performer's material is licensed to train "
        "AI (SAG-AFTRA 2026).",
        "scan_notice": "Notice of a scan session to the performer or their union.",
    }
)
#: Who a notice of each kind goes to; a notice to anyone else is an error.
NOTICE_RECIPIENTS: dict[str, tuple[str, ...]] = {
    "synthetic_performer_notice": ("SAG-AFTRA",),
    "director_consultation": ("director",),
    "writer_gai_disclosure": ("writer",),
    "impact_bargaining": ("IATSE", "SAG-AFTRA", "WGA", "DGA"),
    "training_licence_notice": ("SAG-AFTRA", "performer"),
    "scan_notice": ("performer", "SAG-AFTRA"),
}
Initiator = Literal["company", "writer", "performer", "vendor"]
INITIATORS = Meanings(
    {
        "company": "The studio or production company.",
        "writer": "A writer, on their own initiative (with the company's consent).",
        "performer": "A performer, on their own initiative.",
        "vendor": "An outside vendor, such as a visual effects house.",
    }
)
ExpressionException = Literal[
    "caricature", "satire", "parody", "pastiche", "criticism", "commentary", "news", "documentary"
]
EXPRESSION_EXCEPTIONS = Meanings(
    {
        "caricature": "Caricature of the person.",
        "satire": "Satire.",
        "parody": "Parody.",
        "pastiche": "Pastiche.",
        "criticism": "Criticism or review.",
        "commentary": "Commentary.",
        "news": "News reporting.",
        "documentary": "A documentary or biography that does not pass the imitation off as "
        "authentic.",
    }
)
AdExemption = Literal["audio_only", "translation_only", "expressive_work_promo"]
AD_EXEMPTIONS = Meanings(
    {
        "audio_only": "The advertisement is audio only.",
        "translation_only": "AI only translates the performer's own words.",
        "expressive_work_promo": "It promotes a film, series or game and uses the performer as "
        "in that work.",
    }
)
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

_CONFIG = ConfigDict(
    extra="forbid",
    allow_inf_nan=False,
    frozen=True,
    strict=True,
    field_title_generator=field_title,
    model_title_generator=model_title,
)


class Strict(BaseModel):
    """Base of every declaration model: unknown keys are errors, NaN and infinity too."""

    model_config = _CONFIG


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


class Scan(Strict):
    """A scan session that records a performer for a replica."""

    notified_at: Timestamp | None = Field(
        default=None,
        description="When the performer was told of the scan session, with a time zone.",
        examples=["2026-05-10T09:00:00Z"],
    )
    starts_at: Timestamp = Field(
        description="When the scan session starts, with a time zone.",
        examples=["2026-05-14T09:00:00Z"],
    )
    business_reason: str | None = Field(
        default=None,
        description="Why the scan is needed (SAG-AFTRA 2026 asks for a business reason).",
        examples=["Stadium crowd in episodes 3 and 4."],
    )
    engaged_at: Timestamp | None = Field(
        default=None,
        description="When the performer was engaged, if less than 48 hours before the session "
        "(notice is then due at engagement).",
        examples=["2026-05-13T17:00:00Z"],
    )


class Use(Strict):
    """One use of AI on the production."""

    id: Id = Field(description="A short id for the use.", examples=["u-deage"])
    category: Annotated[UseCategory, USE_CATEGORIES] = Field(
        description="The kind of AI use, in the agreements' terms. It picks which clause "
        "applies; every rule protecting a person applies whenever the use touches them, "
        "whatever the category.",
        examples=["employment_based_digital_replica"],
    )
    description: Text = Field(
        description="What is done, in plain words.",
        examples=["Ana Ruiz de-aged by 30 years in the flashback scenes."],
    )
    tool: str = Field(description="The id of the tool used (from `tools`).", examples=["t-voice"])
    tools: list[str] = Field(
        default_factory=list,
        description="For a use made with several tools or models: the ids of the others "
        "(from `tools`), besides `tool`. Every rule about a tool checks each of them.",
        examples=[["t-lipsync"]],
    )
    subjects: list[str] = Field(
        default_factory=list,
        description="The ids of the people whose likeness, voice or work this use touches "
        "(from `people`).",
        examples=[["p-ana"]],
    )
    features_from: list[str] = Field(
        default_factory=list,
        description="For a synthetic performer: the ids of people whose recognisable features "
        "it uses.",
        examples=[["p-ana"]],
    )
    same_production: Tri = Field(
        default="unknown",
        description="Used in the production the material was recorded for; `false` for a use "
        "in another production; unknown if left out.",
        examples=[True],
    )
    in_place_of_in_person_work: Tri = Field(
        default="unknown",
        description="Replaces work the person would otherwise do in person (California Labor "
        "Code 927): true, false or unknown (left out: unknown).",
        examples=[True],
    )
    new_performance: Tri = Field(
        default="unknown",
        description="The output shows a person doing or saying something they did not "
        "perform (true), or stays within a performance they recorded (false); unknown if "
        "left out. A digital alteration with a new performance is a digital replica.",
        examples=[False],
    )
    substantially_as_scripted: bool | None = Field(
        default=None,
        description="For an alteration: the performance stays substantially as scripted, "
        "performed or recorded; leave it out when unknown.",
        examples=[True],
    )
    exception_claimed: str | None = Field(
        default=None,
        description="For an alteration: the consent exception claimed, if any.",
        examples=["standard post-production"],
    )
    deepfake: Tri = Field(
        default="unknown",
        description="The output resembles real people, objects, places or events and would "
        "falsely appear authentic (a deep fake under the EU AI Act): true, false or unknown "
        "(left out: unknown).",
        examples=[True],
    )
    presented_as_authentic: Tri = Field(
        default="unknown",
        description="The output is presented to audiences as a genuine record of the person "
        "(true) or clearly as a portrayal (false). A documentary, parody or news exception "
        "never covers a fake presented as authentic.",
        examples=[False],
    )
    digital_source_type: Annotated[DigitalSourceType, DIGITAL_SOURCE_TYPES] | None = Field(
        default=None,
        description="The IPTC digital source type of the outputs.",
        examples=["compositeWithTrainedAlgorithmicMedia"],
    )
    first_used_on: Date | None = Field(
        default=None, description="The date of first use.", examples=["2026-06-02"]
    )
    scan: Scan | None = Field(
        default=None, description="The scan session, when the performer is scanned."
    )
    initiated_by: Annotated[Initiator, INITIATORS] | None = Field(
        default=None, description="Who chose to use AI here.", examples=["company"]
    )
    required_by_company: Tri = Field(
        default="unknown",
        description="The company required a person to use AI (WGA and IATSE forbid it): true, "
        "false or unknown.",
        examples=[False],
    )
    creative: Tri = Field(
        default="unknown",
        description="Touches creative elements, so the director must be consulted (DGA): true, "
        "false or unknown (left out: unknown).",
        examples=[True],
    )
    recorded_on: Date | None = Field(
        default=None,
        description="When the performance the use draws on was recorded (fixed); "
        "California Labor Code 927 covers performances fixed from 1 January 2025.",
        examples=["2026-05-14"],
    )
    justification: str | None = Field(
        default=None,
        description="For a synthetic performer in a role a human would play: the significant "
        "additional value it brings (SAG-AFTRA 2026).",
        examples=["A sea creature no performer could play."],
    )
    during_strike: Tri = Field(
        default="unknown",
        description="Generated or used while the performer's union was on strike against "
        "the company: true, false or unknown.",
        examples=[False],
    )
    treated_as_literary_material: Tri = Field(
        default="unknown",
        description="For GAI text: the company treats it as literary, source or assigned "
        "material for a writer's credit or pay (WGA Art. 72 says it is none of these).",
        examples=[False],
    )
    expression_exception: Annotated[ExpressionException, EXPRESSION_EXCEPTIONS] | None = Field(
        default=None,
        description="Freedom-of-expression exception claimed for an imitation of a real "
        "person (Danish draft §73a, NO FAKES Act exclusions).",
        examples=["parody"],
    )
    ad_disclosure_exemption: Annotated[AdExemption, AD_EXEMPTIONS] | None = Field(
        default=None,
        description="For a synthetic performer in an advertisement: the New York GBL §396-b "
        "exemption claimed, if any.",
        examples=["audio_only"],
    )

    @property
    def tool_ids(self) -> list[str]:
        """Every tool the use was made with, `tool` first, each once."""
        return list(dict.fromkeys([self.tool, *self.tools]))


class Evidence(Strict):
    """A file that proves what the declaration says, such as the signed consent."""

    path: str = Field(
        description="Path of the evidence file, relative to the declaration.",
        examples=["evidence/consent-ana.pdf"],
    )
    sha256: Sha256 | None = Field(
        default=None,
        description="SHA-256 of the file, 64 lowercase hex digits (`sha256sum FILE` prints it).",
        examples=["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"],
    )


class Scope(Strict):
    """What a consent covers beyond the uses it lists."""

    productions: list[str] = Field(
        default_factory=list,
        description="Ids of the productions the consent covers (informational).",
        examples=[["prod-harbor-s1"]],
    )
    media: list[str] = Field(
        default_factory=list,
        description="Media the consent covers, such as theatrical or streaming (informational).",
        examples=[["streaming"]],
    )
    territories: list[str] = Field(
        default_factory=list,
        description="Territories the consent covers, as country or region codes (informational).",
        examples=[["US", "EU"]],
    )


class Consent(Strict):
    """A signed permission from one person (or their representative) for some uses."""

    id: Id = Field(description="A short id for the consent.", examples=["c-ana-deage"])
    person: str = Field(
        description="The id of the person the consent is about (from `people`).",
        examples=["p-ana"],
    )
    signer_role: Annotated[SignerRole, SIGNER_ROLES] = Field(
        default="self", description="Who signed it.", examples=["self"]
    )
    signer_name: str | None = Field(
        default=None,
        description="The name of whoever signed, when not the person (informational).",
        examples=["M. Collins, executor"],
    )
    uses: list[str] = Field(
        min_length=1,
        description="The ids of the uses it covers (from `uses`); at least one.",
        examples=[["u-deage"]],
    )
    description: str | None = Field(
        default=None,
        description="The reasonably specific description of the intended use that the person "
        "agreed to.",
        examples=["De-aging of the performer's face by about 30 years in the flashbacks."],
    )
    scope: Scope = Field(
        default_factory=Scope, description="What the consent covers beyond its uses."
    )
    separately_signed: bool = Field(
        default=False,
        description="Signed as a separate writing, not buried in boilerplate.",
        examples=[True],
    )
    clear_and_conspicuous: bool = Field(
        default=False,
        description="Its terms are clear and conspicuous, as the agreements require.",
        examples=[True],
    )
    notice_given_at: Timestamp | None = Field(
        default=None,
        description="When the person was told of the intended use, with a time zone "
        "(SAG-AFTRA Commercials: at least 48 hours ahead).",
        examples=["2026-05-09T10:00:00Z"],
    )
    signed_on: Date = Field(description="The date it was signed.", examples=["2026-05-11"])
    form: Annotated[ConsentForm, CONSENT_FORMS] = Field(
        default="written",
        description="How the consent was given. Only a written consent counts where an "
        "agreement or law requires writing; a disputed one never counts.",
        examples=["written"],
    )
    covers: int | None = Field(
        default=None,
        ge=1,
        description="For a consent about a group of anonymous people (people[].group_size): "
        "how many members of the group signed it.",
        examples=[40],
    )
    term_ends: Date | None = Field(
        default=None, description="The last day the consent applies.", examples=["2036-05-11"]
    )
    revoked_on: Date | None = Field(
        default=None, description="The date it was revoked, if it was.", examples=["2026-09-01"]
    )
    training_permission: Annotated[Permission, PERMISSIONS] | None = Field(
        default=None,
        description="Whether the person's material may train AI models.",
        examples=["notAllowed"],
    )
    court_approved: bool = Field(
        default=False, description="For a minor: approved by a court.", examples=[True]
    )
    suspended_during_strike: bool = Field(
        default=False,
        description="The performer suspended this consent for new generation during a strike.",
        examples=[False],
    )
    rider: str | None = Field(
        default=None,
        description="Reference of the signed Digital Replica Rider (SAG-AFTRA Commercials).",
        examples=["DRR-2026-014"],
    )
    evidence: Evidence | None = Field(
        default=None, description="The signed document, to check with --verify-evidence."
    )


class ExchangeRate(Strict):
    """The rate that converts an amount into the currency a floor is set in."""

    to: Currency = Field(
        description="The currency the amount is converted into (ISO 4217).", examples=["USD"]
    )
    rate: float = Field(
        gt=0, description="How many units of `to` one unit of the amount buys.", examples=[1.08]
    )
    on: Date = Field(description="The date of the rate.", examples=["2026-06-01"])
    source: str | None = Field(
        default=None,
        description="Where the rate comes from (informational).",
        examples=["ECB reference rate"],
    )


class Money(Strict):
    """An amount of money in one currency."""

    value: float = Field(ge=0, description="The amount, 0 or more.", examples=[2500])
    currency: Currency = Field(
        default="USD",
        description="The ISO 4217 currency code, three capital letters.",
        examples=["USD"],
    )
    exchange_rate: ExchangeRate | None = Field(
        default=None,
        description="A rate and its date, for comparing the amount with a floor set in another "
        "currency; without one, an amount in another currency never meets the floor.",
        examples=[{"to": "USD", "rate": 1.08, "on": "2026-06-01"}],
    )


class Compensation(Strict):
    """A payment to one person for one use."""

    id: Id = Field(description="A short id for the payment.", examples=["pay-ana-deage"])
    person: str | None = Field(
        default=None,
        description="The id of the person paid (from `people`); may be left out only for a "
        "pension-and-health fund contribution (basis `ph_contribution`) that names no one.",
        examples=["p-ana"],
    )
    use: str = Field(description="The id of the use paid for (from `uses`).", examples=["u-deage"])
    basis: Annotated[PayBasis, PAY_BASES] = Field(
        description="What the payment is for.", examples=["per_digital_performance_day"]
    )
    amount: Money | None = Field(
        default=None,
        description="How much, in which currency.",
    )
    scale_multiple: float | None = Field(
        default=None,
        ge=0,
        description="For basis `scale_multiple`: the multiple of the scale rate.",
        examples=[7.5],
    )
    paid_on: Date | None = Field(
        default=None, description="When it was paid (informational).", examples=["2026-07-01"]
    )
    notes: str | None = Field(
        default=None, description="Anything a reader should know (informational)."
    )

    #: Editors check what validation checks: only a fund contribution may name no one.
    model_config = ConfigDict(
        **_CONFIG,
        json_schema_extra={
            "allOf": [
                {
                    "if": {
                        "properties": {
                            "basis": {
                                "not": {"const": "ph_contribution"},
                                "title": "Basis",
                                "description": "Any basis but a fund contribution.",
                            }
                        }
                    },
                    "then": {"required": ["person"]},
                }
            ]
        },
    )

    @model_validator(mode="after")
    def _someone_paid(self) -> Compensation:
        if self.person is None and self.basis != "ph_contribution":
            raise ValueError(
                "name the person paid (`person: <id>`); only a ph_contribution may name no one"
            )
        return self


class Notice(Strict):
    """A notice to a union or a person, or a consultation, that an agreement asks for."""

    id: Id = Field(description="A short id for the notice.", examples=["n-dga"])
    to: Annotated[Body, RECIPIENTS] = Field(
        description="Who received it: a union as an organisation, or a person in their role "
        "(then name them in `person`). Each kind goes to certain recipients: a director "
        "consultation to `director`, a writer disclosure to `writer`, a synthetic performer "
        "notice to `SAG-AFTRA`.",
        examples=["director"],
    )
    kind: Annotated[NoticeKind, NOTICE_KINDS] = Field(
        description="What the notice is.", examples=["director_consultation"]
    )
    uses: list[str] = Field(
        default_factory=list,
        description="The ids of the uses it is about (from `uses`).",
        examples=[["u-deage"]],
    )
    person: str | None = Field(
        default=None,
        description="The id of the person notified or consulted (from `people`).",
        examples=["p-director"],
    )
    sent_at: Timestamp = Field(
        description="When it was sent or held, with a time zone.",
        examples=["2026-04-20T15:00:00Z"],
    )
    opportunity_to_bargain: bool = Field(
        default=False,
        description="The union was offered the chance to bargain over the use.",
        examples=[True],
    )

    #: Editors check what validation checks: each kind of notice goes to its own recipients.
    model_config = ConfigDict(
        **_CONFIG,
        json_schema_extra={
            "allOf": [
                {
                    "if": {
                        "properties": {
                            "kind": {"const": kind, "title": "Kind", "description": f"A {kind}."}
                        },
                        "required": ["kind"],
                    },
                    "then": {
                        "properties": {
                            "to": {
                                "title": "To",
                                "enum": list(recipients),
                                "enumDescriptions": [RECIPIENTS.meanings[r] for r in recipients],
                                "description": f"Who a {kind.replace('_', ' ')} goes to.",
                            }
                        }
                    },
                }
                for kind, recipients in NOTICE_RECIPIENTS.items()
            ]
        },
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
    released_in: list[str] = Field(
        default_factory=list,
        description="Where it is released: country or region codes, or `EU`.",
        examples=[["US", "EU"]],
    )
    content_credentials: ContentCredentials | None = Field(
        default=None, description="The C2PA Content Credentials it carries."
    )
    audience_disclosure: AudienceDisclosure | None = Field(
        default=None, description="How the audience is told."
    )


class Workforce(Strict):
    """The effect of the production's AI use on jobs."""

    roles_affected: list[str] = Field(
        default_factory=list,
        description="Jobs the AI use changes or replaces, in plain words.",
        examples=[["matte painters", "crowd extras"]],
    )
    positions_displaced: int = Field(
        default=0, ge=0, description="How many positions the AI use replaces.", examples=[2]
    )
    reskilling_offered: bool = Field(
        default=False,
        description="People whose jobs change are offered training for new work.",
        examples=[True],
    )
    employees_required_to_prompt_replacements: Tri = Field(
        default="unknown",
        description="Employees are required to prompt AI that would replace covered "
        "employees (IATSE 2024 forbids it): true, false or unknown (left out: unknown).",
        examples=[False],
    )
    writers_required_to_use_gai: Tri = Field(
        default="unknown",
        description="Writers are required to use generative AI (WGA Art. 72 forbids it): "
        "true, false or unknown (left out: unknown).",
        examples=[False],
    )
    impact_bargaining_offered: bool = Field(
        default=False,
        description="The unions were offered bargaining over the effect of AI on jobs.",
        examples=[True],
    )


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
        **_CONFIG,
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
