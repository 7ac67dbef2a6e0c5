"""Why a rule does not apply, as a plain sentence computed from the declaration's facts.

The engine records a reason with every not-applicable finding: the rule's own applicability
sentence ("Applies to productions made in California or New York.") or a generic one. Read
alone, the first says nothing about this production and is wrong where the production does
qualify but nothing in it is what the rule checks (a production made in both states with no
use that replaces in-person work). The reports therefore state the facts beside it.
"""

from __future__ import annotations

from typing import Any

from ccai_policy.model.result import DeclarationResult, Finding

#: Each section in plain words, one and many.
_NOUNS = {
    "uses": ("AI use", "AI uses"),
    "people": ("person", "people"),
    "tools": ("AI tool", "AI tools"),
    "consents": ("consent", "consents"),
    "compensation": ("compensation record", "compensation records"),
    "notices": ("notice", "notices"),
    "assets": ("asset", "assets"),
    "workforce": ("workforce record", "workforce records"),
}


def _listed(values: list[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " and " + values[-1]


def production_facts(production: dict[str, Any]) -> str:
    """'a series, made or released in US-CA and EU, under wga-mba-2023, released 2027-01-15'."""
    kind = str(production.get("type", "production")).replace("_", " ")
    article = "an" if kind[:1] in "aeiou" else "a"
    parts = [f"{article} {kind}"]
    territories = [str(t) for t in production.get("territories") or []]
    parts.append(
        f"made or released in {_listed(territories)}" if territories else "no territory declared"
    )
    agreements = [str(a) for a in production.get("agreements") or []]
    parts.append(f"under {_listed(agreements)}" if agreements else "under no union agreement")
    if production.get("release_date"):
        parts.append(f"released {production['release_date']}")
    return ", ".join(parts)


#: How the engine's generic reasons begin; any other reason it gives is kept as it is.
_GENERIC = ("Nothing in this declaration", "This declaration has no", "no ")


def not_applicable_reason(
    finding: Finding, declaration: DeclarationResult, applicability: str | None
) -> str:
    """The reason a rule did not apply to a declaration, with the facts that decide it.

    `applicability` is the rule's own sentence, when it has one.
    """
    data = declaration.declaration
    facts = production_facts(data.get("production", {}))
    section = finding.subject.pointer.strip("/")
    said = finding.message.strip().rstrip(".")
    if section == "production":  # the rule's condition on the production was false
        return f"{said[:1].upper()}{said[1:]}; this production is {facts}."
    if finding.message != applicability and not finding.message.startswith(_GENERIC):
        return finding.message  # a specific reason (dates outside an obligation's window)
    if section not in _NOUNS:  # a rule on the declaration as a whole
        return f"This production is {facts}; it is not of the kind this rule checks."
    one, many = _NOUNS[section]
    items = data.get(section) or []
    if not items:
        return f"This declaration has no {many}, so there is nothing for this rule to check."
    # The rule's applicability sentence is left out here: it may well hold for this
    # production (that is why the rule looked at its items); what decided is that none of
    # them is of the kind the rule checks.
    n = len(items)
    none = f"its only {one} is not" if n == 1 else f"none of its {n} {many} is"
    return f"This production is {facts}; {none} of the kind this rule checks."
