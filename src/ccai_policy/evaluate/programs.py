"""The CEL programs a rule runs as, composed from its fields, and the names they may use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ccai_policy.evaluate.celtokens import substitute
from ccai_policy.model.declaration import LIST_SECTIONS, OBJECT_SECTIONS
from ccai_policy.model.rule import Rule, Window
from ccai_policy.policy.rulefiles import LoadedRule

#: Indexes bound beside the sections: name -> (section, key field, key is a list).
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
#: What the verdict program gives for one item.
ITEM_PASS, ITEM_FAIL, ITEM_NOT_APPLICABLE = 1, 0, 2
#: Names the engine binds per call; rule names cannot start with '_', so they never collide.
INDEX_NAME = "_i"
CHUNK_NAME = "_chunk"
#: The same, as the fast runtime reads them (functions: it binds no names per call).
AT_FAST = "_at()"
CHUNK_FAST = "_chunk()"
#: A sweep's chunk, as the fast runtime reads it: one of the declaration's chunks (`spans`),
#: bound once with its variables and picked by number per call. A list that a function
#: gives is converted again on every call, and each copy (about 75 bytes a position) stays
#: in the runtime's memory until the declaration is done.
SPANS_NAME = "_spans"
SPAN_FAST = f"{SPANS_NAME}[_span()]"
#: Items per sweep or pinpointing call. CEL's filter and map build their output by copying
#: it once per item added (quadratic in the output), and every copy stays in the runtime's
#: memory until the declaration is done: keep each output small. Measured on one 10,000-use
#: declaration, same CPU time: peak memory 995 MB with 256 items a call, 836 MB with 64
#: (and messages 32 at a time).
CHUNK = 64
#: Failing items whose messages are written per call (compiler.py: `batch`, a map): 4.2 us
#: and 4.7 KB per item at 256 a call, 1.4 us and 0.8 KB at 32. On the 10,000-use declaration
#: (32,899 messages) the runtime kept 38.5 MB at 32 a call, 30.5 MB at 16, 26.9 MB at 8, for
#: 0.151, 0.166 and 0.212 s.
MESSAGE_CHUNK = 16


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
    inside = f"__d == null || ({' && '.join(bounds)})"
    if window.dates:
        return f"{when} && ({window.dates}).exists(__d, {inside})"
    # One date: read where it is, not bound by a list of one (see _of_item); same value.
    day = substitute(inside, "__d", f"({window.date})")
    assert day is not None  # the engine's own text binds nothing
    return f"{when} && ({day})"


def dated(rule: Rule) -> bool:
    """Whether any window of the rule compares a date of the item, or counts only sometimes."""
    return any(is_dated(w) or w.when for w in rule.effective)


def _in_force(rule: Rule) -> str:
    if not dated(rule):
        return "true"
    return "(" + " || ".join(f"({_window(w)})" for w in rule.effective) + ")"


def _conditions(rule: Rule) -> tuple[str, str, str]:
    """CEL: the item is selected (dates ignored); selected and in force; it passes."""
    undated = f"({rule.where})" if rule.where else "true"
    where = f"({undated} && {_in_force(rule)})"
    known = " && ".join(f"!({n.when})" for n in rule.needs_information)
    holds = f"({known} && ({rule.assert_}))" if known else f"({rule.assert_})"
    return undated, where, holds


def _verdict(where: str, holds: str) -> str:
    """CEL: what one item gives, ITEM_PASS, ITEM_FAIL or ITEM_NOT_APPLICABLE."""
    return f"({where}) ? ({holds} ? {ITEM_PASS} : {ITEM_FAIL}) : {ITEM_NOT_APPLICABLE}"


def compose(loaded: LoadedRule) -> dict[str, str]:
    """The programs a rule runs as: fast over the whole section, then to find failing items.

    An item is checked when `where` selects it and it falls inside an effective window; it
    passes when no needed fact is unknown and `assert` holds.
    """
    rule = loaded.rule
    undated, where, holds = _conditions(rule)
    verdict = _verdict(where, holds)
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
        "per_item": bind_item(loaded, verdict),
    }
    if dated(rule):
        programs["undated"] = f"{s}.exists({x}, {undated})"
    return programs


def compose_fast(loaded: LoadedRule, composed: dict[str, str]) -> dict[str, str]:
    """The programs `compose` gave, for the fast runtime (runtime.py), which binds no names
    per call: the item is `_at()` in its section (or the production), a chunk's positions
    `_chunk()`.

    `sweep` does the work of `fast` and `pinpoint` in one call per chunk (read as
    `SPAN_FAST`): whether any item of the chunk is applicable, and the positions of its
    failing items.
    """
    rule = loaded.rule
    if rule.for_each == "declaration":
        return {name: bind_item(loaded, source, fast=True) for name, source in composed.items()}
    i = INDEX_NAME
    undated, where, holds = _conditions(rule)
    fast = {
        "sweep": f"[{SPAN_FAST}.exists({i}, {_of_item(loaded, where)}), "
        f"{SPAN_FAST}.filter({i}, {_of_item(loaded, f'({where}) ? !{holds} : false')})]",
        "per_item": bind_item(loaded, _verdict(where, holds), fast=True),
    }
    if dated(rule):
        fast["undated"] = f"{SPAN_FAST}.exists({i}, {_of_item(loaded, undated)})"
    return fast


def _of_item(loaded: LoadedRule, source: str) -> str:
    """`source`, an expression of a section rule's item, read for the item at position `_i`
    of its section: the item's name replaced by `S[_i]`, else (where the expression may bind
    the item's name, `S` or `_i` itself: celtokens.substitute) the item bound by a list of one.
    Both give the same value and error; the list is built on every call, and each one (about
    80 bytes an item) stays in the fast runtime's memory until the declaration is done."""
    rule = loaded.rule
    item = f"{rule.for_each}[{INDEX_NAME}]"
    replaced = substitute(f"({source})", rule.as_, item)
    return replaced if replaced is not None else f"[{item}].map({rule.as_}, {source})[0]"


def batch(loaded: LoadedRule, sources: list[str]) -> str:
    """For the fast runtime: each item of a chunk (`_chunk()`) mapped to the values of
    `sources`, expressions of the item (a section rule's)."""
    values = ", ".join(f"({source})" for source in sources)
    return f"{CHUNK_FAST}.map({INDEX_NAME}, {_of_item(loaded, f'[{values}]')})"


def bind_item(loaded: LoadedRule, source: str, *, fast: bool = False) -> str:
    """A message expression evaluated for the item at the bound position (`fast`: as the
    fast runtime reads it, see compose_fast)."""
    rule = loaded.rule
    if rule.for_each == "declaration":
        return f"[production].map({rule.as_}, {source})[0]" if fast else source
    at = AT_FAST if fast else INDEX_NAME
    return f"[{rule.for_each}[{at}]].map({rule.as_}, {source})[0]"


def chunks(count: int) -> list[list[int]]:
    """The positions 0..count-1, CHUNK at a time."""
    return [list(range(start, min(count, start + CHUNK))) for start in range(0, count, CHUNK)]


def spans(counts: Iterable[int]) -> list[list[int]]:
    """Every chunk of sections of these sizes, each once (SPANS_NAME)."""
    seen: dict[tuple[int, int], list[int]] = {}
    for count in sorted(set(counts)):
        for chunk in chunks(count):
            seen.setdefault((chunk[0], len(chunk)), chunk)
    return list(seen.values())


def is_sweep_value(value: Any, chunk: list[int]) -> bool:
    """Whether a sweep gave what it must: [any applicable, [failing positions in the chunk]]."""
    start, end = chunk[0], chunk[-1] + 1
    return (
        type(value) is list
        and len(value) == 2
        and type(value[0]) is bool
        and type(value[1]) is list
        and all(type(i) is int and start <= i < end for i in value[1])
        and (value[0] or not value[1])
    )


def is_batch_value(value: Any, items: int, parts: int) -> bool:
    """Whether a batch gave what it must: for each item, the value of each part."""
    return (
        type(value) is list
        and len(value) == items
        and all(type(row) is list and len(row) == parts for row in value)
    )
