"""Timing helpers for the benchmark: best-of-N wall and CPU time, in-process and in children."""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Timing:
    """The best of several runs, in seconds, and every run for judging the noise."""

    best: float
    runs: tuple[float, ...]
    #: CPU seconds of the fastest run by CPU: steadier than wall time on a busy machine.
    cpu: float = 0.0

    @property
    def ms(self) -> float:
        return self.best * 1000


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall time, exit code, peak resident memory and its output."""

    seconds: float
    exit_code: int
    max_rss_bytes: int
    stdout: str
    stderr: str
    cpu: float = 0.0


#: Runs the command and reports its wall time, peak RSS and CPU time. The indirection matters:
#: on Linux a child started with fork or vfork inherits its parent's peak RSS at exec, so
#: measured directly from this (large) process every child would seem as big as the benchmark.
_SPAWN = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
took = time.perf_counter() - start
with open(sys.argv[1], "w") as out:
    out.write(f"{took} {usage.ru_maxrss} {usage.ru_utime + usage.ru_stime}")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(argv: Sequence[str], cwd: Path, keep_stdout: bool = False) -> ChildRun:
    """Run a command to completion; its own wall time, peak RSS and CPU time (with wait4).

    The peak RSS is that of the largest process among the command and the children it
    waited for (worker processes included), not their sum.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.TemporaryDirectory() as tmp,
    ):
        figures = Path(tmp) / "figures"
        wrapper = [sys.executable, "-S", "-c", _SPAWN, str(figures)]
        code = subprocess.run([*wrapper, *argv], cwd=cwd, stdout=out, stderr=err).returncode
        seconds, max_rss, cpu = figures.read_text().split()
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace") if keep_stdout else ""
        stderr = err.read().decode("utf-8", "replace")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    return ChildRun(float(seconds), code, int(max_rss) * scale, stdout, stderr, float(cpu))


@dataclass(frozen=True)
class Budget:
    """How often to repeat a figure: up to `repeat` runs, fewer when runs are slow.

    A figure is run again only while its runs so far, plus one more, stay within `seconds`:
    quick figures get every repetition, a slow one (the whole slate) may get a single run.
    """

    repeat: int = 3
    seconds: float = 20.0

    def more(self, runs: Sequence[float]) -> bool:
        if not runs:
            return True
        return len(runs) < self.repeat and sum(runs) + max(runs) <= self.seconds

    def best_of(self, func: Callable[[], T]) -> tuple[Timing, T]:
        """Run `func` with a collected heap each time; the fastest run and the last result."""
        runs: list[float] = []
        cpus: list[float] = []
        result: Any = None
        while self.more(runs):
            result = None  # let the previous result go before the next run allocates its own
            gc.collect()
            cpu, start = time.process_time(), time.perf_counter()
            result = func()
            runs.append(time.perf_counter() - start)
            cpus.append(time.process_time() - cpu)
        return Timing(min(runs), tuple(runs), min(cpus)), result

    def best_child(
        self, argv: Sequence[str], cwd: Path, keep_stdout: bool = False
    ) -> tuple[Timing, ChildRun]:
        """The fastest of several cold runs of a command, and the largest peak RSS among them."""
        runs: list[ChildRun] = []
        while self.more([r.seconds for r in runs]):
            runs.append(run_child(argv, cwd, keep_stdout))
        return _best(runs), _fastest(runs)

    def best_paired(
        self, floor: Sequence[str], argv: Sequence[str], cwd: Path
    ) -> tuple[tuple[Timing, ChildRun], tuple[Timing, ChildRun]]:
        """`best_child` of a floor and of a command run in turn (floor, command, floor, ...):
        on a noisy machine each ratio's two sides then see the same minutes."""
        floor_run, measured = self.best_in_turn([floor, argv], cwd)
        return floor_run, measured

    def best_in_turn(
        self, commands: Sequence[Sequence[str]], cwd: Path, keep_stdout: bool = False
    ) -> list[tuple[Timing, ChildRun]]:
        """`best_child` of each command, the commands run in turn (a, b, c, a, b, c, ...), so
        that every figure compared with another was taken in the same minutes."""
        runs: list[list[ChildRun]] = [[] for _ in commands]
        while self.more([sum(r.seconds for r in turn) for turn in zip(*runs, strict=True)]):
            for argv, done in zip(commands, runs, strict=True):
                done.append(run_child(argv, cwd, keep_stdout))
        return [(_best(done), _fastest(done)) for done in runs]


def _fastest(runs: list[ChildRun]) -> ChildRun:
    failed = [r for r in runs if r.exit_code not in (0, 1)]
    fastest = failed[0] if failed else min(runs, key=lambda r: r.seconds)
    peak = max(r.max_rss_bytes for r in runs)
    return replace(fastest, max_rss_bytes=peak, cpu=min(r.cpu for r in runs))


def _best(runs: list[ChildRun]) -> Timing:
    fastest = _fastest(runs)
    return Timing(fastest.seconds, tuple(r.seconds for r in runs), fastest.cpu)


class PhaseTimers:
    """Wraps functions of a module for the duration of a `with` block, adding up their time."""

    def __init__(self, module: ModuleType, names: Iterable[str]) -> None:
        self.module = module
        self.names = [n for n in names if callable(getattr(module, n, None))]
        self.wall = dict.fromkeys(self.names, 0.0)
        self.cpu = dict.fromkeys(self.names, 0.0)
        self.originals: dict[str, Callable[..., Any]] = {}

    def _wrap(self, name: str, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            cpu, start = time.process_time(), time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.wall[name] += time.perf_counter() - start
                self.cpu[name] += time.process_time() - cpu

        return timed

    def __enter__(self) -> PhaseTimers:
        for name in self.names:
            self.originals[name] = getattr(self.module, name)
            setattr(self.module, name, self._wrap(name, self.originals[name]))
        return self

    def __exit__(self, *exc: object) -> None:
        for name, func in self.originals.items():
            setattr(self.module, name, func)

    def timings(self) -> dict[str, Timing]:
        return {n: Timing(self.wall[n], (self.wall[n],), self.cpu[n]) for n in self.names}
