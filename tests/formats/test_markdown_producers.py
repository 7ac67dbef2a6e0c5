"""Every Markdown ccai-policy writes goes through the one Markdown escaper: hostile text in a
rule (title, description, fix, source, test name) and in a declaration, fed through the step
summary, the diff, the rule catalog, SARIF's rule help and the field reference, renders as
the same visible text in GitHub's own parser: no markup, no link, no image, no mention, no
heading or list item begun by a newline, no table cell broken by a pipe."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result
from pydantic import BaseModel, Field

from ccai_policy.authoring import fieldref

from ..authoring import DATA, DECL
from ..conftest import AS_OF
from ..markdown_reader import mentions, tags, to_html
from .conftest import Page

#: Markup, an image, a link with a script address, an autolink, a mention, a pipe that would
#: end a table cell, and newlines that would start a heading and a list item.
HOSTILE = (
    "Pay @octocat <b>now</b> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    "![pixel](https://evil.example/p.png) <https://evil.example/a> www.evil.example "
    "| cell\n## Forged heading\n- forged item"
)
#: What a reader must see of it: the same words on one line.
VISIBLE = (
    "Pay @\u2060octocat <b>now</b> <img src=x onerror=alert(1)> [click](javascript:alert(1)) "
    "![pixel](https://evil.example/p.png) <https://evil.example/a> www.evil.example | cell "
    "## Forged heading - forged item"
)
#: The elements our own Markdown makes; anything else came from data.
OURS = {
    "h1", "h2", "h3", "h4", "p", "table", "thead", "tbody", "tr", "th", "td", "code", "pre",
    "strong", "em", "ul", "li", "br", "details", "summary", "a", "blockquote",
}  # fmt: skip
RunCli = Callable[..., Result]


def _rule(directory: Path) -> Path:
    rule = yaml.safe_load((DATA / "rules" / "TEST-PAY-001.yaml").read_text(encoding="utf-8"))
    rule.update(
        title=HOSTILE,
        description=HOSTILE,
        remediation=HOSTILE,
        references=[
            {"title": HOSTILE, "url": "https://example.org/a b)<x>"},
            {"title": "Script", "url": "javascript:alert(1)"},
        ],
        tests=[{"name": HOSTILE, "base": str(DECL), "expect": "fail"}],
    )
    rules = directory / "rules"
    rules.mkdir()
    (rules / "TEST-PAY-001.yaml").write_text(yaml.safe_dump(rule), encoding="utf-8")
    return rules


def _declaration(directory: Path) -> Path:
    data = yaml.safe_load(DECL.read_text(encoding="utf-8"))
    data["production"]["title"] = HOSTILE
    path = directory / "decl.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', html)


def assert_inert(markdown: str) -> str:
    """The Markdown rendered as GitHub does: nothing from the data became markup."""
    html = to_html(markdown)
    assert not tags(html) - OURS, sorted(tags(html) - OURS)
    # GitHub notifies no one from a code span, which shows its text literally.
    assert mentions(re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)) == []
    assert "Forged heading</h" not in html and "<li>forged item" not in html
    for href in _links(html):
        assert href.startswith("https://") and "evil.example" not in href, href
    text = Page(html).text
    assert VISIBLE in text, "the hostile text is still shown, as text"
    return html


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[list[str], Path]:
    rules = _rule(tmp_path)
    policy = tmp_path / "policy.yaml"
    policy.write_text('id: hostile\nversion: "1.0"\ntitle: Hostile\nfail_on: high\n', "utf-8")
    args = ["--no-bundled-rules", "--rules", str(rules), "--policy", str(policy), "--as-of", AS_OF]
    return args, _declaration(tmp_path)


def test_step_summary(run_cli: RunCli, hostile: tuple[list[str], Path]) -> None:
    args, decl = hostile
    result = run_cli("check", str(decl), *args, "--format", "markdown")
    assert result.exit_code == 1, result.output
    html = assert_inert(result.output)
    # The criteria table keeps its columns: the pipe in the title did not add a cell.
    header = re.search(r"<thead>\s*<tr>(.*?)</tr>", html, re.DOTALL)
    assert header is not None and header.group(1).count("<th") == 6
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.DOTALL)
    assert row is not None and row.group(1).count("<td") == 6


def test_diff(run_cli: RunCli, hostile: tuple[list[str], Path]) -> None:
    args, decl = hostile
    result = run_cli("diff", str(DECL), str(decl), *args, "--format", "markdown")
    assert result.exit_code in (0, 1), result.output
    assert_inert(result.output)


def test_rule_catalog(run_cli: RunCli, hostile: tuple[list[str], Path], tmp_path: Path) -> None:
    args, _ = hostile
    out = tmp_path / "docs"
    assert run_cli("rules", "docs", "--out", str(out), *args[:3]).exit_code == 0, out
    html = assert_inert((out / "rules.md").read_text(encoding="utf-8"))
    assert "https://example.org/a%20b%29%3Cx%3E" in _links(html)
    assert "Script (<code>javascript:alert(1)</code>)" in html, "no script address is a link"


def test_sarif_rule_help(run_cli: RunCli, hostile: tuple[list[str], Path]) -> None:
    args, decl = hostile
    result = run_cli("check", str(decl), *args, "--format", "sarif")
    rule = json.loads(result.output)["runs"][0]["tool"]["driver"]["rules"][0]
    html = assert_inert(rule["help"]["markdown"])
    assert _links(html) == ["https://example.org/a%20b%29%3Cx%3E"]


class _Hostile(BaseModel):
    """Pay @octocat <b>now</b> <img src=x onerror=alert(1)> [click](javascript:alert(1))
    ![pixel](https://evil.example/p.png) <https://evil.example/a> www.evil.example | cell
    ## Forged heading
    - forged item"""

    note: str = Field(description=HOSTILE, examples=[HOSTILE])


def test_field_reference() -> None:
    assert_inert(fieldref.render(_Hostile, "Hostile", "ccai-policy schema hostile", None))
