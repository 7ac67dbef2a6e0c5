"""`rules test`: run each rule's test cases, and with --mutate score how well they catch changes."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccai_policy.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    handle_errors,
    rule_source_options,
    say,
)
from ccai_policy.cli.options import worker_options
from ccai_policy.cli.rules_commands import rules

if TYPE_CHECKING:
    from ccai_policy.authoring.ruleruns import RuleRun
    from ccai_policy.policy.catalog import RuleSources
    from ccai_policy.policy.rulefiles import LoadedRule
    from ccai_policy.run.pipeline import Execution


def _rules_to_test(
    rules_dir: Path | None, sources: RuleSources
) -> list[tuple[Path, list[LoadedRule]]]:
    """(folder, its rules) for the folder given, else for every source; ids unique across all."""
    from ccai_policy.policy.catalog import load_catalog

    everything = load_catalog(sources.adding([rules_dir] if rules_dir else []))
    folders = [rules_dir] if rules_dir else sources.directories()
    out = []
    for folder in folders:
        inside = Path(folder).resolve()
        rules = [r for r in everything if inside in Path(r.document.path).resolve().parents]
        out.append((folder, rules))
    return out


@rules.command("test")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--require-tests", is_flag=True, help="Fail rules that lack a passing and a failing case."
)
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where test 'base' paths start (default: each rules folder's parent).",
)
@click.option(
    "--mutate",
    is_flag=True,
    help="Also change each rule's assert and where in small ways and report the changes no "
    "test case catches, with a score per rule and in total.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 100),
    help="With --mutate: exit 1 when the total score is below this percentage.",
)
@worker_options("rule (its cases and mutants)")
@rule_source_options
@handle_errors
def rules_test(
    rules_dir: Path | None,
    require_tests: bool,
    root: Path | None,
    mutate: bool,
    min_score: float | None,
    execution: Execution,
    sources: RuleSources,
) -> None:
    """Run the test cases of RULES_DIR's rules (default: of every source); exit 1 on a failure.

    Each rule runs under the same limits as `check`; a rule stopped by them is an error
    (exit 2), and every other rule's cases are still reported. With --mutate, mutants
    documented as equivalent in _equivalent_mutants.yaml beside the rules count as caught.
    """
    from ccai_policy.authoring.mutation import load_equivalents
    from ccai_policy.authoring.ruleruns import STOPPED_HINT, run_rules
    from ccai_policy.authoring.ruletests import missing_tests

    if min_score is not None and not mutate:
        raise click.UsageError("--min-score needs --mutate")
    work = []
    equivalents: dict[str, dict[str, str]] = {}
    lacking: list[str] = []
    for folder, loaded in _rules_to_test(rules_dir, sources):
        work += [(rule, root or folder.resolve().parent) for rule in loaded]
        equivalents.update(load_equivalents(folder) if mutate else {})
        lacking += missing_tests(loaded) if require_tests else []
    runs = run_rules(
        work,
        mutate=mutate,
        equivalents=equivalents,
        execution=execution,
    )
    results = [case for run in runs for case in run.cases]
    for case in results:
        say(f"{'PASSED' if case.passed else 'FAILED'} {case.label}")
        if not case.passed:
            for line in case.detail.split("\n"):
                say(f"    {line}")
    stopped = [run for run in runs if run.stopped]
    for run in stopped:
        say(f"STOPPED {run.loaded.rule.id}: {run.stopped}")
    for line in lacking:
        say(f"MISSING {line}")
    low = _report_mutants(runs, min_score) if mutate else False
    failed = sum(not c.passed for c in results)
    click.echo(
        f"{len(results) - failed} passed, {failed} failed"
        + (f", {len(stopped)} stopped by the limits" if stopped else "")
        + (f", {len(lacking)} rules lack tests" if lacking else "")
        + f" ({len(work)} rules)"
    )
    for run in stopped:
        where = run.loaded.document.locate("/id")
        say(
            f"{where}: error: {run.loaded.rule.id}: its test cases could not run: {run.stopped}",
            err=True,
        )
        say(f"  hint: {STOPPED_HINT}", err=True)
    if stopped:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if failed or lacking or low else EXIT_OK)


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def _report_mutants(runs: list[RuleRun], min_score: float | None) -> bool:
    """Print each rule's mutation score and survivors, then the total; True when too low."""
    from ccai_policy.authoring.mutation import score

    everything = []
    for run in runs:
        if not run.mutants:
            continue
        everything += run.mutants
        caught, counted = score(run.mutants)
        click.echo(
            f"MUTANTS {run.loaded.rule.id}: {caught}/{counted} caught ({_percent(caught, counted)})"
        )
        for result in run.mutants:
            if result.outcome == "survived":
                click.echo(f"  SURVIVED {result.mutant.label}")
    caught, counted = score(everything)
    survived = sum(r.outcome == "survived" for r in everything)
    equivalent = sum(r.outcome == "equivalent" for r in everything)
    invalid = sum(r.outcome == "invalid" for r in everything)
    click.echo(
        f"mutation score: {caught}/{counted} caught ({_percent(caught, counted)}); "
        f"{survived} survived, {equivalent} documented as equivalent, {invalid} did not compile"
    )
    if min_score is not None and counted and 100 * caught / counted < min_score:
        click.echo(f"the mutation score is below --min-score {min_score:g}%")
        return True
    return False
