"""`ccai-policy check`: evaluate declarations and write every requested format."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccai_policy.cli.app import main
from ccai_policy.paths import printable_path

if TYPE_CHECKING:
    from ccai_policy.model.result import Result
from ccai_policy.cli.common import (
    EXIT_ERROR,
    SEVERITY_CHOICE,
    OutputTarget,
    check_threshold,
    emit,
    handle_errors,
    parse_outputs,
    resolve_as_of,
    rule_source_options,
    say,
    write_atomic,
)
from ccai_policy.cli.options import MAX_FILE_BYTES, worker_options

if TYPE_CHECKING:
    from ccai_policy.policy.catalog import RuleSources
    from ccai_policy.run.pipeline import Execution


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option(
    "--policy",
    "policy_ref",
    default="ccai-baseline",
    show_default=True,
    help="Bundled policy id or policy file.",
)
@rule_source_options
@click.option(
    "--waivers",
    "waiver_files",
    multiple=True,
    type=click.Path(path_type=Path),
    help="Waiver file; repeatable.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(path_type=Path),
    help="JSON result of an earlier run: fail only on findings not in it.",
)
@click.option(
    "--fail-on",
    type=SEVERITY_CHOICE,
    help="Lowest severity that fails the run (default: the policy's, else high).",
)
@click.option(
    "--format", "fmt", default="text", show_default=True, help="Format written to standard output."
)
@click.option(
    "-o",
    "--output",
    "outputs",
    multiple=True,
    metavar="FORMAT:FILE",
    help="Also write FORMAT to FILE; repeatable.",
)
@click.option(
    "--as-of",
    help="The date rules treat as today (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today.",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1, max=MAX_FILE_BYTES),
    default=10 * 1024 * 1024,
    show_default=True,
    help="Largest declaration file accepted, in bytes.",
)
@worker_options("declaration")
@click.option(
    "--evidence-root",
    "evidence_roots",
    multiple=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="A folder evidence files may also be in (besides the declaration's); repeatable.",
)
@click.option(
    "--verify-evidence",
    is_flag=True,
    help="Check that each evidence file exists and matches its declared SHA-256.",
)
@click.option(
    "--verify-credentials",
    is_flag=True,
    help="Read each asset file's C2PA Content Credentials and check them against the "
    "declaration (needs the extra ccai-policy[c2pa]).",
)
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Files a directory scan checks (default *.yaml and *.yml); repeatable.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Files left out, by name ('*.draft.yaml') or path ('declarations/old/*'); repeatable.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour in text output: auto colours a terminal unless NO_COLOR is set.",
)
@click.option(
    "-q", "--quiet", is_flag=True, help="Text output: only problems and the summary; no progress."
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@handle_errors
def check(
    paths: tuple[Path, ...],
    policy_ref: str,
    sources: RuleSources,
    waiver_files: tuple[Path, ...],
    baseline_file: Path | None,
    fail_on: str | None,
    fmt: str,
    outputs: tuple[str, ...],
    as_of: str | None,
    max_file_size: int,
    execution: Execution,
    evidence_roots: tuple[Path, ...],
    verify_evidence: bool,
    verify_credentials: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    color: str,
    quiet: bool,
    debug: bool,
) -> None:
    """Evaluate declaration files (or directories of them) against a policy."""
    import dataclasses

    from ccai_policy.evaluate.compiler import compile_policy
    from ccai_policy.model.verdict import exit_code
    from ccai_policy.paths import display_path
    from ccai_policy.policy.resolve import load_policy
    from ccai_policy.report import DIRECTORY_FORMATS, FORMATS, READ_DECLARATION
    from ccai_policy.report.text import render as text_report
    from ccai_policy.run.discovery import ScanOptions
    from ccai_policy.run.pipeline import Checks, EvidenceOptions, run_pipeline

    if fmt not in FORMATS:
        raise click.BadParameter(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    targets = parse_outputs(outputs, FORMATS, DIRECTORY_FORMATS)
    ctx = click.get_current_context()
    if any(t.to_stdout for t in targets) and (
        ctx.get_parameter_source("fmt") is not click.core.ParameterSource.DEFAULT
    ):
        raise click.UsageError(
            "--format and -o FORMAT:- both choose what goes to standard output; give one"
        )
    today = resolve_as_of(as_of)
    policy = load_policy(policy_ref, sources)
    check_threshold(policy, fail_on)
    ruleset = compile_policy(policy)
    waivers = []
    if waiver_files:
        from ccai_policy.evaluate.waivers import load_waivers

        waivers = load_waivers(waiver_files, policy)
    baseline = None
    if baseline_file is not None:
        from ccai_policy.evaluate.baseline import load_baseline

        baseline = load_baseline(baseline_file, display_path(baseline_file))
    stdout_format = next((t.format for t in targets if t.to_stdout), fmt)
    written = {stdout_format, *(t.format for t in targets)}
    checks = Checks(
        ruleset=ruleset,
        as_of=today,
        fail_on=fail_on,  # type: ignore[arg-type]
        evidence=EvidenceOptions(roots=evidence_roots, verify=verify_evidence),
        credentials=verify_credentials,
        waivers=waivers,
        baseline=baseline,
        max_bytes=max_file_size,
        keep_declarations=bool(written & READ_DECLARATION),
    )
    # --debug keeps the limits; only --jobs 0 evaluates without them
    # The results stay to the end of the command (workers.run_each, `kept`).
    execution = dataclasses.replace(
        execution, progress=None if quiet else Progress(), contain_errors=not debug, kept=True
    )
    result = run_pipeline(paths, checks, execution, ScanOptions(include=include, exclude=exclude))
    for skipped in result.skipped:
        say(f"note: skipped {skipped.file}: {skipped.reason}", err=True)
    problems = write_outputs([t for t in targets if not t.to_stdout], result)
    code = EXIT_ERROR if problems else exit_code(result)
    if stdout_format == "text":
        use_color = color == "always" or (color == "auto" and _terminal_wants_color())
        emit(text_report(result, color=use_color, quiet=quiet), code)
    else:
        emit(FORMATS[stdout_format](result), code)
    for problem in problems:
        say(f"error: {problem}", err=True)
    if problems:
        say("  hint: choose a writable path; every other output was written", err=True)
    sys.exit(code)


def _terminal_wants_color() -> bool:
    """Colour on a terminal unless NO_COLOR is set (https://no-color.org) or TERM is dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def write_outputs(targets: list[OutputTarget], result: Result) -> list[str]:
    """Write every `-o` target; a target that cannot be written is reported, never hides the
    others. Pages of an earlier run left in an HTML folder are removed."""
    from ccai_policy.report import DIRECTORY_FORMATS, FORMATS

    problems = []
    for target in targets:
        try:
            if target.as_directory:
                # only a folder of pages needs the HTML module (and Jinja2, ~0.07 s to import)
                from ccai_policy.report.html import is_report_page

                pages = DIRECTORY_FORMATS[target.format](result)
                for page, text in pages.items():
                    write_atomic(target.path / page, text)
                remove_stale_pages(target.path, set(pages), is_report_page)
            else:
                write_atomic(target.path, FORMATS[target.format](result))
        except OSError as exc:
            problems.append(f"cannot write {printable_path(target.path)}: {exc.strerror or exc}")
    return problems


def remove_stale_pages(directory: Path, written: set[str], ours: Callable[[str], bool]) -> None:
    """Remove report pages an earlier run wrote that this one did not; any other file stays."""
    for entry in directory.iterdir():
        if entry.suffix != ".html" or entry.name in written or not entry.is_file():
            continue
        if entry.is_symlink():
            continue
        with open(entry, encoding="utf-8", errors="replace") as handle:
            head = handle.read(2048)
        if ours(head):
            entry.unlink()


class Progress:
    """A progress line on stderr for runs longer than a few seconds, only on a terminal."""

    def __init__(self, after: float = 3.0) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._clock()
        self._after = after
        self._shown = False
        self._enabled = sys.stderr.isatty() and not os.environ.get("CI")

    def __call__(self, done: int, total: int) -> None:
        if not self._enabled or self._clock() - self._start < self._after:
            return
        self._shown = True
        end = "\n" if done == total else ""
        click.echo(f"\rchecked {done}/{total} declarations", err=True, nl=False)
        if end:
            click.echo("", err=True)
