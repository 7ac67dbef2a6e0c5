"""GitHub workflow-command annotations: one per failing finding, escaped by GitHub's rules."""

from __future__ import annotations

import pytest

from ccai_policy.formats import github
from ccai_policy.model.result import Result, SourceLocation


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("100% sure", "100%25 sure", "100%25 sure"),
        ("line\nnext\r", "line%0Anext%0D", "line%0Anext%0D"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%0A", "%250A", "%250A"),
    ],
    ids=["percent", "line-breaks", "colon-comma", "already-encoded"],
)
def test_escaping(text: str, data: str, prop: str) -> None:
    assert github.escape_data(text) == data
    assert github.escape_property(text) == prop


def test_annotation_shape() -> None:
    location = SourceLocation(file="decl, v2.yaml", line=7, column=3)
    assert github.annotation("warning", location, "RULE-X-001", "two\nlines") == (
        "::warning file=decl%2C v2.yaml,line=7,col=3,title=RULE-X-001::two%0Alines"
    )
    assert github.annotation("error", SourceLocation(file="f.yaml"), "T", "m") == (
        "::error file=f.yaml,title=T::m"
    )


def annotations(text: str) -> list[str]:
    """The workflow commands before the plain log lines."""
    return text.split("::stop-commands::", 1)[0].splitlines()


def test_one_annotation_per_failing_finding_by_severity(night_ferry: Result) -> None:
    lines = annotations(github.render(night_ferry))
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::warning"]
    assert lines[0].startswith(
        "::error file=tests/formats/fixtures/declarations/night-ferry.yaml,line=45,col=5,"
        "title=CONTROLS-DGA-CONSULT-001::u-omar-voice (Omar Haddad's voice rebuilt"
    )
    assert "title=COMP-REPLICA-DAY-001" not in github.render(night_ferry), "waived: no annotation"
    assert lines[2].startswith(
        "::warning file=tests/formats/fixtures/declarations/night-ferry.yaml,line=87,col=5,"
        "title=TRANSP-C2PA-001::a-radio-spot (Radio spot, made by u-omar-voice): carries no"
    )


def test_the_verdicts_and_the_summary_reach_the_log_as_plain_lines(night_ferry: Result) -> None:
    """GitHub hides workflow commands from the log; people still read what a text run says."""
    text = github.render(night_ferry)
    _, _, rest = text.partition("::stop-commands::")
    token, _, body = rest.partition("\n")
    assert token.startswith("ccai-") and body.endswith(f"::{token}::\n")
    plain = body.removesuffix(f"::{token}::\n").splitlines()
    assert plain == [
        "tests/formats/fixtures/declarations/night-ferry.yaml: The Night Ferry (film, Pier Nine "
        "Films) — NOT COMPLIANT",
        "  5 rules: 0 passed, 3 failed, 1 waived, 1 not applicable",
        "1 declaration checked against report-fixture 1.0 (fail on high and above): "
        "0 compliant, 1 not compliant",
    ]
    assert token not in "\n".join(plain)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\n::error::x", "a\\x0a::error::x"),
        ("a\r\x1b[31mred", "a\\x0d\\x1b[31mred"),
        ("plain — text", "plain — text"),
    ],
    ids=["line break", "carriage return and terminal escape", "plain"],
)
def test_a_log_line_cannot_be_split_by_what_a_user_wrote(text: str, shown: str) -> None:
    assert github.escape_log_line(text) == shown
