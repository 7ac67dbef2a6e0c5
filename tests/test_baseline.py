"""Baselines: record today's findings, fail only on new ones, keep matching after edits."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from click.testing import Result

from .authoring import DECL, check_args


def record(run_cli: Callable[..., Result], decl: Path, tmp_path: Path) -> Path:
    baseline = tmp_path / "baseline.json"
    result = run_cli(*check_args("-o", f"json:{baseline}", decl=decl))
    assert result.exit_code == 1
    return baseline


def test_baseline_findings_do_not_fail_the_run(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline)))
    assert result.exit_code == 0, result.output
    # Shown as such, never hidden.
    assert "FAIL (in baseline) TEST-PAY-001 [high] u-voice pays nobody among p-ana" in (
        result.output
    )


def test_baseline_keeps_matching_after_lines_are_inserted_above(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    decl = tmp_path / "decl.yaml"
    decl.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    baseline = record(run_cli, decl, tmp_path)
    text = decl.read_text(encoding="utf-8").replace(
        "people:\n", "# a comment\n# another\npeople:\n  - {id: p-bo, name: Bo, roles: [crew]}\n"
    )
    decl.write_text(text, encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl))
    assert result.exit_code == 0, result.output
    assert "decl.yaml:21:5: FAIL (in baseline) TEST-PAY-001" in result.output


def test_new_finding_fails_despite_baseline(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    decl = tmp_path / "decl.yaml"
    decl.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    baseline = record(run_cli, decl, tmp_path)
    text = decl.read_text(encoding="utf-8").replace(
        "compensation:\n  - id: pay-1\n    person: p-ana\n    use: u-deage\n"
        "    basis: per_digital_performance_day\n",
        "",
    )
    decl.write_text(text, encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(baseline), decl=decl))
    assert result.exit_code == 1
    assert "FAIL TEST-PAY-001 [high] u-deage pays nobody among p-ana" in result.output
    assert "FAIL (in baseline) TEST-PAY-001 [high] u-voice" in result.output


def test_baseline_is_named_in_json(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    baseline = record(run_cli, DECL, tmp_path)
    result = run_cli(*check_args("--baseline", str(baseline), "--format", "json"))
    data = json.loads(result.output)
    assert data["baseline"] == str(baseline)
    flags = {
        f["subject"]["id"]: f["baselined"]
        for f in data["declarations"][0]["findings"]
        if f["status"] == "fail"
    }
    assert flags == {"u-voice": True, "a-promo": True}


def test_malformed_baseline_exits_2(run_cli: Callable[..., Result], tmp_path: Path) -> None:
    bad = tmp_path / "baseline.json"
    bad.write_text('{"declarations": [\n', encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(bad)))
    assert result.exit_code == 2
    assert f"{bad}:2:1: error: baseline is not valid JSON" in result.output
    bad.write_text('{"findings": []}', encoding="utf-8")
    result = run_cli(*check_args("--baseline", str(bad)))
    assert result.exit_code == 2
    assert f"{bad}:1:1: error: baseline does not follow the ccai-policy result format: " in (
        result.output
    )
