"""The `rules` commands for policy authors: list, show, lint and document the rules."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccai_policy.cli.app import main
from ccai_policy.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    POLICY_OPTION,
    fail,
    handle_errors,
    rule_source_options,
    say,
    write_atomic,
)
from ccai_policy.cli.options import worker_options
from ccai_policy.report.escaping import log_text

if TYPE_CHECKING:
    from ccai_policy.policy.catalog import RuleSources
    from ccai_policy.run.pipeline import Execution


@main.group()
def rules() -> None:
    """List, show, lint, test and document the rules."""


@rules.command("list")
@rule_source_options
@handle_errors
def rules_list(sources: RuleSources) -> None:
    """One line per rule: id, criterion, severity, title."""
    from ccai_policy.policy.catalog import load_catalog

    for loaded in load_catalog(sources):
        r = loaded.rule
        say(f"{r.id:<28} {r.criterion:<13} {r.severity:<9} {r.title}")


@rules.command("show")
@click.argument("rule_id")
@rule_source_options
@handle_errors
def rules_show(rule_id: str, sources: RuleSources) -> None:
    """The rule file of one rule."""
    from ccai_policy.policy.catalog import load_catalog

    for loaded in load_catalog(sources):
        if loaded.rule.id == rule_id:
            say(f"# {loaded.document.path}")
            text = Path(loaded.document.path).read_text(encoding="utf-8")
            click.echo(log_text(text.splitlines()), nl=False)
            return
    ids = [loaded.rule.id for loaded in load_catalog(sources)]
    fail(f"no rule {rule_id!r}", rule_hint(rule_id, ids))


def rule_hint(rule_id: str, ids: list[str]) -> str:
    from ccai_policy.spelling import did_you_mean

    return did_you_mean(rule_id, ids) or "see 'ccai-policy rules list'"


@rules.command("lint")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--policies",
    "policies_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Policies to resolve against the rules (default: policies/ beside the rules).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Exit 2 when expressions could not be checked against the declaration model.",
)
@worker_options("rule's test cases")
@rule_source_options
@handle_errors
def rules_lint(
    rules_dir: Path | None,
    policies_dir: Path | None,
    strict: bool,
    execution: Execution,
    sources: RuleSources,
) -> None:
    """Every problem in RULES_DIR's rule files and the policies beside them; exit 2 on any.

    The rules of the other sources (the bundled catalog unless left out, each --rules folder)
    are there to resolve ids and `extends` against; their files are not reported on.
    """
    from ccai_policy.authoring.lint import lint
    from ccai_policy.paths import data_dir

    directory = rules_dir or data_dir("rules")
    if not directory.is_dir():
        fail(f"rules directory {directory} does not exist")
    if policies_dir is None:
        beside = directory.resolve().parent / "policies"
        policies_dir = beside if rules_dir is not None else data_dir("policies")
    report = lint(directory, policies_dir, context=sources, execution=execution)
    for problem in report.problems:
        where = f"{problem.location}: " if problem.location else ""
        say(f"{where}error: {problem.message}")
        if problem.hint:
            say(f"  hint: {problem.hint}")
    count = len(report.problems)
    found = f"{count} problem{'s' if count != 1 else ''}" if count else "no problems"
    if report.unchecked:
        found += (
            f" in what could be checked; fields and types NOT checked: {report.unchecked}"
            " (install cel-expr-python)"
        )
    click.echo(f"{report.rules} rules, {report.policies} policies: {found}")
    sys.exit(EXIT_ERROR if count or (strict and report.unchecked) else EXIT_OK)


@rules.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Directory for rules.md and index.html (created when missing).",
)
@POLICY_OPTION
@rule_source_options
@handle_errors
def rules_docs(out_dir: Path, policy_refs: tuple[str, ...], sources: RuleSources) -> None:
    """Write the rule catalog (every source's rules) as Markdown and browsable HTML."""
    from ccai_policy.authoring.docs import outputs, sources_catalog

    for path, text in outputs(out_dir, sources_catalog(sources, policy_refs)).items():
        try:
            write_atomic(path, text)
        except OSError as exc:
            fail(f"cannot write {path}: {exc.strerror or exc}", "choose a writable --out")
        say(f"wrote {path}")
