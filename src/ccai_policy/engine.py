"""Evaluate a validated declaration against a compiled rule set: pure, no I/O."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from pydantic import AnyUrl

from .compiler import INDEXES, ITEM_FAIL, ITEM_NOT_APPLICABLE, CompiledRule, RuleSet
from .expressions import ExpressionError, Scope, render_value
from .loader import Document
from .model.declaration import LIST_SECTIONS, Declaration
from .model.result import (
    DeclarationResult,
    Finding,
    ProductionSummary,
    SourceLocation,
    Status,
    Subject,
)

#: Indexes bound beside the sections: name -> (section, key field, key is a list).


def _to_cel(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _to_cel(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_to_cel(v) for v in value]
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, AnyUrl):
        return str(value)
    return value


def bind(declaration: Declaration, params: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The variables every expression sees for one declaration."""
    data = _to_cel(declaration.model_dump(mode="python", exclude={"api_version", "kind"}))
    variables: dict[str, Any] = dict(data)
    for section in LIST_SECTIONS:
        variables[f"{section}_by_id"] = {item["id"]: item for item in data[section]}
    for name, (section, key, many) in INDEXES.items():
        index: dict[str, list[Any]] = defaultdict(list)
        for item in data[section]:
            for value in item[key] if many else [item[key]]:
                index[value].append(item)
        variables[name] = dict(index)
    variables["params"] = _to_cel(params)
    variables["today"] = _to_cel(as_of)
    return variables


class _Evaluation:
    """One declaration's evaluation: its scope, document and the findings made so far."""

    def __init__(
        self, declaration: Declaration, document: Document, ruleset: RuleSet, as_of: dt.date
    ):
        self.variables = bind(declaration, ruleset.policy.params, as_of)
        self.scope = Scope(self.variables)
        self.document = document
        self.findings: list[Finding] = []

    def finding(
        self,
        compiled: CompiledRule,
        status: Status,
        message: str,
        pointer: str,
        subject_id: str | None,
    ) -> None:
        rule = compiled.loaded.rule
        located = pointer
        if rule.at and status in ("fail", "error") and pointer.count("/") == 2:
            located = f"{pointer}/{rule.at.replace('.', '/')}"
        where = self.document.locate(located)
        self.findings.append(
            Finding(
                rule_id=rule.id,
                title=rule.title,
                criterion=rule.criterion,
                severity=compiled.severity,
                status=status,
                message=message,
                subject=Subject(id=subject_id, pointer=pointer),
                location=SourceLocation(file=where.file, line=where.line, column=where.column),
                remediation=rule.remediation,
                references=rule.references,
                tags=rule.tags,
            )
        )

    def message(self, compiled: CompiledRule, item: Any) -> str:
        name = compiled.loaded.rule.as_
        out = []
        for part in compiled.message_parts:
            if isinstance(part, str):
                out.append(part)
                continue
            try:
                out.append(render_value(self.scope.run_with(part, name, item)))
            except ExpressionError as exc:
                out.append(f"<cannot evaluate {part.source!r}: {exc}>")
        return "".join(out).strip()

    def run(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        production = self.variables["production"]
        if compiled.applies_when is not None:
            try:
                applies = self.scope.run(compiled.applies_when)
            except ExpressionError as exc:
                self.finding(compiled, "error", f"applies_when failed: {exc}", "", production["id"])
                return
            if applies is not True and applies is not False:
                self.finding(
                    compiled, "error", f"applies_when gave {applies!r}, not true or false", "", None
                )
                return
            if not applies:
                reason = rule.applicability or f"applies only when {rule.applies_when}"
                self.finding(compiled, "not_applicable", reason, "/production", production["id"])
                return
        if rule.for_each == "declaration":
            self._per_item(compiled, [("/production", production["id"], production)])
            return
        items = self.variables[rule.for_each]
        if compiled.fast is not None:
            try:
                any_applicable, all_pass = self.scope.run(compiled.fast)
            except ExpressionError:
                pass  # pinpoint the item that raised, below
            else:
                if not any_applicable:
                    self._not_applicable(compiled)
                    return
                if all_pass is True:
                    self._passed(compiled)
                    return
        section = rule.for_each
        self._per_item(
            compiled,
            [(f"/{section}/{i}", item.get("id"), item) for i, item in enumerate(items)],
        )

    def _not_applicable(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        reason = rule.applicability or (
            f"no {rule.for_each} to check" + (f" where {rule.where}" if rule.where else "")
        )
        self.finding(compiled, "not_applicable", reason, f"/{rule.for_each}", None)

    def _passed(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        pointer = "/production" if rule.for_each == "declaration" else f"/{rule.for_each}"
        self.finding(compiled, "pass", f"passed: {rule.title}", pointer, None)

    def _per_item(self, compiled: CompiledRule, items: list[tuple[str, str | None, Any]]) -> None:
        rule = compiled.loaded.rule
        applicable = failed = 0
        for pointer, subject_id, item in items:
            try:
                outcome = self.scope.run_with(compiled.per_item, rule.as_, item)
            except ExpressionError as exc:
                applicable += 1
                failed += 1
                self.finding(
                    compiled,
                    "error",
                    f"cannot evaluate the rule for {subject_id or pointer}: {exc}",
                    pointer,
                    subject_id,
                )
                continue
            if outcome == ITEM_NOT_APPLICABLE:
                continue
            applicable += 1
            if outcome == ITEM_FAIL:
                failed += 1
                self.finding(compiled, "fail", self.message(compiled, item), pointer, subject_id)
        if not applicable:
            self._not_applicable(compiled)
        elif not failed:
            self._passed(compiled)


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


def evaluate(
    declaration: Declaration, document: Document, ruleset: RuleSet, as_of: dt.date
) -> DeclarationResult:
    """Every rule of the rule set over one declaration, findings in a deterministic order."""
    evaluation = _Evaluation(declaration, document, ruleset, as_of)
    for compiled in ruleset.rules:
        evaluation.run(compiled)
    findings = sorted(
        evaluation.findings,
        key=lambda f: (f.location.line, f.location.column, f.rule_id, f.subject.pointer),
    )
    return DeclarationResult(
        file=document.path,
        sha256=document.sha256,
        production=summarize_production(declaration),
        findings=findings,
        declaration=declaration.model_dump(mode="json", by_alias=True),
    )
