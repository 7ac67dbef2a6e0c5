"""Commands for policy authors: rules, policies, schemas and explanations."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..formats.escaping import log_text
from .app import main
from .common import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, fail, handle_errors, say, write_atomic


@main.group()
def rules() -> None:
    """List and show the rules."""


@rules.command("list")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@handle_errors
def rules_list(rules_dir: Path | None) -> None:
    """One line per rule: id, criterion, severity, title."""
    from ..catalog import data_dir, load_rules

    for loaded in load_rules(rules_dir or data_dir("rules")):
        r = loaded.rule
        say(f"{r.id:<28} {r.criterion:<13} {r.severity:<9} {r.title}")


@rules.command("show")
@click.argument("rule_id")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@handle_errors
def rules_show(rule_id: str, rules_dir: Path | None) -> None:
    """The rule file of one rule."""
    from ..catalog import data_dir, load_rules

    for loaded in load_rules(rules_dir or data_dir("rules")):
        if loaded.rule.id == rule_id:
            say(f"# {loaded.document.path}")
            text = Path(loaded.document.path).read_text(encoding="utf-8")
            click.echo(log_text(text.splitlines()), nl=False)
            return
    fail(f"no rule {rule_id!r}", "see 'ccai-policy rules list'")


@rules.command("test")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--require-tests", is_flag=True, help="Fail rules that lack a passing and a failing case."
)
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    help="Where test 'base' paths start (default: the rules directory's parent).",
)
@handle_errors
def rules_test(rules_dir: Path | None, require_tests: bool, root: Path | None) -> None:
    """Run the test cases the rules carry; exit 1 when any case fails."""
    from ..catalog import data_dir, load_rules
    from ..ruletests import missing_tests, run_rule_tests

    directory = rules_dir or data_dir("rules")
    loaded = load_rules(directory)
    results = run_rule_tests(loaded, root or directory.resolve().parent)
    for case in results:
        say(f"{'PASSED' if case.passed else 'FAILED'} {case.label}")
        if not case.passed:
            for line in case.detail.split("\n"):
                say(f"    {line}")
    lacking = missing_tests(loaded) if require_tests else []
    for line in lacking:
        say(f"MISSING {line}")
    failed = sum(not c.passed for c in results)
    click.echo(
        f"{len(results) - failed} passed, {failed} failed"
        + (f", {len(lacking)} rules lack tests" if lacking else "")
        + f" ({len(loaded)} rules)"
    )
    sys.exit(EXIT_FINDINGS if failed or lacking else EXIT_OK)


@rules.command("lint")
@click.argument("rules_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--policies",
    "policies_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="Policies to resolve against the rules (default: policies/ beside the rules).",
)
@handle_errors
def rules_lint(rules_dir: Path | None, policies_dir: Path | None) -> None:
    """Every problem in every rule and policy file; exit 2 on any."""
    from ..catalog import data_dir
    from ..lint import lint

    directory = rules_dir or data_dir("rules")
    if not directory.is_dir():
        fail(f"rules directory {directory} does not exist")
    if policies_dir is None:
        beside = directory.resolve().parent / "policies"
        policies_dir = beside if rules_dir is not None else data_dir("policies")
    report = lint(directory, policies_dir)
    for problem in report.problems:
        where = f"{problem.location}: " if problem.location else ""
        say(f"{where}error: {problem.message}")
        if problem.hint:
            say(f"  hint: {problem.hint}")
    count = len(report.problems)
    click.echo(
        f"{report.rules} rules, {report.policies} policies: "
        + (f"{count} problem{'s' if count != 1 else ''}" if count else "no problems")
    )
    sys.exit(EXIT_ERROR if count else EXIT_OK)


@rules.command("docs")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default="docs",
    show_default=True,
    help="Directory for rules.md and index.html.",
)
@handle_errors
def rules_docs(out_dir: Path) -> None:
    """Write the bundled rule catalog as Markdown and browsable HTML."""
    from ..docs import bundled_catalog, outputs

    for path, text in outputs(out_dir, bundled_catalog()).items():
        try:
            write_atomic(path, text)
        except OSError as exc:
            fail(f"cannot write {path}: {exc.strerror or exc}", "choose a writable --out")
        say(f"wrote {path}")


@main.command()
@click.argument("rule_id")
@handle_errors
def explain(rule_id: str) -> None:
    """Explain a rule in plain words: why it exists, what it checks, how to pass it."""
    from ..docs import bundled_catalog

    for entries in bundled_catalog().values():
        for entry in entries:
            rule = entry.rule
            if rule.id != rule_id:
                continue
            say(f"{rule.id}: {rule.title}")
            say(f"criterion: {rule.criterion}; severity: {rule.severity}")
            say(f"policies: {', '.join(entry.policies)}")
            say(f"applies to: {rule.applicability or 'every declaration'}")
            for line in ("", f"Why: {rule.description}", "", f"What to do: {rule.remediation}", ""):
                say(line)
            say("Sources:")
            for ref in rule.references:
                say(f"  - {ref.title} ({ref.confidence}) {ref.url}")
            return
    fail(f"no rule {rule_id!r}", "see 'ccai-policy rules list'")


@main.group()
def policies() -> None:
    """List and show the policies."""


@policies.command("list")
@handle_errors
def policies_list() -> None:
    """Bundled policy ids, versions and titles."""
    from ..catalog import bundled_policies, load_policy

    for policy_id in sorted(bundled_policies()):
        resolved = load_policy(policy_id)
        p = resolved.policy
        say(f"{p.id:<20} {p.version:<10} {len(resolved.rules):>3} rules  {p.title}")


@policies.command("show")
@click.argument("policy_ref")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path, file_okay=False))
@handle_errors
def policies_show(policy_ref: str, rules_dir: Path | None) -> None:
    """The resolved rule set of a policy, with effective severities."""
    from ..catalog import load_policy

    resolved = load_policy(policy_ref, rules_dir)
    p = resolved.policy
    say(f"{p.id} {p.version}: {p.title}")
    say(f"fail on: {resolved.fail_on} and above; rule set digest {resolved.digest}")
    for loaded in resolved.rules:
        rid = loaded.rule.id
        mark = " (mandatory)" if rid in resolved.mandatory else ""
        say(f"  {rid:<28} {resolved.severity[rid]:<9} {loaded.rule.title}{mark}")


@main.command()
@click.argument("name", type=click.Choice(["declaration", "rule", "policy", "waivers", "result"]))
def schema(name: str) -> None:
    """Print the JSON Schema of a file format."""
    from ..schemas import generate

    click.echo(generate(name), nl=False)
