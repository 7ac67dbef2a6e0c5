"""Evaluate a validated declaration against a compiled rule set: pure, no I/O."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from typing import Any

from ccai_policy.evaluate import runtime
from ccai_policy.evaluate.compiler import CompiledRule, RuleSet
from ccai_policy.evaluate.coverage import check_coverage
from ccai_policy.evaluate.expressions import Compiled, ExpressionError
from ccai_policy.evaluate.findings import finding_order, make_finding, summarize_production
from ccai_policy.evaluate.messages import (
    ItemPositions,
    MessageError,
    failure_message,
    unwritable_message,
)
from ccai_policy.evaluate.not_applicable import dates_reason, production_reason, selection_reason
from ccai_policy.evaluate.programs import (
    CHUNK_NAME,
    INDEX_NAME,
    ITEM_FAIL,
    ITEM_NOT_APPLICABLE,
    MESSAGE_CHUNK,
    chunks,
    is_batch_value,
    is_sweep_value,
)
from ccai_policy.evaluate.scope import declaration_scope
from ccai_policy.load.loader import Document
from ccai_policy.model.declaration import Declaration
from ccai_policy.model.result import (
    DeclarationResult,
    Finding,
    Status,
)


class _Evaluation:
    """One declaration's evaluation: its scope, document and the findings made so far."""

    def __init__(
        self, declaration: Declaration, document: Document, ruleset: RuleSet, as_of: dt.date
    ):
        self.declaration = declaration
        params = ruleset.policy.params
        self.scope = declaration_scope(declaration, params, as_of, ruleset.names, ruleset.fast)
        self.variables = self.scope.variables
        self.document = document
        self.positions = ItemPositions(declaration)
        self.findings: list[Finding] = []

    @functools.cached_property
    def production(self) -> dict[str, Any]:
        """The production as JSON data, for the facts a not-applicable reason states."""
        return self.declaration.production.model_dump(mode="json")

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
        self.findings.append(make_finding(compiled, status, message, pointer, subject_id, where))

    def _bindings(self, compiled: CompiledRule, index: int) -> dict[str, Any]:
        """How one item is bound: by position in its section, or the production itself."""
        if (rule := compiled.loaded.rule).for_each == "declaration":
            return {rule.as_: self.variables["production"]}
        return {INDEX_NAME: index}

    def run(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        production = self.variables["production"]
        if rule.agreements and not set(rule.agreements) & set(production["agreements"]):
            under = f"applies only to productions under {' or '.join(rule.agreements)}"
            reason = production_reason(under, self.production)
            self.finding(compiled, "not_applicable", reason, "/production", production["id"])
            return
        if compiled.applies_when is not None:
            try:
                applies = self.scope.run(compiled.applies_when)
            except ExpressionError as exc:
                self.finding(compiled, "error", f"applies_when failed: {exc}", "", production["id"])
                return
            if applies is not True and applies is not False:
                message = f"applies_when gave {applies!r}, not true or false"
                self.finding(compiled, "error", message, "", None)
                return
            if not applies:
                reason = production_reason(rule.applicability, self.production)
                self.finding(compiled, "not_applicable", reason, "/production", production["id"])
                return
        if rule.for_each == "declaration":  # no section to sweep
            self._per_item(compiled, [0])
            return
        count = len(self.variables[rule.for_each])
        if compiled.sweep is not None and self._swept(compiled, compiled.sweep, count):
            return
        assert compiled.fast is not None  # a section rule's; compiled here, where it runs
        try:
            any_applicable, all_pass = self.scope.run(compiled.fast)
        except ExpressionError:
            self._per_item(compiled, range(count))  # some item raises: find it, item by item
            return
        if not any_applicable:
            self._not_applicable(compiled)
        elif all_pass is True:
            self._passed(compiled)
        else:
            self._pinpoint(compiled, count)

    def _swept(self, compiled: CompiledRule, sweep: str, count: int) -> bool:
        """Judge a section rule in the fast runtime, a chunk a call; False where any chunk
        failed there (nothing is judged then: the reference runtime judges the whole rule)."""
        applicable, failing = False, []
        for chunk in chunks(count):
            value = self.scope.sweep(sweep, chunk)
            if value is runtime.FAILED or not is_sweep_value(value, chunk):
                return False
            applicable = applicable or value[0]
            failing += value[1]
        if not applicable:
            self._not_applicable(compiled)
        elif not failing:
            self._passed(compiled)
        self._fail_all(compiled, failing)
        return True

    def _pinpoint(self, compiled: CompiledRule, count: int) -> None:
        """Find the failing items a chunk at a time (CEL's filter is quadratic in its output)."""
        assert compiled.pinpoint is not None
        before = len(self.findings)
        for chunk in chunks(count):
            try:
                failing = self.scope.run_with(compiled.pinpoint, **{CHUNK_NAME: chunk})
            except ExpressionError:
                self._per_item(compiled, chunk, summarize=False)
                continue
            for index in failing:
                self._fail(compiled, int(index))
        if len(self.findings) == before:  # fail closed: the rule failed, yet no item did
            self.finding(
                compiled,
                "error",
                "the rule failed as a whole but no single item could be pinpointed",
                f"/{compiled.loaded.rule.for_each}",
                None,
            )

    def _item(self, compiled: CompiledRule, index: int) -> tuple[str, str | None]:
        if (section := compiled.loaded.rule.for_each) == "declaration":
            return "/production", self.variables["production"]["id"]
        return f"/{section}/{index}", self.variables[section][index].get("id")

    def _fail_all(self, compiled: CompiledRule, failing: list[int]) -> None:
        """The findings of failing items, their messages written a chunk per call in the fast
        runtime (compiler.py: `batch`); item by item where a chunk fails there."""
        parts = [id(part) for part in compiled.batch_parts] if failing else []  # compiles them
        batch = compiled.batch if parts else None
        for start in range(0, len(failing), MESSAGE_CHUNK):
            chunk = failing[start : start + MESSAGE_CHUNK]
            rows = self.scope.sweep(batch, chunk) if batch else [[]] * len(chunk)
            if not is_batch_value(rows, len(chunk), len(parts)):
                rows = [None] * len(chunk)
            for index, row in zip(chunk, rows, strict=True):
                self._fail(
                    compiled, index, None if row is None else dict(zip(parts, row, strict=True))
                )

    def _fail(
        self, compiled: CompiledRule, index: int, written: dict[int, Any] | None = None
    ) -> None:
        """One failing item's finding; `written`: its message parts' values, by part."""
        pointer, subject_id = self._item(compiled, index)
        if written is None:
            bindings = self._bindings(compiled, index)

            def value(part: Compiled) -> Any:
                return self.scope.run_with(part, **bindings)
        else:
            values = written

            def value(part: Compiled) -> Any:
                return values[id(part)]

        try:
            message, at = failure_message(value, self.positions, compiled, pointer)
        except MessageError as exc:  # fail closed
            message = unwritable_message(subject_id or pointer, compiled.loaded.rule.title, exc)
            self.finding(compiled, "error", message, pointer, subject_id)
            return
        if at is None:
            self.finding(compiled, "fail", message, pointer, subject_id)
            return
        where = self.document.locate(at)
        self.findings.append(make_finding(compiled, "fail", message, pointer, subject_id, where))

    def _not_applicable(self, compiled: CompiledRule) -> None:
        rule, reason = compiled.loaded.rule, None
        if compiled.undated is not None and self._selected_undated(compiled):
            reason = dates_reason(rule)
        if reason is None:
            count = len(getattr(self.declaration, rule.for_each, None) or ())
            reason = selection_reason(rule.for_each, count, self.production)
        self.finding(compiled, "not_applicable", reason, f"/{rule.for_each}", None)

    def _selected_undated(self, compiled: CompiledRule) -> bool:
        assert compiled.undated is not None
        rule = compiled.loaded.rule
        if compiled.sweep_undated is not None:
            count = len(self.variables[rule.for_each])
            values = [self.scope.sweep(compiled.sweep_undated, c) for c in chunks(count)]
            if all(v is True or v is False for v in values):
                return True in values
        bindings = (
            {rule.as_: self.variables["production"]} if rule.for_each == "declaration" else {}
        )
        try:
            return self.scope.run_with(compiled.undated, **bindings) is True
        except ExpressionError:
            return False

    def _passed(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        pointer = "/production" if rule.for_each == "declaration" else f"/{rule.for_each}"
        self.finding(compiled, "pass", f"passed: {rule.title}", pointer, None)

    def _per_item(
        self, compiled: CompiledRule, indices: Iterable[int], *, summarize: bool = True
    ) -> None:
        """Evaluate items one call each: only where a rule raised, or for the declaration."""
        applicable = failed = 0
        for index in indices:
            try:
                outcome = self.scope.run_with(compiled.per_item, **self._bindings(compiled, index))
            except ExpressionError as exc:
                applicable += 1
                failed += 1
                pointer, subject_id = self._item(compiled, index)
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
                self._fail(compiled, index)
        if not summarize:
            return
        if not applicable:
            self._not_applicable(compiled)
        elif not failed:
            self._passed(compiled)


def evaluate(
    declaration: Declaration,
    document: Document,
    ruleset: RuleSet,
    as_of: dt.date,
    keep_declaration: bool = True,
) -> DeclarationResult:
    """Every rule of the rule set over one declaration, findings in a deterministic order.

    keep_declaration=False leaves the result's copy of the declaration empty, for runs whose
    outputs never read it (see formats.READ_DECLARATION).
    """
    evaluation = _Evaluation(declaration, document, ruleset, as_of)
    for compiled in ruleset.rules:
        evaluation.run(compiled)
    encoded = {a for compiled in ruleset.rules for a in compiled.loaded.rule.agreements}
    if encoded:
        evaluation.findings.extend(check_coverage(declaration, document, encoded))
    findings = sorted(evaluation.findings, key=finding_order)
    return DeclarationResult(
        file=document.path,
        sha256=document.sha256,
        production=summarize_production(declaration),
        findings=findings,
        declaration=declaration.model_dump(mode="json", by_alias=True) if keep_declaration else {},
    )
