"""The workforce section: the effect of the production's AI use on jobs."""

from __future__ import annotations

from pydantic import Field

from ccai_policy.model.strict import Strict, Tri


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
