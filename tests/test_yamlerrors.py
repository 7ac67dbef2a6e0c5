"""YAML syntax mistakes explained in plain words with the fix; no parser sentence reaches a user."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from ccai_policy.errors import LoadError
from ccai_policy.load import loader
from ccai_policy.load.loader import load_text
from ccai_policy.load.yamlerrors import explain_syntax

from .conftest import AS_OF, EXAMPLES

#: Phrases of PyYAML and libyaml (and pydantic) that mean nothing to the people who write
#: declarations; none may appear in what ccai-policy prints.
LIBRARY_PHRASES = (
    "while parsing",
    "while scanning",
    "did not find expected",
    "could not find expected",
    "mapping values are not allowed",
    "not allowed in this context",
    "found character",
    "cannot start any token",
    "expected <",
    "<block",
    "<document",
    "<stream",
    "found unexpected",
    "found undefined",
    "expected the node content",
    "expected alphabetic",
    "expected ' '",
    "invalid YAML",
    "Input should be",
    "String should",
    "should be a valid",
    "Field required",
    "Extra inputs",
    "validation error",
    "Value error",
    "type=",
)

SERIES = (EXAMPLES / "series-noncompliant.yaml").read_text(encoding="utf-8")


def leaks(text: str) -> list[str]:
    return [phrase for phrase in LIBRARY_PHRASES if phrase.lower() in text.lower()]


@pytest.fixture(params=["libyaml", "pure Python"])
def both_parsers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Run a case with the C parser and with PyYAML's own: their error sentences differ."""
    if request.param == "pure Python":
        monkeypatch.setattr(loader, "_Loader", yaml.SafeLoader)
        monkeypatch.setattr(loader, "_READER_OFFSETS_IN_BYTES", False)
    yield request.param


#: (what the user did, text, where, message, hint): the common mistakes, each explained.
MISTAKES = [
    (
        "colon inside unquoted flow text",
        "a:\n  audience_disclosure: {placement: end_credits, text: Note: replicas used}\n",
        "f.yaml:2:59",
        "a colon inside unquoted text: in `{…}` and `[…]`, `: ` separates a key from its value",
        'put the text in quotes: `text: "Note: replicas used"`',
    ),
    (
        "colon inside unquoted block text",
        "uses:\n  - description: Ana's voice: rebuilt for ADR\n",
        "f.yaml:2:29",
        "a colon inside unquoted text on line 2: `: ` separates a key from its value, so the "
        "text cannot hold one",
        'put the text in quotes: `description: "Ana\'s voice: rebuilt for ADR"`',
    ),
    (
        "tab in the indentation",
        "production:\n\tid: prod-x\n",
        "f.yaml:2:1",
        "line 2 is indented with a tab character",
        "YAML indents with spaces only: replace the tab with spaces",
    ),
    (
        "a line indented deeper than its neighbours",
        "production:\n  id: prod-x\n   title: X\n",
        "f.yaml:3:4",
        "line 3 is indented by 3 spaces, which lines it up with nothing above it (compare line 2)",
        "indent it by exactly as many spaces as the fields it belongs with: here 0 or 2 spaces",
    ),
    (
        "a line indented between two levels",
        "production:\n  id: prod-x\n title: X\n",
        "f.yaml:3:2",
        "line 3 is indented by 1 space, which lines it up with nothing above it (compare line 2)",
        "indent it by exactly as many spaces as the fields it belongs with: here 0 or 2 spaces",
    ),
    (
        "a field of a list item indented wrong",
        "people:\n  - id: p-ana\n    name: Ana\n   roles: [principal]\n",
        "f.yaml:4:4",
        "line 4 is indented by 3 spaces, which lines it up with nothing above it (compare line 3)",
        "indent it by exactly as many spaces as the fields it belongs with: here 0, 2 or 4 spaces",
    ),
    (
        "unclosed bracket",
        "people:\n  - id: p-ana\n    roles: [principal, voice\n    name: Ana\n",
        "f.yaml:3:12",
        "the `[` on line 3 is never closed",
        "close it with `]` at the end of what it holds, e.g. `roles: [principal, voice]`",
    ),
    (
        "unclosed brace",
        "compensation:\n  - amount: {value: 2500, currency: USD\n    basis: residuals\n",
        "f.yaml:2:13",
        "the `{` on line 2 is never closed",
        "close it with `}` at the end of what it holds, e.g. "
        "`amount: {value: 2500, currency: USD}`",
    ),
    (
        "unclosed double quote",
        'production:\n  title: "Harbor Lights\n  studio: Harbor\n',
        "f.yaml:2:10",
        'the text opened with " on line 2 is never closed',
        'end it with a matching ", e.g. `title: "Harbor Lights"`',
    ),
    (
        "unclosed single quote",
        "production:\n  title: 'Harbor Lights\n",
        "f.yaml:2:10",
        "the text opened with ' on line 2 is never closed",
        "end it with a matching ', e.g. `title: 'Harbor Lights'`",
    ),
    (
        "no space after a colon",
        "production:\n  id:prod-x\n  title: X\n",
        "f.yaml:2:5",
        "line 2 has no space after its colon, so `id:prod-x` is read as text, not as a key and "
        "a value",
        "add a space after the colon: `id: prod-x`",
    ),
    (
        "text after a closing quote",
        'production:\n  title: "Harbor" Lights\n',
        "f.yaml:2:19",
        "text follows the closing quote on line 2",
        'put the whole value inside the quotes: `title: "Harbor Lights"`',
    ),
    (
        "a value starting with @",
        "production:\n  contact: @harbor\n",
        "f.yaml:2:12",
        "a value cannot start with `@` unquoted",
        'put the value in quotes: `contact: "@harbor"`',
    ),
    (
        "a list item on its key's line",
        "people:\n  - id: p-ana\n    roles: - principal\n",
        "f.yaml:3:12",
        "line 3: a `- ` list item cannot start on the same line as its key",
        "start the list on the next line, indented (`key:` then `  - item`), or write "
        "`key: [item]`",
    ),
]


@pytest.mark.parametrize(
    ("text", "where", "message", "hint"),
    [case[1:] for case in MISTAKES],
    ids=[case[0] for case in MISTAKES],
)
def test_each_common_mistake_is_explained_with_the_fix(
    both_parsers: str, text: str, where: str, message: str, hint: str
) -> None:
    with pytest.raises(LoadError) as caught:
        load_text(text, "f.yaml")
    error = caught.value
    assert (str(error.location), error.message, error.hint) == (where, message, hint)


def test_a_comma_in_flow_text_says_to_quote_it_never_to_remove_the_words(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    """The issue's first mistake: the starter's own flow example, with a comma in the text."""
    old = "  - id: a-ep8\n"
    assert old in SERIES
    text = SERIES.replace(
        old,
        old + "    audience_disclosure: {placement: end_credits, text: Crowd scenes include "
        "digital replicas, de-aging and digital crowds.}\n",
        1,
    )
    path = tmp_path / "harbor.yaml"
    path.write_text(text, encoding="utf-8")
    result = run_cli("check", "--as-of", AS_OF, str(path))
    assert result.exit_code == 2
    line = text.splitlines().index(next(x for x in text.splitlines() if "de-aging" in x)) + 1
    assert f"harbor.yaml:{line}:" in result.stdout
    assert (
        "error: `assets[0].audience_disclosure.de-aging and digital crowds.` is read as a field "
        "name: the text of `text` was cut at a comma, because inside `{…}` a comma separates "
        'fields\n    hint: put the whole text in quotes: `text: "Crowd scenes include digital '
        'replicas, de-aging and digital crowds."`'
    ) in result.stdout
    assert "remove" not in result.stdout
    assert leaks(result.output) == []


def test_a_syntax_error_reads_the_same_through_check(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "d.yaml"
    path.write_text("production:\n  id: prod-x\n title: X\n", encoding="utf-8")
    result = run_cli("check", "--as-of", AS_OF, str(path))
    assert result.exit_code == 2
    assert f"{path}:3:2: error: line 3 is indented by 1 space" in result.stdout
    assert "hint: indent it by exactly as many spaces" in result.stdout
    assert leaks(result.output) == []


#: Every sentence PyYAML's scanner and parser and libyaml's can raise: (context, problem).
PARSER_SENTENCES = [
    (context, problem)
    for context in (
        None,
        "while scanning a directive",
        "while scanning a %YAML directive",
        "while scanning a %TAG directive",
        "while scanning a tag",
        "while parsing a tag",
        "while scanning an anchor",
        "while scanning an alias",
        "while scanning a block scalar",
        "while scanning a quoted scalar",
        "while parsing a quoted scalar",
        "while scanning a double-quoted scalar",
        "while scanning a plain scalar",
        "while scanning a simple key",
        "while scanning for the next token",
        "while parsing a block mapping",
        "while parsing a block collection",
        "while parsing a flow mapping",
        "while parsing a flow sequence",
        "while parsing a block node",
        "while parsing a flow node",
        "while parsing a node",
        "while composing a mapping",
        "expected a single document in the stream",
    )
    for problem in (
        "did not find expected key",
        "did not find expected '-' indicator",
        "did not find expected ',' or ']'",
        "did not find expected ',' or '}'",
        "expected <block end>, but found '-'",
        "expected ',' or ']', but got ':'",
        "did not find expected node content",
        "expected the node content, but found '<stream end>'",
        "mapping values are not allowed in this context",
        "mapping values are not allowed here",
        "mapping keys are not allowed in this context",
        "block sequence entries are not allowed in this context",
        "could not find expected ':'",
        "found character '@' that cannot start any token",
        "found character that cannot start any token",
        "found unexpected end of stream",
        "found unexpected document indicator",
        "found unexpected ':'",
        "found unknown escape character 'q'",
        "expected escape sequence of 2 hexadecimal numbers, but found 'x'",
        "found a tab character that violates indentation",
        "found a tab character where an indentation space is expected",
        "did not find expected alphabetic or numeric character",
        "expected alphabetic or numeric character, but found ' '",
        "did not find expected comment or line break",
        "expected a comment or a line break, but found 'x'",
        "did not find expected whitespace or line break",
        "expected ' ', but found 'x'",
        "did not find the expected '>'",
        "expected '>', but found ' '",
        "did not find expected tag URI",
        "found undefined tag handle",
        "found undefined tag handle '!x!'",
        "found duplicate %YAML directive",
        "found duplicate %TAG directive",
        "found incompatible YAML document",
        "found unknown directive name",
        "expected chomping or indentation indicators, but found 'x'",
        "found an indentation indicator equal to 0",
        "did not find expected <document start>",
        "expected '<document start>', but found '<block mapping start>'",
        "but found another document",
        "invalid indentation or unclosed '[' or '{'",
        "found an incorrect leading UTF-8 octet",
        "Maximum nesting level reached, set with yaml_set_max_nest_level())",
        "exceeded maximum nesting depth",
        "some sentence a future PyYAML may add",
    )
]
SAMPLE = "production:\n  id: prod-x\n  title: [X, 'Y\n  studio: @S\n"


@pytest.mark.parametrize(("context", "problem"), PARSER_SENTENCES)
def test_no_parser_sentence_reaches_the_user(context: str | None, problem: str) -> None:
    context_mark = yaml.Mark("f.yaml", 0, 2, 9, None, None) if context else None
    problem_mark = yaml.Mark("f.yaml", 0, 3, 10, None, None)
    exc = yaml.MarkedYAMLError(context, context_mark, problem, problem_mark)
    error = explain_syntax(exc, "f.yaml", SAMPLE)
    assert error.location is not None and error.location.line > 0
    assert error.message and error.hint
    assert leaks(f"{error.message} {error.hint}") == []
