"""`check -o FMT:FILE`: several formats in one run, directories of HTML pages, clear errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result as CliResult

from ccai_policy.formats import FORMATS

from ..conftest import AS_OF, ROOT
from .conftest import FIXTURES, MORNING_TIDE, NIGHT_FERRY

RunCli = Callable[..., CliResult]
FIXTURE_ARGS = (
    "--policy",
    str(FIXTURES / "policy.yaml"),
    "--no-bundled-rules",
    "--rules",
    str(FIXTURES / "rules"),
    "--waivers",
    str(FIXTURES / "waivers.yaml"),
    "--as-of",
    AS_OF,
)


@pytest.fixture(autouse=True)
def _from_the_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_several_formats_in_one_run(run_cli: RunCli, tmp_path: Path) -> None:
    outputs = {name: tmp_path / f"report.{name}" for name in FORMATS}
    args = [a for name, path in outputs.items() for a in ("-o", f"{name}:{path}")]
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "--format", "github", *args)
    assert result.exit_code == 1
    assert result.output == outputs["github"].read_text(encoding="utf-8")
    assert all(path.stat().st_size > 0 for path in outputs.values())
    assert not list(tmp_path.glob(".*.tmp")), "atomic writes leave no temporary files"


@pytest.mark.parametrize(
    ("target", "spec"),
    [("site", "html:{}/"), ("existing", "html:{}")],
    ids=["trailing-slash", "existing-dir"],
)
def test_html_directory_target(run_cli: RunCli, tmp_path: Path, target: str, spec: str) -> None:
    (tmp_path / "existing").mkdir()
    out = tmp_path / target
    result = run_cli(
        "check", str(MORNING_TIDE), str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", spec.format(out)
    )
    assert result.exit_code == 1
    assert sorted(p.name for p in out.iterdir()) == [
        "index.html",
        "prod-morning-tide.html",
        "prod-night-ferry.html",
    ]


def test_html_file_target_holds_every_report(run_cli: RunCli, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    run_cli("check", str(MORNING_TIDE), str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", f"html:{out}")
    text = out.read_text(encoding="utf-8")
    assert "<h1>2 productions checked</h1>" in text
    assert '<h2 id="d2-title">The Night Ferry: Not compliant</h2>' in text


def test_identical_runs_give_identical_bytes(run_cli: RunCli, tmp_path: Path) -> None:
    for run in ("a", "b"):
        args = [a for name in FORMATS for a in ("-o", f"{name}:{tmp_path / run / name}")]
        run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, *args)
    for name in FORMATS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_unknown_format_lists_the_valid_ones(run_cli: RunCli) -> None:
    result = run_cli("check", str(NIGHT_FERRY), "-o", "pdf:out.pdf")
    assert result.exit_code == 2
    assert "unknown format 'pdf'; choose from text, json, html, sarif, junit, markdown, github" in (
        result.output
    )


def test_single_file_format_refuses_a_directory(run_cli: RunCli, tmp_path: Path) -> None:
    result = run_cli("check", str(NIGHT_FERRY), "-o", f"sarif:{tmp_path}/")
    assert result.exit_code == 2
    assert "is a directory; sarif writes one file (only html can fill a directory)" in (
        result.output
    )


def test_unwritable_output_is_exit_2(run_cli: RunCli, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = run_cli("check", str(NIGHT_FERRY), *FIXTURE_ARGS, "-o", f"sarif:{blocker}/x.sarif")
    assert result.exit_code == 2
    assert f"error: cannot write {blocker}/x.sarif" in result.output
