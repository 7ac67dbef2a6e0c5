"""rules test --mutate: small changes to a rule's conditions that its test cases must catch."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from ccai_policy.authoring.mutation import mutants
from ccai_policy.paths import data_dir
from ccai_policy.policy.rulefiles import load_rule_file

from .authoring import DECL
from .conftest import ROOT

Run = Callable[..., Result]


def case(name: str, scan: str, expect: str, subjects: str = "[p-ana]") -> str:
    """A test case: the small declaration with its de-aging use scanned as given."""
    return f"""\
  - name: {name}
    base: decl.yaml
    patch:
      uses:
        - {{id: u-voice, category: voice_replica, description: V, tool: t-voice, subjects: [p-ana]}}
        - id: u-deage
          category: employment_based_digital_replica
          description: De-aging.
          tool: t-voice
          subjects: {subjects}
          scan: {scan}
    expect: {expect}
"""


RULE = """\
id: ACME-SCAN-001
title: Scans are announced two days ahead
criterion: consent
severity: high
references:
  - {title: ACME scan policy, url: "https://example.com/acme/scan"}
description: Performers hear of a scan in time.
remediation: Tell them earlier.
for_each: uses
as: use
where: use.scan != null && use.subjects.size() > 0
assert: >-
  use.scan.notified_at != null &&
  use.scan.notified_at <= use.scan.starts_at - duration('48h')
message: "{{use.id}} was announced too late"
tests:
""" + case(
    "a scan announced the same day fails",
    "{notified_at: 2026-05-01T09:00:00Z, starts_at: 2026-05-01T10:00:00Z}",
    "fail",
)
MORE_CASES = (
    case(
        "exactly 48 hours ahead passes",
        "{notified_at: 2026-04-29T10:00:00Z, starts_at: 2026-05-01T10:00:00Z}",
        "pass",
    )
    + case("a scan nobody was told of fails", "{starts_at: 2026-05-01T10:00:00Z}", "fail")
    + case(
        "a scan of nobody is not checked",
        "{notified_at: 2026-04-01T10:00:00Z, starts_at: 2026-05-01T10:00:00Z}",
        "not_applicable",
        subjects="[]",
    )
)


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "rules").mkdir()
    shutil.copy(DECL, tmp_path / "decl.yaml")
    (tmp_path / "rules" / "ACME-SCAN-001.yaml").write_text(RULE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def mutate(run_cli: Run, *extra: str) -> Result:
    return run_cli("rules", "test", "rules", "--no-bundled-rules", "--mutate", *extra)


def test_a_rule_with_one_failing_case_lets_mutants_survive(run_cli: Run, folder: Path) -> None:
    result = mutate(run_cli)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "MUTANTS ACME-SCAN-001: 7/12 caught (58.3%)" in lines
    assert lines[lines.index("MUTANTS ACME-SCAN-001: 7/12 caught (58.3%)") + 1 :][:5] == [
        "  SURVIVED where: dropped conjunct `use.subjects.size() > 0`",
        "  SURVIVED where: '>' -> '>=' in `&& use.subjects.size() > 0`",
        "  SURVIVED assert: replaced with false",
        "  SURVIVED assert: dropped conjunct `use.scan.notified_at != null`",
        "  SURVIVED assert: '<=' -> '<' in `use.scan.notified_at <= use.scan.starts_at -`",
    ]
    assert lines[-2] == (
        "mutation score: 7/12 caught (58.3%); 5 survived, 0 documented as equivalent, "
        "0 did not compile"
    )
    assert lines[-1] == "1 passed, 0 failed (1 rules)"
    gated = mutate(run_cli, "--min-score", "80")
    assert gated.exit_code == 1
    assert "the mutation score is below --min-score 80%" in gated.output


def test_more_cases_kill_more_mutants(run_cli: Run, folder: Path) -> None:
    path = folder / "rules" / "ACME-SCAN-001.yaml"
    path.write_text(RULE + MORE_CASES, encoding="utf-8")
    result = mutate(run_cli, "--min-score", "100")
    assert "SURVIVED" not in result.output, result.output
    assert "MUTANTS ACME-SCAN-001: 12/12 caught (100.0%)" in result.output
    assert result.exit_code == 0


def test_documented_equivalent_mutants_count_as_caught(run_cli: Run, folder: Path) -> None:
    survivors = [
        line.removeprefix("  SURVIVED ")
        for line in mutate(run_cli).output.splitlines()
        if line.startswith("  SURVIVED ")
    ]
    documented = "ACME-SCAN-001:\n" + "".join(
        f"  - mutant: {survivor!r}\n    why: test data for the equivalence file\n"
        for survivor in survivors
    )
    (folder / "rules" / "_equivalent_mutants.yaml").write_text(documented, encoding="utf-8")
    result = mutate(run_cli, "--min-score", "100")
    assert result.exit_code == 0, result.output
    assert "mutation score: 12/12 caught (100.0%); 0 survived, 5 documented as equivalent" in (
        result.output
    )


def test_a_runaway_rule_is_stopped_by_the_limits(run_cli: Run, folder: Path) -> None:
    text = (ROOT / "tests" / "hostile" / "rules" / "EVIL-LIST-001.yaml").read_text("utf-8")
    text += "tests:\n  - {name: runs away, base: decl.yaml, expect: pass}\n"
    (folder / "rules" / "EVIL-LIST-001.yaml").write_text(text, encoding="utf-8")
    result = run_cli("rules", "test", "rules", "--no-bundled-rules", "--timeout", "1")
    assert result.exit_code == 2
    assert "STOPPED EVIL-LIST-001: evaluation took longer than the limit" in result.output
    assert (
        "rules/EVIL-LIST-001.yaml:3:1: error: EVIL-LIST-001: its test cases could not run: "
        "evaluation took longer than the limit of 1 s\n"
    ) in result.stderr
    assert "PASSED ACME-SCAN-001::a scan announced the same day fails" in result.output


def test_min_score_needs_mutate(run_cli: Run, folder: Path) -> None:
    result = run_cli("rules", "test", "rules", "--min-score", "50")
    assert result.exit_code == 2
    assert "--min-score needs --mutate" in result.output


@pytest.mark.parametrize(
    ("assertion", "expected"),
    [
        (
            "uses.all(u, u.tool != '' && u.id != 'x && y')",
            ["uses.all(u, u.id != 'x && y')", "uses.all(u, u.tool != '' )"],
        ),
        ("a < b || c >= d", ["a <= b || c >= d", "a < b || c > d", " c >= d", "a < b "]),
        ("x.t < today", ["x.t < (today + duration('86400s'))", "x.t <= today"]),
    ],
    ids=["conjunct-in-a-comprehension-not-in-a-string", "boundaries-and-disjuncts", "today"],
)
def test_mutants_of_an_expression(assertion: str, expected: list[str], tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(RULE.split("where:")[0] + f"assert: {assertion!r}\nmessage: m\n", "utf-8")
    sources = [m.source for m in mutants(load_rule_file(path))]
    assert sources[:3] == [f"!({assertion})", "true", "false"]
    for source in expected:
        assert source in sources


def test_mutants_of_every_bundled_rule_compile() -> None:
    from ccai_policy.authoring.mutation import _with
    from ccai_policy.evaluate.compiler import compile_rule
    from ccai_policy.policy.catalog import load_rules

    for loaded in load_rules(data_dir("rules")):
        for mutant in mutants(loaded):
            compile_rule(_with(loaded, mutant), "high", check_types=False)
