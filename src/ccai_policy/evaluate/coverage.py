"""The built-in agreement coverage rule: a declared agreement version no rule encodes is said so."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ccai_policy.load.loader import Document
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.production import AGREEMENT_FAMILIES
from ccai_policy.model.result import Finding, RuleInfo, Status, Subject
from ccai_policy.model.rule import Reference

RULE = RuleInfo(
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

_VERSION = re.compile(r"-(19|20)[0-9]{2}$")


def family(agreement: str) -> str:
    """`sag-aftra-tv-theatrical` for `sag-aftra-tv-theatrical-2023`."""
    return _VERSION.sub("", agreement)


def check_coverage(
    declaration: Declaration, document: Document, encoded: Iterable[str]
) -> list[Finding]:
    """One failing finding per declared agreement version the rules do not encode.

    A family the rule set never encodes at all is left alone only when the vocabulary knows
    it (a focused policy, say `wga`, does not check SAG-AFTRA terms); an unknown family, or a
    known family in a version the rules lack, is never silently passed.
    """
    versions = sorted(set(encoded))
    families = {family(a) for a in versions}
    findings: list[Finding] = []

    def made(status: Status, message: str, pointer: str) -> Finding:
        subject = Subject(id=declaration.production.id, pointer=pointer)
        return RULE.finding(status, message, subject, document.locate(pointer))

    agreements = declaration.production.agreements
    for index, agreement in enumerate(agreements):
        if agreement in versions:
            continue
        name = family(agreement)
        if name in AGREEMENT_FAMILIES and name not in families:
            continue
        known = [v for v in versions if family(v) == name]
        encoded_text = (
            f"the rules encode {', '.join(known)}" if known else "no rule encodes any version of it"
        )
        findings.append(
            made(
                "fail",
                f"{agreement} is not covered by the encoded rules: {encoded_text}, so none of "
                "its obligations were checked",
                f"/production/agreements/{index}",
            )
        )
    if findings:
        return findings
    if not agreements:
        return [made("not_applicable", "the production declares no agreements", "/production")]
    return [made("pass", "every declared agreement is encoded by the rules", "/production")]
