"""The policy file format: which rules apply, at what severity, with which parameters."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ccai_policy.model.grading import SEVERITY_MEANINGS, Severity
from ccai_policy.model.vocabulary import field_title, model_title

PolicyId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]
_CONFIG = ConfigDict(
    extra="forbid",
    frozen=True,
    field_title_generator=field_title,
    model_title_generator=model_title,
)


class RuleSelection(BaseModel):
    """Which rules the policy takes: those matching `include`, minus those matching `exclude`."""

    model_config = _CONFIG

    include: list[str] = Field(
        default_factory=lambda: ["*"],
        description="Rule ids or globs to take.",
        examples=[["CONSENT-*"]],
    )
    exclude: list[str] = Field(
        default_factory=list,
        description="Rule ids or globs to leave out.",
        examples=[["TRANSP-EU-*"]],
    )


class Policy(BaseModel):
    """A named, versioned selection of rules."""

    model_config = _CONFIG

    id: PolicyId = Field(
        description="The policy's id: lowercase letters, digits and '-'.", examples=["acme-studio"]
    )
    version: str = Field(
        min_length=1, description="Quote it: version: '2026.1'.", examples=["2026.1"]
    )
    title: str = Field(min_length=1, description="The policy's name, in words.")
    description: str | None = Field(default=None, description="What the policy is for.")
    extends: list[str] = Field(
        default_factory=list,
        description="Policies this one builds on, by id or file; their mandatory rules stay.",
        examples=[["ccai-baseline"]],
    )
    rule_dirs: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        default_factory=list,
        description="Folders of rules this policy selects from besides the bundled catalog, "
        "relative to this file, e.g. ['../rules'].",
        examples=[["../rules"]],
    )
    rules: RuleSelection = Field(
        default_factory=RuleSelection, description="Which rules the policy takes."
    )
    severity: dict[str, Annotated[Severity, SEVERITY_MEANINGS]] = Field(
        default_factory=dict,
        description="Severity overrides, by rule id.",
        examples=[{"TRANSP-C2PA-001": "high"}],
    )
    params: dict[str, Any] = Field(
        default_factory=dict,
        description="Values rules read as params.<name>.",
        examples=[{"scan_notice_hours": 72}],
    )
    mandatory: list[str] = Field(
        default_factory=list,
        description="Rules no waiver may waive, by id.",
        examples=[["CONSENT-REPLICA-001"]],
    )
    fail_on: Annotated[Severity, SEVERITY_MEANINGS] | None = Field(
        default=None, description="The default --fail-on threshold.", examples=["high"]
    )
