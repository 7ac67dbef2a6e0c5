"""Commands that explain to a reader: a rule in plain words (explain), a file format (schema)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ccai_policy.cli.app import main
from ccai_policy.cli.common import POLICY_OPTION, fail, handle_errors, rule_source_options, say
from ccai_policy.cli.rules_commands import rule_hint

if TYPE_CHECKING:
    from ccai_policy.model.result import RuleInfo
    from ccai_policy.model.rule import Rule
    from ccai_policy.policy.catalog import RuleSources


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
    fail(f"no rule {rule_id!r}", rule_hint(rule_id, ids))


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
