"""The benchmark's printed table and its targets (PASS/MISS), from the figures of one run."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from typing import Any

from benchmarks.measure import Timing

PHASES = (
    "floor",
    "load",
    "validate",
    "evidence paths",
    "evaluate",
    "other",
    "check_paths",
    "render text",
    "render json",
    "check in-process",
    "cold process",
)
LABELS = {
    "floor": "floor: yaml.load, CSafeLoader",
    "load": "  load (loader.load_file)",
    "validate": "  validate_declaration",
    "evidence paths": "  resolve evidence paths",
    "evaluate": "  evaluate (compiled ruleset)",
    "other": "  the rest (find files, Result)",
    "check_paths": "check_paths (all of the above)",
    "render text": "render text",
    "render json": "render json",
    "check in-process": "= check in-process",
    "cold process": "ccai-policy check --format json",
}
SETS = ("slate", "scale", "big")
MB = 1024 * 1024


@dataclass(frozen=True)
class Target:
    issue: str
    what: str
    value: float | None
    limit: float
    unit: str
    at_least: bool = False
    #: The same figure from CPU time instead of wall time (less disturbed by a busy machine).
    cpu: float | None = None

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        ok = self.value >= self.limit if self.at_least else self.value <= self.limit
        return "PASS" if ok else "MISS"


def _best(figures: Any, name: str, phase: str, cpu: bool = False) -> float | None:
    timing: Timing | None = figures.times.get((name, phase))
    if timing is None:
        return None
    return timing.cpu if cpu else timing.best


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _timed(figures: Any, cpu: bool) -> list[tuple[str, str, float | None, float, str, bool]]:
    def best(name: str, phase: str) -> float | None:
        return _best(figures, name, phase, cpu)

    big, small = figures.uses.get("big", 10_000), figures.uses.get("scale", 1_000)
    floor = best("slate", "floor")
    cold = _ratio(best("slate", "cold process"), floor)
    warm = _ratio(best("slate", "check in-process"), floor)
    scale = _ratio(best("big", "check in-process"), best("scale", "check in-process"))
    jobs = _ratio(best("slate", "--jobs 1"), best("slate", "--jobs 2"))
    out = []
    for issue, limit in (("2", 3.0), ("6", 2.5)):
        out.append(
            (issue, "whole check on the slate / floor (cold process)", cold, limit, "x", False)
        )
        out.append(
            (issue, "whole check on the slate / floor (in-process)", warm, limit, "x", False)
        )
    for issue, limit in (("2", 12.0), ("6", 11.0)):
        what = f"{big:,}-use / {small:,}-use check time (in-process)"
        out.append((issue, what, scale, limit, "x", False))
    out.append(
        (
            "2",
            f"{big:,}-use declaration, cold process",
            best("big", "cold process"),
            5.0,
            "s",
            False,
        )
    )
    out.append(
        (
            "2",
            f"{big:,}-use declaration, in-process",
            best("big", "check in-process"),
            5.0,
            "s",
            False,
        )
    )
    out.append(("6", "--jobs 2 speed-up on the slate (wall time)", jobs, 1.7, "x", True))
    out.append(
        ("6", "ccai-policy --version, cold", best("--version", "cold process"), 0.25, "s", False)
    )
    what = "ccai-policy check one example, cold"
    out.append(("6", what, best("one example", "cold process"), 0.6, "s", False))
    return out


def targets(figures: Any) -> list[Target]:
    """Every target of issues 2 and 6 that this benchmark measures."""
    out = []
    for wall, cpu in zip(_timed(figures, False), _timed(figures, True), strict=True):
        issue, what, value, limit, unit, at_least = wall
        shown_cpu = None if "--jobs" in what else cpu[2]
        out.append(Target(issue, what, value, limit, unit, at_least, shown_cpu))
    baseline = figures.rss.get("one example", 0)
    for name in ("slate", "big"):
        if name in figures.rss:
            ratio = _ratio(figures.rss[name] - baseline, figures.sizes[name])
            what = f"peak RSS above a one-example check / input size ({name})"
            out.append(Target("6", what, ratio, 10.0, "x"))
    return out


def _row(label: str, timing: Any, floor: Any) -> str:
    if timing is None:
        return f"  {label:<34}{'not measured':>12}"
    wall = _ratio(timing.best, floor.best if floor else None)
    cpu = _ratio(timing.cpu, floor.cpu if floor else None)
    return (
        f"  {label:<34}{timing.ms:12.1f}{wall or 0:8.2f}x{timing.cpu * 1000:12.1f}{cpu or 0:8.2f}x"
        f"{len(timing.runs) or '':>6}"
    )


def render(figures: Any, rules: int, budget: Any, elapsed: float, quick: bool) -> str:
    """The table a person reads after `make bench`."""
    names = [n for n in SETS if n in figures.sizes]
    lines = [
        f"ccai-policy benchmark{' (--quick)' if quick else ''}: ccai-baseline, {rules} rules; "
        f"best of up to {budget.repeat} runs within {budget.seconds:g} s per figure; "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs",
    ]
    for name in names:
        uses = figures.uses.get(name, 0)
        lines += [
            "",
            f"{name}: {figures.files[name]} declaration(s) x {uses:,} uses, "
            f"{figures.sizes[name] / MB:.2f} MB",
            f"  {'':<34}{'wall ms':>12}{'x floor':>9}{'CPU ms':>12}{'x floor':>9}{'runs':>6}",
        ]
        floor = figures.times.get((name, "floor"))
        for phase in PHASES:
            lines.append(_row(LABELS[phase], figures.times.get((name, phase)), floor))
    lines.append("")
    policy = _best(figures, "policy", "load + compile") or 0.0
    lines.append(f"policy load + compile, once per run: {policy * 1000:.1f} ms")
    lines.append("")
    lines.append("cold processes:     wall ms    CPU ms   peak RSS MB   RSS/input")
    for label in ("--version", "one example", *names, "slate --jobs 2"):
        timing = figures.times.get((label, "cold process"))
        if timing is None:
            continue
        rss = figures.rss.get(label, 0)
        size = figures.sizes.get(label.split()[0])
        per_input = f"{rss / size:8.1f}x" if size else ""
        cpu = timing.cpu * 1000
        lines.append(f"  {label:<14}{timing.ms:10.0f}{cpu:10.0f}   {rss / MB:11.1f}   {per_input}")
    lines.append("")
    lines.append("targets (issue, what, measured, limit):")
    for target in targets(figures):
        shown = "not measured" if target.value is None else f"{target.value:.2f}{target.unit}"
        sign = ">=" if target.at_least else "<="
        cpu = "" if target.cpu is None else f"  (CPU time: {target.cpu:.2f}{target.unit})"
        lines.append(
            f"  {target.verdict:<4} #{target.issue} {target.what:<58} "
            f"{shown:>12}  {sign} {target.limit:g}{target.unit}{cpu}"
        )
    floors = [
        _ratio(_best(figures, "big", "floor", cpu), _best(figures, "scale", "floor", cpu))
        for cpu in (False, True)
    ]
    if floors[0] is not None and floors[1] is not None:
        lines.append(
            f"  note: the floor itself (bare parse) takes {floors[0]:.2f}x as long for the larger "
            f"declaration (CPU time: {floors[1]:.2f}x): a larger heap costs more per object"
        )
    outcomes = ", ".join(f"{n} {s}" for s, n in sorted(figures.outcomes.items()))
    lines.append("")
    lines.append(f"slate findings: {outcomes or 'none'}")
    lines.extend(f"WARNING: {note}" for note in figures.notes)
    lines.append(f"benchmark took {elapsed:.0f} s")
    return "\n".join(lines)


def as_json(figures: Any) -> dict[str, Any]:
    """The same figures as data, for tools and tests."""
    return {
        "sizes": figures.sizes,
        "files": figures.files,
        "ms": {f"{n}/{p}": t.ms for (n, p), t in figures.times.items()},
        "runs_ms": {f"{n}/{p}": [r * 1000 for r in t.runs] for (n, p), t in figures.times.items()},
        "cpu_ms": {f"{n}/{p}": t.cpu * 1000 for (n, p), t in figures.times.items()},
        "peak_rss": figures.rss,
        "outcomes": dict(figures.outcomes),
        "notes": figures.notes,
        "targets": [
            {
                "issue": t.issue,
                "what": t.what,
                "value": t.value,
                "limit": t.limit,
                "unit": t.unit,
                "verdict": t.verdict,
                "cpu_value": t.cpu,
            }
            for t in targets(figures)
        ],
    }
