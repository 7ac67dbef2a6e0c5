"""The benchmark: load, validate, evaluate and check against the bare PyYAML parse, in one run."""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import hashlib
import json
import subprocess
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

from benchmarks import outcomes, report  # noqa: E402
from benchmarks.generate import write_set  # noqa: E402
from benchmarks.measure import Budget, ChildRun, PhaseTimers, Timing  # noqa: E402

AS_OF = dt.date(2026, 11, 1)
BIN = Path(sys.executable).parent
#: name -> (declarations, uses each); `scale` and `big` differ tenfold in uses.
FULL = {"slate": (200, 100), "scale": (1, 1_000), "big": (1, 10_000)}
QUICK = {"slate": (4, 10), "scale": (1, 20), "big": (1, 200)}
#: Functions of the pipeline module timed inside one check run, and the phase each one is.
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
    exits: dict[str, int] = field(default_factory=dict)
    #: peer engine -> (outcomes compared, outcomes that differ)
    peers: dict[str, tuple[int, int]] = field(default_factory=dict)


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


def floor(paths: list[Path]) -> None:
    """The floor: the bare PyYAML C-loader parse of the same files, each document freed before
    the next, under the collector thresholds the check uses (as _FLOOR does in a process)."""
    before = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        for path in paths:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
            del data
    finally:
        gc.set_threshold(*before)


def measure_set(
    figures: Figures, name: str, paths: list[Path], ruleset: Any, budget: Budget
) -> None:
    """The floor, then one in-process check timed as a whole and phase by phase, then renders.

    In process (`jobs=0`, as `--jobs 0`): the phases are timed where they run, not in a worker.
    """
    from ccai_policy.report import FORMATS

    try:
        try:
            from ccai_policy.run import pipeline as check
        except ImportError:  # before the package's folders named the stages
            from ccai_policy import pipeline as check  # type: ignore[no-redef]

        def run_check(target: list[Path]) -> Any:
            checks = check.Checks(ruleset=ruleset, as_of=AS_OF)
            return check.run_pipeline(target, checks, check.Execution(jobs=0))
    except ImportError:  # before the one pipeline
        from ccai_policy import check  # type: ignore[no-redef]

        def run_check(target: list[Path]) -> Any:
            return check.check_paths(target, ruleset, as_of=AS_OF)  # type: ignore[attr-defined]

    t = figures.times
    t[name, "floor"], _ = budget.best_of(lambda: floor(paths))
    target = [paths[0].parent] if len(paths) > 1 else paths
    runs: list[tuple[float, float, dict[str, Timing]]] = []

    def checked() -> Any:
        cpu, start = time.process_time(), time.perf_counter()
        with PhaseTimers(check, PHASES) as phases:
            result = run_check(target)
        runs.append((time.perf_counter() - start, time.process_time() - cpu, phases.timings()))
        return result

    t[name, "check_paths"], result = budget.best_of(checked)
    wall, cpu, phases = min(runs, key=lambda run: run[0])  # the phases of the fastest run
    for phase, timing in phases.items():
        t[name, PHASES[phase]] = timing
    timed = phases.values()
    t[name, "other"] = Timing(
        wall - sum(p.best for p in timed), (), cpu - sum(p.cpu for p in timed)
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


#: The floor, as a whole process: the bare C-loader parse of each file, each document freed
#: before the next, with the collector thresholds `ccai-policy check` uses while it checks one.
_FLOOR = """
import gc, sys, yaml
gc.set_threshold(100_000, 50, 100)
for name in sys.argv[1:]:
    with open(name, encoding="utf-8") as handle:
        data = yaml.load(handle.read(), Loader=yaml.CSafeLoader)
    del data
"""
FLOOR_SETTINGS = "gc thresholds (100000, 50, 100) on both sides, each document freed"
PEER_VENV = ROOT / ".venv-peers"


PEERS = (
    ("opa", "opa-golib-python-bindings", "opa_bindings"),
    ("regorus", "gordon-to-regorus", "regorus"),
)


def _record_cold(figures: Figures, label: str, timing: Timing, child: ChildRun) -> bool:
    """A whole process's figures; False (with a note) when it exited with an error."""
    figures.times[label, "cold process"] = timing
    figures.rss[label] = child.max_rss_bytes
    figures.exits[label] = child.exit_code
    if child.exit_code not in (0, 1):
        figures.notes.append(f"cold {label}: exit {child.exit_code}: {child.stderr[-300:]}")
    return child.exit_code in (0, 1)


def measure_six_rules(figures: Figures, paths: list[Path], ours: list[str], budget: Budget) -> None:
    """The six rules: ccai-policy and, in turn with it, each Rego peer that is installed, on the
    same files; each peer's outcomes compared with ours, rule by rule."""
    python = PEER_VENV / "bin" / "python"
    script = str(Path(__file__).resolve().parent / "peer.py")
    commands = {"ccai-policy": ours}
    for engine, package, module in PEERS:
        probe = [str(python), "-c", f"import {module}"] if python.exists() else None
        if probe is None or subprocess.run(probe, capture_output=True).returncode != 0:
            figures.notes.append(
                f"peer {engine} skipped: {package} is not installed in {PEER_VENV.name} "
                "(`make bench-peers`)"
            )
            continue
        commands[engine] = [str(python), script, engine, AS_OF.isoformat(), *map(str, paths)]
    measured = budget.best_in_turn(list(commands.values()), ROOT, keep_stdout=True)
    runs = dict(zip(commands, measured, strict=True))
    timing, mine = runs.pop("ccai-policy")
    if not _record_cold(figures, "six rules, ccai-policy", timing, mine):
        return
    expected = outcomes.six_outcomes(mine.stdout)
    for engine, (timing, run) in runs.items():
        figures.times[f"six rules, {engine}", "cold process"] = timing
        if run.exit_code != 0:
            figures.notes.append(f"peer {engine} failed: {run.stderr[-300:]}")
            continue
        theirs = outcomes.peer_outcomes(run.stdout)
        compared, differ, notes = outcomes.differences(expected, theirs, engine)
        figures.peers[engine] = (compared, differ)
        figures.notes.extend(notes)


def measure_cold(figures: Figures, sets: dict[str, list[Path]], budget: Budget) -> None:
    """Whole processes, CPU time of the process and its workers: the floor, the check of each
    data set, the six rules beside the Rego peers, --jobs 1 and 2, and one example."""
    exe = str(BIN / "ccai-policy")
    example = ROOT / "examples" / "feature-film-compliant.yaml"
    as_of = ["--as-of", AS_OF.isoformat()]
    slate = [str(sets["slate"][0].parent)]
    six = ["--policy", str(ROOT / "benchmarks" / "rego" / "six-rules.policy.yaml")]
    one = [exe, "check", str(example), *as_of]
    runs: dict[str, list[str]] = {
        "--version": [exe, "--version"],
        "one example": one,
        # The first run of an install, or with the cache off: the bundled rules from their files.
        "one example, no rule cache": ["/usr/bin/env", "CCAI_POLICY_NO_CACHE=1", *one],
        "slate --jobs 0": [exe, "check", *slate, *as_of, "--jobs", "0", "-q"],
        "slate --jobs 1": [exe, "check", *slate, *as_of, "--jobs", "1", "-q"],
        "slate --jobs 2": [exe, "check", *slate, *as_of, "--jobs", "2", "-q"],
    }
    for name in ("scale", "big"):  # under the default limits, as a user runs it
        if name in sets:
            runs[f"{name} --jobs 2"] = [exe, "check", str(sets[name][0]), *as_of, "--jobs", "2"]
    # The targets over the floor are measured in turn with their floor (Budget.best_paired).
    paired = {"slate": "slate --jobs 0", "big": "big --jobs 2"}
    measured_runs: dict[str, tuple[Timing, ChildRun]] = {}
    for name, paths in sets.items():
        floor = [sys.executable, "-c", _FLOOR, *map(str, paths)]
        if paired.get(name) in runs:
            (timing, parsed), measured = budget.best_paired(floor, runs[paired[name]], ROOT)
            measured_runs[paired[name]] = measured
        else:
            timing, parsed = budget.best_child(floor, ROOT)
        figures.times[f"{name} floor", "cold process"] = timing
        figures.rss[f"{name} floor"] = parsed.max_rss_bytes
    for label, argv in runs.items():
        if label in measured_runs:
            timing, child = measured_runs[label]
        else:
            timing, child = budget.best_child(argv, ROOT)
        _record_cold(figures, label, timing, child)
    six_rules = [exe, "check", *slate, *as_of, *six, "--jobs", "0", "--format", "json"]
    measure_six_rules(figures, sets["slate"], six_rules, budget)


def child(name: str, paths: list[Path], budget: Budget) -> dict[str, Any]:
    """Measure one data set in this (fresh) process; the figures as JSON-ready data."""
    from ccai_policy.policy.resolve import load_policy

    try:
        from ccai_policy.evaluate.compiler import compile_policy
    except ImportError:  # before the compiler moved out of the engine
        from ccai_policy.evaluate.engine import compile_policy  # type: ignore[attr-defined,no-redef]

    figures = Figures()
    figures.times["policy", "load + compile"], ruleset = budget.best_of(
        lambda: compile_policy(load_policy("ccai-baseline"))
    )
    measure_set(figures, name, paths, ruleset, budget)
    return {
        "rules": len(ruleset.rules),
        "times": [[n, p, t.best, list(t.runs), t.cpu] for (n, p), t in figures.times.items()],
        "notes": figures.notes,
        "outcomes": dict(figures.outcomes),
    }


def measure_in_child(figures: Figures, name: str, argv: list[str]) -> int:
    """Run `child` for one data set in a new interpreter, so that no data set inherits the
    heap the previous one grew; merge its figures. Returns the number of rules."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *argv, "--child", name],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        figures.notes.append(f"{name}: the measuring process failed: {done.stderr[-800:]}")
        return 0
    data = json.loads(done.stdout)
    for set_name, phase, best, runs, cpu in data["times"]:
        figures.times[set_name, phase] = Timing(best, tuple(runs), cpu)
    figures.notes.extend(data["notes"])
    figures.outcomes.update(data["outcomes"])
    return int(data["rules"])


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
    parser.add_argument(
        "--count", type=int, help="declarations in the slate (default 200; fewer for quick loops)"
    )
    parser.add_argument("--data", type=Path, default=ROOT / "benchmarks" / "data")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: measure one data set
    args = parser.parse_args(argv)
    budget = Budget(args.repeat or (1 if args.quick else 3), args.budget)
    started = time.perf_counter()
    sizes = dict(QUICK if args.quick else FULL)
    if args.count:
        sizes["slate"] = (args.count, sizes["slate"][1])
    sets = prepare(args.data, args.seed, sizes)
    if args.child:
        print(json.dumps(child(args.child, sets[args.child], budget)))
        return 0
    forwarded = [
        "--seed",
        str(args.seed),
        "--data",
        str(args.data),
        "--budget",
        str(budget.seconds),
    ]
    forwarded += ["--repeat", str(budget.repeat)] + (["--quick"] if args.quick else [])
    forwarded += ["--count", str(args.count)] if args.count else []
    figures = Figures()
    rules = 0
    for name, paths in sets.items():
        figures.sizes[name] = sum(p.stat().st_size for p in paths)
        figures.files[name] = len(paths)
        figures.uses[name] = sizes[name][1]
        rules = max(rules, measure_in_child(figures, name, forwarded))
    measure_cold(figures, sets, budget)
    elapsed = time.perf_counter() - started
    print(report.render(figures, rules, budget, elapsed, quick=args.quick, floor=FLOOR_SETTINGS))
    if args.json:
        args.json.write_text(json.dumps(report.as_json(figures), indent=2) + "\n")
    return 0  # a benchmark reports; it never fails the build


if __name__ == "__main__":
    sys.exit(main())
