"""Hostile text in every free-text field and in a waiver is shown literally by every format."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
import yaml

from ccai_policy.model.result import Result
from ccai_policy.report import github, html, junit, markdown, sarif

from ..conftest import ROOT
from .conftest import NIGHT_FERRY, Page, run_check
from .hostile import PAYLOAD, hostile

#: A file name that is itself markup.
HOSTILE_NAME = '"><img src=x onerror=alert(2)>.yaml'


@pytest.fixture(scope="module")
def hostile_result(tmp_path_factory: pytest.TempPathFactory) -> Result:
    directory = tmp_path_factory.mktemp("hostile")
    base = yaml.safe_load((ROOT / NIGHT_FERRY).read_text(encoding="utf-8"))
    data, count = hostile(base)
    assert count >= 30, "the fixture should carry the payload in many fields"
    declaration = directory / HOSTILE_NAME
    declaration.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    waivers = directory / "waivers.yaml"
    waiver = {
        "rule": "COMP-REPLICA-DAY-001",
        "subject": "u-omar-voice",
        "justification": PAYLOAD,
        "approver": PAYLOAD,
        "expires": "2027-01-31",
    }
    waivers.write_text(yaml.safe_dump({"waivers": [waiver]}), encoding="utf-8")
    result = run_check([declaration], waivers=[waivers])
    assert not result.problems, result.problems
    return result


def test_html_keeps_every_payload_as_text(hostile_result: Result) -> None:
    page = Page(html.render(hostile_result))
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "iframe", "object", "embed", "link", "base", "form"}
    attributes = {name for _, attrs in page.tags for name in attrs}
    assert not [a for a in attributes if a.startswith("on")]
    assert "src" not in attributes and "style" not in attributes
    shown = page.text.count('<script>alert("xss")</script> "><img src=x onerror=alert(1)> {{7*7}}')
    assert shown >= 10, "names, titles, descriptions, messages and the waiver show the payload"
    assert page.text.count("{{7*7}}") == shown, "no template expression was evaluated"
    assert '"><img src=x onerror=alert(2)>.yaml' in page.text


def test_html_directory_pages_escape_too(hostile_result: Result) -> None:
    for name, text in html.render_pages(hostile_result).items():
        page = Page(text)
        assert not {tag for tag, _ in page.tags} & {"script", "img"}, name
        assert "<script>alert(" in page.text, name


def test_markdown_escapes_markup_and_line_breaks(hostile_result: Result) -> None:
    text = markdown.render(hostile_result)
    outside_code = re.sub(r"(`+).*?\1", "", text)
    assert not re.search(r"(?<!\\)<(script|img)", outside_code), "markup is escaped"
    assert '\\<script\\>alert("xss")\\</script\\>' in text
    assert not [line for line in text.splitlines() if line.startswith("## injected")]
    assert "\\{\\{" not in text and "{{7\\*7}}" in text, "braces stay, the asterisk is escaped"


def test_github_annotations_cannot_be_broken_out_of(hostile_result: Result) -> None:
    commands, _, log = github.render(hostile_result).partition("::stop-commands::")
    lines = commands.splitlines()
    assert lines, "the hostile declaration has failing findings"
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    token, *plain, resume = log.splitlines()
    assert resume == f"::{token}::"
    assert not [line for line in plain if line.lstrip().startswith("::")], "one value, one line"
    assert not [line for line in lines if line.startswith("::error::injected")]
    assert any("%250A%0A::error::injected%0A## injected heading" in line for line in lines)


def test_junit_and_sarif_carry_the_payload_intact(hostile_result: Result) -> None:
    root = ET.fromstring(junit.render(hostile_result).encode("utf-8"))
    failures = [f.get("message", "") for f in root.iter("failure")]
    assert any(PAYLOAD.replace("\n", " ")[:40] in m or "<script>" in m for m in failures)
    log = json.loads(sarif.render(hostile_result))
    messages = [r["message"]["text"] for r in log["runs"][0]["results"]]
    assert any(PAYLOAD in m for m in messages)
    suppressed = [r for r in log["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed[0]["suppressions"][0]["justification"] == PAYLOAD
