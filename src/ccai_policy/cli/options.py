"""Option values checked against what they mean and what the operating system allows.

`--timeout nan` must not switch the limit off, `--timeout inf` or a 2**63-byte file limit must
not reach the code as numbers nothing can hold, and a memory limit above the system's own hard
limit cannot be set: each is a usage error (exit 2) naming the option and the range.
"""

from __future__ import annotations

import math
import resource

import click

MAX_TIMEOUT_SECONDS = 24 * 60 * 60
MAX_FILE_BYTES = 1024 * 1024 * 1024
MIB = 1024 * 1024


TIMEOUT_RANGE = click.FloatRange(min=0.1, max=MAX_TIMEOUT_SECONDS)


def finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A callback refusing NaN, which passes every range check (all comparisons are false)."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number of seconds", ctx, param)
    return value


def hard_memory_limit() -> int | None:
    """The address-space hard limit already on this process, in bytes; None when unlimited."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    return None if hard == resource.RLIM_INFINITY else hard


def memory_limit_bytes(ctx: click.Context, mebibytes: int) -> int:
    """The worker memory limit in bytes: the option, or for the default the system's lower one."""
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
