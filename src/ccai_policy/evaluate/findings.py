"""The findings a rule's evaluation makes, and the production summary each result carries."""

from __future__ import annotations

from ccai_policy.errors import Location
from ccai_policy.evaluate.compiler import CompiledRule
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.result import Finding, ProductionSummary, Status, rule_finding, subject


def finding_order(finding: Finding) -> tuple[int, int, str, str]:
    """Findings in the order of the file, then by rule and item: the same in every run."""
    return (
        finding.location.line,
        finding.location.column,
        finding.rule_id,
        finding.subject.pointer,
    )


def make_finding(
    compiled: CompiledRule,
    status: Status,
    message: str,
    pointer: str,
    subject_id: str | None,
    where: Location,
) -> Finding:
    """One finding of a rule, located at `where`, with the rule's words beside it."""
    about = subject(subject_id, pointer)
    return rule_finding(compiled.loaded.rule, compiled.severity, status, message, about, where)


def summarize_production(declaration: Declaration) -> ProductionSummary:
    p = declaration.production
    return ProductionSummary(
        id=p.id,
        title=p.title,
        studio=p.studio,
        type=p.type,
        territories=list(p.territories),
        agreements=list(p.agreements),
        release_date=p.release_date,
    )
