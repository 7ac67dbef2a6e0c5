"""Paths of the ecosystem tests' own rules, policy and declarations, and the diff arguments."""

from __future__ import annotations

from .conftest import AS_OF, ROOT

DATA = ROOT / "tests" / "data" / "ecosystem"
RULES = DATA / "rules"
POLICY = DATA / "policies" / "eco.yaml"
DIFF = DATA / "diff"
OLD = DIFF / "old.yaml"
NEW = DIFF / "new.yaml"


def policy_args() -> list[str]:
    return ["--no-bundled-rules", "--rules", str(RULES), "--policy", str(POLICY), "--as-of", AS_OF]
