"""Consents, pay, notices and delivered assets for a synthetic declaration's uses."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from benchmarks.people import Cast

Sin = Callable[[str], bool]
REPLICAS = {
    "employment_based_digital_replica",
    "independently_created_digital_replica",
    "background_actor_digital_replica",
    "voice_replica",
}
#: Uses that need the consent of every person they touch.
NEEDS_CONSENT = REPLICAS | {
    "digital_alteration",
    "real_time_generation",
    "training_on_production_material",
}
SOURCE_TYPES = [
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
]
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _years_later(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def _earliest(use: dict[str, Any]) -> dt.date:
    first: dt.date = use["first_used_on"]
    scan = use.get("scan")
    return min(first, scan["starts_at"].date()) if scan else first


def consents(
    rng: random.Random, uses: list[dict[str, Any]], cast: Cast, prod_id: str, sin: Sin
) -> list[dict[str, Any]]:
    """One consent per person and kind of use, each covering up to four of their uses."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for use in uses:
        people = [*use["subjects"], *use.get("features_from", [])]
        if use["category"] not in NEEDS_CONSENT and not use.get("features_from"):
            continue
        for person_id in people:
            if not sin("missing_consent"):
                groups.setdefault((person_id, use["category"]), []).append(use)
    out: list[dict[str, Any]] = []
    for (person_id, category), covered in groups.items():
        while covered:
            size = rng.randint(1, 4)
            chunk, covered = covered[:size], covered[size:]
            out.append(_consent(rng, len(out) + 1, cast.by_id[person_id], category, chunk, sin))
            out[-1]["scope"] = {"productions": [prod_id], "media": ["theatrical", "streaming"]}
    return out


def _consent(
    rng: random.Random,
    n: int,
    person: dict[str, Any],
    category: str,
    chunk: list[dict[str, Any]],
    sin: Sin,
) -> dict[str, Any]:
    if sin("late_consent"):
        signed = max(u["first_used_on"] for u in chunk) + dt.timedelta(days=5)
    else:
        signed = min(_earliest(u) for u in chunk) - dt.timedelta(days=rng.randint(3, 20))
    minor = bool(person.get("minor"))
    years = (5 if minor else rng.choice([5, 7, 10])) + (7 if sin("long_term") else 0)
    described = chunk[0]["description"]
    consent: dict[str, Any] = {
        "id": f"c-{n:05d}",
        "person": person["id"],
        "signer_role": "guardian"
        if minor
        else "authorized_representative"
        if person.get("deceased_on")
        else "self",
        "uses": [u["id"] for u in chunk],
        "description": described[:40] if sin("vague_consent") else described,
        "separately_signed": True,
        "clear_and_conspicuous": True,
        "notice_given_at": dt.datetime.combine(signed, dt.time(9), dt.UTC) - dt.timedelta(days=3),
        "signed_on": signed,
        "term_ends": _years_later(signed, years),
        "training_permission": "allowed"
        if category == "training_on_production_material"
        else "notAllowed",
        "court_approved": minor,
        "evidence": {"path": f"evidence/consent-{n:05d}.pdf"},
    }
    if not sin("unhashed_evidence"):
        consent["evidence"]["sha256"] = f"{rng.getrandbits(256):064x}"
    if sin("revoked_consent"):
        consent["revoked_on"] = signed + dt.timedelta(days=30)
    return consent


def pay(
    rng: random.Random, uses: list[dict[str, Any]], cast: Cast, sin: Sin
) -> list[dict[str, Any]]:
    """What each person is paid for each use, on the basis the agreements require."""
    out: list[dict[str, Any]] = []
    for use in uses:
        category = use["category"]
        bases = {
            "employment_based_digital_replica": ["per_digital_performance_day", "residuals"],
            "independently_created_digital_replica": ["negotiated", "ph_contribution"],
            "background_actor_digital_replica": ["scan_day"],
            "voice_replica": ["per_digital_performance_day", "residuals"],
            "real_time_generation": ["scale_multiple"],
            "training_on_production_material": ["training_licence"],
            "synthetic_performer": ["negotiated"],
        }.get(category, [])
        if use.get("scan"):
            bases = ["scan_day", *bases]
        if use.get("same_production") is False:
            bases = ["negotiated", *bases]
        paid = [*use["subjects"], *use.get("features_from", [])]
        if category == "synthetic_performer" and not paid:
            paid, bases = [cast.performers[0]], ["ph_contribution"]  # into the P&H fund
        for person_id in paid:
            for basis in bases:
                if sin("unpaid"):
                    continue
                entry: dict[str, Any] = {
                    "id": f"pay-{len(out) + 1:05d}",
                    "person": person_id,
                    "use": use["id"],
                    "basis": basis,
                }
                if basis == "scale_multiple":
                    entry["scale_multiple"] = rng.choice([7.5, 8.0, 10.0])
                elif basis not in ("residuals", "ph_contribution"):
                    entry["amount"] = {"value": rng.randint(5, 400) * 100, "currency": "USD"}
                    entry["paid_on"] = (START + dt.timedelta(days=rng.randint(60, 260))).date()
                out.append(entry)
    return out


def notices(
    rng: random.Random, uses: list[dict[str, Any]], cast: Cast, sin: Sin
) -> list[dict[str, Any]]:
    """Union notices and the director's consultations, sent before the uses start."""
    out: list[dict[str, Any]] = []

    def send(to: str, kind: str, ids: list[str], person: str | None = None) -> None:
        if not ids:
            return
        entry: dict[str, Any] = {"id": f"n-{len(out) + 1:05d}", "to": to, "kind": kind, "uses": ids}
        if person:
            entry["person"] = person
        entry["sent_at"] = START + dt.timedelta(days=rng.randint(0, 25), hours=rng.randint(0, 8))
        entry["opportunity_to_bargain"] = kind in (
            "synthetic_performer_notice",
            "impact_bargaining",
        )
        out.append(entry)

    for use in uses:
        if use["category"] == "synthetic_performer" and not sin("missing_union_notice"):
            send("SAG-AFTRA", "synthetic_performer_notice", [use["id"]])
        elif use["category"] == "gai_literary_material" and not sin("undisclosed_gai"):
            writer = use["subjects"][0] if use["subjects"] else None
            send("writer", "writer_gai_disclosure", [use["id"]], writer)
    creative = [u["id"] for u in uses if u.get("creative")]
    for start in range(0, len(creative), 10):
        if not sin("skipped_consultation"):
            send(
                "director", "director_consultation", creative[start : start + 10], cast.directors[0]
            )
    training = [u["id"] for u in uses if u["category"] == "training_on_production_material"]
    send("SAG-AFTRA", "training_licence_notice", training)
    return out


def assets(
    rng: random.Random, uses: list[dict[str, Any]], prod_id: str, commercial: bool, sin: Sin
) -> list[dict[str, Any]]:
    """Delivered reels, each made by a few uses, with Content Credentials and a disclosure."""
    out: list[dict[str, Any]] = []
    position = 0
    while position < len(uses):
        chunk = uses[position : position + rng.randint(1, 7)]
        position += len(chunk)
        n = len(out) + 1
        asset: dict[str, Any] = {
            "id": f"a-{n:05d}",
            "title": f"Reel {n} of {prod_id}",
            "uses": [u["id"] for u in chunk],
            "path": f"deliverables/reel-{n:04d}.mov",
            "released_in": ["US", "EU"][: rng.randint(1, 2)],
        }
        if not sin("no_credentials"):
            asset["content_credentials"] = {
                "manifest": f"https://studio.example/c2pa/{prod_id}/{n}.c2pa",
                "digital_source_type": rng.choice(SOURCE_TYPES),
                "training_mining": {
                    "ai_training": "notAllowed",
                    "ai_generative_training": "notAllowed",
                },
            }
        placements = ["on_screen", "packaging"] if commercial else ["on_screen", "opening_credits"]
        if not commercial and not any(u.get("deepfake") for u in chunk):
            placements.append("end_credits")
        if not sin("no_disclosure"):
            asset["audience_disclosure"] = {
                "placement": rng.choice(placements),
                "text": "Contains AI-generated images and voices, made with consent",
            }
        out.append(asset)
    return out
