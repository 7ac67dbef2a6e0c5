"""The `ccai-policy` command group; each command lives in a module of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ccai_policy import __version__
from ccai_policy.cli.signals import run_interruptible


class _Commands(click.Group):
    """The group, with Ctrl-C and SIGTERM ending a run with exit 130 and 143 (see signals)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("standalone_mode", True) is False:
            return super().main(*args, **kwargs)
        kwargs["standalone_mode"] = False  # so that an interrupt reaches us, not click's Abort
        try:
            code = run_interruptible(lambda: super(_Commands, self).main(*args, **kwargs))
        except click.ClickException as exc:
            exc.show()
            raise SystemExit(exc.exit_code) from None
        raise SystemExit(code if isinstance(code, int) else 0)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ccai-policy")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Configuration file (default: .ccai-policy.yaml, else [tool.ccai-policy] in "
    "pyproject.toml, in the working directory).",
)
@click.option("--no-config", is_flag=True, help="Ignore any configuration file.")
@click.pass_context
def main(ctx: click.Context, debug: bool, config_file: Path | None, no_config: bool) -> None:
    """Check declarations of AI use in productions against Creators Coalition on AI policies.

    Exit codes: 0 no finding at or above the threshold; 1 findings at or above it;
    2 something could not be evaluated (bad input, broken rule or policy, bad option).
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    if no_config:
        if config_file is not None:
            raise click.UsageError("--config and --no-config exclude each other")
        return
    from ccai_policy.load.config import find_config

    found = find_config(config_file)
    if found is None:
        return
    from ccai_policy.cli.common import report
    from ccai_policy.errors import CcaiError
    from ccai_policy.load.config import default_map, load_config

    try:
        ctx.default_map = default_map(load_config(found))
    except CcaiError as exc:
        if debug:
            raise
        report(exc)
