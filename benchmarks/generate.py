"""Seeded generator of synthetic, valid declarations for the benchmark (same seed, same bytes)."""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

from benchmarks.people import Cast, make_people, make_tools

#: Categories and how often each occurs, roughly as a studio slate mixes them.
CATEGORY_WEIGHTS = {
    "employment_based_digital_replica": 13,
    "independently_created_digital_replica": 5,
    "background_actor_digital_replica": 10,
    "digital_alteration": 14,
    "synthetic_performer": 5,
    "voice_replica": 10,
    "gai_literary_material": 8,
    "gai_visual_or_audio": 22,
    "real_time_generation": 8,
    "training_on_production_material": 5,
}
PURPOSE = {
    "employment_based_digital_replica": "Replica of the performer scanned on set",
    "independently_created_digital_replica": "Replica built from archive footage",
    "background_actor_digital_replica": "Crowd replica of background actors",
    "digital_alteration": "Alteration of a recorded performance",
    "synthetic_performer": "Synthetic performer in a minor role",
    "voice_replica": "Voice replica for ADR lines",
    "gai_literary_material": "Generated draft of scene dialogue",
    "gai_visual_or_audio": "Generated matte painting or temp score",
    "real_time_generation": "Real-time generated dialogue of a character",
    "training_on_production_material": "Fine-tuning on dailies",
}
NEEDS_CONSENT = {
    "employment_based_digital_replica",
    "independently_created_digital_replica",
    "background_actor_digital_replica",
    "digital_alteration",
    "voice_replica",
    "real_time_generation",
    "training_on_production_material",
}
AGREEMENTS = {
    "film": ["sag-aftra-tv-theatrical-2023", "wga-mba-2023", "dga-basic-agreement-2023"],
    "series": ["sag-aftra-tv-theatrical-2026", "wga-mba-2026", "iatse-basic-agreement-2024"],
    "game": ["sag-aftra-interactive-media-2025"],
    "commercial": ["sag-aftra-commercials-2025"],
}
TERRITORIES = ["US-CA", "US-NY", "US-TN", "EU", "DK", "GB", "CA", "AU"]
SOURCE_TYPES = [
    "trainedAlgorithmicMedia",
    "compositeWithTrainedAlgorithmicMedia",
    "algorithmicMedia",
]
PLACEMENTS = ["on_screen", "opening_credits", "end_credits", "packaging", "metadata"]
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
#: Flags that default to false; like a person would, the generator writes them only when true.
DEFAULT_FALSE = {
    "in_place_of_in_person_work",
    "deepfake",
    "court_approved",
    "gpai",
    "primary_purpose_is_likeness_replication",
    "opportunity_to_bargain",
    "required_by_company",
    "creative",
    "is_advertisement",
}


def _trim(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _trim(v) for k, v in value.items() if not (v is False and k in DEFAULT_FALSE)}
    if isinstance(value, list):
        return [_trim(v) for v in value]
    return value


class Slate:
    """Builds one declaration; `fail` is the share of items made non-compliant on purpose."""

    def __init__(self, rng: random.Random, index: int, n_uses: int, fail: float) -> None:
        self.rng, self.index, self.n_uses, self.fail = rng, index, n_uses, fail
        self.kind = rng.choice(["film", "film", "series", "series", "game", "commercial"])
        self.prod_id = f"prod-{index:04d}"
        self.cast: Cast = make_people(rng, max(8, n_uses * 2 // 5), fail)
        self.tools = make_tools(rng, max(4, n_uses // 12), fail)
        self.uses: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []
        self.last_consent: dict[tuple[str, str], dict[str, Any]] = {}
        self.pay: list[dict[str, Any]] = []
        self.notices: list[dict[str, Any]] = []
        self.assets: list[dict[str, Any]] = []

    def bad(self) -> bool:
        return self.rng.random() < self.fail

    def when(self, low_days: int, high_days: int) -> dt.datetime:
        return START + dt.timedelta(
            days=self.rng.randint(low_days, high_days), hours=self.rng.randint(0, 9)
        )

    def build(self) -> dict[str, Any]:
        names = list(CATEGORY_WEIGHTS)
        weights = list(CATEGORY_WEIGHTS.values())
        for n in range(1, self.n_uses + 1):
            self.add_use(n, self.rng.choices(names, weights)[0])
        self.add_assets()
        self.add_notices()
        rng = self.rng
        displaced = rng.choice([0, 0, 0, 1, 2, 4])
        return {
            "apiVersion": "ccai-policy/v1",
            "kind": "Declaration",
            "production": {
                "id": self.prod_id,
                "title": f"Synthetic {self.kind.title()} No. {self.index}",
                "studio": rng.choice(["Northlight Pictures", "Harbor Lane Studios", "Ember Games"]),
                "type": self.kind,
                "territories": sorted(rng.sample(TERRITORIES, rng.randint(1, 4))),
                "agreements": AGREEMENTS[self.kind],
                "release_date": dt.date(2027, rng.randint(1, 12), rng.randint(1, 28)),
                "is_advertisement": self.kind == "commercial",
                "contact": f"ai-compliance+{self.index}@studio.example",
            },
            "people": self.cast.people,
            "tools": self.tools,
            "uses": self.uses,
            "consents": self.consents,
            "compensation": self.pay,
            "notices": self.notices,
            "assets": self.assets,
            "workforce": {
                "roles_affected": ["background", "crew"][: min(displaced, 2)],
                "positions_displaced": displaced,
                "reskilling_offered": displaced > 0,
                "employees_required_to_prompt_replacements": self.bad(),
                "writers_required_to_use_gai": False,
                "impact_bargaining_offered": displaced > 0 and not self.bad(),
            },
        }

    def subjects_for(self, category: str) -> list[str]:
        rng, cast = self.rng, self.cast
        if category in (
            "employment_based_digital_replica",
            "independently_created_digital_replica",
        ):
            return [rng.choice(cast.performers)]
        if category == "background_actor_digital_replica":
            return rng.sample(cast.background, min(len(cast.background), rng.randint(1, 3)))
        if category in ("digital_alteration", "real_time_generation"):
            return [rng.choice(cast.performers)]
        if category == "voice_replica":
            return [rng.choice(cast.voices)]
        if category == "gai_literary_material":
            return [rng.choice(cast.writers)] if rng.random() < 0.6 else []
        if category == "training_on_production_material":
            pool = cast.performers + cast.voices
            return rng.sample(pool, min(len(pool), rng.randint(2, 4)))
        if category == "gai_visual_or_audio" and rng.random() < 0.2:
            return [rng.choice(cast.composers)]
        return []

    def add_use(self, n: int, category: str) -> None:
        rng = self.rng
        use_id = f"u-{n:05d}"
        tool = rng.choice(self.tools)
        if category == "training_on_production_material":
            tool["trained_on_production_material"] = True
        first = self.when(30, 240)
        use: dict[str, Any] = {
            "id": use_id,
            "category": category,
            "description": f"{PURPOSE[category]}, scene {n} "
            f"({rng.choice(['flashback', 'stunt', 'crowd', 'ADR', 'titles', 'trailer'])}).",
            "tool": tool["id"],
            "subjects": self.subjects_for(category),
        }
        if category == "synthetic_performer" and rng.random() < 0.3:
            use["features_from"] = [rng.choice(self.cast.performers)]
        use["in_place_of_in_person_work"] = rng.random() < 0.2
        if category == "digital_alteration":
            use["substantially_as_scripted"] = rng.random() < 0.6
            if use["substantially_as_scripted"] and rng.random() < 0.5:
                use["exception_claimed"] = "standard post-production colour and continuity fix"
        use["deepfake"] = category in NEEDS_CONSENT and rng.random() < 0.3
        use["digital_source_type"] = rng.choice(SOURCE_TYPES)
        use["first_used_on"] = first.date()
        if category == "employment_based_digital_replica" and rng.random() < 0.7:
            starts = first - dt.timedelta(days=rng.randint(5, 20))
            hours = 24 if self.bad() else rng.choice([48, 72, 96])
            use["scan"] = {
                "notified_at": starts - dt.timedelta(hours=hours),
                "starts_at": starts,
                "business_reason": "Needed for scenes the performer cannot shoot in person.",
            }
        if category == "gai_literary_material":
            use["initiated_by"] = rng.choice(["company", "writer"])
            use["required_by_company"] = self.bad()
        use["creative"] = rng.random() < 0.6
        self.uses.append(use)
        self.add_consents(use, first)
        self.add_pay(use)

    def add_consents(self, use: dict[str, Any], first: dt.datetime) -> None:
        rng = self.rng
        people = list(use["subjects"]) + list(use.get("features_from", []))
        if use["category"] not in NEEDS_CONSENT and not use.get("features_from"):
            return
        if use.get("exception_claimed"):
            return
        for person_id in people:
            if self.bad():
                continue  # a missing consent: the replica rules should flag this use
            person = self.cast.by_id[person_id]
            previous = self.last_consent.get((person_id, use["category"]))
            if previous and len(previous["uses"]) < 4 and rng.random() < 0.6:
                previous["uses"].append(use["id"])  # one consent covering several uses
                continue
            signed = (first + dt.timedelta(days=5 if self.bad() else -rng.randint(3, 40))).date()
            consent: dict[str, Any] = {
                "id": f"c-{len(self.consents) + 1:05d}",
                "person": person_id,
                "signer_role": "guardian"
                if person.get("minor")
                else "authorized_representative"
                if person.get("deceased_on")
                else "self",
                "uses": [use["id"]],
                "description": use["description"].replace("Replica of the performer", "Replica"),
                "scope": {"productions": [self.prod_id], "media": ["theatrical", "streaming"]},
                "separately_signed": not self.bad(),
                "clear_and_conspicuous": True,
                "notice_given_at": dt.datetime.combine(signed, dt.time(9), dt.UTC)
                - dt.timedelta(days=3),
                "signed_on": signed,
                "term_ends": signed.replace(year=signed.year + (12 if self.bad() else 10)),
                "training_permission": "allowed"
                if use["category"] == "training_on_production_material"
                else "notAllowed",
                "court_approved": bool(person.get("minor")),
                "evidence": {"path": f"evidence/consent-{len(self.consents) + 1:05d}.pdf"},
            }
            if rng.random() < 0.4:
                consent["evidence"]["sha256"] = f"{rng.getrandbits(256):064x}"
            if self.bad():
                consent["revoked_on"] = signed + dt.timedelta(days=60)
            self.consents.append(consent)
            self.last_consent[person_id, use["category"]] = consent

    def add_pay(self, use: dict[str, Any]) -> None:
        rng, category = self.rng, use["category"]
        bases = {
            "employment_based_digital_replica": ["per_digital_performance_day", "residuals"],
            "independently_created_digital_replica": ["negotiated", "ph_contribution"],
            "background_actor_digital_replica": ["scan_day"],
            "voice_replica": ["per_digital_performance_day", "residuals"],
            "real_time_generation": ["scale_multiple"],
            "training_on_production_material": ["training_licence"],
            "synthetic_performer": ["negotiated"] if use.get("features_from") else [],
        }.get(category, [])
        if use.get("scan"):
            bases = ["scan_day", *bases]
        for person_id in [*use["subjects"], *use.get("features_from", [])]:
            for basis in bases:
                if self.bad():
                    continue  # unpaid: the compensation rules should flag this use
                entry: dict[str, Any] = {
                    "id": f"pay-{len(self.pay) + 1:05d}",
                    "person": person_id,
                    "use": use["id"],
                    "basis": basis,
                }
                if basis == "scale_multiple":
                    entry["scale_multiple"] = 5.0 if self.bad() else 7.5
                elif basis not in ("residuals", "ph_contribution"):
                    entry["amount"] = {"value": rng.randint(5, 400) * 100, "currency": "USD"}
                    entry["paid_on"] = self.when(60, 260).date()
                self.pay.append(entry)

    def notice(self, to: str, kind: str, uses: list[str], person: str | None = None) -> None:
        if not uses or self.bad():
            return
        entry: dict[str, Any] = {"id": f"n-{len(self.notices) + 1:05d}", "to": to, "kind": kind}
        entry["uses"] = uses
        if person:
            entry["person"] = person
        entry["sent_at"] = self.when(0, 25)
        entry["opportunity_to_bargain"] = kind in (
            "synthetic_performer_notice",
            "impact_bargaining",
        )
        self.notices.append(entry)

    def add_notices(self) -> None:
        by_category: dict[str, list[str]] = {}
        for use in self.uses:
            by_category.setdefault(use["category"], []).append(use["id"])
        for use_id in by_category.get("synthetic_performer", []):
            self.notice("SAG-AFTRA", "synthetic_performer_notice", [use_id])
        for use in self.uses:
            if use["category"] == "gai_literary_material" and use["subjects"]:
                self.notice("WGA", "writer_gai_disclosure", [use["id"]], use["subjects"][0])
        creative = [u["id"] for u in self.uses if u["creative"]]
        director = self.cast.directors[0]
        for start in range(0, len(creative), 10):
            self.notice("DGA", "director_consultation", creative[start : start + 10], director)
        training = by_category.get("training_on_production_material", [])
        self.notice("SAG-AFTRA", "training_licence_notice", training)
        scans = [u["id"] for u in self.uses if u.get("scan")]
        self.notice("performer", "scan_notice", scans[:50])

    def add_assets(self) -> None:
        rng, uses = self.rng, [u["id"] for u in self.uses]
        position, n = 0, 0
        while position < len(uses):
            size = rng.randint(1, 7)
            n += 1
            asset: dict[str, Any] = {
                "id": f"a-{n:05d}",
                "title": f"Reel {n} of {self.prod_id}",
                "uses": uses[position : position + size],
                "path": f"deliverables/reel-{n:04d}.mov",
                "released_in": ["US", "EU"][: rng.randint(1, 2)],
            }
            position += size
            if not self.bad():
                asset["content_credentials"] = {
                    "manifest": f"https://studio.example/c2pa/{self.prod_id}/{n}.c2pa",
                    "digital_source_type": rng.choice(SOURCE_TYPES),
                    "training_mining": {
                        "ai_training": "notAllowed",
                        "ai_generative_training": "notAllowed",
                    },
                }
            if not self.bad():
                asset["audience_disclosure"] = {
                    "placement": rng.choice(PLACEMENTS),
                    "text": "Contains AI-generated images and voices, made with consent",
                }
            self.assets.append(asset)


class _Dumper(_BaseDumper):
    """Block mappings, flow lists of scalars, and timestamps written as people write them."""


def _mapping(dumper: Any, data: dict[str, Any]) -> Any:
    flat = len(data) <= 3 and all(not isinstance(v, dict | list) for v in data.values())
    return dumper.represent_mapping("tag:yaml.org,2002:map", list(data.items()), flow_style=flat)


def _sequence(dumper: Any, data: list[Any]) -> Any:
    flat = all(not isinstance(v, dict | list) for v in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flat)


def _timestamp(dumper: Any, data: dt.datetime) -> Any:
    text = data.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", text)


_Dumper.add_representer(dict, _mapping)
_Dumper.add_representer(list, _sequence)
_Dumper.add_representer(dt.datetime, _timestamp)


def declaration_text(seed: int, index: int, n_uses: int, fail: float = 0.03) -> str:
    """One declaration as YAML text; the same arguments give the same bytes."""
    rng = random.Random(f"{seed}:{index}:{n_uses}")
    data = _trim(Slate(rng, index, n_uses, fail).build())
    header = (
        f"# Synthetic benchmark declaration {index} ({n_uses} uses, seed {seed}).\n"
        "# Generated by benchmarks/generate.py; valid, with a few items failing rules on purpose.\n"
    )
    body = yaml.dump(data, Dumper=_Dumper, width=100, allow_unicode=True)
    return header + body


def write_set(directory: Path, seed: int, count: int, n_uses: int) -> list[Path]:
    """Write `count` declarations of `n_uses` uses each; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"decl-{index:04d}.yaml"
        path.write_text(declaration_text(seed, index, n_uses), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path, help="directory to write into")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--uses", type=int, default=100)
    args = parser.parse_args()
    paths = write_set(args.out, args.seed, args.count, args.uses)
    print(f"wrote {len(paths)} declarations to {args.out}")


if __name__ == "__main__":
    main()
