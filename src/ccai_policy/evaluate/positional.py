"""Indexes as positions, for the fast runtime: `uses_by_id[x]` read as `uses[uses_by_id[x]]`.

Every index (`*_by_id`, programs.INDEXES) holds its section's items, and a runtime converts
each copy on its own: at 10,000 uses, `notices_by_use` alone held 16 times the values of
`notices`. For the fast runtime the indexes hold positions into their section instead
(binding.bind with `positions`), and each program it runs is rewritten to match, token by token:

- `S_by_id[k]` (one item) becomes `S[S_by_id[k]]`;
- `I[k]` (a list of items) followed by a macro, `.exists(v, B)` say, becomes
  `I[k].exists(_k7, B')` where B' reads `S[_k7]` wherever B reads `v`: the macro loops as
  often as before, so the runtime's budget of loop iterations is spent as before (`filter`
  then maps its positions to items); any other `I[k]` becomes `I[k].map(_k7, S[_k7])`.
  The number is the index's place in the program, so nested rewrites never shadow each other.

Keys read the same either way: `k in I`, `size(I)`, a macro over `I` (its keys). A program that
reads an index any other way (the whole map as a value, a field of it, an optional index), that
may bind a name of an index or of a section (celtokens.maybe_bound: any name before a comma),
that names anything `_k...` (the rewrite's own names), or whose macro binds the same name
again inside itself, is not rewritten: `rewrite` gives None and the reference runtime, whose
indexes hold the items, runs it.

(The bindings extension's `cel.bind` would have been shorter, but in cel-expr-python 0.1.3 it
can give the last item of an `exists` that stopped early instead of its own value:
`[[1, 2, 3].exists(p, true), cel.bind(n, 7, n)]` is `[true, 2]`.)
"""

from __future__ import annotations

import functools

from ccai_policy.evaluate.celtokens import MACROS, Token, TokenError, maybe_bound, tokens
from ccai_policy.evaluate.programs import INDEXES
from ccai_policy.model.declaration import LIST_SECTIONS

#: Index name -> its section, and whether a key gives one item (else a list of them).
SECTIONS: dict[str, tuple[str, bool]] = {
    **{f"{section}_by_id": (section, True) for section in LIST_SECTIONS},
    **{name: (section, False) for name, (section, _, _) in INDEXES.items()},
}
#: The start of the names the rewritten programs bind positions to (rule names cannot start
#: with '_').
POSITION = "_k"
#: An edit: at this offset, in this order among edits there, drop so many characters, write.
_Edit = tuple[int, int, int, str]


class _Refused(Exception):
    """The program reads an index in a way positions would change."""


@functools.lru_cache(maxsize=4096)
def rewrite(source: str) -> str | None:
    """The program reading the indexes as positions; None where it cannot (see the module)."""
    try:
        toks = tokens(source)
        if not any(t.kind == "ident" and t.text in SECTIONS for t in toks):
            return source
        bound = maybe_bound(source)  # every variable of every macro, and more
        if bound & (SECTIONS.keys() | set(LIST_SECTIONS)) or any(
            t.kind == "ident" and t.text.startswith(POSITION) for t in toks
        ):
            return None  # a name the rewrite writes would read what the program binds
        edits = _edits(toks)
    except (TokenError, _Refused):
        return None
    out, last = [], 0
    for offset, _, drop, text in sorted(edits):
        out.append(source[last:offset])
        out.append(text)
        last = offset + drop
    out.append(source[last:])
    return "".join(out)


def _end(tok: Token) -> int:
    return tok.offset + len(tok.text)


def _closing(toks: list[Token], i: int) -> int:
    """The position of the bracket that closes the one at toks[i]."""
    opening = toks[i].text
    closing = {"[": "]", "(": ")", "{": "}"}[opening]
    depth = 0
    for j in range(i, len(toks)):
        if toks[j].kind != "punct":
            continue
        if toks[j].text == opening:
            depth += 1
        elif toks[j].text == closing:
            depth -= 1
            if depth == 0:
                return j
    raise _Refused


def _top_level_commas(toks: list[Token], start: int, end: int) -> list[int]:
    """Positions of the commas between toks[start] and toks[end] outside any brackets."""
    commas, depth = [], 0
    for j in range(start, end):
        text = toks[j].text if toks[j].kind == "punct" else ""
        if text in "([{" and text:
            depth += 1
        elif text in ")]}" and text:
            depth -= 1
        elif text == "," and depth == 0:
            commas.append(j)
    return commas


def _edits(toks: list[Token]) -> list[_Edit]:
    """The edits (see _Edit) that make the program read positions. At one offset,
    what opens goes outer first (order: the index's token number), what closes inner first
    (order: minus that number)."""
    edits: list[_Edit] = []
    for i, tok in enumerate(toks):
        if tok.kind != "ident" or tok.text not in SECTIONS:
            continue
        before = toks[i - 1].text if i else ""
        after = toks[i + 1].text if i + 1 < len(toks) else ""
        if before == ".":
            continue  # a field of that name, not the index
        section, single = SECTIONS[tok.text]
        if after == "[":
            close = _closing(toks, i + 1)
            if toks[i + 2].text == "?":
                raise _Refused  # an optional index
            if single:
                edits.append((tok.offset, i, 0, f"{section}["))
                edits.append((_end(toks[close]), -i, 0, "]"))
            else:
                edits.extend(_list_access(toks, close, section, i))
        elif after == ".":
            if not (_macro_over_keys(toks, i) or _texts(toks, i + 1, 4) == [".", "size", "(", ")"]):
                raise _Refused  # a field of the map, or a function of its values
        elif not (before == "in" or (_texts(toks, i - 2, 2) == ["size", "("] and after == ")")):
            raise _Refused  # the whole map as a value
    return edits


def _texts(toks: list[Token], start: int, count: int) -> list[str]:
    return [t.text for t in toks[start : start + count]] if start >= 0 else []


def _macro_over_keys(toks: list[Token], i: int) -> bool:
    """`I.all(k, ...)` and the other macros with one variable: they read the keys only."""
    macro = _macro_call(toks, i + 1)
    return macro is not None and _one_variable(toks, macro)


def _one_variable(toks: list[Token], macro: tuple[str, int, int]) -> bool:
    """Whether a macro call binds one variable (not a two-variable form, which reads values):
    `M(v, body)`, or `map(v, filter, body)`."""
    word, variable, call_end = macro
    arguments = len(_top_level_commas(toks, variable + 1, call_end))
    return arguments == 1 or (word == "map" and arguments == 2)


def _list_access(toks: list[Token], close: int, section: str, order: int) -> list[_Edit]:
    """Edits for `I[k]` whose `]` is toks[close], I's token being number `order`: a macro
    over its items made a macro over their positions, or the positions mapped to items."""
    name = f"{POSITION}{order}"
    item = f"{section}[{name}]"
    items = [(_end(toks[close]), -order, 0, f".map({name}, {item})")]
    macro = _macro_call(toks, close + 1)
    if macro is None:
        return items
    if not _one_variable(toks, macro):
        return items  # a two-variable form: it reads the items as given
    word, variable, call_end = macro
    edits = [(toks[variable].offset, order, len(toks[variable].text), name)]
    for at in range(variable + 2, call_end):
        tok = toks[at]
        if tok.kind != "ident" or tok.text != toks[variable].text:
            continue
        inner = _macro_call(toks, at - 3)
        if inner is not None and inner[1] == at:
            raise _Refused  # the same name bound again inside
        if toks[at - 1].text == "." or (at + 1 < call_end and toks[at + 1].text == "("):
            continue  # a field or a function of that name
        edits.append((tok.offset, order, len(tok.text), item))
    if word == "filter":  # it gives positions: mapped to items after it
        edits.append((_end(toks[call_end]), -order, 0, f".map({name}, {item})"))
    return edits


def _macro_call(toks: list[Token], dot: int) -> tuple[str, int, int] | None:
    """`.M(v, ...` at toks[dot], M a macro: M, the position of v and of the call's `)`."""
    if not (
        dot >= 0
        and dot + 4 < len(toks)
        and toks[dot].text == "."
        and toks[dot + 1].text in MACROS
        and toks[dot + 2].text == "("
        and toks[dot + 3].kind == "ident"
        and toks[dot + 4].text == ","
    ):
        return None
    return toks[dot + 1].text, dot + 3, _closing(toks, dot + 2)
