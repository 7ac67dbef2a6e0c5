"""How a rule grades a failure: its CCAI criterion and its severity, with what each means."""

from __future__ import annotations

from typing import Literal

from ccai_policy.model.vocabulary import Meanings

Criterion = Literal["consent", "controls", "compensation", "transparency"]
Severity = Literal["critical", "high", "medium", "low", "info"]
CRITERION_MEANINGS = Meanings(
    {
        "consent": "Consent: no one's work, likeness or voice is used, or trained on, without "
        "explicit, informed, specific permission.",
        "controls": "Controls: people keep control (scope limits, revocation, approval of "
        "outputs, no one forced to use AI).",
        "compensation": "Compensation: people are paid for the value their work or likeness "
        "generates.",
        "transparency": "Transparency & Enforcement: disclosure to audiences, unions and the "
        "people affected; provenance marking; auditability.",
    }
)
SEVERITY_MEANINGS = Meanings(
    {
        "critical": "Critical: a person's rights are at stake (no consent, say); always fails.",
        "high": "High: a clear breach of an agreement or law; fails at the default threshold.",
        "medium": "Medium: a gap that should be fixed; fails only with --fail-on medium or lower.",
        "low": "Low: a weakness or an unconfirmed obligation.",
        "info": "Info: for the record; never fails unless --fail-on info.",
    }
)

CRITERIA: tuple[Criterion, ...] = ("consent", "controls", "compensation", "transparency")
CRITERION_TITLES: dict[str, str] = {
    "consent": "Consent",
    "controls": "Controls",
    "compensation": "Compensation",
    "transparency": "Transparency & Enforcement",
}
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
SEVERITY_RANK: dict[str, int] = {s: len(SEVERITIES) - i for i, s in enumerate(SEVERITIES)}
