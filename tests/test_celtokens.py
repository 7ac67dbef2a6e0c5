"""The CEL tokenizer behind the load-time limits, against the string forms of CEL's grammar.

Every expression here is first compiled by the CEL library itself, so each case is valid CEL and
the count is about what the library would run, not about what a hand lexer guesses.
"""

from __future__ import annotations

import pytest

from ccai_policy.evaluate import runtime
from ccai_policy.evaluate.celtokens import (
    TokenError,
    bound_names,
    comprehension_nesting,
    substitute,
    tokens,
)
from ccai_policy.evaluate.expressions import cel_library as _cel

FOUR = "[1].all(a, [1].all(b, [1].all(c, [1].all(d, true))))"


@pytest.mark.parametrize(
    ("source", "nesting"),
    [
        ("true", 0),
        ("[1].all(a, a > 0)", 1),
        (FOUR, 4),
        # A raw string's backslash escapes nothing: r'\' is a whole string, the macros count.
        (r"r'\' == '' || " + FOUR, 4),
        (r'R"\" == "" || ' + FOUR, 4),
        (r"br'\' == b'' || " + FOUR, 4),
        # Triple-quoted strings may hold quotes, and a macro call inside one is text.
        ("'''it's \"quoted\"''' == '' || " + FOUR, 4),
        ('"""a " and \' """ == "" || ' + FOUR, 4),
        ("'[1].all(a, [1].all(b, [1].all(c, [1].all(d, true))))' == ''", 0),
        # Escapes in ordinary strings.
        (r"'it\'s' == '' || " + FOUR, 4),
        (r'"\\" == "" || ' + FOUR, 4),
        # A comment may hold a quote; what follows on the next line still counts.
        ("// it's a comment\n" + FOUR, 4),
        # Whitespace between the receiver, the dot, the macro and its parenthesis.
        ("[1] . all (a, [1]. all(b, [1] .all (c, [1].all\n(d, true))))", 4),
        # Siblings are not nested.
        ("[1].all(a, true) && [1].exists(b, true) && [1].map(c, c).size() > 0", 1),
        ("[1].filter(a, [1].exists_one(b, b == a)).size() > 0", 2),
    ],
)
def test_nesting_is_counted_on_tokens(source: str, nesting: int) -> None:
    _cel().compile(source)  # valid CEL, or the case itself is wrong
    assert comprehension_nesting(source) == nesting


def test_bound_names_read_tokens_not_spacing() -> None:
    source = "people . all ( p , p.id != '' ) && uses.exists(u, u.id in ['x'])"
    _cel().compile(source)
    assert bound_names(source) == {"p", "u"}


@pytest.mark.parametrize(
    "source", ["'open", '"open', "'''open", "r'a\nb'", '"a\nb"'], ids=["'", '"', "'''", "r'", "\\n"]
)
def test_an_unclosed_string_is_refused(source: str) -> None:
    with pytest.raises(TokenError):
        tokens(source)
    with pytest.raises(ValueError):
        _cel().compile(source)


def test_numbers_and_identifiers() -> None:
    assert [t.text for t in tokens("a.b1 + 0x1Fu - 1.5e-3 >= size(x)")] == [
        "a",
        ".",
        "b1",
        "+",
        "0x1Fu",
        "-",
        "1.5e-3",
        ">",
        "=",
        "size",
        "(",
        "x",
        ")",
    ]


#: Items of a section, for the substitution cases: the second has no `note` key at all.
ITEMS = [
    {"id": "a", "subjects": ["p", "q"], "note": None, "n": 2},
    {"id": "b", "subjects": [], "n": 0},
]
#: Expressions of the item `use`: substituted, each gives what it gives with the item bound by
#: a list of one, value or error, in both runtimes.
OF_THE_ITEM = [
    "use.id == 'a' && size(use.subjects) > 0",
    "use.subjects.all(p, p != use.id) ? use.n * 2 : -1",
    "has(use.note) ? [use.note, use.id] : [use.id]",
    "use.note == null",  # the second item has no such key: an error either way
    "use.subjects.exists(s, s == 'q') || use.n / (use.n - 2) > 0",  # a division by zero
    "{'use': use.id, use.id: 'use'}['use'] + ' use.id'",  # strings are not names
]


def _reference(source: str, variables: dict[str, object]) -> object:
    try:
        return _cel().compile(source).execute(_cel().Context(variables=variables))
    except Exception:
        return "error"


def _fast(source: str, variables: dict[str, object]) -> object:
    value = runtime.run(source, runtime.activation(variables))
    return "error" if value is runtime.FAILED else value


@pytest.mark.parametrize("body", OF_THE_ITEM)
@pytest.mark.parametrize("at", [0, 1])
def test_a_substituted_item_reads_as_the_bound_one(body: str, at: int) -> None:
    bound = f"[uses[{at}]].map(use, {body})[0]"
    replaced = substitute(f"({body})", "use", f"uses[{at}]")
    assert replaced is not None
    assert "use" not in {t.text for t in tokens(replaced) if t.kind == "ident"}
    variables = {"uses": ITEMS}
    expected = _reference(bound, variables)
    assert _reference(replaced, variables) == expected
    if runtime.available():
        assert _fast(replaced, variables) == _fast(bound, variables)


def test_substitution_leaves_fields_functions_and_strings() -> None:
    source = "production.use == use.id && use.use && 'use' != use(use) && a.?use == use"
    assert substitute(source, "use", "uses[_i]") == (
        "production.use == uses[_i].id && uses[_i].use && 'use' != use(uses[_i]) "
        "&& a.?use == uses[_i]"
    )


@pytest.mark.parametrize(
    "source",
    [
        "uses.exists(use, use.id == '')",  # the name bound again
        "use.subjects.map(use, use)",
        "{'a': 1}.all(k, use, use > 0)",  # a second variable
        "[use, use]",  # perhaps a binding: left as it is
        # A name the replacement reads, bound by the expression: `uses[_i]` would read it.
        "[2].exists(_i, use.ok)",
        "[[{'ok': true}]].all(uses, use.ok)",
    ],
)
def test_substitution_refuses_where_the_name_may_be_bound_inside(source: str) -> None:
    assert substitute(source, "use", "uses[_i]") is None
