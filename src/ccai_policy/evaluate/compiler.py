"""Compile rules into CEL programs: each field checked, then composed for fast evaluation."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.evaluate import typecheck
from ccai_policy.evaluate.expressions import Compiled, compile_expression, map_position
from ccai_policy.evaluate.programs import GLOBAL_NAMES, batch, bind_item, compose, compose_fast
from ccai_policy.model.grading import Severity
from ccai_policy.model.rule import NeedsInformation
from ccai_policy.paths import data_dir
from ccai_policy.policy.resolve import ResolvedPolicy
from ccai_policy.policy.rulefiles import LoadedRule, rule_location

#: A `{{ expression }}` in a rule message.
TEMPLATE = re.compile(r"\{\{(.+?)\}\}", re.DOTALL)
_PARAM = re.compile(r"\bparams\.([A-Za-z_][A-Za-z0-9_]*)")


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
    #: For the fast runtime, per chunk of items (programs.compose_fast; None: a declaration
    #: rule): any item applicable and the failing positions; any item selected, dates ignored.
    sweep: str | None = None
    sweep_undated: str | None = None
    #: For the fast runtime: the values of `batch_parts` (needs' conditions, ids and questions,
    #: the message's parts) for each failing item of a chunk, in one call.
    batch: str | None = None
    batch_parts: tuple[Compiled, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    policy: ResolvedPolicy
    rules: list[CompiledRule]
    #: False: every program in the reference runtime only (to compare the two runtimes).
    fast: bool = True

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

    def composed(source: str, fast_source: str | None = "") -> Compiled:
        return compile_expression(
            source, what=rule.id, origin=origin, checked=False, fast_source=fast_source
        )

    fast = compose_fast(loaded)
    declaration = rule.for_each == "declaration"
    programs = {
        # A section rule's own programs run only where its sweep failed: reference only.
        name: composed(source, fast.get(name) if declaration else None)
        for name, source in compose(loaded).items()
    }

    raw: dict[int, str] = {}  # each part's own expression, by the part composed from it

    def item(source: str) -> Compiled:
        part = composed(bind_item(loaded, source), bind_item(loaded, source, fast=True))
        raw[id(part)] = source
        return part

    def bound(template_parts: list[str | Compiled]) -> list[str | Compiled]:
        return [p if isinstance(p, str) else item(p.source) for p in template_parts]

    needs = [
        CompiledNeed(
            need=need,
            when=item(need.when),
            in_id=item(need.in_id) if need.in_id else None,
            ask_parts=bound(asks[i]),
        )
        for i, need in enumerate(rule.needs_information)
    ]
    message_parts = bound(parts)
    # A part is written only where the message needs it, as failure_message reads them: the
    # first need whose condition holds, or else the rule's message.
    guarded: list[tuple[Compiled, str]] = [(n.when, raw[id(n.when)]) for n in needs]
    for k, asking in enumerate(needs):
        first = " && ".join([*(f"!(({raw[id(n.when)]}) == true)" for n in needs[:k]), "true"])
        asked = f"{first} && ({raw[id(asking.when)]}) == true"
        written = [p for p in (asking.in_id, *asking.ask_parts) if isinstance(p, Compiled)]
        guarded += [(p, f"({asked}) ? ({raw[id(p)]}) : null") for p in written]
    none = " && ".join([*(f"!(({raw[id(n.when)]}) == true)" for n in needs), "true"])
    written = [p for p in message_parts if isinstance(p, Compiled)]
    guarded += [(p, f"({none}) ? ({raw[id(p)]}) : null") for p in written]
    batch_parts = [part for part, _ in guarded]
    return CompiledRule(
        loaded=loaded,
        severity=severity,
        applies_when=compiled.get("applies_when"),
        fast=programs.get("fast"),
        pinpoint=programs.get("pinpoint"),
        per_item=programs["per_item"],
        message_parts=message_parts,
        needs=needs,
        undated=programs.get("undated"),
        sweep=fast.get("sweep"),
        sweep_undated=None if declaration else fast.get("undated"),
        batch=None if declaration else batch(loaded, [source for _, source in guarded]),
        batch_parts=tuple(batch_parts),
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
