"""The uses section: each use of AI, what it touches and the facts the rules turn on."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from ccai_policy.model.calendar import Date, Timestamp
from ccai_policy.model.digital_source_types import DIGITAL_SOURCE_TYPES, DigitalSourceType
from ccai_policy.model.strict import Id, Strict, Text, Tri
from ccai_policy.model.use_categories import USE_CATEGORIES, UseCategory
from ccai_policy.model.vocabulary import Meanings

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
AlterationException = Literal["standard_post_production"]
ALTERATION_EXCEPTIONS = Meanings(
    {
        "standard_post_production": "Standard post-production work that keeps the recorded "
        "performance the performer's own: colour, cleanup, noise reduction, timing, "
        "continuity, pitch, clarity and the like (SAG-AFTRA 2023 TV/Theatrical).",
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
    exception_claimed: Annotated[AlterationException, ALTERATION_EXCEPTIONS] | None = Field(
        default=None,
        description="For an alteration: the exception to consent claimed, if any (one of "
        "the agreement's; a change that keeps the performance substantially as scripted is "
        "`substantially_as_scripted: true`).",
        examples=["standard_post_production"],
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
