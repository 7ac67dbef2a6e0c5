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


def _cpu(figures: Any, label: str) -> float | None:
    return _best(figures, label, "cold process", cpu=True)


def _wall(figures: Any, label: str) -> float | None:
    return _best(figures, label, "cold process")


def targets(figures: Any) -> list[Target]:
    """Every target of issue 13, from whole processes (CPU time, user + sys, best of N)."""
    out = []
    cold = _ratio(_cpu(figures, "slate --jobs 0"), _cpu(figures, "slate floor"))
    files = figures.files.get("slate", 0)
    uses = figures.uses.get("slate", 0)
    what = f"slate {files}x{uses}, bundled policy, --jobs 0: CPU / floor"
    out.append(Target("13", what, cold, 2.0, "x"))
    six = _cpu(figures, "six rules, ccai-policy")
    for engine in ("opa", "regorus"):
        peer = _cpu(figures, f"six rules, {engine}")
        name = "OPA" if engine == "opa" else "regorus (Rust Rego; beside, not the target)"
        out.append(Target("13", f"six rules: ccai-policy / {name}", _ratio(six, peer), 0.67, "x"))
    for engine, (compared, differ) in sorted(figures.peers.items()):
        what = f"six rules: outcomes differing from {engine} (of {compared})"
        out.append(Target("13", what, float(differ), 0.0, ""))
    big = figures.uses.get("big", 10_000)
    label = "big --jobs 2"
    what = f"{big:,}-use declaration, --jobs 2: CPU / floor"
    ratio = _ratio(_cpu(figures, label), _cpu(figures, "big floor"))
    out.append(Target("13", what, ratio, 2.0, "x"))
    rss = _ratio(figures.rss.get(label), figures.sizes.get("big"))
    out.append(Target("13", f"{big:,}-use declaration, --jobs 2: peak RSS / file", rss, 15.0, "x"))
    # The bare parse's own peak, beside: what loading the file alone holds (PyYAML's C loader
    # keeps the whole node graph until the document is built).
    parsed = _ratio(figures.rss.get("big floor"), figures.sizes.get("big"))
    what = f"{big:,}-use floor: peak RSS / file (beside, not the target)"
    out.append(Target("13", what, parsed, 15.0, "x"))
    exit_code = figures.exits.get(label)
    evaluated = None if exit_code is None else float(exit_code in (0, 1))
    what = f"{big:,}-use declaration evaluated under the default limits (1 = yes)"
    out.append(Target("13", what, evaluated, 1.0, "", at_least=True))
    small = figures.uses.get("scale", 1_000)
    scale = _ratio(
        _best(figures, "big", "check in-process", cpu=True),
        _best(figures, "scale", "check in-process", cpu=True),
    )
    what = f"{big:,}-use / {small:,}-use check, in-process CPU"
    out.append(Target("13", what, scale, 11.0, "x"))
    # The same ratio of the bare parse: how much of the growth the machine's memory gives.
    parse = _ratio(
        _best(figures, "big", "floor", cpu=True), _best(figures, "scale", "floor", cpu=True)
    )
    what = f"{big:,}-use / {small:,}-use floor, in-process CPU (beside, not the target)"
    out.append(Target("13", what, parse, 11.0, "x"))
    jobs = _ratio(_wall(figures, "slate --jobs 1"), _wall(figures, "slate --jobs 2"))
    cpu = _ratio(_cpu(figures, "slate --jobs 1"), _cpu(figures, "slate --jobs 2"))
    what = "slate --jobs 2 speed-up over --jobs 1, wall (CPU 1/2 beside)"
    out.append(Target("13", what, jobs, 1.7, "x", at_least=True, cpu=cpu))
    what = "ccai-policy check one example, cold, wall"
    out.append(Target("13", what, _wall(figures, "one example"), 0.35, "s"))
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


def render(
    figures: Any, rules: int, budget: Any, elapsed: float, quick: bool, floor: str = ""
) -> str:
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
        parse = figures.times.get((name, "floor"))
        for phase in PHASES:
            lines.append(_row(LABELS[phase], figures.times.get((name, phase)), parse))
    lines.append("")
    policy = _best(figures, "policy", "load + compile") or 0.0
    lines.append(f"policy load + compile, once per run: {policy * 1000:.1f} ms")
    lines.append("")
    lines.append("whole processes:              wall ms    CPU ms   peak RSS MB   RSS/input")
    for (label, phase), timing in figures.times.items():
        if phase != "cold process":
            continue
        rss = figures.rss.get(label, 0)
        size = figures.sizes.get(label.split()[0])
        per_input = f"{rss / size:8.1f}x" if size and rss else ""
        shown = f"{rss / MB:11.1f}" if rss else f"{'':11}"
        cpu_ms = timing.cpu * 1000
        lines.append(f"  {label:<26}{timing.ms:10.0f}{cpu_ms:10.0f}   {shown}   {per_input}")
    lines.append(f"  (floor: bare PyYAML C-loader parse; {floor})")
    lines.append("")
    lines.append("targets of issue 13 (CPU time of whole processes, best of N; one run):")
    for target in targets(figures):
        shown = "not measured" if target.value is None else f"{target.value:.2f}{target.unit}"
        sign = ">=" if target.at_least else "<="
        cpu = "" if target.cpu is None else f"  (CPU: {target.cpu:.2f}{target.unit})"
        lines.append(
            f"  {target.verdict:<4} {target.what:<66} {shown:>12}  {sign} {target.limit:g}"
            f"{target.unit}{cpu}"
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
