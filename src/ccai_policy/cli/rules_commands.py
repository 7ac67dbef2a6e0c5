"""Commands for policy authors: rules, policies, schemas and explanations."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ccai_policy.cli.app import main
from ccai_policy.cli.common import (
    EXIT_ERROR,
    EXIT_FINDINGS,
    EXIT_OK,
    fail,
    handle_errors,
    rule_source_options,
    say,
    write_atomic,
)
from ccai_policy.cli.options import worker_options
from ccai_policy.report.escaping import log_text

if TYPE_CHECKING:
    from ccai_policy.authoring.ruleruns import RuleRun
    from ccai_policy.model.result import RuleInfo
    from ccai_policy.model.rule import Rule
    from ccai_policy.policy.catalog import RuleSources
    from ccai_policy.policy.rulefiles import LoadedRule
    from ccai_policy.run.pipeline import Execution

POLICY_OPTION = click.option(
    "--policy",
    "policy_refs",
    multiple=True,
    help="A policy (bundled id or file) to document beside the bundled ones; repeatable.",
)


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
    fail(f"no rule {rule_id!r}", _rule_hint(rule_id, ids))


def _rule_hint(rule_id: str, ids: list[str]) -> str:
    from ccai_policy.spelling import did_you_mean

    return did_you_mean(rule_id, ids) or "see 'ccai-policy rules list'"


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


def _describe(rule: Rule | RuleInfo, used: str) -> None:
    """What `explain` prints about one rule; `used` says where it comes into play."""
    say(f"{rule.id}: {rule.title}")
    say(f"criterion: {rule.criterion}; severity: {rule.severity}")
    say(used)
    say(f"applies to: {rule.applicability or 'every declaration'}")
    for line in ("", f"Why: {rule.description}", "", f"What to do: {rule.remediation}", ""):
        say(line)
    say("Sources:")
    for ref in rule.references:
        say(f"  - {ref.title} ({ref.confidence}) {ref.url}")


@main.command()
@click.argument("rule_id")
@POLICY_OPTION
@rule_source_options
@handle_errors
def explain(rule_id: str, policy_refs: tuple[str, ...], sources: RuleSources) -> None:
    """Explain a rule in plain words: why it exists, what it checks, how to pass it."""
    from ccai_policy.authoring.docs import sources_catalog
    from ccai_policy.policy.builtin_rules import BUILT_IN_IDS, built_in

    builtin = built_in(rule_id)
    if builtin is not None:
        _describe(builtin.info, f"built in: runs {builtin.runs}, whatever the policy")
        return
    catalog = sources_catalog(sources, policy_refs).values()
    for entries in catalog:
        for entry in entries:
            if entry.rule.id == rule_id:
                _describe(entry.rule, f"policies: {', '.join(entry.policies) or 'none'}")
                return
    ids = [entry.rule.id for entries in catalog for entry in entries] + sorted(BUILT_IN_IDS)
    fail(f"no rule {rule_id!r}", _rule_hint(rule_id, ids))


@main.group()
def policies() -> None:
    """List and show the policies."""


@policies.command("list")
@rule_source_options
@handle_errors
def policies_list(sources: RuleSources) -> None:
    """Bundled policy ids, versions, rule counts (with the rules of every source) and titles."""
    from ccai_policy.policy.policyfiles import bundled_policies
    from ccai_policy.policy.resolve import load_policy

    if not sources.bundled:
        fail(
            "the bundled policies select bundled rules",
            "list them without --no-bundled-rules; show your own with 'policies show FILE'",
        )
    for policy_id in sorted(bundled_policies()):
        resolved = load_policy(policy_id, sources)
        p = resolved.policy
        say(f"{p.id:<20} {p.version:<10} {len(resolved.rules):>3} rules  {p.title}")


@policies.command("show")
@click.argument("policy_ref")
@rule_source_options
@handle_errors
def policies_show(policy_ref: str, sources: RuleSources) -> None:
    """The resolved rule set of a policy, with effective severities."""
    from ccai_policy.policy.resolve import load_policy

    resolved = load_policy(policy_ref, sources)
    p = resolved.policy
    say(f"{p.id} {p.version}: {p.title}")
    say(f"fail on: {resolved.fail_on} and above; rule set digest {resolved.digest}")
    for loaded in resolved.rules:
        rid = loaded.rule.id
        mark = " (mandatory)" if rid in resolved.mandatory else ""
        say(f"  {rid:<28} {resolved.severity[rid]:<9} {loaded.rule.title}{mark}")


@main.command()
@click.argument(
    "name", type=click.Choice(["declaration", "rule", "policy", "waivers", "result", "config"])
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "markdown"]),
    default="json",
    show_default=True,
    help="json: the JSON Schema, for editors and tools; markdown: the field reference for people.",
)
@handle_errors
def schema(name: str, fmt: str) -> None:
    """Print the JSON Schema of a file format, or its field reference in Markdown."""
    if fmt == "markdown":
        from ccai_policy.authoring.fieldref import reference

        click.echo(reference(name), nl=False)
        return
    from ccai_policy.model.schemas import generate

    click.echo(generate(name), nl=False)
