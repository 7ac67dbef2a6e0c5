"""The project configuration format: what every CI invocation of ccai-policy would repeat."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ccai_policy.model.grading import SEVERITY_MEANINGS, Severity
from ccai_policy.model.vocabulary import field_title, model_title

NonEmpty = Annotated[str, StringConstraints(min_length=1)]


class Config(BaseModel):
    """`.ccai-policy.yaml`, or `[tool.ccai-policy]` in pyproject.toml; paths relative to it.

    Command-line options override each setting; a repeatable option given on the command line
    replaces the configured list.
    """

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        field_title_generator=field_title,
        model_title_generator=model_title,
        json_schema_extra={"title": "ccai-policy configuration"},
    )

    paths: list[NonEmpty] = Field(
        default_factory=list,
        description="Declaration files or directories `check` checks when given no path.",
    )
    policy: NonEmpty | None = Field(default=None, description="Bundled policy id or policy file.")
    rules: list[NonEmpty] = Field(
        default_factory=list, description="Folders of rules added to the bundled catalog."
    )
    bundled_rules: bool = Field(
        default=True, description="Whether the bundled rules are part of the catalog."
    )
    waivers: list[NonEmpty] = Field(default_factory=list, description="Waiver files.")
    baseline: NonEmpty | None = Field(
        default=None, description="JSON result of an earlier run: fail only on new findings."
    )
    evidence_roots: list[NonEmpty] = Field(
        default_factory=list, description="Folders evidence files may also be in."
    )
    fail_on: Annotated[Severity, SEVERITY_MEANINGS] | None = Field(
        default=None, description="Lowest severity that fails the run (default: the policy's)."
    )
    include: list[NonEmpty] = Field(
        default_factory=list,
        description="Globs of the files a directory scan checks (default: *.yaml and *.yml).",
    )
    exclude: list[NonEmpty] = Field(
        default_factory=list,
        description="Globs of files a scan leaves out, e.g. 'declarations/drafts/*'. A glob "
        "without '/' matches file names at any depth.",
    )
