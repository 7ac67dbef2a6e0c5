"""The `ccai-policy` command group; each command lives in a module of its own."""

from __future__ import annotations

import click

from .. import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccai-policy")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Check declarations of AI use in productions against Creators Coalition on AI policies.

    Exit codes: 0 no finding at or above the threshold; 1 findings at or above it;
    2 something could not be evaluated (bad input, broken rule or policy, bad option).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
