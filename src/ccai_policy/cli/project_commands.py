"""Commands around a production's declarations: start one (`init`), compare two (`diff`)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccai_policy.cli.app import main
from ccai_policy.cli.common import (
    EXIT_ERROR,
    SEVERITY_CHOICE,
    check_threshold,
    emit,
    handle_errors,
    parse_outputs,
    report,
    resolve_as_of,
    rule_source_options,
    say,
    write_atomic,
)
from ccai_policy.cli.options import worker_options
from ccai_policy.load.loader import printable_path

if TYPE_CHECKING:
    from ccai_policy.policy.catalog import RuleSources
    from ccai_policy.run.pipeline import Execution


@main.command()
@click.option(
    "--type",
    "production_type",
    type=click.Choice(["film", "series", "game", "commercial"]),
    default="film",
    show_default=True,
    help="The kind of production the starter is for.",
)
@click.argument("path", required=False, type=click.Path(path_type=Path))
@handle_errors
def init(production_type: str, path: Path | None) -> None:
    """Write a commented starter declaration to PATH (default declarations/ai-use.yaml).

    The starter validates and evaluates; its failing findings list what to fill in.
    An existing file is never overwritten (exit 2).
    """
    from ccai_policy.authoring.fieldref import DECLARATION_REFERENCE
    from ccai_policy.authoring.starter import write_schema_beside, write_starter

    written = write_starter(path, production_type)
    say(f"wrote {written}: a starter declaration for a {production_type}")
    schema, fresh = write_schema_beside(written)
    if fresh:
        say(f"wrote {schema}: editors with a YAML language server check fields as you type")
    else:
        say(f"kept {schema} as it is; refresh it with: ccai-policy schema declaration > {schema}")
    say(
        "every field, its meaning and its allowed values: "
        f"ccai-policy schema declaration --format markdown ({DECLARATION_REFERENCE})"
    )
    say("next: replace the TODO values, then run")
    say(f"  ccai-policy check {written}")


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--policy", "policy_ref", default="ccai-baseline", show_default=True)
@rule_source_options
@click.option("--waivers", "waiver_files", multiple=True, type=click.Path(path_type=Path))
@click.option("--fail-on", type=SEVERITY_CHOICE, help="Lowest severity a new finding fails at.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "html"]),
    default="text",
    show_default=True,
)
@click.option("-o", "--output", "outputs", multiple=True, metavar="FORMAT:FILE")
@click.option("--as-of", help="The date rules treat as today (YYYY-MM-DD).")
@worker_options("version")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@handle_errors
def diff_command(
    old: Path,
    new: Path,
    policy_ref: str,
    sources: RuleSources,
    waiver_files: tuple[Path, ...],
    fail_on: str | None,
    fmt: str,
    outputs: tuple[str, ...],
    as_of: str | None,
    execution: Execution,
    debug: bool,
) -> None:
    """What changed between two versions of a declaration, and which findings are new.

    Both versions are evaluated with the same policy and date, under the same limits as
    `check`; findings match by rule and subject id. Exit 0: no new failing finding at or
    above the threshold; 1: at least one; 2: either version could not be evaluated (invalid,
    or stopped by a limit), or a bad option.
    """
    import dataclasses

    from ccai_policy.evaluate.compiler import compile_policy
    from ccai_policy.evaluate.waivers import load_waivers
    from ccai_policy.policy.catalog import load_policy
    from ccai_policy.report import DIFF_FORMATS
    from ccai_policy.run.diff import NotEvaluated, diff_files, exit_code
    from ccai_policy.run.pipeline import Checks

    targets = parse_outputs(outputs, DIFF_FORMATS, {})
    today = resolve_as_of(as_of)
    policy = load_policy(policy_ref, sources)
    check_threshold(policy, fail_on)
    waivers = load_waivers(waiver_files, policy)
    checks = Checks(
        ruleset=compile_policy(policy),
        as_of=today,
        fail_on=fail_on,  # type: ignore[arg-type]
        waivers=waivers,
    )
    try:
        result = diff_files(
            old, new, checks, dataclasses.replace(execution, contain_errors=not debug)
        )
    except NotEvaluated as exc:
        report(exc)  # a problem of an input, not of ccai-policy: no traceback, even with --debug
    problems = []
    for target in targets:
        if target.to_stdout:
            fmt = target.format
            continue
        try:
            write_atomic(target.path, DIFF_FORMATS[target.format](result))
        except OSError as exc:
            problems.append(f"cannot write {printable_path(target.path)}: {exc.strerror or exc}")
    code = EXIT_ERROR if problems else exit_code(result)
    emit(DIFF_FORMATS[fmt](result), code)
    for problem in problems:
        say(f"error: {problem}", err=True)
    sys.exit(code)


@main.command("migrate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@handle_errors
def migrate_command(paths: tuple[Path, ...], debug: bool) -> None:
    """Rewrite v1 declarations so that every fact v1 read as false is stated.

    Each switch left out (deepfake, creative, minor, same_production, ...) is written as
    `unknown`, with a comment, keeping the rest of the file and its comments. Exit 0: every
    file migrated (or had nothing to migrate); 2: a file could not be, with what to add.
    """
    from ccai_policy.authoring.migrate import migrate_file
    from ccai_policy.errors import CcaiError, ValidationErrors
    from ccai_policy.policy.catalog import display_path

    failed = False
    for path in paths:
        shown = printable_path(display_path(path))
        try:
            migration = migrate_file(path, shown)
        except CcaiError as exc:
            failed = True
            for problem in exc.problems if isinstance(exc, ValidationErrors) else [exc]:
                say(f"{problem.location or shown}: error: {problem.message}", err=True)
                if problem.hint:
                    say(f"  hint: {problem.hint}", err=True)
            continue
        if not migration.stated:
            say(f"{shown}: nothing to migrate")
            continue
        try:
            write_atomic(path, migration.text)
        except OSError as exc:
            failed = True
            say(f"error: cannot write {shown}: {exc.strerror or exc}", err=True)
            say("  hint: choose a writable path", err=True)
            continue
        say(
            f"{shown}: stated {len(migration.stated)} facts as unknown; replace each with true "
            f"or false: {', '.join(migration.stated)}"
        )
    sys.exit(EXIT_ERROR if failed else 0)
