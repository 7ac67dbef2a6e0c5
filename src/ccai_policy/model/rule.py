"""The rule file format: one YAML file per rule, readable by people who do not program."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AnyUrl, BaseModel, ConfigDict, Field, StringConstraints

from ccai_policy.model.grading import CRITERION_MEANINGS, SEVERITY_MEANINGS, Criterion, Severity
from ccai_policy.model.vocabulary import Meanings, field_title, model_title

Confidence = Literal["primary", "secondary", "unconfirmed"]
CONFIDENCE_MEANINGS = Meanings(
    {
        "primary": "The primary text (agreement, law, standard) was read.",
        "secondary": "Taken from a summary (a law firm, a union explainer, the press).",
        "unconfirmed": "Inferred or unconfirmed.",
    }
)
ForEach = Literal[
    "people", "tools", "uses", "consents", "compensation", "notices", "assets", "declaration"
]
FOR_EACH_MEANINGS = Meanings(
    {
        "people": "Each person (`people`).",
        "tools": "Each tool (`tools`).",
        "uses": "Each use of AI (`uses`).",
        "consents": "Each consent (`consents`).",
        "compensation": "Each payment (`compensation`).",
        "notices": "Each notice (`notices`).",
        "assets": "Each asset (`assets`).",
        "declaration": "The declaration as a whole, once.",
    }
)
Expectation = Literal["pass", "fail", "not_applicable", "error"]
EXPECTATIONS = Meanings(
    {
        "pass": "Every checked item passes.",
        "fail": "At least one item fails (give `failures` to say how many).",
        "not_applicable": "The rule selects nothing, or does not apply to the declaration.",
        "error": "Evaluating the rule raises an error.",
    }
)


#: What `for_each` may name: a list section, or `declaration` for a rule about the whole file.
FOR_EACH = (
    "people",
    "tools",
    "uses",
    "consents",
    "compensation",
    "notices",
    "assets",
    "declaration",
)

RuleId = Annotated[str, StringConstraints(pattern=r"^[A-Z]+(-[A-Z0-9]+)*-[0-9]{3}$")]
Expression = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        populate_by_name=True,
        field_title_generator=field_title,
        model_title_generator=model_title,
        # Built on first validation: a check reads the bundled rules back from the catalog's
        # cache (unpickled, never validated), so most starts never need it (~30 ms).
        defer_build=True,
    )


class Reference(_Strict):
    """A source the rule encodes: an agreement, a law or a standard."""

    title: str = Field(
        min_length=1,
        description="The agreement, law or standard, and clause.",
        examples=["WGA 2023 MBA Article 72.C"],
    )
    url: AnyUrl = Field(
        description="Where a reader can check it.", examples=["https://www.wga.org/contracts"]
    )
    confidence: Annotated[Confidence, CONFIDENCE_MEANINGS] = Field(
        default="primary", description="How sure the reference is."
    )


class Window(_Strict):
    """When one obligation the rule encodes is in force, and which date of an item it tests."""

    obligation: str = Field(
        min_length=1, description="The agreement, law or principle, e.g. 'Cal. Civ. Code §3344.1'."
    )
    from_: dt.date | None = Field(
        default=None,
        alias="from",
        description="The day the obligation took effect; left out for a principle with no "
        "legal start, which applies to every item.",
    )
    until: dt.date | None = Field(
        default=None, description="The last day it applies to new items, where it ends."
    )
    term_ends: dt.date | None = Field(
        default=None,
        description="For an agreement: the end of its term. Shown, not enforced: a production "
        "declared under a version keeps its terms.",
    )
    date: Expression | None = Field(
        default=None,
        description="CEL: the date of the item compared with the window (e.g. "
        "use.first_used_on). An unknown (null) date never takes an item out of the window.",
    )
    dates: Expression | None = Field(
        default=None,
        description="CEL: a list of dates instead of one; the item is inside the window when "
        "any of them is (or is unknown).",
    )
    when: Expression | None = Field(
        default=None,
        description="CEL: the window counts only when this holds (e.g. a territory).",
    )
    of: str = Field(
        default="the item",
        description="What that date is, in plain words: 'the first use', 'the death', ...",
    )
    confidence: Annotated[Confidence, CONFIDENCE_MEANINGS] = Field(
        default="secondary", description="How sure the dates are."
    )


Section = Literal[
    "production",
    "people",
    "tools",
    "uses",
    "consents",
    "compensation",
    "notices",
    "assets",
    "workforce",
]
SECTIONS = Meanings(
    {
        "production": "The production section: its territories, agreements and dates.",
        "people": "A person of the people section.",
        "tools": "A tool of the tools section.",
        "uses": "A use of the uses section.",
        "consents": "A consent of the consents section.",
        "compensation": "A payment of the compensation section.",
        "notices": "A notice of the notices section.",
        "assets": "An asset of the assets section.",
        "workforce": "The workforce section.",
    }
)


class NeedsInformation(_Strict):
    """A fact the rule turns on that the declaration leaves unknown."""

    when: Expression = Field(
        description="CEL on the item: true when the fact is unknown and the rule would apply."
    )
    field: str = Field(
        min_length=1, description="The field that is unknown, relative to the item or the use."
    )
    in_section: Annotated[Section, SECTIONS] | None = Field(
        default=None,
        description="When the field is not on the item: the section that holds it (uses, "
        "people, tools, or production and workforce).",
    )
    in_id: Expression | None = Field(
        default=None,
        description="CEL giving the id of the item of in_section that holds the field.",
    )
    ask: str = Field(
        min_length=1,
        max_length=500,
        description="What to ask, after 'needs information: ' (e.g. 'say whether ...'); "
        "{{ cel }} inserts.",
    )
    off_when: str = Field(
        min_length=1, description="The value(s) of the field that switch the rule off."
    )


class RuleTest(_Strict):
    """A case the rule must get right, run by `ccai-policy rules test`."""

    name: str = Field(
        min_length=1,
        description="What the case shows, in words.",
        examples=["revoking the consent fails the rule"],
    )
    base: str = Field(
        description="Declaration file, relative to the project root.",
        examples=["examples/feature-film-compliant.yaml"],
    )
    patch: dict[str, Any] | None = Field(
        default=None,
        description="RFC 7396 JSON merge patch applied to the base: a mapping replaces, "
        "null removes.",
    )
    expect: Annotated[Expectation, EXPECTATIONS] = Field(description="The outcome expected.")
    failures: int | None = Field(
        default=None, ge=0, description="Number of failing items expected.", examples=[1]
    )
    message_contains: str | None = Field(
        default=None, description="Text one failing item's message must contain."
    )


class Rule(_Strict):
    """One check, evaluated over the items of a section of the declaration."""

    id: RuleId = Field(
        description="<CRITERION>-<TOPIC>-<NNN>, e.g. CONSENT-REPLICA-001.",
        examples=["CONSENT-REPLICA-001"],
    )
    title: str = Field(min_length=1, max_length=200, description="What must hold, in one line.")
    criterion: Annotated[Criterion, CRITERION_MEANINGS] = Field(
        description="The CCAI criterion the rule belongs to."
    )
    severity: Annotated[Severity, SEVERITY_MEANINGS] = Field(
        description="How serious a failure is; a policy may override it."
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Topics and the coalition's other pillars, e.g. `digital-replica`.",
        examples=[["sag-aftra-2023", "digital-replica"]],
    )
    references: list[Reference] = Field(
        min_length=1, description="Where the obligation comes from; at least one."
    )
    description: str = Field(min_length=1, description="Why the rule exists, in plain words.")
    remediation: str = Field(min_length=1, description="What the production must do to pass.")
    applies_when: Expression | None = Field(
        default=None, description="CEL: the rule applies to a declaration only when true."
    )
    applicability: str | None = Field(
        default=None, description="Plain words for applies_when, shown when not applicable."
    )
    for_each: Annotated[ForEach, FOR_EACH_MEANINGS] = Field(
        description="The section whose items the rule checks."
    )
    as_: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,30}$")] = Field(
        alias="as", description="The name an item has in the expressions.", examples=["use"]
    )
    where: Expression | None = Field(default=None, description="CEL: which items to check.")
    assert_: Expression = Field(alias="assert", description="CEL: what must hold for each item.")
    message: str = Field(
        min_length=1, max_length=1000, description="Shown for a failing item; {{ cel }} inserts."
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Parameters the rule reads as params.<name>, with their default values.",
    )
    at: str | None = Field(
        default=None, description="Field of the item to point findings at, e.g. 'subjects'."
    )
    agreements: list[str] = Field(
        default_factory=list,
        description="The agreement versions the rule encodes (e.g. sag-aftra-tv-theatrical-2023);"
        " it applies only to productions declaring one of them. Empty: not agreement-specific.",
    )
    effective: list[Window] = Field(
        default_factory=list,
        description="When each obligation the rule encodes is in force. An item is checked "
        "when it falls inside at least one window.",
    )
    needs_information: list[NeedsInformation] = Field(
        default_factory=list,
        description="Facts the rule turns on: when one is unknown, the item fails with "
        "'needs information', never passes or drops out.",
    )
    tests: list[RuleTest] = Field(
        default_factory=list, description="Cases the rule must get right (`rules test`)."
    )
