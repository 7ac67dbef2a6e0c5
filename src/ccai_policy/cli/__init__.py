"""The command line: parse options, build the pieces, run, write outputs, choose the exit code.

Only this package prints or chooses exit codes; nothing else imports it.
"""

from __future__ import annotations

from ccai_policy.cli.startup import loading_for_good

# What the commands import (Pydantic's model schemas, the CEL and YAML libraries, click) lives
# as long as the process: the collector leaves it alone, instead of walking it again at every
# pass while it loads and at every pass of the run after (~0.05 s of each start).
with loading_for_good():
    from ccai_policy.cli import (
        check_command,
        policy_commands,
        project_commands,
        reference_commands,
        rules_commands,
        rules_test_command,
    )
    from ccai_policy.cli.app import main

__all__ = [
    "check_command",
    "main",
    "policy_commands",
    "project_commands",
    "reference_commands",
    "rules_commands",
    "rules_test_command",
]
