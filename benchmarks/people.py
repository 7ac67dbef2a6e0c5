"""Synthetic cast and AI tools for the benchmark's declarations, drawn from a seeded generator."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

FIRST = ["Ana", "Bo", "Chidi", "Dee", "Elif", "Farah", "Goran", "Hana", "Ines", "Jun", "Kofi"]
FIRST += ["Lena", "Mateo", "Nia", "Oskar", "Priya", "Quinn", "Rui", "Sana", "Tomas", "Uma"]
LAST = ["Ruiz", "Okafor", "Lindqvist", "Haddad", "Novak", "Tanaka", "Mensah", "Kowalski"]
LAST += ["Moreau", "Singh", "Costa", "Byrne", "Petrov", "Alvarez", "Nakamura", "Osei"]
#: Roles and how common each is in a cast list.
ROLE_WEIGHTS = {
    "principal": 28,
    "background": 24,
    "voice": 12,
    "stunt": 6,
    "writer": 10,
    "director": 4,
    "crew": 10,
    "composer": 4,
    "other": 2,
}
UNIONS = {
    "principal": "SAG-AFTRA",
    "background": "SAG-AFTRA",
    "voice": "SAG-AFTRA",
    "stunt": "SAG-AFTRA",
    "writer": "WGA",
    "director": "DGA",
    "crew": "IATSE",
}
VENDORS = ["Lumen VFX Labs", "Sonance AI", "Parallax Systems", "Kiln Models", "Northwind AI"]
LIKENESS_KINDS = ["FaceForge", "VoiceCraft", "LiveAvatar"]
OTHER_KINDS = ["CrowdGen", "ScriptMind", "FrameFill", "ScoreSketch"]

Sin = Callable[[str], bool]


@dataclass
class Cast:
    """The people of a declaration, grouped by what the uses need them for."""

    people: list[dict[str, Any]] = field(default_factory=list)
    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)
    performers: list[str] = field(default_factory=list)
    background: list[str] = field(default_factory=list)
    voices: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)
    directors: list[str] = field(default_factory=list)
    composers: list[str] = field(default_factory=list)


def _person(rng: random.Random, n: int, role: str) -> dict[str, Any]:
    person: dict[str, Any] = {
        "id": f"p-{n:05d}",
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)}",
        "roles": [role] if rng.random() < 0.9 else [role, "voice"],
    }
    if role in UNIONS and rng.random() < 0.9:
        person["union"] = UNIONS[role]
    if role in ("principal", "background", "voice") and rng.random() < 0.03:
        person["minor"] = True
    elif role == "principal" and rng.random() < 0.02:
        person["deceased_on"] = dt.date(rng.randint(1990, 2024), rng.randint(1, 12), 1)
        person["rights_holder"] = f"Estate of {person['name']}"
    if role in ("principal", "voice", "stunt"):
        person["representation"] = {
            "counsel": rng.random() < 0.7,
            "union_cba_addresses_replicas": "union" in person,
        }
    return person


def make_people(rng: random.Random, count: int) -> Cast:
    """A cast of `count` people, with at least one of every role the uses draw on."""
    names, weights = list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values())
    roles = ["principal", "background", "voice", "writer", "director", "composer"]
    roles += rng.choices(names, weights, k=max(0, count - len(roles)))
    cast = Cast()
    for n, role in enumerate(roles, start=1):
        person = _person(rng, n, role)
        cast.people.append(person)
        cast.by_id[person["id"]] = person
        group = {
            "principal": cast.performers,
            "stunt": cast.performers,
            "background": cast.background,
            "voice": cast.voices,
            "writer": cast.writers,
            "director": cast.directors,
            "composer": cast.composers,
        }.get(role)
        if group is not None:
            group.append(person["id"])
        if role == "principal":
            cast.voices.append(person["id"])
    return cast


def make_tools(rng: random.Random, count: int, sin: Sin) -> list[dict[str, Any]]:
    """AI tools and models; every third one replicates likenesses. `sin` picks the bad ones."""
    tools = []
    for n in range(1, count + 1):
        vendor = rng.choice(VENDORS)
        slug = vendor.split()[0].lower()
        likeness = n % 3 == 1
        kind = rng.choice(LIKENESS_KINDS if likeness else OTHER_KINDS)
        tool: dict[str, Any] = {
            "id": f"t-{n:04d}",
            "name": f"{kind} {n}",
            "vendor": vendor,
            "version": f"{rng.randint(1, 6)}.{rng.randint(0, 9)}",
            "gpai": not likeness and rng.random() < 0.3,
            "primary_purpose_is_likeness_replication": likeness,
            "output_marking": {"c2pa": not sin("unmarked_model"), "watermark": rng.random() < 0.6},
        }
        scraped = sin("scraped_model")
        training: dict[str, Any] = {
            "basis": ["licensed", "unknown_scraped"]
            if scraped
            else sorted(rng.sample(["licensed", "owned", "opt_in", "public_domain"], 2)),
            "licences": [f"{vendor} training data licence 2025"],
            "opt_outs_honoured": sorted(rng.sample(["tdmrep", "cawg.training-mining"], 1)),
            "contributors_compensated": not scraped,
            "summary_url": f"https://{slug}.example/training/{n}",
        }
        if tool["gpai"]:
            training["copyright_policy_url"] = f"https://{slug}.example/copyright"
        if rng.random() < 0.5:
            training["certifications"] = ["fairly-trained-L"]
        else:
            training["audit_url"] = f"https://{slug}.example/audit"
        tool["training"] = training
        tools.append(tool)
    return tools
