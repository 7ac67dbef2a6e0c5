"""The built-in agreement coverage rule: a declared agreement version no rule encodes is said so."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ccai_policy.load.loader import Document
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.production import AGREEMENT_FAMILIES
from ccai_policy.model.result import Finding, Status, Subject
from ccai_policy.policy.builtin_rules import COVERAGE

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
        return COVERAGE.finding(status, message, subject, document.locate(pointer))

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
