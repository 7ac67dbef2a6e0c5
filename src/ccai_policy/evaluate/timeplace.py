"""Facts about when and where: a timestamp read on its own clock, a date from any form of one,
and every territory a list of territories reaches."""

from __future__ import annotations

import datetime as dt
from typing import Any

#: Every timestamp of a declaration, as (section, the object in its items that holds it, or
#: None for the item itself, field), each with a fact that holds it on its own clock (see
#: `on_own_clock`): `notices[].sent_at` is also `notices[].sent_local`. A rule compares a timestamp
#: with a date only through that fact (compiler.py refuses a window dated by the timestamp).
LOCAL_TIMES: tuple[tuple[str, str | None, str], ...] = (
    ("uses", "scan", "starts_at"),
    ("uses", "scan", "notified_at"),
    ("uses", "scan", "engaged_at"),
    ("notices", None, "sent_at"),
    ("consents", None, "notice_given_at"),
)


def local_name(field: str) -> str:
    """The fact that holds a timestamp on its own clock: 'starts_at' -> 'starts_local'."""
    return field.removesuffix("_at") + "_local"


#: The member states of the European Union (ISO 3166 codes, and EL, the EU's own code for
#: Greece): a production or an asset released in one of them is released in the EU.
EU_MEMBERS = frozenset({
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR",
    "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
})  # fmt: skip


#: The states, district and outlying areas of the United States (ISO 3166-2:US): a release
#: in the US is a release in each of them.
US_STATES = frozenset({
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
    "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE",
    "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VA", "VT", "WA", "WI", "WV", "WY", "AS", "GU", "MP", "PR", "UM", "VI",
})  # fmt: skip


def reaches(places: list[str]) -> list[str]:
    """Every territory a list of them reaches, so that a rule asks `'US-NY' in reaches`: each
    place, the country of a region (`US-NY` reaches `US`), the EU from a member state, every
    member state from `EU`, and every state from `US`."""
    found = set(places)
    for place in places:
        country = place.split("-")[0]
        found.add(country)
        if country in EU_MEMBERS:
            found.add("EU")
        if place == "EU":
            found.update(EU_MEMBERS)
        if place == "US":
            found.update(f"US-{state}" for state in US_STATES)
    return sorted(found)


def day(value: Any) -> dt.date | None:
    """A date from a date, a datetime, or their ISO text (as a result's JSON holds them)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def on_own_clock(value: dt.datetime | None) -> dt.datetime | None:
    """A timestamp read on its own clock: the time of day it names in the offset it was written
    with, stamped as UTC, as a date is its midnight in UTC.

    A date has no time zone, so a rule that compares a timestamp with one must compare the
    timestamp's own day and time: 2026-07-01T08:00:00+09:00 is on 1 July, although it is
    30 June in UTC. Rules compare such a fact with dates only; messages show the timestamp.
    """
    if value is None:
        return None
    return value.replace(tzinfo=dt.UTC)
