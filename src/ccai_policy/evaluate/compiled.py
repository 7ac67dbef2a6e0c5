"""Rules ready to evaluate: each CEL program composed when loaded, compiled when first run.

Compiling every program of the 62 bundled rules took 0.11-0.13 s of each `check`, a quarter
of a cold run, although one declaration needs few of them: the fast runtime compiles what it
runs itself, and a rule it settles needs none of its reference programs; a message, the
questions and the pinpointing programs are compiled for the first item that fails. The
compiler validates a rule at load wherever that is asked for (every rule file but the bundled
ones) and then compiles everything at once (`prepare`), so that a broken rule is reported
when it is loaded, never halfway through a run.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ccai_policy.evaluate.expressions import Compiled, compile_expression
from ccai_policy.evaluate.programs import GLOBAL_NAMES, batch, bind_item
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

    `composed` holds the source of the programs the rule runs as in the reference runtime,
    `composed_fast` as the fast runtime reads them (programs.compose and compose_fast); each
    program below is compiled the first time it is asked for.
    """

    loaded: LoadedRule
    severity: Severity
    composed: Mapping[str, str]
    composed_fast: Mapping[str, str]

    @property
    def _declaration(self) -> bool:
        return self.loaded.rule.for_each == "declaration"

    def _compile(self, source: str, fast_source: str | None = "") -> Compiled:
        """A program composed from the rule's fields, located at its assertion."""
        origin, _, _ = rule_location(self.loaded, "assert")
        return compile_expression(
            source,
            what=self.loaded.rule.id,
            origin=origin,
            checked=False,
            fast_source=fast_source,
            deferred=True,
        )

    def _program(self, name: str) -> Compiled | None:
        source = self.composed.get(name)
        if source is None:
            return None
        # A section rule's own programs run only where its sweep failed: reference only.
        return self._compile(source, self.composed_fast.get(name) if self._declaration else None)

    def _item(self, source: str) -> Compiled:
        """An expression of the item at the bound position (a message part, a question)."""
        loaded = self.loaded
        return self._compile(bind_item(loaded, source), bind_item(loaded, source, fast=True))

    def _template(self, text: str) -> list[str | Compiled]:
        return [p if isinstance(p, str) else self._item(p[0]) for p in template_sources(text)]

    @functools.cached_property
    def applies_when(self) -> Compiled | None:
        source = self.loaded.rule.applies_when
        if not source:
            return None
        origin, style, text = rule_location(self.loaded, "applies_when")
        what = f"{self.loaded.rule.id}: 'applies_when'"
        return compile_expression(
            source, what=what, origin=origin, style=style, text=text, checked=False, deferred=True
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
        return [
            CompiledNeed(
                need=need,
                when=self._item(need.when),
                in_id=self._item(need.in_id) if need.in_id else None,
                ask_parts=self._template(need.ask),
            )
            for need in self.loaded.rule.needs_information
        ]

    @property
    def sweep(self) -> str | None:
        """For the fast runtime, per chunk of items (programs.compose_fast; None: a declaration
        rule): any item applicable, and the failing positions."""
        return self.composed_fast.get("sweep")

    @property
    def sweep_undated(self) -> str | None:
        """For the fast runtime, per chunk: any item selected, the dates ignored."""
        return None if self._declaration else self.composed_fast.get("undated")

    def _guarded(self) -> list[str]:
        """Each part `batch_parts` holds, as written, where the message needs it (as
        failure_message reads them: the first need whose condition holds, or else the
        rule's message) and null elsewhere."""
        rule = self.loaded.rule
        whens = [need.when for need in rule.needs_information]
        guarded = list(whens)
        for k, need in enumerate(rule.needs_information):
            first = " && ".join([*(f"!(({w}) == true)" for w in whens[:k]), "true"])
            asked = f"{first} && ({whens[k]}) == true"
            written = [need.in_id] if need.in_id else []
            written += [p[0] for p in template_sources(need.ask) if not isinstance(p, str)]
            guarded += [f"({asked}) ? ({p}) : null" for p in written]
        none = " && ".join([*(f"!(({w}) == true)" for w in whens), "true"])
        written = [p[0] for p in template_sources(rule.message) if not isinstance(p, str)]
        return guarded + [f"({none}) ? ({p}) : null" for p in written]

    @functools.cached_property
    def batch(self) -> str | None:
        """For the fast runtime: the values of `batch_parts` for each failing item of a chunk,
        in one call (None: a declaration rule)."""
        return None if self._declaration else batch(self.loaded, self._guarded())

    @functools.cached_property
    def batch_parts(self) -> tuple[Compiled, ...]:
        """The needs' conditions, ids and questions and the message's parts, in `batch`'s
        order: the very objects `needs` and `message_parts` hold."""
        parts: list[Compiled] = [need.when for need in self.needs]
        for need in self.needs:
            parts += [p for p in (need.in_id, *need.ask_parts) if isinstance(p, Compiled)]
        return (*parts, *(p for p in self.message_parts if isinstance(p, Compiled)))

    def prepare(self) -> CompiledRule:
        """Compile every program now; a program that does not compile raises RuleError."""
        programs = [self.applies_when, self.fast, self.pinpoint, self.per_item, self.undated]
        for program in [*programs, *self.batch_parts]:  # the needs' parts and the message's
            if isinstance(program, Compiled):
                program.ready()
        return self

    @property
    def sources(self) -> list[str]:
        """The text of every program the rule may run, in either runtime."""
        rule = self.loaded.rule
        texts = [*self.composed.values(), *self.composed_fast.values(), rule.applies_when or ""]
        for need in rule.needs_information:
            texts += [need.when, need.in_id or ""]
        for template in [rule.message, *(need.ask for need in rule.needs_information)]:
            texts += [p[0] for p in template_sources(template) if not isinstance(p, str)]
        return texts


@dataclass(frozen=True)
class RuleSet:
    policy: ResolvedPolicy
    rules: list[CompiledRule]
    #: False: every program in the reference runtime only (to compare the two runtimes).
    fast: bool = True

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
