"""The compensation section: each payment for a use, and amounts of money in a currency."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from ccai_policy.model.calendar import Date
from ccai_policy.model.strict import STRICT_CONFIG, Id, Strict
from ccai_policy.model.vocabulary import Meanings

Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]

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
        **STRICT_CONFIG,
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
