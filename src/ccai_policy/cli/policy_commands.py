"""The `policies` commands: list the bundled policies and show one policy's resolved rule set."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from ccai_policy.cli.app import main
from ccai_policy.cli.common import fail, handle_errors, rule_source_options, say

if TYPE_CHECKING:
    from ccai_policy.policy.catalog import RuleSources


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
