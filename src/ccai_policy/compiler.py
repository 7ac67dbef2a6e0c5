"""Compile rules into CEL programs: each field checked, then composed for fast evaluation."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .catalog import LoadedRule, ResolvedPolicy, rule_location
from .errors import CcaiError, RuleError, ValidationErrors
from .expressions import Compiled, compile_expression
from .model.declaration import LIST_SECTIONS, OBJECT_SECTIONS
from .model.rule import Severity

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
ITEM_PASS, ITEM_FAIL, ITEM_NOT_APPLICABLE = 1, 0, 2


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
    item = f"({where}) ? (({rule.assert_}) ? {ITEM_PASS} : {ITEM_FAIL}) : {ITEM_NOT_APPLICABLE}"
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
