"""What every command shares: errors to messages and exit codes, dates, atomic writes."""

from __future__ import annotations

import datetime as dt
import errno
import functools
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ccai_policy.errors import CcaiError, ValidationErrors
from ccai_policy.report.escaping import log_line

if TYPE_CHECKING:
    from ccai_policy.policy.catalog import RuleSources
    from ccai_policy.policy.resolve import ResolvedPolicy

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
#: A command other than `check` whose reader closed the pipe: 128 + SIGPIPE, as a shell reports.
EXIT_BROKEN_PIPE = 141
SEVERITY_CHOICE = click.Choice(["critical", "high", "medium", "low", "info"])


def reader_gone(code: int) -> NoReturn:
    """The reader of standard output went away (`… | head -1`): stop quietly, with `code`.

    Standard output is pointed at /dev/null so that the interpreter's final flush cannot
    raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass  # not a real file descriptor (a test runner's buffer): nothing will flush to it
    sys.exit(code)


def emit(text: str, code: int) -> None:
    """Write a report to standard output; a closed pipe ends the run quietly with `code`."""
    try:
        click.echo(text, nl=False, color=True)  # styles are the text format's choice, not click's
        sys.stdout.flush()
    except BrokenPipeError:
        reader_gone(code)


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
        except BrokenPipeError:
            reader_gone(EXIT_BROKEN_PIPE)
        except Exception as exc:
            if debug:
                raise
            fail(
                f"internal error: {type(exc).__name__}: {exc}",
                "this is a bug in ccai-policy; run again with --debug and report the traceback",
            )

    return wrapper  # type: ignore[return-value]


def check_threshold(policy: ResolvedPolicy, fail_on: str | None) -> None:
    """Refuse a --fail-on that would let a mandatory rule's failures pass."""
    if fail_on is None:
        return
    below = policy.mandatory_below(fail_on)  # type: ignore[arg-type]
    if below:
        severity = policy.severity[below[0]]
        raise click.BadParameter(
            f"{fail_on} is above the severity of {below[0]} ({severity}), which policy "
            f"{policy.mandated_by.get(below[0], policy.policy.id)} makes mandatory: its failures "
            f"would not fail the run; use --fail-on {severity} or lower",
            param_hint="--fail-on",
        )


#: `--policy REF` (repeatable), for the commands that describe rules beside their policies.
POLICY_OPTION = click.option(
    "--policy",
    "policy_refs",
    multiple=True,
    help="A policy (bundled id or file) to document beside the bundled ones; repeatable.",
)


def rule_source_options(func: F) -> F:
    """`--rules DIR` (repeatable) and `--no-bundled-rules`, handed on as `sources`."""

    @functools.wraps(func)
    def wrapper(
        *args: Any, rule_folders: tuple[Path, ...], bundled_rules: bool, **kwargs: Any
    ) -> Any:
        return func(*args, sources=make_sources(rule_folders, bundled_rules), **kwargs)

    options = [
        click.option(
            "--rules",
            "rule_folders",
            multiple=True,
            type=click.Path(path_type=Path, file_okay=False),
            help="A folder of rules added to the bundled catalog; repeatable.",
        ),
        click.option(
            "--bundled-rules/--no-bundled-rules",
            default=True,
            show_default=True,
            help="Whether the bundled rules are part of the catalog.",
        ),
    ]
    decorated: Any = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def make_sources(folders: tuple[Path, ...] | list[Path], bundled: bool) -> RuleSources:
    from ccai_policy.policy.catalog import RuleSources

    return RuleSources(tuple(folders), bundled)


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
    """Write a file so that readers see either the old content or all of the new.

    A symlink is followed on purpose: the file it points to is replaced and the link kept. A
    device or FIFO is written into, never replaced by a regular file.
    """
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode)):
        with open(real, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        return
    if mode is not None and not stat.S_ISREG(mode):
        raise IsADirectoryError(errno.EISDIR, "not a regular file, a device or a FIFO")
    real.parent.mkdir(parents=True, exist_ok=True)
    # A short temporary name: a target near the 255-byte limit must not fail for the prefix.
    fd, tmp = tempfile.mkstemp(dir=real.parent, prefix=".ccai-", suffix=".tmp")
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would hide reports from other readers
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(tmp, real)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


#: The target name that means standard output.
STDOUT = "-"


@dataclass(frozen=True)
class OutputTarget:
    """Where one `-o FORMAT:FILE` goes: a file, a directory of pages, or standard output."""

    format: str
    path: Path
    as_directory: bool = False

    @property
    def to_stdout(self) -> bool:
        return str(self.path) == STDOUT


def _is_dir(path: str) -> bool:
    try:
        return Path(path).is_dir()
    except OSError:  # a name too long to look up is not a directory; writing it will say why
        return False


def _same_place(path: Path) -> str:
    return STDOUT if str(path) == STDOUT else os.path.normcase(os.path.realpath(path))


def parse_outputs(
    values: tuple[str, ...], formats: dict[str, Any], directory_formats: dict[str, Any]
) -> list[OutputTarget]:
    """The `-o` targets; a target ending in / or naming a directory is one, `-` is standard
    output, and two targets naming one file (or both `-`) are refused."""
    outputs: list[OutputTarget] = []
    seen: dict[str, str] = {}
    for value in values:
        name, sep, file = value.partition(":")
        if not sep or not file:
            raise click.BadParameter(f"{value!r} is not FORMAT:FILE", param_hint="-o/--output")
        if name not in formats:
            raise click.BadParameter(
                f"unknown format {name!r}; choose from {', '.join(formats)}",
                param_hint="-o/--output",
            )
        as_directory = file != STDOUT and (file.endswith(("/", os.sep)) or _is_dir(file))
        if as_directory and name not in directory_formats:
            raise click.BadParameter(
                f"{file!r} is a directory; {name} writes one file "
                f"(only {', '.join(directory_formats)} can fill a directory)",
                param_hint="-o/--output",
            )
        place = _same_place(Path(file))
        if place in seen:
            raise click.BadParameter(
                f"{seen[place]!r} and {value!r} both write "
                f"{'standard output' if place == STDOUT else repr(file)}; "
                "give each output a file of its own",
                param_hint="-o/--output",
            )
        seen[place] = value
        outputs.append(OutputTarget(name, Path(file), as_directory))
    return outputs
