"""Paths and a runner for the authoring tests' own small rules, policies and declaration."""

from __future__ import annotations

from pathlib import Path

from .conftest import AS_OF, ROOT

DATA = ROOT / "tests" / "data" / "authoring"
RULES = DATA / "rules"
POLICY = DATA / "policies" / "test-policy.yaml"
STRICT = DATA / "policies" / "strict.yaml"
DECL = DATA / "decl.yaml"


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
