"""The consents section: each signed permission, its scope and the file proving it."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from ccai_policy.model.calendar import Date, Timestamp
from ccai_policy.model.strict import Id, Strict
from ccai_policy.model.vocabulary import Meanings

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]

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
