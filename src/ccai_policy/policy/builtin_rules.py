"""The one registry of built-in rules: the rules written in code, and what makes each run.

Every consumer reads this module: the pipeline (which rules a result lists), waiver files (which
ids they may name), the catalog (no rule file may take a built-in id) and `explain`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ccai_policy.model.grading import Severity
from ccai_policy.model.result import RuleInfo
from ccai_policy.model.rule import Reference

#: What makes a built-in rule run: an option of `check`, or the policy itself.
Trigger = Literal["agreements", "evidence", "credentials"]


def _reference(title: str, url: str, confidence: str) -> Reference:
    return Reference.model_validate({"title": title, "url": url, "confidence": confidence})


_C2PA = _reference(
    "C2PA Technical Specification: manifests, actions and digitalSourceType",
    "https://c2pa.org/specifications/",
    "secondary",
)
_EU = _reference(
    "EU AI Act Art. 50(2): outputs marked in a machine-readable format",
    "https://artificialintelligenceact.eu/article/50/",
    "primary",
)


#: The agreement coverage rule: evaluate/coverage.py says which declared agreements no rule encodes.
COVERAGE = RuleInfo(
    id="TRANSP-AGREEMENT-001",
    title="Every agreement the production declares is one the rules encode",
    criterion="transparency",
    severity="high",
    tags=["agreements", "time", "built-in"],
    description=(
        "Each rule is written for one version of an agreement. A production under a version "
        "the rule set does not encode (an older or newer contract, or an agreement the "
        "catalog does not know) is not checked against it at all, and must not pass as if it "
        "had been. A built-in rule: it runs on every declaration."
    ),
    remediation=(
        "Correct the agreement's version if it is mistyped; otherwise check the production "
        "against that agreement by hand (and record the outcome), or add rules for it."
    ),
    references=[
        Reference.model_validate(
            {
                "title": "SAG-AFTRA contracts, in their successive versions",
                "url": "https://www.sagaftra.org/contracts-industry-resources",
                "confidence": "secondary",
            }
        )
    ],
    applicability="productions that declare agreements",
)


def _rule(
    rule_id: str, title: str, severity: Severity, why: str, fix: str, refs: list[Reference]
) -> RuleInfo:
    return RuleInfo(
        id=rule_id,
        title=title,
        criterion="transparency",
        severity=severity,
        tags=["provenance", "c2pa", "built-in"],
        description=why + " A built-in rule: it runs with --verify-credentials.",
        remediation=fix,
        references=refs,
        applicability="asset files named by the declaration, checked with --verify-credentials",
    )


MANIFEST = _rule(
    "TRANSP-C2PA-MANIFEST-001",
    "Every asset file the declaration names carries valid Content Credentials",
    "high",
    "Audiences and platforms can only tell AI output apart when the file itself carries a "
    "C2PA manifest whose signature and hashes validate.",
    "Sign the delivered file with C2PA Content Credentials (embedded, or a sidecar named in "
    "`content_credentials.manifest`) and re-export it if the manifest no longer validates.",
    [_EU, _C2PA],
)
SOURCE = _rule(
    "TRANSP-C2PA-SOURCE-001",
    "Each asset's Content Credentials state the digital source type the declaration declares",
    "high",
    "The IPTC digital source type tells viewers how the content was made; a manifest that "
    "says otherwise than the declaration misinforms them.",
    "Make the manifest's c2pa.created (or edit) action carry the declared IPTC "
    "digitalSourceType, or correct the declaration.",
    [
        _reference(
            "IPTC Digital Source Type vocabulary",
            "https://cv.iptc.org/newscodes/digitalsourcetype/",
            "primary",
        ),
        _C2PA,
    ],
)
TRAINING = _rule(
    "TRANSP-C2PA-TDM-001",
    "Content Credentials carry the training-and-data-mining terms declared or required",
    "medium",
    "People who refused AI training are protected only if the file says so in a "
    "machine-readable training-and-data-mining assertion (CAWG, or C2PA 1.3's legacy one).",
    "Add a cawg.training-mining assertion to the manifest with the declared entries, e.g. "
    "`cawg.ai_training: {use: notAllowed}`.",
    [
        _reference(
            "CAWG training-and-data-mining assertion 1.0",
            "https://github.com/decentralized-identity/cawg-training-and-data-mining-assertion",
            "secondary",
        )
    ],
)
CREDENTIAL_RULES = (MANIFEST, SOURCE, TRAINING)

EVIDENCE = RuleInfo(
    id="TRANSP-EVIDENCE-FILE-001",
    title="Every evidence file the declaration names exists and matches its SHA-256",
    criterion="transparency",
    severity="high",
    tags=["auditability", "built-in"],
    description=(
        "A declaration is only auditable when the signed consents, media and manifests it "
        "names can be produced, unchanged. This built-in rule runs with --verify-evidence."
    ),
    remediation=(
        "Put each referenced file where the declaration says (relative to the declaration's "
        "folder) and record its SHA-256 (sha256sum FILE)."
    ),
    references=[
        _reference(
            "CCAI criteria: transparency and enforceable auditability",
            "https://vp-land.com/p/hollywood-creators-launch-anti-ai-exploitation-coalition",
            "unconfirmed",
        )
    ],
    applicability="declarations that name evidence files, checked with --verify-evidence",
)


@dataclass(frozen=True)
class BuiltInRule:
    """A rule written in code: what it is, and what makes it run."""

    info: RuleInfo
    trigger: Trigger
    #: When it runs, in the words `explain` shows.
    runs: str

    @property
    def id(self) -> str:
        return self.info.id


#: Every built-in rule, in the order results list them (after the policy's own rules).
BUILT_IN_RULES: tuple[BuiltInRule, ...] = (
    BuiltInRule(
        COVERAGE,
        "agreements",
        "on every declaration, when a rule in use is written for an agreement version",
    ),
    BuiltInRule(EVIDENCE, "evidence", "with check --verify-evidence"),
    *(BuiltInRule(r, "credentials", "with check --verify-credentials") for r in CREDENTIAL_RULES),
)
BUILT_IN_IDS = frozenset(r.id for r in BUILT_IN_RULES)


def built_in(rule_id: str) -> BuiltInRule | None:
    """The built-in rule with this id, or None."""
    return next((r for r in BUILT_IN_RULES if r.id == rule_id), None)


def running(triggers: set[Trigger]) -> list[RuleInfo]:
    """The built-in rules a run with these triggers evaluates, in registry order."""
    return [r.info for r in BUILT_IN_RULES if r.trigger in triggers]
