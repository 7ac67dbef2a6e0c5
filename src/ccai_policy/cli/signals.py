"""Interrupts end a run with the shell's codes: 130 after Ctrl-C, 143 after SIGTERM.

Click turns Ctrl-C into "Aborted!" and exit 1, which CI reads as "findings". Here an interrupt
stops the run where it is: the worker processes are killed on the way out (workers.run_all's
`finally`), no output file is written (outputs are written only after a complete run), and the
exit code says what happened, as `timeout` and shells report a signal: 128 + its number.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click

T = TypeVar("T")
EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143


class Terminated(BaseException):
    """SIGTERM arrived: unwind like KeyboardInterrupt, past every `except Exception`."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated


@contextmanager
def _sigterm_unwinds() -> Iterator[None]:
    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_interruptible(run: Callable[[], T]) -> T:
    """Run a click command group's main; an interrupt exits 130 or 143, saying so on stderr."""
    try:
        with _sigterm_unwinds():
            return run()
    except (KeyboardInterrupt, click.Abort):
        click.echo("\ninterrupted: nothing was written", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        click.echo("terminated: nothing was written", err=True)
        sys.exit(EXIT_TERMINATED)
