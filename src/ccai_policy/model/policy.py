"""The policy file format: which rules apply, at what severity, with which parameters."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .rule import Severity

PolicyId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class RuleSelection(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    include: list[str] = Field(default_factory=lambda: ["*"], description="Rule ids or globs.")
    exclude: list[str] = Field(default_factory=list, description="Rule ids or globs.")


class Policy(BaseModel):
    """A named, versioned selection of rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: PolicyId
    version: str = Field(min_length=1, description="Quote it: version: '2026.1'.")
    title: str = Field(min_length=1)
    description: str | None = None
    extends: list[str] = Field(default_factory=list, description="Policies this one builds on.")
    rule_dirs: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        default_factory=list,
        description="Folders of rules this policy selects from besides the bundled catalog, "
        "relative to this file, e.g. ['../rules'].",
    )
    rules: RuleSelection = Field(default_factory=RuleSelection)
    severity: dict[str, Severity] = Field(default_factory=dict, description="Overrides by id.")
    params: dict[str, Any] = Field(default_factory=dict, description="Values rules read.")
    mandatory: list[str] = Field(default_factory=list, description="Rules no waiver may waive.")
    fail_on: Severity | None = Field(default=None, description="Default --fail-on threshold.")
