"""What every command shares: errors to messages and exit codes, dates, atomic writes."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from ..errors import CcaiError, ValidationErrors
from ..formats.escaping import log_line

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
SEVERITY_CHOICE = click.Choice(["critical", "high", "medium", "low", "info"])


def say(line: str, err: bool = False) -> None:
    """Print one line of a message: data in it can neither start a line of its own (a CI
    workflow command) nor reach the terminal as a control sequence."""
    click.echo(log_line(line), err=err)


def fail(message: str, hint: str = "") -> NoReturn:
    say(f"error: {message}", err=True)
    if hint:
        say(f"  hint: {hint}", err=True)
    sys.exit(EXIT_ERROR)


def report(exc: CcaiError) -> NoReturn:
    problems = exc.problems if isinstance(exc, ValidationErrors) else [exc]
    for problem in problems:
        where = f"{problem.location}: " if problem.location else ""
        say(f"{where}error: {problem.message}", err=True)
        if problem.hint:
            say(f"  hint: {problem.hint}", err=True)
    sys.exit(EXIT_ERROR)


def handle_errors(func: F) -> F:
    """Turn every error into a message and exit 2; a traceback only with --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        debug = bool(kwargs.get("debug")) or bool((ctx.obj or {}).get("debug"))
        try:
            return func(*args, **kwargs)
        except CcaiError as exc:
            if debug:
                raise
            report(exc)
        except (click.ClickException, click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if debug:
                raise
            fail(
                f"internal error: {type(exc).__name__}: {exc}",
                "this is a bug in ccai-policy; run again with --debug and report the traceback",
            )

    return wrapper  # type: ignore[return-value]


def resolve_as_of(value: str | None) -> dt.date:
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
        except (ValueError, OverflowError, OSError):
            raise click.BadParameter(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp"
            ) from None
    return dt.datetime.now(dt.UTC).date()


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers see either the old content or all of the new."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide reports from other readers
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def parse_outputs(
    values: tuple[str, ...], formats: dict[str, Any], directory_formats: dict[str, Any]
) -> list[tuple[str, Path, bool]]:
    """(format, path, as a directory): a target ending in / or naming a directory is one."""
    outputs = []
    for value in values:
        name, sep, file = value.partition(":")
        if not sep or not file:
            raise click.BadParameter(f"{value!r} is not FORMAT:FILE", param_hint="-o/--output")
        if name not in formats:
            raise click.BadParameter(
                f"unknown format {name!r}; choose from {', '.join(formats)}",
                param_hint="-o/--output",
            )
        as_directory = file.endswith(("/", os.sep)) or Path(file).is_dir()
        if as_directory and name not in directory_formats:
            raise click.BadParameter(
                f"{file!r} is a directory; {name} writes one file "
                f"(only {', '.join(directory_formats)} can fill a directory)",
                param_hint="-o/--output",
            )
        outputs.append((name, Path(file), as_directory))
    return outputs
