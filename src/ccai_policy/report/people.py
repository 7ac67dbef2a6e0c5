"""The people an AI use touches: each use of their likeness, voice or work, consent and pay."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ccai_policy.evaluate.facts import consent_reasons
from ccai_policy.model.result import DeclarationResult, Finding
from ccai_policy.report.field_words import value_words
from ccai_policy.report.overview import finding_order

_PAY_BASIS = {
    "scan_day": "Scan day",
    "per_digital_performance_day": "Per digital performance day",
    "residuals": "Residuals",
    "negotiated": "Negotiated fee",
    "ph_contribution": "Pension and health contribution",
    "scale_multiple": "Multiple of scale",
    "training_licence": "Training licence",
}
_SIGNER = {
    "self": "the person",
    "authorized_representative": "an authorized representative",
    "union": "the union",
    "guardian": "a guardian",
}


@dataclass(frozen=True)
class ConsentStatus:
    """Whether a consent covers a use of a person today, in words; `state` is a stable key.

    `details` are plain sentences under the headline `text` (why a consent does not count, the
    record on file); `failed` the consent findings it fails, one per rule, each shown in full
    once in the findings and linked from here."""

    state: str
    text: str
    details: tuple[str, ...] = ()
    failed: tuple[Finding, ...] = ()


@dataclass(frozen=True)
class UseOfPerson:
    use_id: str
    category: str
    description: str
    tool: str
    how: str
    consents: list[ConsentStatus]
    compensation: list[str]
    #: Findings about the use that its consent cell does not already name.
    findings: list[Finding]

    @property
    def consent_findings(self) -> bool:
        """Whether the consent cell names a finding."""
        return any(c.failed for c in self.consents)


@dataclass(frozen=True)
class PersonAffected:
    id: str
    name: str
    details: str
    uses: list[UseOfPerson]
    #: Findings about the person, their consents or pay that no row of their table names.
    other_findings: list[Finding]

    @property
    def any_findings(self) -> bool:
        """Whether any finding is about the person, in their table or below it."""
        return bool(self.other_findings) or any(u.findings or u.consent_findings for u in self.uses)


def category_text(category: str) -> str:
    """'employment_based_digital_replica' -> 'Employment-based digital replica'."""
    for joined in ("employment_based", "real_time"):
        category = category.replace(joined, joined.replace("_", "-"))
    words = category.split("_")
    text = " ".join("GAI" if w == "gai" else w for w in words)
    return text[:1].upper() + text[1:]


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else None


def consent_status(
    consent: dict[str, Any], as_of: dt.date, reasons: list[str] | None = None
) -> ConsentStatus:
    signed = consent["signed_on"]
    if reasons:
        why = tuple(r[:1].upper() + r[1:] for r in reasons)
        return ConsentStatus("invalid", f"Does not count ({consent['id']})", why)
    by = "" if consent["signer_role"] == "self" else f" by {_SIGNER[consent['signer_role']]}"
    revoked = _date(consent.get("revoked_on"))
    ends = _date(consent.get("term_ends"))
    if revoked is not None and revoked <= as_of:
        return ConsentStatus("revoked", f"Revoked on {revoked} ({consent['id']}, signed {signed})")
    if ends is not None and ends < as_of:
        return ConsentStatus("expired", f"Expired on {ends} ({consent['id']}, signed {signed})")
    parts = [f"Consented: {consent['id']}, signed {signed}{by}"]
    if ends is not None:
        parts.append(f"until {ends}")
    if consent.get("training_permission"):
        parts.append(f"training use: {value_words(consent['training_permission'])}")
    return ConsentStatus("given", "; ".join(parts))


def pay_text(entry: dict[str, Any]) -> str:
    """'Per digital performance day: 15,000.00 USD, paid 2026-09-30 (pay-lena-face)'."""
    parts = []
    if entry.get("scale_multiple") is not None:
        parts.append(f"{entry['scale_multiple']:g} \N{MULTIPLICATION SIGN} scale")
    amount = entry.get("amount")
    if amount is not None:
        parts.append(f"{amount['value']:,.2f} {amount['currency']}")
    if entry.get("paid_on"):
        parts.append(f"paid {entry['paid_on']}")
    stated = ", ".join(parts) if parts else "amount not stated"
    return f"{_PAY_BASIS.get(entry['basis'], entry['basis'])}: {stated} ({entry['id']})"


def _details(person: dict[str, Any]) -> str:
    parts = [", ".join(person["roles"])]
    if person.get("union"):
        parts.append(str(person["union"]))
    if person.get("minor") is True:
        parts.append("a minor")
    elif person.get("minor") == "unknown":
        parts.append("age not stated")
    if person.get("deceased_on"):
        holder = person.get("rights_holder")
        parts.append(
            f"deceased {person['deceased_on']}" + (f", rights held by {holder}" if holder else "")
        )
    return "; ".join(parts)


def _one_per_rule(findings: list[Finding]) -> tuple[Finding, ...]:
    """The first finding of each rule, in order: a rule failed twice for one use is one line."""
    first: dict[str, Finding] = {}
    for f in findings:
        first.setdefault(f.rule_id, f)
    return tuple(first.values())


def _consent_cell(statuses: list[ConsentStatus], findings: list[Finding]) -> list[ConsentStatus]:
    """The consent cell of a use: its consent records, each checked against every consent
    finding about the use or its consents, so that no tick stands beside a failing rule."""
    failing = _one_per_rule([f for f in findings if f.status in ("fail", "error")])
    waived = [f for f in findings if f.status == "waived"]
    out = []
    for status in statuses:
        if status.state == "given" and failing:
            rules = len(failing)
            out.append(
                ConsentStatus(
                    "disputed",
                    f"Consent on file, but {rules} rule{'s' if rules != 1 else ''} about it "
                    f"fail{'s' if rules == 1 else ''}",
                    (status.text.replace("Consented: ", "On file: ", 1),),
                    failing,
                )
            )
        else:  # missing, revoked, expired or not counting: the reasons and every rule failed
            out.append(ConsentStatus(status.state, status.text, status.details, failing))
    out.extend(ConsentStatus("waived", "Waived", failed=(f,)) for f in waived)
    return out


def subject_labels(data: dict[str, Any]) -> dict[str, str]:
    """A plain label for every id in a declaration, to stand beside the id in a report."""
    people = {p["id"]: p["name"] for p in data.get("people", [])}
    labels = dict(people)
    for tool in data.get("tools", []):
        labels[tool["id"]] = f"the tool {tool['name']}"
    for use in data.get("uses", []):
        labels[use["id"]] = f"the AI use “{use['description']}”"
    for consent in data.get("consents", []):
        labels[consent["id"]] = f"the consent of {people.get(consent['person'], consent['person'])}"
    for entry in data.get("compensation", []):
        labels[entry["id"]] = f"the payment to {people.get(entry['person'], entry['person'])}"
    for asset in data.get("assets", []):
        if asset.get("title"):
            labels[asset["id"]] = f"the asset “{asset['title']}”"
    production = data.get("production", {})
    if production.get("id"):
        labels[production["id"]] = f"the production {production.get('title', '')}".strip()
    return labels


def _about_consent(finding: Finding, use_id: str, consent_ids: set[str]) -> bool:
    """Whether a finding speaks to the consent for a use: a consent rule about the use, or
    any rule about a consent that lists it (its scope, its term: controls rules too)."""
    if finding.subject.pointer.startswith("/consents/"):
        return finding.subject.id in consent_ids
    return finding.criterion == "consent" and finding.subject.id == use_id


def people_affected(result: DeclarationResult, as_of: dt.date) -> list[PersonAffected]:
    """Every person whose likeness, voice or work an AI use touches, in declaration order."""
    data = result.declaration
    tools = {t["id"]: t for t in data.get("tools", [])}
    shown = [f for f in result.findings if f.status in ("fail", "error", "waived")]
    people = []
    for person in data.get("people", []):
        pid = person["id"]
        consents = [c for c in data.get("consents", []) if c["person"] == pid]
        pay = [c for c in data.get("compensation", []) if c["person"] == pid]
        uses = []
        for use in data.get("uses", []):
            how = [
                label
                for label, key in (
                    ("likeness, voice or work", "subjects"),
                    ("features", "features_from"),
                )
                if pid in use.get(key, [])
            ]
            if not how:
                continue
            named = [t for t in [use.get("tool"), *use.get("tools", [])] if t]
            tool_text = ", ".join(
                f"{tools[t]['name']} ({tools[t]['vendor']})" if t in tools else t
                for t in dict.fromkeys(named)
            )
            covering = [c for c in consents if use["id"] in c["uses"]]
            consent_ids = {c["id"] for c in covering}
            consent_findings = sorted(
                (f for f in shown if _about_consent(f, use["id"], consent_ids)),
                key=finding_order,
            )
            uses.append(
                UseOfPerson(
                    use_id=use["id"],
                    category=category_text(use["category"]),
                    description=use["description"],
                    tool=tool_text,
                    how=" and ".join(how),
                    consents=_consent_cell(
                        [
                            consent_status(c, as_of, consent_reasons(c, use, person, as_of))
                            for c in covering
                        ]
                        or [ConsentStatus("missing", "No consent recorded for this use")],
                        consent_findings,
                    ),
                    compensation=[pay_text(p) for p in pay if p["use"] == use["id"]],
                    findings=sorted(
                        (
                            f
                            for f in shown
                            if f.subject.id == use["id"] and f not in consent_findings
                        ),
                        key=finding_order,
                    ),
                )
            )
        if not uses:
            continue
        about = {pid} | {c["id"] for c in consents} | {p["id"] for p in pay}
        in_rows = {
            id(f) for u in uses for f in [*u.findings, *(f for c in u.consents for f in c.failed)]
        }
        in_cells = {(f.rule_id, f.subject.id) for u in uses for c in u.consents for f in c.failed}
        people.append(
            PersonAffected(
                id=pid,
                name=person["name"],
                details=_details(person),
                uses=uses,
                other_findings=sorted(
                    (
                        f
                        for f in shown
                        if f.subject.id in about
                        and id(f) not in in_rows
                        and (f.rule_id, f.subject.id) not in in_cells
                    ),
                    key=finding_order,
                ),
            )
        )
    return people
