"""Evaluate a validated declaration against a compiled rule set: pure, no I/O."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pydantic import AnyUrl

from ccai_policy.evaluate.compiler import (
    CHUNK,
    CHUNK_NAME,
    GLOBAL_NAMES,
    INDEX_NAME,
    INDEXES,
    ITEM_FAIL,
    ITEM_NOT_APPLICABLE,
    TEMPLATE,
    CompiledNeed,
    CompiledRule,
    RuleSet,
    is_dated,
)
from ccai_policy.evaluate.coverage import check_coverage
from ccai_policy.evaluate.expressions import Compiled, ExpressionError, Scope, render_value
from ccai_policy.evaluate.facts import derive
from ccai_policy.load.loader import Document
from ccai_policy.model.declaration import LIST_SECTIONS, Declaration
from ccai_policy.model.result import (
    DeclarationResult,
    Finding,
    ProductionSummary,
    Status,
    Subject,
)

#: Indexes bound beside the sections: name -> (section, key field, key is a list).


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _to_cel(value: Any) -> Any:
    """Model data as CEL wants it: dates as UTC timestamps, URLs as strings."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict:
        return {k: v if type(v) in _PLAIN else _to_cel(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [v if type(v) in _PLAIN else _to_cel(v) for v in value]
    if kind is dt.datetime:
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day, tzinfo=dt.UTC)
    if isinstance(value, AnyUrl):
        return str(value)
    return value


def bind(
    declaration: Declaration,
    params: dict[str, Any],
    as_of: dt.date,
    names: frozenset[str] = GLOBAL_NAMES,
) -> dict[str, Any]:
    """The variables expressions see for one declaration, limited to the names they use.

    Converting a variable for CEL costs time in proportion to its size, and every index
    holds a copy of its section's items, so unused sections and indexes are left out.
    """
    raw = declaration.model_dump(mode="python", exclude={"api_version", "kind"})
    derive(raw, as_of)
    data = _to_cel(raw)
    variables: dict[str, Any] = {k: v for k, v in data.items() if k in names}
    for section in LIST_SECTIONS:
        if f"{section}_by_id" in names:
            variables[f"{section}_by_id"] = {item["id"]: item for item in data[section]}
    for name, (section, key, many) in INDEXES.items():
        if name not in names:
            continue
        index: dict[str, list[Any]] = defaultdict(list)
        for item in data[section]:
            for value in item[key] if many else [item[key]]:
                if value is not None:
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
        self.declaration = declaration
        self.variables = bind(declaration, ruleset.policy.params, as_of, ruleset.names)
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
        self.findings.append(self._made(compiled, status, message, pointer, subject_id, where))

    def _bindings(self, compiled: CompiledRule, index: int) -> dict[str, Any]:
        """How one item is bound: by position in its section, or the production itself."""
        rule = compiled.loaded.rule
        if rule.for_each == "declaration":
            return {rule.as_: self.variables["production"]}
        return {INDEX_NAME: index}

    def message(self, compiled: CompiledRule, index: int) -> str:
        bindings = self._bindings(compiled, index)
        return self._render(compiled.message_parts, bindings, compiled.loaded.rule.message)

    def _render(self, parts: list[str | Compiled], bindings: dict[str, Any], text: str) -> str:
        """A template's text with each `{{ cel }}` replaced by its value (`text` as written)."""
        out = []
        written = iter(m.group(1).strip() for m in TEMPLATE.finditer(text))
        for part in parts:
            if isinstance(part, str):
                out.append(part)
                continue
            source = next(written, part.source)  # as the rule's author wrote it
            try:
                out.append(render_value(self.scope.run_with(part, **bindings)))
            except ExpressionError as exc:
                raise MessageError(source, str(exc)) from None
        return "".join(out).strip()

    def run(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        production = self.variables["production"]
        if rule.agreements and not set(rule.agreements) & set(production["agreements"]):
            reason = f"applies only to productions under {' or '.join(rule.agreements)}"
            self.finding(compiled, "not_applicable", reason, "/production", production["id"])
            return
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
                reason = rule.applicability or (
                    "This production is not of the kind this rule applies to."
                )
                self.finding(compiled, "not_applicable", reason, "/production", production["id"])
                return
        if compiled.fast is None:  # for_each: declaration
            self._per_item(compiled, [0])
            return
        count = len(self.variables[rule.for_each])
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

    def _pinpoint(self, compiled: CompiledRule, count: int) -> None:
        """Find the failing items a chunk at a time (CEL's filter is quadratic in its output)."""
        assert compiled.pinpoint is not None
        before = len(self.findings)
        for start in range(0, count, CHUNK):
            chunk = list(range(start, min(count, start + CHUNK)))
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
        section = compiled.loaded.rule.for_each
        if section == "declaration":
            return "/production", self.variables["production"]["id"]
        return f"/{section}/{index}", self.variables[section][index].get("id")

    def _fail(self, compiled: CompiledRule, index: int) -> None:
        pointer, subject_id = self._item(compiled, index)
        bindings = self._bindings(compiled, index)
        try:
            for need in compiled.needs:
                try:
                    unknown = self.scope.run_with(need.when, **bindings)
                except ExpressionError:
                    continue
                if unknown is not True:
                    continue
                at = self._needed_at(need, bindings, pointer) + "/" + need.need.field
                ask = self._render(need.ask_parts, bindings, need.need.ask)
                where = self.document.locate(at)
                message = f"needs information: {ask}"
                made = self._made(compiled, "fail", message, pointer, subject_id, where)
                self.findings.append(made)
                return
            message = self.message(compiled, index)
        except MessageError as exc:  # fail closed, in the rule's own words, never raw template
            title = compiled.loaded.rule.title
            source = " ".join(exc.source.split())
            reason = " ".join(exc.reason.split())
            message = (
                f"{MESSAGE_ERROR} {subject_id or pointer}, which fails the rule “{title}”: "
                f"{{{{ {source} }}}} gave {reason}"
            )
            self.finding(compiled, "error", message, pointer, subject_id)
            return
        self.finding(compiled, "fail", message, pointer, subject_id)

    def _needed_at(self, need: CompiledNeed, bindings: dict[str, Any], pointer: str) -> str:
        """Where an unknown fact lives: on the item, or on the item of another section."""
        section = need.need.in_section
        if section is None:
            return pointer
        if need.in_id is None:
            return f"/{section}"
        try:
            wanted = self.scope.run_with(need.in_id, **bindings)
        except ExpressionError:
            return pointer
        for position, item in enumerate(getattr(self.declaration, section, ())):
            if getattr(item, "id", None) == wanted:
                return f"/{section}/{position}"
        return pointer

    def _made(
        self,
        compiled: CompiledRule,
        status: Status,
        message: str,
        pointer: str,
        subject_id: str | None,
        where: Any,
    ) -> Finding:
        rule = compiled.loaded.rule
        return Finding(
            rule_id=rule.id,
            title=rule.title,
            criterion=rule.criterion,
            severity=compiled.severity,
            status=status,
            message=message,
            subject=Subject(id=subject_id, pointer=pointer),
            location=where,
            remediation=rule.remediation,
            references=rule.references,
            tags=rule.tags,
        )

    def _not_applicable(self, compiled: CompiledRule) -> None:
        rule = compiled.loaded.rule
        noun = SECTION_NOUNS.get(rule.for_each, rule.for_each)
        reason = rule.applicability or (
            f"Nothing in this declaration is of the kind this rule checks ({noun})."
            if rule.where
            else f"This declaration has no {noun}."
        )
        if compiled.undated is not None and self._selected_undated(compiled):
            windows = "; ".join(
                f"{w.obligation} applies from {w.from_}"
                + (f" until {w.until}" if w.until else "")
                + f" by {w.of}"
                for w in rule.effective
                if is_dated(w)
            )
            reason = (
                f"not in force for this declaration: {windows}, and every item is dated outside"
            )
        self.finding(compiled, "not_applicable", reason, f"/{rule.for_each}", None)

    def _selected_undated(self, compiled: CompiledRule) -> bool:
        assert compiled.undated is not None
        rule = compiled.loaded.rule
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


class MessageError(Exception):
    """A rule's message template could not be written for an item."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(source, reason)
        self.source = source
        self.reason = reason


#: What an error finding says when a rule's message cannot be written; `rules lint` looks for it.
MESSAGE_ERROR = "cannot write the message for"
#: Each section in plain words, for reasons a reader sees.
SECTION_NOUNS = {
    "uses": "AI uses",
    "people": "people",
    "tools": "AI tools",
    "consents": "consents",
    "compensation": "compensation records",
    "notices": "notices",
    "assets": "assets",
    "workforce": "workforce records",
}


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
    findings = sorted(
        evaluation.findings,
        key=lambda f: (f.location.line, f.location.column, f.rule_id, f.subject.pointer),
    )
    return DeclarationResult(
        file=document.path,
        sha256=document.sha256,
        production=summarize_production(declaration),
        findings=findings,
        declaration=declaration.model_dump(mode="json", by_alias=True) if keep_declaration else {},
    )
