"""CEL's lexical grammar, enough to see the structure of an expression: where strings, comments
and calls are. The load-time limits (comprehension nesting, the names macros bind) read tokens,
so that no string form (raw, triple-quoted, bytes), comment or spacing can hide a macro call.

The forms follow the CEL language definition (cel-spec, "Syntax"): string literals with an
optional r/R (raw: a backslash is an ordinary character) and b/B prefix, in either order, quoted
with ', ", ''' or \"\"\"; `//` comments to the end of the line; whitespace between any two tokens.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

MACROS = frozenset({"all", "exists", "exists_one", "map", "filter"})
#: What may start at a position, tried in this order: whitespace, a comment, a string (its
#: prefix only, up to the quote: `_string_end` reads the rest), a name, a number. Anything else
#: is one character of punctuation.
_TOKEN = re.compile(
    r"(?P<space>[ \t\n\r\f]+)"
    r"|(?P<comment>//[^\n]*\n?)"
    r"|(?P<string>(?:[rR][bB]?|[bB][rR]?)?(?='''|\"\"\"|'|\"))"
    r"|(?P<ident>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<number>0[xX][0-9a-fA-F]+[uU]?|[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?[uU]?)"
)


class TokenError(ValueError):
    """The text is not CEL: an unterminated string, say. Carries the offset."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


class Token(NamedTuple):
    """One token (immutable: a text's tokens are read once and shared)."""

    kind: str  # "string", "number", "ident" or "punct"
    text: str
    offset: int


def tokens(source: str) -> list[Token]:
    """The tokens of an expression, without whitespace and comments."""
    return list(_tokens(source))


@functools.lru_cache(maxsize=4096)
def _tokens(source: str) -> tuple[Token, ...]:
    """`tokens`, read once per text: loading a rule asks each expression for its nesting and
    for the names it binds, and tokens are immutable."""
    out: list[Token] = []
    i, end = 0, len(source)
    match = _TOKEN.match
    while i < end:
        found = match(source, i)
        if found is None:
            out.append(Token("punct", source[i], i))
            i += 1
            continue
        kind = found.lastgroup
        if kind == "string":
            close = _string_end(source, found.end(), "r" in found.group().lower())
            out.append(Token("string", source[i:close], i))
            i = close
            continue
        if kind == "ident" or kind == "number":
            out.append(Token(kind, found.group(), i))
        i = found.end()
    return tuple(out)


def _string_end(source: str, start: int, raw: bool) -> int:
    """Where the string literal whose quote begins at `start` ends (just past its last quote)."""
    quote = (
        source[start : start + 3] if source[start : start + 3] in ("'''", '"""') else source[start]
    )
    i = start + len(quote)
    while i < len(source):
        if source.startswith(quote, i):
            return i + len(quote)
        ch = source[i]
        if len(quote) == 1 and ch in "\r\n":
            break
        i += 2 if ch == "\\" and not raw else 1
    raise TokenError("a string literal is not closed", start)


def _macro_at(toks: tuple[Token, ...], i: int) -> bool:
    """Whether `.NAME(` starts at toks[i], NAME being a comprehension macro."""
    return (
        i + 2 < len(toks)
        and toks[i].text == "."
        and toks[i + 1].kind == "ident"
        and toks[i + 1].text in MACROS
        and toks[i + 2].text == "("
    )


def comprehension_nesting(source: str) -> int:
    """How deeply comprehension macros nest (0 for none)."""
    toks = _tokens(source)
    open_at: list[int] = []  # the paren depth each open macro call started at
    depth = deepest = 0
    i = 0
    while i < len(toks):
        if _macro_at(toks, i):
            depth += 1
            open_at.append(depth)
            deepest = max(deepest, len(open_at))
            i += 3
            continue
        text = toks[i].text if toks[i].kind == "punct" else ""
        if text == "(":
            depth += 1
        elif text == ")":
            if open_at and open_at[-1] == depth:
                open_at.pop()
            depth -= 1
        i += 1
    return deepest


def bound_names(source: str) -> set[str]:
    """The names comprehension macros bind: `p` in `people.all(p, ...)`."""
    toks = _tokens(source)
    return {
        toks[i + 3].text
        for i in range(len(toks) - 4)
        if _macro_at(toks, i) and toks[i + 3].kind == "ident" and toks[i + 4].text == ","
    }


def maybe_bound(source: str) -> set[str]:
    """Every name that may be bound somewhere in the expression: each name followed by a comma.
    A superset of what binds names (both variables of any macro, `cel.bind`), for rewrites that
    must not place a name where the expression binds it again."""
    toks = _tokens(source)
    return {
        toks[i].text
        for i in range(len(toks) - 1)
        if toks[i].kind == "ident" and toks[i + 1].text == ","
    }


def substitute(source: str, name: str, replacement: str) -> str | None:
    """The expression with every read of the variable `name` made a read of `replacement`
    (an expression that binds as tightly as a name: `uses[_i]`, say); None where the expression
    may bind `name` or any name `replacement` reads (maybe_bound): which variable a token
    reads must be plain from the tokens, and `replacement` must read what it reads outside."""
    try:
        toks = _tokens(source)
        reads = {t.text for t in _tokens(replacement) if t.kind == "ident"}
    except TokenError:
        return None
    if maybe_bound(source) & (reads | {name}):
        return None
    out, last = [], 0
    for i, tok in enumerate(toks):
        if tok.kind != "ident" or tok.text != name:
            continue
        before = toks[i - 1].text if i else ""
        if before == "." or (before == "?" and i > 1 and toks[i - 2].text == "."):
            continue  # a field of that name (`a.use`, `a.?use`)
        if i + 1 < len(toks) and toks[i + 1].text == "(":
            continue  # a function of that name
        out += [source[last : tok.offset], replacement]
        last = tok.offset + len(tok.text)
    return "".join(out) + source[last:]
