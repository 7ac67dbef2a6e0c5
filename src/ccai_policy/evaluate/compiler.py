"""Compile rules into CEL programs: each field checked, then composed for fast evaluation."""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.evaluate import typecheck
from ccai_policy.evaluate.expressions import Compiled, compile_expression, map_position
from ccai_policy.model.declaration import LIST_SECTIONS, OBJECT_SECTIONS
from ccai_policy.model.grading import Severity
from ccai_policy.model.rule import NeedsInformation, Rule, Window
from ccai_policy.policy.catalog import LoadedRule, ResolvedPolicy, data_dir, rule_location

INDEXES: dict[str, tuple[str, str, bool]] = {
    "consents_by_use": ("consents", "uses", True),
    "consents_by_person": ("consents", "person", False),
    "compensation_by_use": ("compensation", "use", False),
    "compensation_by_person": ("compensation", "person", False),
    "notices_by_use": ("notices", "uses", True),
    "assets_by_use": ("assets", "uses", True),
    "uses_by_subject": ("uses", "subjects", True),
    "uses_by_tool": ("uses", "tool_ids", True),
}
BY_ID = tuple(f"{s}_by_id" for s in LIST_SECTIONS)
#: Every name an expression may use besides its own item name.
GLOBAL_NAMES = frozenset({*LIST_SECTIONS, *OBJECT_SECTIONS, *BY_ID, *INDEXES, "params", "today"})
#: A `{{ expression }}` in a rule message.
TEMPLATE = re.compile(r"\{\{(.+?)\}\}", re.DOTALL)
_PARAM = re.compile(r"\bparams\.([A-Za-z_][A-Za-z0-9_]*)")
ITEM_PASS, ITEM_FAIL, ITEM_NOT_APPLICABLE = 1, 0, 2


#: Names the engine binds per call; rule names cannot start with '_', so they never collide.
INDEX_NAME = "_i"
CHUNK_NAME = "_chunk"
#: Items per pinpointing call: CEL's filter copies its output, so keep each output small.
CHUNK = 256


@dataclass(frozen=True)
class CompiledNeed:
    """One 'needs information' entry: when it holds for an item, what to ask, where to point."""

    need: NeedsInformation
    when: Compiled
    in_id: Compiled | None
    ask_parts: list[str | Compiled]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: its programs, its effective severity and where it came from."""

    loaded: LoadedRule
    severity: Severity
    applies_when: Compiled | None
    fast: Compiled | None
    pinpoint: Compiled | None
    per_item: Compiled
    message_parts: list[str | Compiled]
    needs: list[CompiledNeed] = field(default_factory=list)
    #: Whether any item is selected when the effective dates are ignored (None: no dated window).
    undated: Compiled | None = None


@dataclass(frozen=True)
class RuleSet:
    policy: ResolvedPolicy
    rules: list[CompiledRule]

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The declaration-wide names the rules use: only these are converted for CEL."""
        used: set[str] = {"production"}  # findings about the whole declaration name it
        for rule in self.rules:
            programs = [rule.applies_when, rule.fast, rule.pinpoint, rule.per_item, rule.undated]
            for need in rule.needs:
                programs += [need.when, need.in_id]
                programs += [p for p in need.ask_parts if not isinstance(p, str)]
            programs += [p for p in rule.message_parts if not isinstance(p, str)]
            for program in programs:
                if program is not None:
                    used.update(program.program.variables())
        return frozenset(used & GLOBAL_NAMES)


def _timestamp(day: dt.date) -> str:
    return f"timestamp('{day.isoformat()}T00:00:00Z')"


def is_dated(window: Window) -> bool:
    """Whether a window compares a date of the item (else it is shown, not enforced)."""
    return (window.date is not None or window.dates is not None) and bool(
        window.from_ or window.until
    )


def _window(window: Window) -> str:
    """CEL: the window counts, and the item's date is unknown or inside it."""
    when = f"({window.when})" if window.when else "true"
    if not is_dated(window):
        return when
    bounds = []
    if window.from_ is not None:
        bounds.append(f"__d >= {_timestamp(window.from_)}")
    if window.until is not None:
        bounds.append(f"__d < {_timestamp(window.until + dt.timedelta(days=1))}")
    days = f"({window.dates})" if window.dates else f"[{window.date}]"
    return f"{when} && {days}.exists(__d, __d == null || ({' && '.join(bounds)}))"


def dated(rule: Rule) -> bool:
    """Whether any window of the rule compares a date of the item, or counts only sometimes."""
    return any(is_dated(w) or w.when for w in rule.effective)


def _in_force(rule: Rule) -> str:
    if not dated(rule):
        return "true"
    return "(" + " || ".join(f"({_window(w)})" for w in rule.effective) + ")"


def _compose(loaded: LoadedRule) -> dict[str, str]:
    """The programs a rule runs as: fast over the whole section, then to find failing items.

    An item is checked when `where` selects it and it falls inside an effective window; it
    passes when no needed fact is unknown and `assert` holds.
    """
    rule = loaded.rule
    undated = f"({rule.where})" if rule.where else "true"
    where = f"({undated} && {_in_force(rule)})"
    known = " && ".join(f"!({n.when})" for n in rule.needs_information)
    holds = f"({known} && ({rule.assert_}))" if known else f"({rule.assert_})"
    verdict = f"({where}) ? ({holds} ? {ITEM_PASS} : {ITEM_FAIL}) : {ITEM_NOT_APPLICABLE}"
    if rule.for_each == "declaration":
        programs = {"per_item": verdict}
        if dated(rule):
            programs["undated"] = f"[{rule.as_}].exists({rule.as_}, {undated})"
        return programs
    x, s = rule.as_, rule.for_each
    programs = {
        # Any item applicable, and every applicable item passing, in one linear call.
        "fast": f"[{s}.exists({x}, {where}), {s}.all({x}, ({where}) ? {holds} : true)]",
        # The positions of failing items within one chunk of positions.
        "pinpoint": f"{CHUNK_NAME}.filter({INDEX_NAME}, [{s}[{INDEX_NAME}]].exists({x}, "
        f"({where}) ? !{holds} : false))",
        # One item by position, where a chunk raised.
        "per_item": f"[{s}[{INDEX_NAME}]].map({x}, {verdict})[0]",
    }
    if dated(rule):
        programs["undated"] = f"{s}.exists({x}, {undated})"
    return programs


def _bind_item(loaded: LoadedRule, source: str) -> str:
    """A message expression evaluated for the item at the bound position."""
    rule = loaded.rule
    if rule.for_each == "declaration":
        return source
    return f"[{rule.for_each}[{INDEX_NAME}]].map({rule.as_}, {source})[0]"


def _type_problems(loaded: LoadedRule, key: str, source: str, offset: int = 0) -> list[CcaiError]:
    """Fields and types of one expression checked against the declaration model, located.

    `offset` is where the expression starts inside the field's value (for message parts).
    """
    rule = loaded.rule
    origin, style, text = rule_location(loaded, key)
    value = rule.message if key == "message" else source
    before = value[:offset]
    line = before.count("\n") + 1 if style == "|" else 1
    column = offset - (before.rfind("\n") + 1 if style == "|" else 0)
    problems: list[CcaiError] = []
    # Conditions give true or false; dates, ids and the parts of a message or a question do not.
    condition = key in ("applies_when", "where", "assert") or key.endswith("/when")
    for problem in typecheck.check(source, rule.as_, rule.for_each, condition=condition):
        where = map_position(
            line + problem.line - 1,
            (column if problem.line == 1 else 0) + problem.column,
            origin,
            style,
            text,
        )
        problems.append(RuleError(f"{rule.id}: '{key}' {problem.message}", where, problem.hint))
    return problems


def _at_problem(loaded: LoadedRule) -> list[CcaiError]:
    rule = loaded.rule
    if not rule.at or rule.for_each == "declaration":
        return []
    problem = typecheck.check_field_path(rule.at, rule.for_each)
    if problem is None:
        return []
    origin, style, text = rule_location(loaded, "at")
    where = map_position(1, problem.column, origin, style, text)
    return [RuleError(f"{rule.id}: 'at' {problem.message}", where, problem.hint)]


def checks_types(loaded: LoadedRule) -> bool:
    """Whether loading a rule type-checks it: every rule but the bundled ones, which the
    project's own tests and `rules lint` check (so that `check` starts fast)."""
    return (
        Path(os.path.abspath(data_dir("rules")))
        not in Path(os.path.abspath(loaded.document.path)).parents
    )


def compile_rule(
    loaded: LoadedRule, severity: Severity, *, check_types: bool | None = None
) -> CompiledRule:
    """Compile a rule's expressions; problems raise RuleError at the rule file's line.

    Fields and types are checked against the declaration model when `check_types` (by
    default: for every rule not bundled) and the checker can run here.
    """
    rule = loaded.rule
    typed = checks_types(loaded) if check_types is None else check_types
    typed = typed and not typecheck.available()
    known = GLOBAL_NAMES | {rule.as_}

    def compile_field(key: str, source: str, offset: int = 0) -> Compiled:
        origin, style, text = rule_location(loaded, key)
        compiled = compile_expression(
            source,
            what=f"{rule.id}: '{key}'",
            origin=origin,
            style=style,
            text=text,
            known=() if typed else known,  # the type checker locates unknown names exactly
        )
        if typed:
            found = _type_problems(loaded, key, source, offset)
            if found:
                raise ValidationErrors(found)
        return compiled

    problems: list[CcaiError] = []
    compiled: dict[str, Compiled] = {}
    fields: list[tuple[str, str | None]] = [
        ("applies_when", rule.applies_when),
        ("where", rule.where),
        ("assert", rule.assert_),
    ]
    for i, w in enumerate(rule.effective):
        fields += [(f"effective/{i}/{k}", getattr(w, k)) for k in ("date", "dates", "when")]
    for i, need in enumerate(rule.needs_information):
        fields += [(f"needs_information/{i}/when", need.when)]
        fields += [(f"needs_information/{i}/in_id", need.in_id)]
    for key, source in fields:
        if source:
            try:
                compiled[key] = compile_field(key, source)
            except ValidationErrors as exc:
                problems.extend(exc.problems)
            except RuleError as exc:
                problems.append(exc)

    def template(key: str, text: str) -> list[str | Compiled]:
        parts: list[str | Compiled] = []
        position = 0
        for match in TEMPLATE.finditer(text):
            parts.append(text[position : match.start()])
            inner = match.group(1)
            offset = match.start(1) + len(inner) - len(inner.lstrip())
            try:
                parts.append(compile_field(key, inner.strip(), offset))
            except ValidationErrors as exc:
                problems.extend(exc.problems)
            except RuleError as exc:
                problems.append(exc)
            position = match.end()
        parts.append(text[position:])
        return parts

    parts = template("message", rule.message)
    asks = [
        template(f"needs_information/{i}/ask", n.ask) for i, n in enumerate(rule.needs_information)
    ]
    sources = [rule.applies_when or "", rule.where or "", rule.assert_, rule.message]
    sources += [n.when for n in rule.needs_information]
    sources += [w.date or "" for w in rule.effective] + [w.dates or "" for w in rule.effective]
    sources += [w.when or "" for w in rule.effective]
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
    if typed:
        problems.extend(_at_problem(loaded))
    if problems:
        raise ValidationErrors(problems)
    origin, _, _ = rule_location(loaded, "assert")

    def composed(source: str) -> Compiled:
        return compile_expression(source, what=rule.id, origin=origin, checked=False)

    programs = {name: composed(source) for name, source in _compose(loaded).items()}

    def bound(template_parts: list[str | Compiled]) -> list[str | Compiled]:
        return [
            p if isinstance(p, str) else composed(_bind_item(loaded, p.source))
            for p in template_parts
        ]

    needs = [
        CompiledNeed(
            need=need,
            when=composed(_bind_item(loaded, need.when)),
            in_id=composed(_bind_item(loaded, need.in_id)) if need.in_id else None,
            ask_parts=bound(asks[i]),
        )
        for i, need in enumerate(rule.needs_information)
    ]
    return CompiledRule(
        loaded=loaded,
        severity=severity,
        applies_when=compiled.get("applies_when"),
        fast=programs.get("fast"),
        pinpoint=programs.get("pinpoint"),
        per_item=programs["per_item"],
        message_parts=bound(parts),
        needs=needs,
        undated=programs.get("undated"),
    )


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
