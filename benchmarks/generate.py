"""Seeded generator of synthetic, valid declarations for the benchmark (same seed, same bytes).

Each declaration is compliant with the bundled rules except for a few deliberate "sins" (a
missing consent, an unpaid replica, a reel without Content Credentials, ...): each declaration
picks up to three kinds, and about one in twenty of the items they concern goes wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

from benchmarks import paperwork
from benchmarks.people import Cast, make_people, make_tools

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]

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
    "employment_based_digital_replica": "Replica of the performer, made from the on-set scan",
    "independently_created_digital_replica": "Replica of the performer, built from archive footage",
    "background_actor_digital_replica": "Crowd replica of background actors, from the scan day",
    "digital_alteration": "Alteration of the recorded performance: lip sync of a rewritten line",
    "synthetic_performer": "Synthetic performer in a minor speaking role, no real person's face",
    "voice_replica": "Voice replica of the performer for ADR of lines they recorded",
    "gai_literary_material": "Generated draft of scene dialogue, handed to the writers",
    "gai_visual_or_audio": "Generated matte painting and temp score",
    "real_time_generation": "Real-time generated dialogue of the performer's character",
    "training_on_production_material": "Fine-tuning of a model on the performers' dailies",
}
#: The kinds of deliberate failure; a declaration picks up to three of them.
SINS = (
    "missing_consent",
    "revoked_consent",
    "late_consent",
    "vague_consent",
    "unhashed_evidence",
    "long_term",
    "unpaid",
    "short_scan_notice",
    "no_credentials",
    "no_disclosure",
    "scraped_model",
    "unmarked_model",
    "skipped_consultation",
    "missing_union_notice",
    "undisclosed_gai",
    "required_gai",
)
AGREEMENTS = {
    "film": ["sag-aftra-tv-theatrical-2023", "wga-mba-2023", "dga-basic-agreement-2023"],
    "series": ["sag-aftra-tv-theatrical-2026", "wga-mba-2026", "iatse-basic-agreement-2024"],
    "game": ["sag-aftra-interactive-media-2025"],
    "commercial": ["sag-aftra-commercials-2025"],
}
TERRITORIES = ["US-CA", "US-NY", "US-TN", "EU", "DK", "GB", "CA", "AU"]
LIKENESS = {"synthetic_performer", "real_time_generation"} | paperwork.REPLICAS
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


class Declaration:
    """Builds one declaration from a seeded generator."""

    def __init__(self, seed: int, index: int, n_uses: int, rate: float) -> None:
        # The sins depend on the seed and index only: 1,000 and 10,000 uses share the same mix.
        picker = random.Random(f"{seed}:{index}")
        self.sins = set(picker.sample(SINS, picker.choice([0, 1, 1, 2, 2, 3])))
        self.rng = rng = random.Random(f"{seed}:{index}:{n_uses}")
        self.index, self.n_uses, self.rate = index, n_uses, rate
        self.kind = rng.choice(["film", "film", "series", "series", "game", "commercial"])
        self.prod_id = f"prod-{index:04d}"
        self.cast: Cast = make_people(rng, max(8, n_uses * 2 // 5))
        self.tools = make_tools(rng, max(6, n_uses // 12), self.sin)

    def sin(self, kind: str) -> bool:
        """Whether this item goes wrong in the way `kind` names."""
        return kind in self.sins and self.rng.random() < self.rate

    def build(self) -> dict[str, Any]:
        rng = self.rng
        names, weights = list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values())
        uses = [self.use(n, rng.choices(names, weights)[0]) for n in range(1, self.n_uses + 1)]
        displaced = rng.choice([0, 0, 0, 1, 2, 4])
        sin, cast = self.sin, self.cast
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
            "people": cast.people,
            "tools": self.tools,
            "uses": uses,
            "consents": paperwork.consents(rng, uses, cast, self.prod_id, sin),
            "compensation": paperwork.pay(rng, uses, cast, sin),
            "notices": paperwork.notices(rng, uses, cast, sin),
            "assets": paperwork.assets(rng, uses, self.prod_id, self.kind == "commercial", sin),
            "workforce": {
                "roles_affected": ["background", "crew"][: min(displaced, 2)],
                "positions_displaced": displaced,
                "reskilling_offered": displaced > 0,
                "employees_required_to_prompt_replacements": False,
                "writers_required_to_use_gai": False,
                "impact_bargaining_offered": displaced > 0,
            },
        }

    def subjects(self, category: str) -> list[str]:
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
            return sorted(set(rng.sample(pool, min(len(pool), rng.randint(2, 4)))))
        if category == "gai_visual_or_audio" and rng.random() < 0.2:
            return [rng.choice(cast.composers)]
        return []

    def use(self, n: int, category: str) -> dict[str, Any]:
        rng = self.rng
        likeness = category in LIKENESS
        tool = rng.choice(
            [t for t in self.tools if t["primary_purpose_is_likeness_replication"] == likeness]
        )
        if category == "training_on_production_material":
            tool["trained_on_production_material"] = True
        first = paperwork.START + dt.timedelta(days=rng.randint(30, 240))
        use: dict[str, Any] = {
            "id": f"u-{n:05d}",
            "category": category,
            "description": f"{PURPOSE[category]}, scene {n}.",
            "tool": tool["id"],
            "subjects": self.subjects(category),
        }
        if category == "synthetic_performer" and rng.random() < 0.3:
            use["features_from"] = [rng.choice(self.cast.performers)]
        if category == "employment_based_digital_replica" and rng.random() < 0.03:
            use["same_production"] = False
        use["in_place_of_in_person_work"] = rng.random() < 0.2
        if category == "synthetic_performer" and use["in_place_of_in_person_work"]:
            use["justification"] = "A creature no performer could play; adds significant value."
        if category == "digital_alteration":
            use["substantially_as_scripted"] = rng.random() < 0.6
        use["deepfake"] = category in paperwork.NEEDS_CONSENT and rng.random() < 0.3
        use["digital_source_type"] = rng.choice(paperwork.SOURCE_TYPES)
        use["first_used_on"] = first.date()
        if category in paperwork.REPLICAS and rng.random() < 0.3:
            use["recorded_on"] = (first - dt.timedelta(days=rng.randint(10, 400))).date()
        if category == "employment_based_digital_replica" and rng.random() < 0.7:
            starts = first - dt.timedelta(days=rng.randint(5, 20))
            hours = 24 if self.sin("short_scan_notice") else rng.choice([48, 72, 96])
            use["scan"] = {
                "notified_at": starts - dt.timedelta(hours=hours),
                "starts_at": starts,
                "business_reason": "Needed for scenes the performer cannot shoot in person.",
            }
        if category == "gai_literary_material":
            use["initiated_by"] = rng.choice(["company", "writer"])
            use["required_by_company"] = self.sin("required_gai")
        use["creative"] = rng.random() < 0.6
        return use


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


def _trim(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _trim(v) for k, v in value.items() if not (v is False and k in DEFAULT_FALSE)}
    if isinstance(value, list):
        return [_trim(v) for v in value]
    return value


def declaration_text(seed: int, index: int, n_uses: int, rate: float = 0.05) -> str:
    """One declaration as YAML text; the same arguments give the same bytes."""
    declaration = Declaration(seed, index, n_uses, rate)
    data = _trim(declaration.build())
    header = (
        f"# Synthetic benchmark declaration {index} ({n_uses} uses, seed {seed}), made by\n"
        "# benchmarks/generate.py. Valid; deliberate failures: "
        f"{', '.join(sorted(declaration.sins)) or 'none'}.\n"
    )
    return header + yaml.dump(data, Dumper=_Dumper, width=100, allow_unicode=True)


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
