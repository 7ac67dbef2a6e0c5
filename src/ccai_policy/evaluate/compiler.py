"""Compile rules into CEL programs: each field checked, then composed for fast evaluation."""

from __future__ import annotations

import functools
import itertools
import os
import re

from ccai_policy.errors import CcaiError, RuleError, ValidationErrors
from ccai_policy.evaluate.celtokens import TokenError, tokens
from ccai_policy.evaluate.compiled import (
    TEMPLATE,
    CompiledNeed,
    CompiledRule,
    RuleSet,
    template_sources,
)
from ccai_policy.evaluate.expressions import compile_expression, map_position
from ccai_policy.evaluate.programs import GLOBAL_NAMES, compose, compose_fast
from ccai_policy.evaluate.timeplace import LOCAL_TIMES, local_name
from ccai_policy.model.grading import Severity
from ccai_policy.paths import data_dir
from ccai_policy.policy.resolve import ResolvedPolicy
from ccai_policy.policy.rulefiles import LoadedRule, rule_location

__all__ = ["TEMPLATE", "CompiledNeed", "CompiledRule", "RuleSet", "compile_policy", "compile_rule"]

_PARAM = re.compile(r"\bparams\.([A-Za-z_][A-Za-z0-9_]*)")


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
    from ccai_policy.evaluate import typecheck

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
    from ccai_policy.evaluate import typecheck

    problem = typecheck.check_field_path(rule.at, rule.for_each)
    if problem is None:
        return []
    origin, style, text = rule_location(loaded, "at")
    where = map_position(1, problem.column, origin, style, text)
    return [RuleError(f"{rule.id}: 'at' {problem.message}", where, problem.hint)]


def _instant_window_problems(loaded: LoadedRule) -> list[CcaiError]:
    """A window dated by a timestamp compares its instant with the window's dates, which
    name days with no time zone: 2026-07-01T08:00:00+09:00 would fall on 30 June. Such a
    window must read the timestamp on its own clock (`starts_local` for `starts_at`)."""
    instants = {field for _, _, field in LOCAL_TIMES}
    problems: list[CcaiError] = []
    for i, window in enumerate(loaded.rule.effective):
        for key in ("date", "dates"):
            source = getattr(window, key) or ""
            try:
                toks = tokens(source)
            except TokenError:
                continue  # compiling the expression reports it
            for before, token in itertools.pairwise(toks):
                if before.text != "." or token.kind != "ident" or token.text not in instants:
                    continue
                origin, style, text = rule_location(loaded, f"effective/{i}/{key}")
                line = 1 + source.count("\n", 0, token.offset)
                column = token.offset - source.rfind("\n", 0, token.offset)
                problems.append(
                    RuleError(
                        f"{loaded.rule.id}: 'effective[{i}].{key}' reads {token.text}, an "
                        "instant, but a window's dates are days with no time zone: in UTC a "
                        "time early on 1 July at +09:00 falls on 30 June",
                        map_position(line, column, origin, style, text),
                        f"read {local_name(token.text)} instead: the same time on the clock "
                        f"{token.text} was written with",
                    )
                )
    return problems


def is_bundled(loaded: LoadedRule) -> bool:
    """Whether a rule is one of the bundled catalog's, which the project's own tests and
    `rules lint` validate and type-check (so that `check` starts fast)."""
    return os.path.abspath(loaded.document.path).startswith(_bundled_folder())


@functools.cache
def _bundled_folder() -> str:
    return os.path.join(os.path.abspath(data_dir("rules")), "")  # ends with the separator


def compile_rule(
    loaded: LoadedRule, severity: Severity, *, check_types: bool | None = None
) -> CompiledRule:
    """A rule ready to evaluate; problems raise RuleError at the rule file's line.

    With `check_types` left out, a bundled rule is taken as validated: its programs are
    composed here and compiled when first run. Any other rule, and every rule when
    `check_types` is given, is validated and compiled here: its fields are checked against
    the declaration model when `check_types` (by default: for every rule not bundled) and the
    checker can run here.
    """
    composed = compose(loaded)
    compiled = CompiledRule(loaded, severity, composed, compose_fast(loaded, composed))
    if check_types is None and is_bundled(loaded):
        return compiled
    # The type checker (and the model of its types) is imported only for a rule it checks.
    from ccai_policy.evaluate import typecheck

    typed = (check_types is None or check_types) and not typecheck.available()
    problems = field_problems(loaded, typed)
    if problems:
        raise ValidationErrors(problems)
    return compiled.prepare()


def field_problems(loaded: LoadedRule, typed: bool) -> list[CcaiError]:
    """Every problem of a rule's expressions as written, each located in its file: syntax,
    limits, functions and names, parameters, and types and fields when `typed`."""
    rule = loaded.rule
    known = GLOBAL_NAMES | {rule.as_}
    problems: list[CcaiError] = []

    def check_field(key: str, source: str, offset: int = 0) -> None:
        origin, style, text = rule_location(loaded, key)
        try:
            compile_expression(
                source,
                what=f"{rule.id}: '{key}'",
                origin=origin,
                style=style,
                text=text,
                known=() if typed else known,  # the type checker locates unknown names exactly
            )
        except RuleError as exc:
            problems.append(exc)
            return
        if typed:
            problems.extend(_type_problems(loaded, key, source, offset))

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
            check_field(key, source)
    templates = [("message", rule.message)]
    templates += [
        (f"needs_information/{i}/ask", n.ask) for i, n in enumerate(rule.needs_information)
    ]
    for key, text in templates:
        for part in template_sources(text):
            if not isinstance(part, str):
                check_field(key, *part)
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
    problems.extend(_instant_window_problems(loaded))
    if typed:
        problems.extend(_at_problem(loaded))
    return problems


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
