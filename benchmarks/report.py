"""The benchmark's printed table and its targets (PASS/MISS), from the figures of one run."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from typing import Any

PHASES = (
    "floor",
    "load",
    "validate",
    "evaluate",
    "check_paths",
    "render text",
    "render json",
    "check in-process",
    "cold process",
)
LABELS = {
    "floor": "floor: yaml.load CSafeLoader",
    "load": "load (loader.load_file)",
    "validate": "validate_declaration",
    "evaluate": "evaluate (ccai-baseline)",
    "check_paths": "check_paths",
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
    timing = figures.times.get((name, phase))
    if timing is None:
        return None
    return timing.cpu if cpu else timing.best


def _ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or not b else a / b


def _timed(figures: Any, cpu: bool) -> list[tuple[str, str, float | None, float, str, bool]]:
    def best(name: str, phase: str) -> float | None:
        return _best(figures, name, phase, cpu)

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
        what = "10,000-use / 1,000-use check time (in-process)"
        out.append((issue, what, scale, limit, "x", False))
    out.append(
        ("2", "10,000-use declaration, cold process", best("big", "cold process"), 5.0, "s", False)
    )
    out.append(
        (
            "2",
            "10,000-use declaration, in-process",
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


def _cell(seconds: float | None, floor: float | None) -> str:
    if seconds is None:
        return f"{'':>10} {'':>7}"
    ratio = _ratio(seconds, floor)
    shown = f"{ratio:6.2f}x" if ratio is not None else ""
    return f"{seconds * 1000:10.1f} {shown:>7}"


def render(figures: Any, rules: int, repeat: int, elapsed: float, quick: bool) -> str:
    """The table a person reads after `make bench`."""
    names = [n for n in SETS if n in figures.sizes]
    lines = [
        f"ccai-policy benchmark{' (--quick)' if quick else ''}: ccai-baseline with {rules} rules, "
        f"best of {repeat}, Python {platform.python_version()}, {os.cpu_count()} CPUs",
        "data: "
        + "; ".join(
            f"{n} {figures.files[n]} file(s), {figures.sizes[n] / MB:.2f} MB" for n in names
        ),
        "",
        f"{'phase (ms, x floor of the same files)':<34}" + "".join(f"{n:>18}" for n in names),
    ]
    for phase in PHASES:
        cells = [_cell(_best(figures, n, phase), _best(figures, n, "floor")) for n in names]
        lines.append(f"{LABELS[phase]:<34}" + "".join(f" {c}" for c in cells))
    policy = _best(figures, "policy", "load + compile") or 0.0
    lines.append(f"{'policy load + compile (once)':<34} {policy * 1000:10.1f}")
    lines.append("")
    lines.append("cold processes:  wall ms   peak RSS MB   RSS/input")
    for label in ("--version", "one example", *names, "slate --jobs 2"):
        timing = figures.times.get((label, "cold process"))
        if timing is None:
            continue
        rss = figures.rss.get(label, 0)
        size = figures.sizes.get(label.split()[0])
        per_input = f"{rss / size:8.1f}x" if size else ""
        lines.append(f"  {label:<14}{timing.ms:8.0f}   {rss / MB:11.1f}   {per_input}")
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
