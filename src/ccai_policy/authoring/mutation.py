"""Mutation testing of rules: small changes to `assert` and `where` that a rule's tests must catch.

A mutant is the rule with one condition changed: negated, replaced with true or false, one
operand of an `&&` or `||` dropped, a comparison's boundary moved (`<` to `<=`, ...), or
`today` moved by a day. A mutant is killed when at least one of the rule's test cases no longer
gives what it expects; one that survives shows behaviour no test pins down, unless it is
documented as equivalent (it cannot change any outcome) in `_equivalent_mutants.yaml` beside
the rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from ccai_policy.authoring.ruletests import run_case
from ccai_policy.errors import CcaiError, Location, RuleError
from ccai_policy.evaluate.celtokens import TokenError, tokens
from ccai_policy.evaluate.compiler import compile_rule
from ccai_policy.policy.rulefiles import LoadedRule

EQUIVALENTS_FILE = "_equivalent_mutants.yaml"
_OPEN, _CLOSE = "([{", ")]}"
_BOUNDARY = {"<=": "<", ">=": ">", "<": "<=", ">": ">="}


@dataclass(frozen=True)
class Mutant:
    """One changed condition: which field, what was done (stable, for documentation), the text."""

    field: str
    change: str
    source: str

    @property
    def label(self) -> str:
        return f"{self.field}: {self.change}"


@dataclass(frozen=True)
class MutantResult:
    rule_id: str
    mutant: Mutant
    #: killed, survived, equivalent (survived, documented so) or invalid (does not compile)
    outcome: str
    why: str = ""


def _code_positions(source: str) -> Iterator[tuple[int, str, int]]:
    """(offset, character, bracket depth) of every punctuation token (never inside a string
    or a comment)."""
    depth = 0
    try:
        found = tokens(source)
    except TokenError:
        return  # not CEL: the rule does not compile, so it has no mutants
    for token in found:
        if token.kind != "punct":
            continue
        if token.text in _CLOSE:
            depth -= 1
        yield token.offset, token.text, depth
        if token.text in _OPEN:
            depth += 1


def _segments(source: str) -> list[tuple[int, int]]:
    """Spans of every operand list: the whole expression and each bracket group's content,
    split at the ',', '?' and ':' of that group."""
    spans: list[tuple[int, int]] = []
    stack = [0]  # where the current segment of each open group starts
    for index, char, _ in _code_positions(source):
        if char in _OPEN:
            stack.append(index + 1)
        elif char in _CLOSE:
            if len(stack) > 1:
                spans.append((stack.pop(), index))
        elif char in ",?:":
            spans.append((stack[-1], index))
            stack[-1] = index + 1
    spans.append((stack[0], len(source)))
    return spans


def _operands(source: str, start: int, end: int, operator: str) -> list[tuple[int, int]]:
    """Spans of the operands joined by `operator` at the top level of source[start:end]."""
    base: int | None = None
    cuts: list[int] = []
    for index, _, depth in _code_positions(source):
        if index < start or index >= end:
            continue
        if base is None:
            base = depth
        if depth == base and source.startswith(operator, index):
            cuts.append(index)
    if not cuts:
        return []
    bounds = [start, *cuts, end]
    return [
        (bounds[i] + (len(operator) if i else 0), bounds[i + 1]) for i in range(len(bounds) - 1)
    ]


def _drops(field: str, source: str) -> Iterator[Mutant]:
    seen: set[str] = set()
    for start, end in _segments(source):
        for operator in ("||", "&&"):
            parts = _operands(source, start, end, operator)
            if len(parts) < 2:
                continue
            for number, (left, right) in enumerate(parts):
                if number == 0:
                    cut_start, cut_end = left, parts[1][0]
                else:
                    cut_start, cut_end = parts[number - 1][1], right
                text = source[:cut_start] + source[cut_end:]
                dropped = " ".join(source[left:right].split())
                if text not in seen:
                    seen.add(text)
                    verb = "conjunct" if operator == "&&" else "disjunct"
                    yield Mutant(field, f"dropped {verb} `{dropped}`", text)
            break  # '||' binds looser: its operands are the top level of this segment


def _context(source: str, start: int, end: int, reach: int = 24) -> str:
    """The words around source[start:end], on one line, cut at word boundaries."""
    before = source[max(0, start - reach) : start]
    after = source[end : end + reach]
    if start > reach and " " in before:
        before = before.split(" ", 1)[1]
    if end + reach < len(source) and " " in after:
        after = after.rsplit(" ", 1)[0]
    return " ".join((before + source[start:end] + after).split())


def _boundaries(field: str, source: str) -> Iterator[Mutant]:
    positions = list(_code_positions(source))
    for number, (index, char, _) in enumerate(positions):
        if char not in "<>":
            continue
        following = source[index + 1 : index + 2]
        operator = char + "=" if following == "=" else char
        if following == char or (number and source[index - 1] in "<>="):
            continue  # not a comparison (no shift operators in CEL, but be safe)
        shifted = _BOUNDARY[operator]
        text = source[:index] + shifted + source[index + len(operator) :]
        context = _context(source, index, index + len(operator))
        yield Mutant(field, f"'{operator}' -> '{shifted}' in `{context}`", text)


def _today(field: str, source: str) -> Iterator[Mutant]:
    try:
        names = [t.offset for t in tokens(source) if t.kind == "ident" and t.text == "today"]
    except TokenError:
        return
    names = [i for i in names if not (i and source[i - 1] == ".")]  # a field named today
    if not names:
        return
    for sign, word in (("+", "later"), ("-", "earlier")):
        text = source
        for index in reversed(names):
            text = text[:index] + f"(today {sign} duration('86400s'))" + text[index + 5 :]
        yield Mutant(field, f"today one day {word}", text)


def mutants(loaded: LoadedRule) -> list[Mutant]:
    """Every mutant of a rule's `where` and `assert`, in a stable order."""
    rule = loaded.rule
    out: list[Mutant] = []
    for field, source in (("where", rule.where), ("assert", rule.assert_)):
        if not source:
            continue
        out.append(Mutant(field, "negated", f"!({source})"))
        out.append(Mutant(field, "replaced with true", "true"))
        out.append(Mutant(field, "replaced with false", "false"))
        out.extend(_drops(field, source))
        out.extend(_boundaries(field, source))
        out.extend(_today(field, source))
    return out


def _with(loaded: LoadedRule, mutant: Mutant) -> LoadedRule:
    key = "assert_" if mutant.field == "assert" else "where"
    return LoadedRule(loaded.rule.model_copy(update={key: mutant.source}), loaded.document)


def mutate_rule(
    loaded: LoadedRule, root: Path, equivalents: dict[str, str] | None = None
) -> list[MutantResult]:
    """Run the rule's test cases against each of its mutants."""
    rule = loaded.rule
    documented = equivalents or {}
    results = []
    for mutant in mutants(loaded):
        mutated = _with(loaded, mutant)
        try:
            compile_rule(mutated, rule.severity, check_types=False)
        except CcaiError as exc:
            results.append(MutantResult(rule.id, mutant, "invalid", exc.message))
            continue
        cases = [run_case(mutated, case, root) for case in rule.tests]
        caught = next((c for c in cases if not c.passed), None)
        if caught is not None:
            results.append(MutantResult(rule.id, mutant, "killed", caught.case.name))
        elif mutant.label in documented:
            results.append(MutantResult(rule.id, mutant, "equivalent", documented[mutant.label]))
        else:
            results.append(MutantResult(rule.id, mutant, "survived"))
    return results


def load_equivalents(rules_dir: Path) -> dict[str, dict[str, str]]:
    """Documented equivalent mutants: {rule id: {mutant label: why}}, from the rules folder."""
    path = rules_dir / EQUIVALENTS_FILE
    if not path.is_file():
        return {}
    from ccai_policy.load.loader import load_file

    document = load_file(path, display=str(path))
    data = document.data
    problem = RuleError(
        "equivalent mutants are a mapping of rule ids to lists of {mutant, why}",
        Location(str(path), 1, 1),
        "see docs/policy-authors.md",
    )
    if not isinstance(data, dict):
        raise problem
    out: dict[str, dict[str, str]] = {}
    for rule_id, entries in data.items():
        if not isinstance(entries, list):
            raise problem
        for entry in entries:
            if not (isinstance(entry, dict) and {"mutant", "why"} <= set(entry)):
                raise problem
            out.setdefault(str(rule_id), {})[str(entry["mutant"])] = str(entry["why"])
    return out


def score(results: list[MutantResult]) -> tuple[int, int]:
    """(killed or equivalent, counted): mutants that do not compile do not count."""
    counted = [r for r in results if r.outcome != "invalid"]
    return sum(r.outcome in ("killed", "equivalent") for r in counted), len(counted)


def equivalents_yaml(results: list[MutantResult]) -> str:
    """Survivors as an `_equivalent_mutants.yaml` skeleton, for an author to fill in or fix."""
    data: dict[str, list[dict[str, str]]] = {}
    for result in results:
        if result.outcome == "survived":
            data.setdefault(result.rule_id, []).append(
                {"mutant": result.mutant.label, "why": "TODO"}
            )
    return yaml.safe_dump(data, sort_keys=True, allow_unicode=True, width=100)
