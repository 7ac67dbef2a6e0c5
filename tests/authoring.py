"""Paths and a runner for the authoring tests' own small rules, policies and declaration."""

from __future__ import annotations

from pathlib import Path

from .conftest import AS_OF, ROOT

DATA = ROOT / "tests" / "data" / "authoring"
RULES = DATA / "rules"
POLICY = DATA / "policies" / "test-policy.yaml"
STRICT = DATA / "policies" / "strict.yaml"
DECL = DATA / "decl.yaml"


#: A small rule of a policy author's own, without test cases (tests add theirs).
CONTACT_RULE = """\
id: ACME-CONTACT-001
title: Every declaration names who answers questions about it
criterion: transparency
severity: high
references:
  - title: ACME Studios AI disclosure policy, section 3
    url: https://example.com/acme/ai-policy#section-3
description: A union representative needs someone to ask.
remediation: Fill in production.contact.
for_each: declaration
as: prod
assert: prod.contact != null && prod.contact != ''
message: "{{prod.id}} names no contact"
"""


def check_args(*extra: str, decl: Path = DECL, policy: Path = POLICY) -> list[str]:
    return [
        "check",
        str(decl),
        "--no-bundled-rules",
        "--rules",
        str(RULES),
        "--policy",
        str(policy),
        "--as-of",
        AS_OF,
        *extra,
    ]
