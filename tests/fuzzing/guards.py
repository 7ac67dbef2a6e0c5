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
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
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
            usage.ru_maxrss * 1024,  # KiB on Linux
        )
