"""rules docs and explain: the catalog is generated, and docs/rules.md stays in sync."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from ccai_policy.authoring.docs import bundled_catalog, render_markdown

from .conftest import ROOT


def test_committed_catalog_is_current() -> None:
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_markdown(bundled_catalog()), (
        "docs/rules.md is stale: run 'ccai-policy rules docs --out docs' and commit it"
    )


def test_rules_docs_writes_markdown_and_html(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    result = run_cli("rules", "docs", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert result.output == f"wrote {tmp_path / 'rules.md'}\nwrote {tmp_path / 'index.html'}\n"
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert '<article id="CONSENT-REPLICA-001"' in html
    markdown = (tmp_path / "rules.md").read_text(encoding="utf-8")
    assert "### CONSENT-REPLICA-001 — " in markdown
    assert "- **Policies:** " in markdown


def test_explain_prints_why_and_what_to_do(run_cli: Callable[..., Result]) -> None:
    result = run_cli("explain", "CONSENT-REPLICA-001")
    assert result.exit_code == 0
    assert result.output.startswith("CONSENT-REPLICA-001: ")
    assert "\nWhy: " in result.output and "\nWhat to do: " in result.output
    assert "\nSources:\n  - " in result.output


def test_explain_unknown_rule_exits_2(run_cli: Callable[..., Result]) -> None:
    result = run_cli("explain", "NOPE-001")
    assert result.exit_code == 2
    assert "error: no rule 'NOPE-001'" in result.output


def test_the_field_reference_is_current_and_complete(run_cli: Callable[..., Result]) -> None:
    from ccai_policy.authoring.fieldref import reference

    committed = (ROOT / "docs" / "fields.md").read_text(encoding="utf-8")
    assert committed == reference("declaration"), (
        "docs/fields.md is stale: run "
        "'ccai-policy schema declaration --format markdown > docs/fields.md' and commit it"
    )
    assert run_cli("schema", "declaration", "--format", "markdown").output == committed
    assert "### `uses[].category`" in committed
    assert (
        "- `synthetic_performer`: Synthetic Performer (SAG-AFTRA): a digitally created performer"
    ) in committed
    assert not [
        line for line in committed.splitlines() if line.startswith("- `") and line.endswith(": ")
    ], "every allowed value has its meaning"
    headings = [line for line in committed.splitlines() if line.startswith("### ")]
    assert len(headings) > 130
    assert "- Read by rules: CONTROLS-DGA-CONSULT-001" in committed


def test_every_format_has_a_readable_reference(run_cli: Callable[..., Result]) -> None:
    for name in ("rule", "policy", "waivers", "result"):
        result = run_cli("schema", name, "--format", "markdown")
        assert result.exit_code == 0
        assert result.output.startswith("# ") and "### `" in result.output
