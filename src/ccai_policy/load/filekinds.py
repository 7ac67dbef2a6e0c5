"""Tell ccai-policy's other files (waivers, policies, rules, configuration) from declarations.

A directory scan, or a pre-commit hook handing over every changed YAML file, must not report a
waiver file as a broken declaration; nor may it skip a broken declaration. A file is skipped
only when its top-level keys are those of another ccai-policy format and none of a declaration.
"""

from __future__ import annotations

import re
from pathlib import Path

from ccai_policy.load.config import FILE_NAME

#: Enough of a file to see its top-level keys; other formats are small.
_HEAD = 65_536
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)", re.MULTILINE)
#: Keys only a declaration has at its top level.
_DECLARATION = {"apiVersion", "kind", "production", "people", "tools", "uses", "consents"}
_POLICY = {"extends", "rules", "mandatory", "severity", "params", "fail_on", "rule_dirs"}


def top_level_keys(text: str) -> set[str]:
    """Keys of a block mapping at column 0 (flow-style documents give none)."""
    return set(_KEY.findall(text))


def other_format(path: Path) -> str:
    """What a file is when it is another ccai-policy format, or '' when it may be a declaration."""
    if path.name == FILE_NAME:
        return "the ccai-policy configuration"
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD).decode("utf-8", errors="replace")
    except OSError:
        return ""  # unreadable: the loader reports it, located
    keys = top_level_keys(head)
    if not keys or keys & _DECLARATION:
        return ""
    if "waivers" in keys and keys <= {"waivers"}:
        return "a waivers file (pass it with --waivers)"
    if {"for_each", "assert"} <= keys and "id" in keys:
        return "a rule file"
    if {"id", "version", "title"} <= keys and keys & _POLICY:
        return "a policy file"
    return ""
