"""Evaluate a validated declaration against a resolved policy: pure, no I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import AnyUrl

from .catalog import LoadedRule, ResolvedPolicy, rule_location
from .errors import CcaiError, RuleError, ValidationErrors
from .expressions import Compiled, ExpressionError, Scope, compile_expression, render_value
from .loader import Document
from .model.declaration import LIST_SECTIONS, OBJECT_SECTIONS, Declaration
from .model.result import (
    DeclarationResult,
    Finding,
    ProductionSummary,
    SourceLocation,
    Status,
    Subject,
)
from .model.rule import Severity

#: Indexes bound beside the sections: name -> (section, key field, key is a list).
INDEXES: dict[str, tuple[str, str, bool]] = {
    "consents_by_use": ("consents", "uses", True),
    "consents_by_person": ("consents", "person", False),
    "compensation_by_use": ("compensation", "use", False),
    "compensation_by_person": ("compensation", "person", False),
    "notices_by_use": ("notices", "uses", True),
    "assets_by_use": ("assets", "uses", True),
    "uses_by_subject": ("uses", "subjects", True),
    "uses_by_tool": ("uses", "tool", False),
}
BY_ID = tuple(f"{s}_by_id" for s in LIST_SECTIONS)
#: Every name an expression may use besides its own item name.
GLOBAL_NAMES = frozenset({*LIST_SECTIONS, *OBJECT_SECTIONS, *BY_ID, *INDEXES, "params", "today"})
_TEMPLATE = re.compile(r"\{\{(.+?)\}\}", re.DOTALL)
_PARAM = re.compile(r"\bparams\.([A-Za-z_][A-Za-z0-9_]*)")
_PASS, _FAIL, _NOT_APPLICABLE = 1, 0, 2


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: its programs, its effective severity and where it came from."""

    loaded: LoadedRule
    severity: Severity
    applies_when: Compiled | None
    fast: Compiled | None
    per_item: Compiled
    message_parts: list[str | Compiled]


@dataclass(frozen=True)
class RuleSet:
    policy: ResolvedPolicy
    rules: list[CompiledRule]


def _compose(loaded: LoadedRule) -> tuple[str | None, str]:
    rule = loaded.rule
    where = f"({rule.where})" if rule.where else "true"
    item = f"({where}) ? (({rule.assert_}) ? {_PASS} : {_FAIL}) : {_NOT_APPLICABLE}"
    if rule.for_each == "declaration":
        return None, item
    x, s = rule.as_, rule.for_each
    fast = f"[{s}.exists({x}, {where}), {s}.all({x}, ({where}) ? ({rule.assert_}) : true)]"
    return fast, item


def compile_rule(loaded: LoadedRule, severity: Severity) -> CompiledRule:
    """Compile a rule's expressions; problems raise RuleError at the rule file's line."""
    rule = loaded.rule
    known = GLOBAL_NAMES | {rule.as_}

    def compile_field(key: str, source: str) -> Compiled:
        origin, style, text = rule_location(loaded, key)
        return compile_expression(
            source, what=f"{rule.id}: '{key}'", origin=origin, style=style, text=text, known=known
        )

    problems: list[CcaiError] = []
    compiled: dict[str, Compiled] = {}
    for key, source in (
        ("applies_when", rule.applies_when),
        ("where", rule.where),
        ("assert", rule.assert_),
    ):
        if source:
            try:
                compiled[key] = compile_field(key, source)
            except RuleError as exc:
                problems.append(exc)
    parts: list[str | Compiled] = []
    position = 0
    for match in _TEMPLATE.finditer(rule.message):
        parts.append(rule.message[position : match.start()])
        try:
            parts.append(compile_field("message", match.group(1).strip()))
        except RuleError as exc:
            problems.append(exc)
        position = match.end()
    parts.append(rule.message[position:])
    sources = [rule.applies_when or "", rule.where or "", rule.assert_, rule.message]
    for name in sorted({p for source in sources for p in _PARAM.findall(source)}):
        if name not in rule.params:
            origin, _, _ = rule_location(loaded, "assert")
            problems.append(
                RuleError(
                    f"{rule.id}: uses params.{name}, which the rule does not declare",
                    origin,
                    f"add 'params: {{{name}: <default>}}' to the rule",
                )
            )
    if problems:
        raise ValidationErrors(problems)
    fast_source, item_source = _compose(loaded)
    origin, _, _ = rule_location(loaded, "assert")
    fast = (
        compile_expression(fast_source, what=rule.id, origin=origin, checked=False)
        if fast_source
        else None
    )
    per_item = compile_expression(item_source, what=rule.id, origin=origin, checked=False)
    return CompiledRule(loaded, severity, compiled.get("applies_when"), fast, per_item, parts)


def compile_policy(policy: ResolvedPolicy) -> RuleSet:
    """Compile every rule of a policy; every broken rule is reported, none is skipped."""
    compiled: list[CompiledRule] = []
    problems: list[CcaiError] = []
    for loaded in policy.rules:
        try:
            compiled.append(compile_rule(loaded, policy.severity[loaded.rule.id]))
        except ValidationErrors as exc:
            problems.extend(exc.problems)
        except RuleError as exc:
            problems.append(exc)
    if problems:
        raise ValidationErrors(problems)
    return RuleSet(policy, compiled)


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
            if outcome == _NOT_APPLICABLE:
                continue
            applicable += 1
            if outcome == _FAIL:
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
