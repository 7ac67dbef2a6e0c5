"""`ccai-policy diff`: item changes by id, findings new/resolved/unchanged by rule and subject."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy import __version__
from ccai_policy.evaluate.compiler import compile_policy
from ccai_policy.evaluate.waivers import load_waivers
from ccai_policy.policy.resolve import load_policy
from ccai_policy.run.diff import diff_files, field_changes, finding_changes
from ccai_policy.run.pipeline import Checks, run_pipeline

from .conftest import AS_OF
from .ecosystem import DIFF, NEW, OLD, POLICY, RULES, policy_args
from .markdown_reader import tags, to_html

RunCli = Callable[..., Result]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DIFF.parent.parent.parent.parent)  # paths shown relative to the repo


def variant(tmp_path: Path, name: str, base: Path, *edits: tuple[str, str]) -> Path:
    """A copy of a declaration with text replaced; each edit must apply exactly once."""
    text = base.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_text_output_matches_the_expected_file(run_cli: RunCli) -> None:
    result = run_cli(
        "diff", str(OLD.relative_to(Path.cwd())), str(NEW.relative_to(Path.cwd())), *policy_args()
    )
    assert result.exit_code == 1
    assert result.output == (DIFF / "expected.txt").read_text(encoding="utf-8")


def test_markdown_output_matches_the_expected_file(run_cli: RunCli) -> None:
    result = run_cli(
        "diff",
        str(OLD.relative_to(Path.cwd())),
        str(NEW.relative_to(Path.cwd())),
        *policy_args(),
        "--format",
        "markdown",
    )
    assert result.exit_code == 1
    expected = (DIFF / "expected.md").read_text(encoding="utf-8")
    assert result.output == expected.replace("@VERSION@", __version__)


def test_findings_match_by_rule_and_subject_not_by_line() -> None:
    ruleset = compile_policy(load_policy(str(POLICY), RULES))
    diff = diff_files(OLD, NEW, Checks(ruleset=ruleset, as_of=dt.date.fromisoformat(AS_OF)))
    unchanged = {(c.finding.rule_id, c.finding.subject.id): c for c in diff.of_kind("unchanged")}
    pay = unchanged["ECO-PAY-001", "u-crowd"]
    assert pay.previous is not None
    assert (pay.previous.location.line, pay.finding.location.line) == (22, 27)
    assert [(c.finding.rule_id, c.finding.subject.id) for c in diff.of_kind("new")] == [
        ("ECO-CONSENT-001", "u-dub"),
        ("ECO-PAY-001", "u-dub"),
    ]
    assert [c.finding.rule_id for c in diff.blocking] == ["ECO-CONSENT-001", "ECO-PAY-001"]


def test_fixing_without_new_findings_exits_0(run_cli: RunCli, tmp_path: Path) -> None:
    fixed = variant(
        tmp_path,
        "fixed.yaml",
        OLD,
        (
            "signed_on: 2026-05-01}\n",
            "signed_on: 2026-05-01}\n  - {id: c-ben, person: p-ben, "
            "uses: [u-crowd], signed_on: 2026-06-12}\n",
        ),
        (
            "basis: negotiated}\n",
            "basis: negotiated}\n  - {id: pay-ben, person: p-ben, use: u-crowd, basis: scan_day}\n",
        ),
    )
    result = run_cli("diff", str(OLD), str(fixed), *policy_args())
    assert result.exit_code == 0, result.output
    assert "Findings: 0 new, 2 resolved, 1 unchanged" in result.output
    assert "ECO-CONSENT-001 [critical] u-crowd: passes now" in result.output
    assert "ECO-PAY-001 [high] u-crowd: passes now" in result.output
    assert "    + added pay-ben (scan_day)" in result.output
    assert result.output.endswith(
        "Before: not compliant. Now: compliant. No new failing finding at or above high.\n"
    )


def test_html_never_ticks_a_new_version_that_still_fails(run_cli: RunCli, tmp_path: Path) -> None:
    """No new finding is not compliance: what failed before and still fails keeps the ✗."""
    renamed = variant(
        tmp_path, "renamed.yaml", NEW, ("title: Tidewater\n", "title: Tidewater II\n")
    )
    result = run_cli("diff", str(NEW), str(renamed), *policy_args(), "--format", "html")
    assert result.exit_code == 0, result.output
    verdict = re.search(r'<div class="verdict ([a-z-]+)">(.*?)</div>', result.output, re.DOTALL)
    assert verdict is not None
    words = re.sub(r"<[^>]+>", "", verdict.group(2))
    assert verdict.group(1) == "not-compliant-known"
    assert "✓" not in words
    assert "✗ Not compliant, no new findings" in words
    assert (
        "Before: not compliant. Now: not compliant. No finding at or above high is new, but 4 "
        "failing findings of the old version are still there: the new version is not compliant."
    ) in words

    fixed = variant(
        tmp_path,
        "fixed.yaml",
        OLD,
        (
            "signed_on: 2026-05-01}\n",
            "signed_on: 2026-05-01}\n  - {id: c-ben, person: p-ben, "
            "uses: [u-crowd], signed_on: 2026-06-12}\n",
        ),
        (
            "basis: negotiated}\n",
            "basis: negotiated}\n  - {id: pay-ben, person: p-ben, use: u-crowd, basis: scan_day}\n",
        ),
    )
    again = run_cli("diff", str(fixed), str(fixed), *policy_args(), "--format", "html")
    verdict = re.search(r'<div class="verdict ([a-z-]+)">(.*?)</div>', again.output, re.DOTALL)
    assert verdict is not None and verdict.group(1) == "compliant"
    assert "✓ Compliant, no new findings" in re.sub(r"<[^>]+>", "", verdict.group(2))


def test_new_findings_below_the_threshold_do_not_fail(run_cli: RunCli, tmp_path: Path) -> None:
    poster = variant(
        tmp_path,
        "poster.yaml",
        NEW,
        (
            "uses: [u-voice]}\n",
            "uses: [u-voice]}\n  - {id: a-poster, title: Poster, uses: [u-dub]}\n",
        ),
    )
    default = run_cli("diff", str(NEW), str(poster), *policy_args())
    assert default.exit_code == 0, default.output
    assert "FAIL ECO-DISCLOSE-001 [medium] a-poster (Poster) carries no audience disclosure" in (
        default.output
    )
    stricter = run_cli("diff", str(NEW), str(poster), *policy_args(), "--fail-on", "medium")
    assert stricter.exit_code == 1
    assert "1 new failing finding at or above medium." in stricter.output


def test_waived_new_findings_are_not_new_failures(run_cli: RunCli, tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        + "".join(
            f"  - {{rule: {rule}, subject: u-dub, justification: Dub approved by the union "
            f"pending paperwork, approver: 'K. Ito, SAG-AFTRA', expires: 2027-01-31}}\n"
            for rule in ("ECO-CONSENT-001", "ECO-PAY-001")
        ),
        encoding="utf-8",
    )
    result = run_cli("diff", str(OLD), str(NEW), *policy_args(), "--waivers", str(waivers))
    assert result.exit_code == 0, result.output
    assert "Findings: 0 new, 1 resolved, 2 unchanged" in result.output

    assert "ECO-CONSENT-001 [critical] u-dub" not in result.output


def test_a_finding_whose_subject_is_removed_is_resolved(run_cli: RunCli) -> None:
    reverse = run_cli("diff", str(NEW), str(OLD), *policy_args())
    assert reverse.exit_code == 1  # the crowd's missing consent is back
    assert "ECO-CONSENT-001 [critical] u-dub: u-dub is no longer declared" in reverse.output
    assert (
        "    tests/data/ecosystem/diff/old.yaml:22:5: FAIL ECO-CONSENT-001 [critical] u-crowd"
        in (reverse.output)
    )


def test_a_finding_resolved_by_a_waiver_says_who_waived_it(tmp_path: Path) -> None:
    waivers_file = tmp_path / "waivers.yaml"
    waivers_file.write_text(
        "waivers:\n  - {rule: ECO-DISCLOSE-001, subject: a-trailer, justification: Teaser runs "
        "only at the festival press screening, approver: 'R. Vega, producer', "
        "expires: 2027-03-01}\n",
        encoding="utf-8",
    )
    policy = load_policy(str(POLICY), RULES)
    ruleset = compile_policy(policy)
    as_of = dt.date.fromisoformat(AS_OF)
    old = run_pipeline([OLD], Checks(ruleset=ruleset, as_of=as_of)).declarations[0]
    waivers = load_waivers([waivers_file], policy)
    waived = run_pipeline([NEW], Checks(ruleset=ruleset, as_of=as_of, waivers=waivers))
    changes = finding_changes(old, waived.declarations[0])
    resolved = [
        (c.finding.rule_id, c.finding.subject.id, c.now) for c in changes if c.kind == "resolved"
    ]
    assert ("ECO-DISCLOSE-001", "a-trailer", "waived by R. Vega, producer until 2027-03-01") in (
        resolved
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "{dir}",
            "{new}",
            "tests/data/ecosystem: error: is a directory; diff compares two declaration files",
        ),
        ("{old}", "{tmp}/missing.yaml", "missing.yaml: error: no such file or directory"),
        (
            "{old}",
            "{tmp}/dangling.yaml",
            "dangling.yaml:26:16: error: `uses[1].subjects[0]` names 'p-bem', but there is no "
            "person with that id",
        ),
    ],
    ids=["directory", "missing", "dangling reference"],
)
def test_bad_input_exits_2_with_a_location(
    run_cli: RunCli, tmp_path: Path, old: str, new: str, message: str
) -> None:
    variant(tmp_path, "dangling.yaml", OLD, ("subjects: [p-ben]", "subjects: [p-bem]"))
    names = {"dir": "tests/data/ecosystem", "old": str(OLD), "new": str(NEW), "tmp": tmp_path}
    result = run_cli("diff", old.format(**names), new.format(**names), *policy_args())
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_html_is_self_contained_escaped_and_deterministic(run_cli: RunCli, tmp_path: Path) -> None:
    hostile = variant(
        tmp_path,
        "hostile.yaml",
        NEW,
        ("title: Tidewater\n", 'title: "<script>alert(1)</script> | {{7*7}}"\n'),
        ("ADR in reels 3 and 5.", 'ADR in reels 3 and 5. "><img src=x onerror=alert(1)>'),
    )
    first = run_cli("diff", str(OLD), str(hostile), *policy_args(), "--format", "html")
    again = run_cli("diff", str(OLD), str(hostile), *policy_args(), "--format", "html")
    assert first.exit_code == 1
    page = first.output
    assert page == again.output
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; | {{7*7}}" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    css = re.search(r"<style>(.*?)</style>", page, re.DOTALL)
    assert css is not None
    digest = base64.b64encode(hashlib.sha256(css.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in page
    assert ".verdict.not-compliant" in css.group(1)  # the HTML report's own stylesheet
    assert "<h1>&lt;script&gt;" in page
    assert "2 new failing findings at or above high" in page

    markdown = run_cli("diff", str(OLD), str(hostile), *policy_args(), "--format", "markdown")
    rendered = to_html(markdown.output)
    assert not tags(rendered) & {"script", "img"}
    assert "<h2>ccai-policy diff: &lt;script&gt;alert(1)&lt;/script&gt; | {{7*7}}</h2>" in rendered


def test_output_files_and_unknown_formats(run_cli: RunCli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "diff.md"
    result = run_cli("diff", str(OLD), str(NEW), *policy_args(), "-o", f"markdown:{target}")
    assert result.exit_code == 1
    assert target.read_text(encoding="utf-8").startswith("## ccai-policy diff: Tidewater\n")
    assert result.output.startswith("diff: tests/data/ecosystem/diff/old.yaml -> ")
    unknown = run_cli("diff", str(OLD), str(NEW), "-o", f"sarif:{target}")
    assert unknown.exit_code == 2
    assert "unknown format 'sarif'; choose from text, markdown, html" in unknown.output


def test_field_changes_flatten_nested_objects_and_keep_lists_whole() -> None:
    old = {"id": "u", "scan": {"starts_at": "a", "notified_at": None}, "subjects": ["p1"]}
    new = {"id": "u", "scan": {"starts_at": "a", "notified_at": "b"}, "subjects": ["p1", "p2"]}
    assert [(f.field, f.old, f.new) for f in field_changes(old, new)] == [
        ("scan.notified_at", None, "b"),
        ("subjects", ["p1"], ["p1", "p2"]),
    ]
    removed = field_changes({"scan": {"starts_at": "a"}}, {"scan": None})
    assert [(f.field, f.old, f.new) for f in removed] == [("scan.starts_at", "a", None)]
