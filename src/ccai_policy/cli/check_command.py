"""`ccai-policy check`: evaluate declarations and write every requested format."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .app import main
from .common import (
    SEVERITY_CHOICE,
    check_threshold,
    fail,
    handle_errors,
    parse_outputs,
    resolve_as_of,
    rule_source_options,
    write_atomic,
)
from .options import MAX_FILE_BYTES, TIMEOUT_RANGE, finite, memory_limit_bytes

if TYPE_CHECKING:
    from ..catalog import RuleSources


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
@click.option(
    "--jobs",
    type=click.IntRange(min=0),
    default=1,
    show_default=True,
    help="Worker processes evaluating declarations, each under the limits below; "
    "0 evaluates in this process without hard limits.",
)
@click.option(
    "--timeout",
    type=TIMEOUT_RANGE,
    callback=finite,
    default=10.0,
    show_default=True,
    help="Seconds one declaration may take to evaluate.",
)
@click.option(
    "--memory-limit",
    type=click.IntRange(min=64, max=2**40),
    default=4096,
    show_default=True,
    help="Address space one worker may use, in MiB (the default yields to a lower hard limit "
    "already set on the system).",
)
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
@click.option("-q", "--quiet", is_flag=True, help="No progress indicator on a terminal.")
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
    jobs: int,
    timeout: float,
    memory_limit: int,
    evidence_roots: tuple[Path, ...],
    verify_evidence: bool,
    verify_credentials: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    quiet: bool,
    debug: bool,
) -> None:
    """Evaluate declaration files (or directories of them) against a policy."""
    from ..catalog import display_path, load_policy
    from ..check import EvidenceOptions, ScanOptions, check_paths
    from ..compiler import compile_policy
    from ..formats import DIRECTORY_FORMATS, FORMATS
    from ..model.result import exit_code
    from ..waivers import apply_waivers, load_waivers
    from ..workers import Limits

    if fmt not in FORMATS:
        raise click.BadParameter(
            f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}", param_hint="--format"
        )
    targets = parse_outputs(outputs, FORMATS, DIRECTORY_FORMATS)
    today = resolve_as_of(as_of)
    policy = load_policy(policy_ref, sources)
    check_threshold(policy, fail_on)
    ruleset = compile_policy(policy)
    waivers = load_waivers(waiver_files, policy)
    baseline = None
    if baseline_file is not None:
        from ..baseline import load_baseline

        baseline = load_baseline(baseline_file, display_path(baseline_file))
    memory_bytes = memory_limit_bytes(click.get_current_context(), memory_limit)
    result = check_paths(
        paths,
        ruleset,
        as_of=today,
        fail_on=fail_on,  # type: ignore[arg-type]
        max_bytes=max_file_size,
        jobs=jobs,  # --debug keeps the limits; only --jobs 0 evaluates without them
        limits=Limits(seconds=timeout, memory_bytes=memory_bytes),
        progress=None if quiet else Progress(),
        contain_errors=not debug,
        evidence=EvidenceOptions(roots=evidence_roots, verify=verify_evidence),
        scan=ScanOptions(include=include, exclude=exclude),
    )
    for skipped in result.skipped:
        click.echo(f"note: skipped {skipped.file}: {skipped.reason}", err=True)
    if verify_credentials:
        from ..credentials import verify_credentials as add_credential_findings

        result = add_credential_findings(result, ruleset.policy.params)
    result = apply_waivers(result, waivers)
    if baseline is not None:
        from ..baseline import apply_baseline

        result = apply_baseline(result, baseline, policy.mandated_by)
    for name, file, as_directory in targets:
        try:
            if as_directory:
                for page, text in DIRECTORY_FORMATS[name](result).items():
                    write_atomic(file / page, text)
            else:
                write_atomic(file, FORMATS[name](result))
        except OSError as exc:
            fail(f"cannot write {file}: {exc.strerror or exc}", "choose a writable path")
    click.echo(FORMATS[fmt](result), nl=False)
    sys.exit(exit_code(result))


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
