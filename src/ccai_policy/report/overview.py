"""What the reports for people share: verdicts, counts per criterion and findings in order."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ccai_policy.model.grading import CRITERIA, CRITERION_TITLES, SEVERITY_RANK
from ccai_policy.model.result import BaselineNote, DeclarationResult, Finding, Result
from ccai_policy.model.verdict import STATUS_ORDER, counts_toward_exit, rule_outcomes

#: How a reader is told where a reference comes from.
CONFIDENCE_TEXT = {
    "primary": "primary source: the text itself was read",
    "secondary": "secondary source: taken from a summary",
    "unconfirmed": "unconfirmed: inferred, not yet checked against the text",
}
STATUS_TEXT = {
    "error": "Error",
    "fail": "Failed",
    "waived": "Waived",
    "pass": "Passed",
    "not_applicable": "Not applicable",
}


def blocking(finding: Finding, result: Result) -> bool:
    """Whether a finding fails the run: `fail` or `error`, at or above the threshold, not waived
    and not baselined. Every format (text, JSON readers, SARIF level, JUnit failure, GitHub
    annotation order, the HTML verdict) decides with this, as the exit code does."""
    return counts_toward_exit(finding, result.fail_on)


def severity_order(finding: Finding, result: Result) -> tuple[int, int, int, str, int, int, str]:
    """Blocking first; then errors before failures, the most severe first, then by place."""
    return blocking_first(blocking(finding, result), finding)


def blocking_first(blocks: bool, finding: Finding) -> tuple[int, int, int, str, int, int, str]:
    """severity_order of a finding whose blocking is already decided (`blocks`)."""
    return (0 if blocks else 1, *finding_order(finding))


@dataclass(frozen=True)
class Verdict:
    """A declaration's verdict: a stable key for styling, words for the reader."""

    key: str
    label: str
    explanation: str


def _findings(n: int) -> str:
    return f"{n} finding{'s' if n != 1 else ''}"


def verdict(declaration: DeclarationResult, result: Result) -> Verdict:
    findings = declaration.findings
    blocks = sum(1 for f in findings if blocking(f, result))
    if blocks:
        return Verdict(
            "not-compliant",
            "Not compliant",
            f"{_findings(blocks)} at severity {result.fail_on} or above "
            f"fail{'s' if blocks == 1 else ''} the check.",
        )
    at_threshold = [
        f
        for f in findings
        if f.status in ("fail", "error")
        and SEVERITY_RANK[f.severity] >= SEVERITY_RANK[result.fail_on]
    ]
    if at_threshold:  # not blocking, so every one of them is in the baseline
        return Verdict(
            "not-compliant-known",
            "Not compliant, no new findings",
            f"Rules failed at severity {result.fail_on} or above; every such finding is in the "
            "baseline of known findings, so the check passes, but the production is not "
            "compliant until they are fixed.",
        )
    if any(f.status in ("fail", "error") for f in findings):
        return Verdict(
            "compliant-below",
            "Compliant, with findings below the threshold",
            f"Some rules failed, all below severity {result.fail_on}; they do not fail the check.",
        )
    if any(f.status == "waived" for f in findings):
        return Verdict(
            "compliant-waivers",
            "Compliant with waivers",
            "Every failing rule has a waiver in force; the waivers are listed below.",
        )
    return Verdict("compliant", "Compliant", "Every rule that applies passed.")


def known(declaration: DeclarationResult) -> list[Finding]:
    """Failing findings recorded in the baseline: known, not new, and still not met."""
    return [f for f in failures(declaration) if f.baselined]


def baseline_notes(result: Result, declaration: DeclarationResult | None) -> list[BaselineNote]:
    """Why the baseline excuses less than it names: the notes about one declaration, or with
    None those about no declaration of the run (another file, the baseline as a whole)."""
    files = {d.file for d in result.declarations}
    if declaration is None:
        return [n for n in result.baseline_notes if n.file is None or n.file not in files]
    return [n for n in result.baseline_notes if n.file == declaration.file]


def baseline_statement(declaration: DeclarationResult, result: Result) -> str | None:
    """What the baseline did for a declaration, in one true sentence; None without one."""
    if result.baseline is None:
        return None
    recorded = known(declaration)
    if not recorded:
        return f"No finding of this production is in the baseline {result.baseline}."
    new = sum(1 for f in declaration.findings if blocking(f, result))
    tail = (
        "no new findings"
        if not new
        else f"{_findings(new)} not in the baseline fail{'s' if new == 1 else ''} the check"
    )
    return (
        f"{_findings(len(recorded))} {'is' if len(recorded) == 1 else 'are'} in the baseline "
        f"{result.baseline}: known, so {'it does' if len(recorded) == 1 else 'they do'} not "
        f"fail the check, but {'it is' if len(recorded) == 1 else 'they are'} still not met; "
        f"{tail}."
    )


def not_compliant(verdict: Verdict) -> bool:
    """Whether a verdict says "not compliant", with new findings or only known ones."""
    return verdict.key.startswith("not-compliant")


@dataclass(frozen=True)
class CriterionCounts:
    """How many rules of one criterion passed, failed, were waived or did not apply."""

    key: str
    title: str
    passed: int
    failed: int
    errors: int
    waived: int
    not_applicable: int

    @property
    def state(self) -> str:
        """The card's state in words: what needs action first."""
        if self.failed or self.errors:
            return "Action needed"
        if self.waived:
            return "Met with waivers"
        if self.passed:
            return "Met"
        return "Nothing to check"

    @property
    def summary(self) -> str:
        """The state and the counts that are not zero, e.g. 'Action needed: 2 failed, 1 passed'."""
        parts = [
            f"{n} {label}"
            for n, label in (
                (self.failed, "failed"),
                (self.errors, "in error"),
                (self.waived, "waived"),
                (self.passed, "passed"),
                (self.not_applicable, "not applicable"),
            )
            if n
        ]
        return f"{self.state}: {', '.join(parts)}" if parts else f"{self.state}: no rules"


def criterion_counts(declaration: DeclarationResult) -> list[CriterionCounts]:
    """One entry per criterion, in the coalition's order; each rule counts once, by its worst."""
    criterion_of = {f.rule_id: f.criterion for f in declaration.findings}
    counts: dict[str, Counter[str]] = {c: Counter() for c in CRITERIA}
    for rule_id, status in rule_outcomes(declaration).items():
        counts[criterion_of[rule_id]][status] += 1
    return [
        CriterionCounts(
            key=c,
            title=CRITERION_TITLES[c],
            passed=counts[c]["pass"],
            failed=counts[c]["fail"],
            errors=counts[c]["error"],
            waived=counts[c]["waived"],
            not_applicable=counts[c]["not_applicable"],
        )
        for c in CRITERIA
    ]


def finding_order(finding: Finding) -> tuple[int, int, str, int, int, str]:
    """Errors, then failures; the most severe first; then by place in the file."""
    return (
        STATUS_ORDER[finding.status],
        -SEVERITY_RANK[finding.severity],
        finding.location.file,
        finding.location.line,
        finding.location.column,
        finding.rule_id,
    )


def failures(declaration: DeclarationResult, criterion: str | None = None) -> list[Finding]:
    """Failing and erroring findings, in reading order, optionally of one criterion."""
    return sorted(
        (
            f
            for f in declaration.findings
            if f.status in ("fail", "error") and (criterion is None or f.criterion == criterion)
        ),
        key=finding_order,
    )


def with_status(declaration: DeclarationResult, status: str) -> list[Finding]:
    """Findings of one status, in criterion then rule order."""
    order = {c: i for i, c in enumerate(CRITERIA)}
    return sorted(
        (f for f in declaration.findings if f.status == status),
        key=lambda f: (order[f.criterion], f.rule_id, f.location.line, f.subject.pointer),
    )


def where(finding: Finding) -> str:
    """file:line:column, or the file alone when the line is unknown: the one way every report
    names a finding's place."""
    return str(finding.location)
