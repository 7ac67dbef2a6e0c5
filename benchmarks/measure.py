"""Timing helpers for the benchmark: best-of-N wall time in-process, and cold child processes."""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
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


def best_of(repeat: int, func: Callable[[], T]) -> tuple[Timing, T]:
    """Run `func` `repeat` times with a collected heap; the fastest run and the last result."""
    runs, cpus = [], []
    result: Any = None
    for _ in range(max(1, repeat)):
        result = None  # let the previous result go before the next run allocates its own
        gc.collect()
        cpu, start = time.process_time(), time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return Timing(min(runs), tuple(runs), min(cpus)), result


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall time, exit code, peak resident memory and its output."""

    seconds: float
    exit_code: int
    max_rss_bytes: int
    stdout: str
    stderr: str
    cpu: float = 0.0


#: Runs the command and reports its wall time and peak RSS. The indirection matters: on Linux a
#: child started with fork or vfork inherits its parent's peak RSS at exec, so measured directly
#: from this (large) process every child would seem to be as big as the benchmark itself.
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
    """Run a command to completion; its own wall time and peak RSS, read with wait4."""
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
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    scale = 1 if sys.platform == "darwin" else 1024
    return ChildRun(float(seconds), code, int(max_rss) * scale, stdout, stderr, float(cpu))


def best_child(repeat: int, argv: Sequence[str], cwd: Path) -> tuple[Timing, ChildRun]:
    """The fastest of several cold runs of a command, and its largest peak RSS."""
    runs = [run_child(argv, cwd) for _ in range(max(1, repeat))]
    failed = [r for r in runs if r.exit_code not in (0, 1)]
    fastest = failed[0] if failed else min(runs, key=lambda r: r.seconds)
    peak = max(r.max_rss_bytes for r in runs)
    timing = Timing(fastest.seconds, tuple(r.seconds for r in runs), min(r.cpu for r in runs))
    return timing, ChildRun(
        fastest.seconds, fastest.exit_code, peak, fastest.stdout, fastest.stderr, timing.cpu
    )
