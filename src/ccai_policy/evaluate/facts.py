"""Facts derived from a declaration for the rules: who a use touches, whether a consent counts.

The rules read these beside the declared fields, so that every rule asks the same questions
the same way: a consent counts for a use only if it was given before the use, by the person
in life or their representative after death, in term, not revoked and not disputed; an amount
meets a floor only in the floor's currency.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from ccai_policy.evaluate.timeplace import LOCAL_TIMES, local_name, on_own_clock, reaches
from ccai_policy.evaluate.timeplace import day as _day
from ccai_policy.model.use_categories import NO_REAL_PERSON_CATEGORIES

#: The facts `derive` adds, by the model of the item they are added to, with their types: the
#: rule type checker knows them as it knows the declared fields.
DERIVED: dict[str, dict[str, Any]] = {
    "Use": {
        "tool_ids": list[str],
        "touches": list[str],
        "category_conflict": str | None,
        "fitting_category": str,
    },
    "Consent": {
        "counts_for": list[str],
        "written_for": list[str],
        "reasons": list[str],
        "notice_given_local": dt.datetime | None,
    },
    "Money": {"paid": bool, "converted": dict[str, float]},
    "Tool": {"used_on": dt.date | None},
    "Production": {"reaches": list[str]},
    "Asset": {"in_eu": bool},
    "Scan": {
        "starts_local": dt.datetime,
        "notified_local": dt.datetime | None,
        "engaged_local": dt.datetime | None,
    },
    "Notice": {"sent_local": dt.datetime, "sent": bool},
}

#: Digits after the decimal point in each currency's smallest unit (ISO 4217); 2 otherwise.
MINOR_UNITS = {
    "BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0,
    "PYG": 0, "RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
    "BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}  # fmt: skip


def _amount(money: dict[str, Any] | None, as_of: dt.date) -> None:
    """Add `paid` (not zero in the currency's smallest unit) and `converted` to an amount: in
    its own currency, and in the currency of its exchange rate when the rate is dated by the
    as-of date (a rate not yet known converts nothing)."""
    if money is None:
        return
    value = float(money["value"])
    digits = MINOR_UNITS.get(money["currency"], 2)
    money["paid"] = round(value, digits) > 0
    converted = {money["currency"]: value}
    rate = money.get("exchange_rate")
    if rate is not None and (_day(rate["on"]) or dt.date.max) <= as_of:
        converted.setdefault(rate["to"], value * float(rate["rate"]))
    money["converted"] = converted


#: Who signs only after a death, as the reasons name them.
_AFTER_DEATH = {"authorized_representative": "an authorised representative", "union": "the union"}


def consent_reasons(
    consent: dict[str, Any],
    use: dict[str, Any],
    person: dict[str, Any] | None,
    as_of: dt.date,
) -> list[str]:
    """Why a consent does not count for one use it lists; empty when it counts."""
    reasons: list[str] = []
    signed = _day(consent["signed_on"])
    if signed is None:
        return ["it has no signing date"]
    first = _day(use.get("first_used_on"))
    uid = use["id"]
    if consent.get("form") == "disputed":
        reasons.append("the person disputes it")
    if signed > as_of:
        reasons.append(f"it is dated {signed}, after the as-of date {as_of}")
    if first is not None and signed > first:
        reasons.append(f"it was signed on {signed}, after {uid} was first used on {first}")
    scan = use.get("scan")
    if scan is not None:
        scanned = _day(scan["starts_at"])
        if scanned is not None and signed > scanned:
            reasons.append(f"it was signed on {signed}, after the scan for {uid} on {scanned}")
    died = _day(person.get("deceased_on")) if person else None
    role = consent.get("signer_role", "self")
    if died is not None and role == "self" and signed >= died:
        reasons.append(
            f"it is signed by the person themselves on {signed}, after their death on {died}; "
            "after a death only an authorised representative (or the union, if none can be "
            "found) can consent"
        )
    if died is None and role == "union":
        reasons.append("the union signs only for a performer who has died")
    if died is None and role == "authorized_representative":
        reasons.append(
            "an authorised representative signs only for a person who has died; in life the "
            "person signs themselves (or, for a minor, a guardian)"
        )
    if died is not None and role in _AFTER_DEATH and signed < died:
        reasons.append(
            f"it is signed by {_AFTER_DEATH[role]} on {signed}, before the death on {died}; in "
            "life the person signs themselves (or, for a minor, a guardian)"
        )
    minor = person.get("minor") if person else None
    if person is not None and role == "guardian" and minor is False:
        reasons.append("a guardian signs only for a minor")
    elif person is not None and role == "guardian" and minor is not True:
        reasons.append(
            "a guardian signs only for a minor, and whether the person is one is not said "
            "(minor: true or false)"
        )
    if died is not None and role == "guardian" and signed >= died:
        reasons.append(
            f"it is signed by a guardian on {signed}, after the death on {died}; after a death "
            "the authorised representative signs"
        )
    ends = _day(consent.get("term_ends"))
    at_use = first or as_of
    if ends is not None and ends < at_use:
        when = f"{uid} was first used on {first}" if first else f"the as-of date {as_of}"
        reasons.append(f"its term ended on {ends}, before {when}")
    revoked = _day(consent.get("revoked_on"))
    if revoked is not None and revoked <= as_of:
        reasons.append(f"it was revoked on {revoked}")
    return reasons


def _group_coverage(data: dict[str, Any], people: dict[str, dict[str, Any]]) -> None:
    """A group's consents count only when, together, they cover every member of the group.

    Each consent counts once for a use, however often its `uses` lists the use: a consent for
    20 of 40 people that names the same use twice still covers 20.
    """
    covered: dict[tuple[str, str], int] = defaultdict(int)
    for consent in data["consents"]:
        person = people.get(consent["person"])
        if person is None or person.get("group_size") is None:
            continue
        for uid in dict.fromkeys(consent["counts_for"]):
            covered[(consent["person"], uid)] += consent.get("covers") or 0
    for consent in data["consents"]:
        person = people.get(consent["person"])
        if person is None or person.get("group_size") is None:
            continue
        size = person["group_size"]
        for uid in list(consent["counts_for"]):
            got = covered[(consent["person"], uid)]
            if got < size:
                consent["counts_for"].remove(uid)
                if uid in consent["written_for"]:
                    consent["written_for"].remove(uid)
                consent["reasons"].append(
                    f"for {uid}: the consents for {person['id']} cover {got} of the {size} "
                    "people in the group (give `covers:` on each)"
                )


def _fitting_category(use: dict[str, Any], people: dict[str, dict[str, Any]]) -> str:
    """The replica category a use that shows or voices real people fits, from its facts."""
    subjects = [people[p] for p in use["subjects"] if p in people]
    roles = [set(p["roles"]) for p in subjects]
    if roles and all(r <= {"voice"} for r in roles):
        return "voice_replica"
    if roles and all("background" in r for r in roles):
        return "background_actor_digital_replica"
    if use.get("scan") is not None and not any(p.get("deceased_on") for p in subjects):
        return "employment_based_digital_replica"
    return "independently_created_digital_replica"


def _category_conflict(
    use: dict[str, Any], people: dict[str, dict[str, Any]], production_type: str
) -> str | None:
    """How a use's facts contradict its category, in words; None when they agree."""
    category = use["category"]
    subjects = [people[p] for p in use["subjects"] if p in people]
    names = ", ".join(p["name"] for p in subjects)
    if category == "background_actor_digital_replica":
        others = [p["name"] for p in subjects if "background" not in p["roles"]]
        if others:
            who = "is not a background actor" if len(others) == 1 else "are not background actors"
            return (
                f"shows {', '.join(others)}, who {who} (people[].roles), and a background "
                "actor replica copies background actors only"
            )
    if (
        category == "independently_created_digital_replica"
        and use.get("scan") is not None
        and subjects
        and not any(p.get("deceased_on") for p in subjects)
    ):
        return (
            f"is made from a scan session with {names}, and an independently created replica is "
            "made from existing material without the performer taking part"
        )
    if category == "real_time_generation" and names and production_type == "film":
        return (
            f"shows or voices {names} in a film, which is watched as it was finished: "
            "real-time generation is output made live, while players play or an audience "
            "watches a live show, and in a film a copy of a real person is a digital replica"
        )
    if category in NO_REAL_PERSON_CATEGORIES and names:
        return (
            f"names {names} in subjects, and a {category} shows or voices no identifiable "
            "real person"
        )
    if category == "digital_alteration" and names:
        if use.get("new_performance") is True:
            return (
                f"shows {names} doing or saying what they did not perform "
                "(new_performance: true), which goes beyond altering a recorded performance"
            )
        if use.get("scan") is not None:
            return "is made from a scan of the performer, which creates a digital replica"
    return None


def derive(data: dict[str, Any], as_of: dt.date) -> None:
    """Add the derived facts to a declaration's data, in place (the CEL copy, never the model)."""
    people = {p["id"]: p for p in data["people"]}
    uses = {u["id"]: u for u in data["uses"]}
    for section, inner, field in LOCAL_TIMES:
        for entry in data[section]:
            holder = entry.get(inner) if inner else entry
            if holder is not None:
                holder[local_name(field)] = on_own_clock(holder.get(field))
    for asset in data["assets"]:
        asset["in_eu"] = "EU" in reaches(asset["released_in"])
    production = data["production"]
    released = [place for asset in data["assets"] for place in asset["released_in"]]
    production["reaches"] = reaches([*production["territories"], *released])
    for notice in data["notices"]:
        # A notice dated after the as-of date has not been sent yet: it counts for nothing.
        notice["sent"] = notice["sent_at"].date() <= as_of
    for use in data["uses"]:
        use["tool_ids"] = list(dict.fromkeys([use["tool"], *use["tools"]]))
        use["touches"] = list(dict.fromkeys([*use["subjects"], *use["features_from"]]))
        use["category_conflict"] = _category_conflict(use, people, production["type"])
        use["fitting_category"] = _fitting_category(use, people)
    for consent in data["consents"]:
        consent["counts_for"] = []
        consent["written_for"] = []
        consent["reasons"] = []
        for uid in consent["uses"]:
            use = uses.get(uid)
            if use is None:
                continue
            reasons = consent_reasons(consent, use, people.get(consent["person"]), as_of)
            if reasons:
                consent["reasons"].append(f"for {uid}: {'; '.join(reasons)}")
                continue
            consent["counts_for"].append(uid)
            if consent.get("form", "written") == "written":
                consent["written_for"].append(uid)
    _group_coverage(data, people)
    for entry in data["compensation"]:
        _amount(entry.get("amount"), as_of)
    used_on: dict[str, list[dt.date | None]] = defaultdict(list)
    for use in data["uses"]:
        for tid in use["tool_ids"]:
            used_on[tid].append(_day(use.get("first_used_on")))
    for tool in data["tools"]:
        dates = used_on.get(tool["id"], [])
        tool["used_on"] = None if not dates or None in dates else max(d for d in dates if d)
