"""Rules ready to evaluate: each CEL program composed when loaded, compiled when first run.

Compiling every program of the 62 bundled rules took 0.11-0.13 s of each `check`, a quarter
of a cold run, although one declaration needs few of them: a rule that passes runs its `fast`
program only, and its message, its questions and its pinpointing programs are compiled for
the first item that fails. The compiler validates a rule at load wherever that is asked for
(every rule file but the bundled ones) and then compiles everything at once (`prepare`), so
that a broken rule is reported when it is loaded, never halfway through a run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ccai_policy.evaluate.expressions import Compiled, compile_expression
from ccai_policy.evaluate.programs import GLOBAL_NAMES, bind_item
from ccai_policy.model.grading import Severity
from ccai_policy.model.rule import NeedsInformation
from ccai_policy.policy.resolve import ResolvedPolicy
from ccai_policy.policy.rulefiles import LoadedRule, rule_location

#: A `{{ expression }}` in a rule message.
TEMPLATE = re.compile(r"\{\{(.+?)\}\}", re.DOTALL)
#: Every word of a CEL text: a superset of the names it reads (strings and fields included).
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def template_sources(text: str) -> list[str | tuple[str, int]]:
    """A template's text cut at each `{{ }}`: plain strings, and (expression, offset) for each
    expression, `offset` being where it starts inside the text."""
    parts: list[str | tuple[str, int]] = []
    position = 0
    for match in TEMPLATE.finditer(text):
        parts.append(text[position : match.start()])
        inner = match.group(1)
        parts.append((inner.strip(), match.start(1) + len(inner) - len(inner.lstrip())))
        position = match.end()
    parts.append(text[position:])
    return parts


@dataclass(frozen=True)
class CompiledNeed:
    """One 'needs information' entry: when it holds for an item, what to ask, where to point."""

    need: NeedsInformation
    when: Compiled
    in_id: Compiled | None
    ask_parts: list[str | Compiled]


@dataclass(frozen=True)
class CompiledRule:
    """A rule ready to evaluate: its programs, its effective severity and where it came from.

    `composed` holds the source of the programs the rule runs as (see programs.compose); each
    program below is compiled the first time it is asked for.
    """

    loaded: LoadedRule
    severity: Severity
    composed: Mapping[str, str]

    def _compile(self, source: str) -> Compiled:
        """A program composed from the rule's fields, located at its assertion."""
        origin, _, _ = rule_location(self.loaded, "assert")
        return compile_expression(source, what=self.loaded.rule.id, origin=origin, checked=False)

    def _program(self, name: str) -> Compiled | None:
        source = self.composed.get(name)
        return None if source is None else self._compile(source)

    def _template(self, text: str) -> list[str | Compiled]:
        return [
            p if isinstance(p, str) else self._compile(bind_item(self.loaded, p[0]))
            for p in template_sources(text)
        ]

    @functools.cached_property
    def applies_when(self) -> Compiled | None:
        source = self.loaded.rule.applies_when
        if not source:
            return None
        origin, style, text = rule_location(self.loaded, "applies_when")
        what = f"{self.loaded.rule.id}: 'applies_when'"
        return compile_expression(
            source, what=what, origin=origin, style=style, text=text, checked=False
        )

    @functools.cached_property
    def fast(self) -> Compiled | None:
        """Whether any item applies and every one passes (None: for_each declaration)."""
        return self._program("fast")

    @functools.cached_property
    def pinpoint(self) -> Compiled | None:
        return self._program("pinpoint")

    @functools.cached_property
    def per_item(self) -> Compiled:
        program = self._program("per_item")
        assert program is not None  # compose gives every rule one
        return program

    @functools.cached_property
    def undated(self) -> Compiled | None:
        """Whether any item is selected when the effective dates are ignored (None: no dated
        window)."""
        return self._program("undated")

    @functools.cached_property
    def message_parts(self) -> list[str | Compiled]:
        return self._template(self.loaded.rule.message)

    @functools.cached_property
    def needs(self) -> list[CompiledNeed]:
        loaded = self.loaded
        return [
            CompiledNeed(
                need=need,
                when=self._compile(bind_item(loaded, need.when)),
                in_id=self._compile(bind_item(loaded, need.in_id)) if need.in_id else None,
                ask_parts=self._template(need.ask),
            )
            for need in loaded.rule.needs_information
        ]

    def prepare(self) -> CompiledRule:
        """Compile every program now; a program that does not compile raises RuleError."""
        _ = self.applies_when, self.fast, self.pinpoint, self.per_item, self.undated
        _ = self.needs, self.message_parts
        return self

    @property
    def sources(self) -> list[str]:
        """The text of every program the rule may run."""
        rule = self.loaded.rule
        texts = [*self.composed.values(), rule.applies_when or ""]
        for need in rule.needs_information:
            texts += [need.when, need.in_id or ""]
        for template in [rule.message, *(need.ask for need in rule.needs_information)]:
            texts += [p[0] for p in template_sources(template) if not isinstance(p, str)]
        return texts


@dataclass(frozen=True)
class RuleSet:
    policy: ResolvedPolicy
    rules: list[CompiledRule]

    @functools.cached_property
    def names(self) -> frozenset[str]:
        """The declaration-wide names the rules may use: only these are converted for CEL.

        Read from the programs' text, uncompiled: every word that is such a name counts, so
        a name inside a string or after a dot is converted too (a little more work, never a
        name missing).
        """
        used: set[str] = {"production"}  # findings about the whole declaration name it
        for rule in self.rules:
            for source in rule.sources:
                used.update(_WORD.findall(source))
        return frozenset(used & GLOBAL_NAMES)
