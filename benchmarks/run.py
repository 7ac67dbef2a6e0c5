"""The benchmark: load, validate, evaluate and check against the bare PyYAML parse, in one run."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `python benchmarks/run.py` puts benchmarks/, not the root, first
    sys.path.insert(0, str(ROOT))

from benchmarks import report  # noqa: E402
from benchmarks.generate import write_set  # noqa: E402
from benchmarks.measure import Budget, PhaseTimers, Timing, run_child  # noqa: E402

AS_OF = dt.date(2026, 11, 1)
BIN = Path(sys.executable).parent
#: name -> (declarations, uses each); `scale` and `big` differ tenfold in uses.
FULL = {"slate": (200, 100), "scale": (1, 1_000), "big": (1, 10_000)}
QUICK = {"slate": (4, 10), "scale": (1, 20), "big": (1, 200)}
#: Functions of ccai_policy.check timed inside one check run, and the phase each one is.
PHASES = {
    "load_file": "load",
    "validate_declaration": "validate",
    "resolve_evidence": "evidence paths",
    "evaluate": "evaluate",
}


@dataclass
class Figures:
    """Everything measured in one run, keyed by (data set, phase)."""

    sizes: dict[str, int] = field(default_factory=dict)
    uses: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    times: dict[tuple[str, str], Timing] = field(default_factory=dict)
    rss: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)


def _generator_digest() -> str:
    here = Path(__file__).resolve().parent
    sources = [(here / name).read_bytes() for name in ("generate.py", "people.py", "paperwork.py")]
    return hashlib.sha256(b"".join(sources)).hexdigest()[:16]


def prepare(data: Path, seed: int, sets: dict[str, tuple[int, int]]) -> dict[str, list[Path]]:
    """Generate each data set once per generator version and seed; reuse it afterwards."""
    out: dict[str, list[Path]] = {}
    digest = _generator_digest()
    for name, (count, uses) in sets.items():
        directory = data / f"{name}-{count}x{uses}-seed{seed}"
        stamp = directory / "manifest.json"
        expected = {"generator": digest, "seed": seed, "count": count, "uses": uses}
        if stamp.is_file() and json.loads(stamp.read_text()) == expected:
            out[name] = sorted(directory.glob("*.yaml"))
            continue
        for old in directory.glob("*.yaml"):
            old.unlink()
        start = time.perf_counter()
        out[name] = write_set(directory, seed, count, uses)
        stamp.write_text(json.dumps(expected))
        took = time.perf_counter() - start
        print(f"generated {name}: {count} x {uses} uses in {took:.1f} s", file=sys.stderr)
    return out


def floor(paths: list[Path]) -> list[Any]:
    """The floor: the bare PyYAML C-loader parse of the same files."""
    return [yaml.load(p.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader) for p in paths]


def measure_set(
    figures: Figures, name: str, paths: list[Path], ruleset: Any, budget: Budget
) -> None:
    """The floor, then one in-process check timed as a whole and phase by phase, then renders."""
    from ccai_policy import check
    from ccai_policy.formats import FORMATS

    t = figures.times
    t[name, "floor"], _ = budget.best_of(lambda: floor(paths))
    target = [paths[0].parent] if len(paths) > 1 else paths
    runs: list[dict[str, Timing]] = []

    def checked() -> Any:
        with PhaseTimers(check, PHASES) as phases:
            result = check.check_paths(target, ruleset, as_of=AS_OF)
        runs.append(phases.timings())
        return result

    t[name, "check_paths"], result = budget.best_of(checked)
    fastest = min(range(len(runs)), key=lambda i: t[name, "check_paths"].runs[i])
    for phase, timing in runs[fastest].items():
        t[name, PHASES[phase]] = timing
    whole, timed = t[name, "check_paths"], runs[fastest].values()
    t[name, "other"] = Timing(
        whole.best - sum(p.best for p in timed), (), whole.cpu - sum(p.cpu for p in timed)
    )
    t[name, "render text"], _ = budget.best_of(lambda: FORMATS["text"](result))
    t[name, "render json"], _ = budget.best_of(lambda: FORMATS["json"](result))
    parts = [t[name, p] for p in ("check_paths", "render text", "render json")]
    t[name, "check in-process"] = Timing(sum(p.best for p in parts), (), sum(p.cpu for p in parts))
    for problem in result.problems:
        figures.notes.append(
            f"{name}: could not evaluate {problem.location.file}: {problem.message}"
        )
    if name == "slate":
        for declaration in result.declarations:
            figures.outcomes.update(f.status for f in declaration.findings)


def measure_cold(figures: Figures, sets: dict[str, list[Path]], budget: Budget) -> None:
    """The console script from a cold process: --version, one example, and each data set."""
    exe = str(BIN / "ccai-policy")
    example = ROOT / "examples" / "feature-film-compliant.yaml"
    as_of = ["--as-of", AS_OF.isoformat()]
    options = run_child([exe, "check", "--help"], ROOT, keep_stdout=True).stdout
    # Measure the work, not the per-declaration time limit (default 10 s) that would stop it.
    patient = ["--timeout", "3600"] if "--timeout" in options else []
    runs = {"--version": [exe, "--version"], "one example": [exe, "check", str(example), *as_of]}
    for name, paths in sets.items():
        target = paths[0].parent if len(paths) > 1 else paths[0]
        runs[name] = [exe, "check", str(target), "--format", "json", *as_of, *patient]
    if "--jobs" in options:
        runs["slate --jobs 2"] = [*runs["slate"], "--jobs", "2"]
    for label, argv in runs.items():
        timing, child = budget.best_child(argv, ROOT)
        figures.times[label, "cold process"] = timing
        figures.rss[label] = child.max_rss_bytes
        if child.exit_code not in (0, 1):
            figures.notes.append(f"cold {label}: exit {child.exit_code}: {child.stderr[-300:]}")
    if "--jobs" in options:
        figures.times["slate", "--jobs 1"] = figures.times["slate", "cold process"]
        figures.times["slate", "--jobs 2"] = figures.times["slate --jobs 2", "cold process"]
    limit = 10.0
    for name in sets:
        took = figures.times[name, "check_paths"].best / figures.files[name]
        if patient and took > limit:
            figures.notes.append(
                f"{name}: one declaration takes {took:.1f} s in-process; with the default "
                f"--timeout of {limit:g} s, `ccai-policy check` stops it and exits 2"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny data sets, one repetition")
    parser.add_argument("--repeat", type=int, help="most repetitions per figure (best is kept)")
    parser.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="seconds a figure's repetitions may take; slower figures are measured fewer times",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    budget = Budget(args.repeat or (1 if args.quick else 3), args.budget)
    started = time.perf_counter()
    sets = prepare(args.data, args.seed, QUICK if args.quick else FULL)

    from ccai_policy.catalog import load_policy

    try:
        from ccai_policy.compiler import compile_policy
    except ImportError:  # before the compiler moved out of the engine
        from ccai_policy.engine import compile_policy  # type: ignore[attr-defined,no-redef]

    figures = Figures()
    figures.times["policy", "load + compile"], ruleset = budget.best_of(
        lambda: compile_policy(load_policy("ccai-baseline"))
    )
    for name, paths in sets.items():
        figures.sizes[name] = sum(p.stat().st_size for p in paths)
        figures.files[name] = len(paths)
        figures.uses[name] = (QUICK if args.quick else FULL)[name][1]
        measure_set(figures, name, paths, ruleset, budget)
    measure_cold(figures, sets, budget)
    elapsed = time.perf_counter() - started
    print(report.render(figures, len(ruleset.rules), budget, elapsed, quick=args.quick))
    if args.json:
        args.json.write_text(json.dumps(report.as_json(figures), indent=2) + "\n")
    return 0  # a benchmark reports; it never fails the build


if __name__ == "__main__":
    sys.exit(main())
