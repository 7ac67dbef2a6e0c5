"""Run one job per file in forked worker processes, each with a hard CPU-time and memory limit."""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import functools
import gc
import multiprocessing
import os
import resource
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class Limits:
    #: CPU time (user + system) one job may use in its worker: a loaded machine slows a job
    #: down without making it use more, so it cannot turn a legitimate file into an error.
    seconds: float = 10.0
    memory_bytes: int | None = None


#: What every command gives one worker by default: 10 CPU seconds and 4 GiB of address space.
DEFAULT_SECONDS = 10.0
#: A job that has not used its CPU time is stopped only after this many times its limit on the
#: wall clock: it is waiting (on a file or a device), not computing, and the run must end.
WALL_FACTOR = 10.0
DEFAULT_MEMORY_BYTES = 4096 * 1024 * 1024


#: Collector thresholds while declarations are checked and their results passed on: the heap
#: grows by millions of objects with almost no cycles among them (cycles are still collected).
FEWER_COLLECTIONS = (100_000, 50, 100)


def hard_memory_limit() -> int | None:
    """The address-space hard limit already on this process, in bytes; None when unlimited."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return None if hard == resource.RLIM_INFINITY else hard


def default_limits() -> Limits:
    """The limits commands use unless told otherwise; the memory default yields to a lower
    hard limit already set on the system, which a worker could not raise."""
    hard = hard_memory_limit()
    memory = DEFAULT_MEMORY_BYTES if hard is None else min(hard, DEFAULT_MEMORY_BYTES)
    return Limits(seconds=DEFAULT_SECONDS, memory_bytes=memory)


@dataclass(frozen=True)
class Killed:
    """A job the limits stopped, or whose worker died."""

    reason: str


def fork_available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _die_with_parent(parent: int) -> None:
    """Linux: the kernel kills this worker when the parent dies, even by SIGKILL.

    A parent that died between the fork and this call sends no signal (the worker already
    belongs to another process), so the worker checks who its parent is once the request
    is in place and ends at once when it is no longer the process that started it."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the closed pipe ends the worker instead
        pass
    if os.getppid() != parent:
        os._exit(1)


def _serve(conn: Connection, job: Callable[[T], R], limits: Limits, log: int, parent: int) -> None:
    _die_with_parent(parent)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's unwinding handler
    if limits.memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the CPU timer's signal ends the worker
    os.dup2(log, 2)  # what a library prints as it panics or aborts goes to the log, not the user
    if faulthandler.is_enabled():  # PYTHONFAULTHANDLER or pytest: its dumps go there too
        faulthandler.enable(file=2)
    # Sending a large result allocates as much as checking it: with the default thresholds the
    # collector passes over the whole heap again and again (2 of 3 s for 32,941 findings).
    gc.set_threshold(*FEWER_COLLECTIONS)
    while True:
        try:
            item = conn.recv()
        except EOFError:
            break
        if item is None:
            break
        os.ftruncate(2, 0)  # the log holds what the current job printed
        os.lseek(2, 0, os.SEEK_SET)
        work, seconds = item
        # The kernel counts the CPU time this process uses from here and sends SIGPROF at the
        # limit; its default action ends the worker even inside the CEL library's own code.
        signal.setitimer(signal.ITIMER_PROF, seconds)
        try:
            outcome: object = job(work)
        except MemoryError:
            limit = f" (limit {limits.memory_bytes:,} bytes)" if limits.memory_bytes else ""
            outcome = Killed(f"ran out of memory{limit}")
        except BaseException as exc:  # a bug or a library panic: report it, print no traceback
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            outcome = Killed(f"internal error: {type(exc).__name__}: {exc}"[:2000])
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
        try:
            conn.send(outcome)
        except OSError:  # the parent is gone
            break
        except Exception as exc:  # too big to pickle within the memory limit, or unpicklable
            conn.send(Killed(f"could not return the result: {type(exc).__name__}"))
    conn.close()


class _Worker(Generic[T, R]):
    def __init__(self, job: Callable[[T], R], limits: Limits) -> None:
        context = multiprocessing.get_context("fork")
        self.conn, child = context.Pipe()
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop(), with the worker
        args = (child, job, limits, self.log.fileno(), os.getpid())
        self.process = context.Process(target=_serve, args=args, daemon=True)
        self.process.start()
        child.close()
        self.index: int | None = None
        self.started = 0.0
        self.seconds = 0.0  # the current job's CPU time limit

    def give(self, index: int, item: T, seconds: float) -> None:
        self.index, self.started, self.seconds = index, time.monotonic(), seconds
        self.conn.send((item, seconds))

    @property
    def wall_deadline(self) -> float:
        """When a job still running has waited long enough, whatever CPU time it used."""
        return self.started + self.seconds * WALL_FACTOR

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()
        self.log.close()

    def last_words(self) -> str:
        """The first line the worker printed during its last job (a panic or abort message)."""
        self.log.seek(0)
        lines = self.log.read(4000).decode("utf-8", "replace").splitlines()
        return next((line.strip()[:300] for line in lines if line.strip()), "")


def run_all(
    job: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int,
    limits: Limits,
    progress: Callable[[int, int], None] | None = None,
    weights: Sequence[float] | None = None,
) -> list[R | Killed]:
    """Results in the order of `items`; a job over its limits becomes Killed, the rest go on.

    weights: how many times `limits.seconds` each job may use (default: once each).
    A job is stopped when its worker has used that much CPU time on it, or has taken
    WALL_FACTOR times as long on the wall clock without finishing (waiting, not computing).
    """
    results: dict[int, R | Killed] = {}
    allowed = [limits.seconds * max(1.0, w) for w in weights] if weights else None
    pending = list(enumerate(items))
    pending.reverse()
    workers: list[_Worker[T, R]] = []
    try:
        while pending or any(w.index is not None for w in workers):
            while pending and len([w for w in workers if w.index is not None]) < jobs:
                idle = next((w for w in workers if w.index is None), None)
                if idle is None:
                    idle = _Worker(job, limits)
                    workers.append(idle)
                index, item = pending.pop()
                idle.give(index, item, allowed[index] if allowed else limits.seconds)
            busy = [w for w in workers if w.index is not None]
            deadline = min(w.wall_deadline for w in busy)
            ready = wait([w.conn for w in busy], timeout=max(0.0, deadline - time.monotonic()))
            now = time.monotonic()
            for worker in busy:
                assert worker.index is not None
                if worker.conn in ready:
                    try:
                        results[worker.index] = worker.conn.recv()
                    except (EOFError, OSError):
                        results[worker.index] = Killed(_death(worker))
                        worker.stop(kill=True)
                        workers.remove(worker)
                    worker.index = None
                elif now >= worker.wall_deadline:
                    results[worker.index] = Killed(
                        f"evaluation did not finish in {_shown(worker.seconds * WALL_FACTOR)} s, "
                        f"{WALL_FACTOR:g} times the limit of {_shown(worker.seconds)} s of CPU "
                        "time: it was waiting, not computing"
                    )
                    worker.stop(kill=True)
                    workers.remove(worker)
                    worker.index = None
            if progress is not None:
                progress(len(results), len(items))
    finally:
        for worker in workers:
            worker.stop(kill=worker.index is not None)
    return [results[i] for i in range(len(items))]


def _contained(job: Callable[[T], R], item: T) -> R | Killed:
    """A job run in this process, an unexpected error becoming its outcome as in a worker."""
    try:
        return job(item)
    except Exception as exc:
        return Killed(f"internal error: {type(exc).__name__}: {exc}"[:2000])


def run_each(
    job: Callable[[T], R],
    items: Sequence[T],
    *,
    jobs: int,
    limits: Limits,
    progress: Callable[[int, int], None] | None = None,
    contain_errors: bool = True,
    weights: Sequence[float] | None = None,
    kept: bool = False,
) -> list[R | Killed]:
    """The one way every command runs its jobs: with jobs > 0, in that many forked workers
    under the limits; with 0 (`--jobs 0`, the only way to go without limits), in this process,
    an unexpected error becoming that job's outcome unless `contain_errors` is False (--debug,
    for its traceback). Where fork is unavailable the jobs run in this process too.
    `kept`: the outcomes stay to the process's end, so as each arrives everything alive leaves
    the collector's passes (gc.freeze; passes over a slate's results took a tenth of it).
    """
    if jobs > 0 and fork_available():
        arrived = functools.partial(_arrived, progress) if kept else progress
        return run_all(job, items, jobs=jobs, limits=limits, progress=arrived, weights=weights)
    run = job if not contain_errors else functools.partial(_contained, job)
    outcomes: list[R | Killed] = []
    for item in items:
        outcomes.append(run(item))
        if kept:
            gc.freeze()
    return outcomes


def _arrived(progress: Callable[[int, int], None] | None, done: int, total: int) -> None:
    gc.freeze()  # what arrived stays to the end: see run_each
    if progress is not None:
        progress(done, total)


def _shown(seconds: float) -> str:
    return f"{round(seconds, 1):g}"


def _death(worker: _Worker[T, R]) -> str:
    worker.process.join(timeout=1)
    code = worker.process.exitcode
    if code == -signal.SIGPROF:  # the CPU timer of the job ran out
        return f"evaluation took longer than the limit of {_shown(worker.seconds)} s"
    words = worker.last_words()
    said = f": {words}" if words else ""
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        return (
            f"the worker process was killed by {name} (memory limit or a crash in a library){said}"
        )
    return f"the worker process exited unexpectedly (status {code}){said}"


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
