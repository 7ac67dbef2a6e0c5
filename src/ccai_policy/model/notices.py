"""The notices section: notices and consultations, and who each kind goes to."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from ccai_policy.model.calendar import Timestamp
from ccai_policy.model.strict import STRICT_CONFIG, Id, Strict
from ccai_policy.model.vocabulary import Meanings

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
        **STRICT_CONFIG,
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
