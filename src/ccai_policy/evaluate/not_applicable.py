"""Why a rule does not apply, as a plain sentence computed from the declaration's facts.

The rule's own applicability sentence ("Applies to productions made in California or New
York.") says nothing about this production when read alone, and is wrong where the production
does qualify but nothing in it is what the rule checks (a production made in both states with
no use that replaces in-person work). So the sentence states the facts that decided: the
production's kind, territories, agreements and release, how many items the rule looked at, or
the dates an obligation is in force.
"""

from __future__ import annotations

from typing import Any

from ccai_policy.evaluate.programs import is_dated
from ccai_policy.model.rule import Rule

#: Each section in plain words, one and many.
NOUNS = {
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
    """'a series, made or released in US-CA and EU, under wga-mba-2023, released 2027-01-15'.

    `production` is the production as JSON data.
    """
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


#: The condition a rule whose `applies_when` is false states when it has no `applicability`.
OTHER_KIND = "This production is not of the kind this rule applies to."


def production_reason(condition: str | None, production: dict[str, Any]) -> str:
    """A condition on the production that does not hold (None: OTHER_KIND), beside the facts
    it was tested on."""
    said = (condition or OTHER_KIND).strip().rstrip(".")
    return f"{said[:1].upper()}{said[1:]}; this production is {production_facts(production)}."


def selection_reason(section: str, count: int, production: dict[str, Any]) -> str:
    """Nothing the rule looks at is of its kind: `count` items in `section` (or 'declaration')."""
    facts = production_facts(production)
    if section not in NOUNS:  # a rule on the declaration as a whole
        return f"This production is {facts}; it is not of the kind this rule checks."
    one, many = NOUNS[section]
    if not count:
        return f"This declaration has no {many}, so there is nothing for this rule to check."
    # The rule's applicability sentence is left out here: it may well hold for this
    # production (that is why the rule looked at its items); what decided is that none of
    # them is of the kind the rule checks.
    none = f"its only {one} is not" if count == 1 else f"none of its {count} {many} is"
    return f"This production is {facts}; {none} of the kind this rule checks."


def _windows(rule: Rule) -> list[str]:
    """'SAG-AFTRA 2026 (reported) applies from 2026-07-01 by the first use': from the day it took
    effect (until its end), as judged by the date the window names."""
    phrases = []
    for window in rule.effective:
        if not is_dated(window):
            continue
        bounds = [f"from {window.from_}"] if window.from_ else []
        bounds += [f"until {window.until}"] if window.until else []
        span = " ".join(bounds)
        phrases.append(f"{window.obligation} applies {span} by {window.of}")
    return phrases


def dates_reason(rule: Rule) -> str | None:
    """The rule selects items, but each is dated outside every window of its obligations
    (None: the rule has no dated window, so no date decided)."""
    phrases = _windows(rule)
    if not phrases:
        return None
    start = f"Not in force for this production: {'; '.join(phrases)}"
    if rule.for_each == "declaration":
        what = "this production's date falls" if len(phrases) == 1 else "its dates fall"
    else:
        what = f"every {NOUNS.get(rule.for_each, ('item', 'items'))[0]} this rule checks falls"
    if len(phrases) == 1:
        return f"{start}, and {what} outside it."
    return f"{start}; {what} outside all of them."
