"""Option values checked against what they mean and what the operating system allows.

`--timeout nan` must not switch the limit off, `--timeout inf` or a 2**63-byte file limit must
not reach the code as numbers nothing can hold, and a memory limit above the system's own hard
limit cannot be set: each is a usage error (exit 2) naming the option and the range.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

MAX_TIMEOUT_SECONDS = 24 * 60 * 60
MAX_FILE_BYTES = 1024 * 1024 * 1024
MIB = 1024 * 1024


TIMEOUT_RANGE = click.FloatRange(min=0.1, max=MAX_TIMEOUT_SECONDS)


def finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A callback refusing NaN, which passes every range check (all comparisons are false)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds", ctx, param)
    return value


def memory_limit_bytes(ctx: click.Context, mebibytes: int) -> int:
    """The worker memory limit in bytes: the option, or for the default the system's lower one."""
    from ccai_policy.run.workers import hard_memory_limit

    wanted = mebibytes * MIB
    hard = hard_memory_limit()
    if hard is None or wanted <= hard:
        return wanted
    source = ctx.get_parameter_source("memory_limit")
    if source in (click.core.ParameterSource.DEFAULT, None):
        return hard  # the system already allows less: use its limit, not a failing setrlimit
    raise click.BadParameter(
        f"{mebibytes:,} MiB is above this system's hard limit of {hard // MIB:,} MiB",
        param_hint="--memory-limit",
    )


def worker_options(each: str) -> Callable[[F], F]:
    """`--jobs`, `--timeout` and `--memory-limit`, the same for every command that evaluates,
    handed on as `execution` (a pipeline Execution); `each` names one job ('declaration')."""

    def decorate(func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, jobs: int, timeout: float, memory_limit: int, **kwargs: Any) -> Any:
            from ccai_policy.run.pipeline import Execution
            from ccai_policy.run.workers import Limits

            memory = memory_limit_bytes(click.get_current_context(), memory_limit)
            limits = Limits(seconds=timeout, memory_bytes=memory)
            return func(*args, execution=Execution(jobs=jobs, limits=limits), **kwargs)

        options = [
            click.option(
                "--jobs",
                type=click.IntRange(min=0),
                default=1,
                show_default=True,
                help=f"Worker processes, each evaluating one {each} at a time under --timeout "
                "and --memory-limit (--debug keeps them); 0 evaluates in this process with no "
                "limits at all, the only way to turn them off.",
            ),
            click.option(
                "--timeout",
                type=TIMEOUT_RANGE,
                callback=finite,
                default=10.0,
                show_default=True,
                help=f"CPU seconds one {each} may use to evaluate"
                + (
                    ", per MiB of its file (a smaller file gets them all)"
                    if each == "declaration"
                    else ""
                )
                + "; waiting for a busy machine does not count (a worker waiting ten times as "
                "long is stopped).",
            ),
            click.option(
                "--memory-limit",
                type=click.IntRange(min=64, max=2**40),
                default=4096,
                show_default=True,
                help="Address space one worker may use, in MiB (the default yields to a lower "
                "hard limit already set on the system).",
            ),
        ]
        decorated: Any = wrapper
        for option in reversed(options):
            decorated = option(decorated)
        return decorated  # type: ignore[no-any-return]

    return decorate
