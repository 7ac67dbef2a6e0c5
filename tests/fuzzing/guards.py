"""Bounds for hostile-input tests: a deadline instead of a hang, and a measured process."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_PR_CAPBSET_DROP, _CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 24, 1, 2


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail the test with a message instead of hanging when it runs longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise AssertionError(f"still running after {seconds} s: unbounded time")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Finished:
    """A command that ran to its end, with what it printed and what it cost."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_bytes: int

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def console_script() -> Path:
    return Path(sys.executable).with_name("ccai-policy")


def _drop_file_overrides() -> None:
    """In a child about to exec: give up root's power to read and enter any file or directory."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


class _HighWater(threading.Thread):
    """The highest resident memory of a process and its workers, from /proc's VmHWM.

    `ru_maxrss` cannot tell this: a child started with vfork (as subprocess does) shares the
    test process's memory until it execs, and Linux carries that high-water mark into the
    child's, so a large test process made every child look as large as itself. VmHWM belongs to
    the memory of each process after its exec or fork, and only rises, so sampling it until
    the process ends misses only growth in its last few milliseconds.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max([self.peak, *map(_vm_hwm, _family(self.pid))])
            self.done.wait(0.005)

    def stop(self) -> None:
        self.done.set()
        self.join()


def _family(pid: int) -> list[int]:
    """The process and its descendants that are still running."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{current}/task/{current}/children").read_text()
            queue.extend(int(c) for c in children.split())
    return found


def _vm_hwm(pid: int) -> int:
    """VmHWM of a process in bytes, 0 once it has ended (or without /proc)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def run_command(
    args: list[str], cwd: Path, *, timeout: float = 120, as_plain_user: bool = False
) -> Finished:
    """Run `ccai-policy ARGS` as a real process, measuring its time and peak resident memory.

    With `as_plain_user`, a process running as root loses the capabilities that let it read
    files whatever their mode, so that mode 000 means unreadable, as it does for everyone else.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        process = subprocess.Popen(
            [str(console_script()), *args],
            cwd=cwd,
            stdout=out,
            stderr=err,
            env={**os.environ, "PYTHONHASHSEED": "0"},
            preexec_fn=_drop_file_overrides if as_plain_user and os.geteuid() == 0 else None,
        )
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        watcher = _HighWater(process.pid)
        watcher.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            watcher.stop()
        seconds = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if seconds >= timeout:
            raise AssertionError(f"ccai-policy {' '.join(args)} ran longer than {timeout} s")
        out.seek(0)
        err.seek(0)
        return Finished(
            process.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            seconds,
            watcher.peak or usage.ru_maxrss * 1024,  # KiB on Linux
        )
