"""Timing helpers for the benchmark: best-of-N wall time in-process, and cold child processes."""

from __future__ import annotations

import gc
import os
import subprocess
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

    @property
    def ms(self) -> float:
        return self.best * 1000


def best_of(repeat: int, func: Callable[[], T]) -> tuple[Timing, T]:
    """Run `func` `repeat` times with a collected heap; the fastest run and the last result."""
    runs = []
    result: Any = None
    for _ in range(max(1, repeat)):
        result = None  # let the previous result go before the next run allocates its own
        gc.collect()
        start = time.perf_counter()
        result = func()
        runs.append(time.perf_counter() - start)
    return Timing(min(runs), tuple(runs)), result


@dataclass(frozen=True)
class ChildRun:
    """One child process: wall time, exit code, peak resident memory and its output."""

    seconds: float
    exit_code: int
    max_rss_bytes: int
    stdout: str
    stderr: str


def run_child(argv: Sequence[str], cwd: Path, keep_stdout: bool = False) -> ChildRun:
    """Run a command to completion, reading its own peak RSS with wait4 (not the max of all)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace") if keep_stdout else ""
        stderr = err.read().decode("utf-8", "replace")
    # ru_maxrss is in kilobytes on Linux (bytes on macOS)
    scale = 1 if os.uname().sysname == "Darwin" else 1024
    return ChildRun(seconds, proc.returncode, usage.ru_maxrss * scale, stdout, stderr)


def best_child(repeat: int, argv: Sequence[str], cwd: Path) -> tuple[Timing, ChildRun]:
    """The fastest of several cold runs of a command, and its largest peak RSS."""
    runs = [run_child(argv, cwd) for _ in range(max(1, repeat))]
    fastest = min(runs, key=lambda r: r.seconds)
    peak = max(r.max_rss_bytes for r in runs)
    timing = Timing(fastest.seconds, tuple(r.seconds for r in runs))
    return timing, ChildRun(
        fastest.seconds, fastest.exit_code, peak, fastest.stdout, fastest.stderr
    )
