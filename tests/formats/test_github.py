"""GitHub workflow-command annotations: one per failing finding, escaped by GitHub's rules."""

from __future__ import annotations

import pytest

from ccai_policy.errors import Location
from ccai_policy.model.result import Result
from ccai_policy.model.verdict import counts_toward_exit
from ccai_policy.report import github

from ..conftest import EXAMPLES, ROOT
from .conftest import run_check


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
    location = Location(file="decl, v2.yaml", line=7, column=3)
    assert github.annotation("warning", location, "RULE-X-001", "two\nlines") == (
        "::warning file=decl%2C v2.yaml,line=7,col=3,title=RULE-X-001::two%0Alines"
    )
    assert github.annotation("error", Location(file="f.yaml"), "T", "m") == (
        "::error file=f.yaml,title=T::m"
    )


def annotations(text: str) -> list[str]:
    """The workflow commands before the plain log lines."""
    return text.split("::stop-commands::", 1)[0].splitlines()


def test_one_annotation_per_failing_finding_by_severity(night_ferry: Result) -> None:
    lines = annotations(github.render(night_ferry))
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::error", "::warning"]
    assert lines[0].startswith(
        "::error file=tests/formats/fixtures/declarations/night-ferry.yaml,line=49,col=5,"
        "title=CONSENT-REPLICA-001::u-omar-voice replicates Omar Haddad"
    ), "the critical finding comes first, whatever its line"
    assert lines[1].startswith(
        "::error file=tests/formats/fixtures/declarations/night-ferry.yaml,line=45,col=5,"
        "title=CONTROLS-DGA-CONSULT-001::u-omar-voice (Omar Haddad's voice rebuilt"
    )
    assert "title=COMP-REPLICA-DAY-001" not in github.render(night_ferry), "waived: no annotation"
    assert lines[2].startswith(
        "::warning file=tests/formats/fixtures/declarations/night-ferry.yaml,line=87,col=5,"
        "title=TRANSP-C2PA-001::a-radio-spot (Radio spot, made by u-omar-voice): carries no"
    )


def test_every_critical_finding_is_among_the_annotations_github_shows() -> None:
    """GitHub shows 10 annotations per level: the series example's 22 blocking findings come
    critical first, so CONSENT-TIMING-001 (line 159) is shown; a 10th error says how many more
    there are, and every one of them is still in the log."""
    result = run_check(
        [EXAMPLES.relative_to(ROOT) / "series-noncompliant.yaml"], fixture_policy=False
    )
    # The annotations and the overflow log lines; the verdicts follow behind stop-commands.
    lines = github.render(result).split("::stop-commands::")[0].splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == github.PER_LEVEL
    shown = [e for e in errors[:9]]
    critical = {
        f.rule_id
        for d in result.declarations
        for f in d.findings
        if f.severity == "critical" and f.status == "fail"
    }
    assert {"CONSENT-TIMING-001", "CONSENT-REPLICA-001", "CONSENT-DECEASED-001"} <= critical
    assert all(any(f"title={rule}::" in line for line in shown) for rule in critical)
    blocking = sum(
        counts_toward_exit(f, result.fail_on) for d in result.declarations for f in d.findings
    )
    assert errors[9] == (
        f"::error title=ccai-policy%3A {blocking - 9} more errors::{blocking - 9} more errors are "
        "not shown as annotations (GitHub shows 10 of each level per step). Every finding is "
        "listed in this step's log after the annotations, and in the job summary, SARIF and HTML "
        "reports when the workflow writes them."
    )
    assert len([line for line in lines if line.startswith("::warning ")]) <= github.PER_LEVEL
    assert len([line for line in lines if line.startswith("::notice ")]) <= github.PER_LEVEL
    # Beyond the limit: the errors not shown, and of any other level over 10, all but 9.
    levels = [e.command for e in github.entries(result)]
    more = sum(n - 9 for n in (levels.count(c) for c in github.LEVELS) if n > github.PER_LEVEL)
    assert more > blocking - 9
    assert f"{more} findings beyond GitHub's annotation limit:" in lines
    logged = [line for line in lines if not line.startswith("::")]
    assert len(logged) == 1 + more
    assert all(
        ": error: " in line or ": warning: " in line or ": notice: " in line for line in logged[1:]
    )
    severities = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert severities == sorted(severities, key=["::error", "::warning", "::notice"].index)


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
