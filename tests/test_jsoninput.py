"""JSON inputs read back (a baseline): bounded, and checked against the published result schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .authoring import DECL, check_args


@pytest.fixture
def recorded(run_cli: Callable[..., Result], tmp_path: Path) -> Path:
    baseline = tmp_path / "baseline.json"
    assert run_cli(*check_args("-o", f"json:{baseline}", decl=DECL)).exit_code == 1
    return baseline


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def test_a_hand_edited_baseline_is_located_where_it_breaks_the_format(
    run_cli: Callable[..., Result], recorded: Path
) -> None:
    data = json.loads(recorded.read_text(encoding="utf-8"))
    data["declarations"][0]["findings"][0]["status"] = "ignored"
    recorded.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(recorded)))
    assert result.exit_code == 2
    line = line_of(recorded, '"status": "ignored"')
    assert (
        f"{recorded}:{line}:11: error: baseline does not follow the ccai-policy result format: "
        f"line {line}, column 11 (/declarations/0/findings/0/status): has a value the format "
        "does not allow"
    ) in result.output
    assert "hint: write it with 'ccai-policy check ... -o json:FILE'" in result.output


def test_a_baseline_missing_a_field_names_it(
    run_cli: Callable[..., Result], recorded: Path
) -> None:
    data = json.loads(recorded.read_text(encoding="utf-8"))
    del data["declarations"][0]["file"]
    recorded.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(recorded)))
    assert result.exit_code == 2
    assert "(/declarations/0): missing 'file'" in result.output


def test_a_baseline_nested_too_deeply_is_an_error_not_a_crash(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(deep)))
    assert result.exit_code == 2
    assert f"{deep}: error: baseline is nested too deeply" in result.output


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_a_baseline_that_never_ends_is_read_no_further_than_the_limit(
    run_cli: Callable[..., Result],
) -> None:
    result = run_cli(*check_args("--baseline", "/dev/zero"))
    assert result.exit_code == 2
    assert "/dev/zero: error: baseline is larger than 200 MB" in result.output
