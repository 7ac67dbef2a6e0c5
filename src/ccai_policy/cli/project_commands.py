"""Commands around a production's declarations: start one (`init`), compare two (`diff`)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .app import main
from .common import (
    SEVERITY_CHOICE,
    fail,
    handle_errors,
    parse_outputs,
    resolve_as_of,
    say,
    write_atomic,
)


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
    from ..init import write_starter

    written = write_starter(path, production_type)
    say(f"wrote {written}: a starter declaration for a {production_type}")
    say("next: replace the TODO values, then run")
    say(f"  ccai-policy check {written}")


@main.command("diff")
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--policy", "policy_ref", default="ccai-baseline", show_default=True)
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
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
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@handle_errors
def diff_command(
    old: Path,
    new: Path,
    policy_ref: str,
    rules_dir: Path | None,
    waiver_files: tuple[Path, ...],
    fail_on: str | None,
    fmt: str,
    outputs: tuple[str, ...],
    as_of: str | None,
    debug: bool,
) -> None:
    """What changed between two versions of a declaration, and which findings are new.

    Both versions are evaluated with the same policy and date; findings match by rule and
    subject id. Exit 0: no new failing finding at or above the threshold; 1: at least one;
    2: either version could not be evaluated, or a bad option.
    """
    from ..catalog import load_policy
    from ..compiler import compile_policy
    from ..diff import diff_files, exit_code
    from ..diffreport import DIFF_FORMATS
    from ..waivers import load_waivers

    targets = [(name, file) for name, file, _ in parse_outputs(outputs, DIFF_FORMATS, {})]
    today = resolve_as_of(as_of)
    policy = load_policy(policy_ref, rules_dir)
    waivers = load_waivers(waiver_files, policy)
    result = diff_files(
        old,
        new,
        compile_policy(policy),
        as_of=today,
        fail_on=fail_on,  # type: ignore[arg-type]
        waivers=waivers,
    )
    for name, file in targets:
        try:
            write_atomic(file, DIFF_FORMATS[name](result))
        except OSError as exc:
            fail(f"cannot write {file}: {exc.strerror or exc}", "choose a writable path")
    click.echo(DIFF_FORMATS[fmt](result), nl=False)
    sys.exit(exit_code(result))
