"""The benchmark measures each target over the floor with the two run in turn, so that both
sides of a ratio see the same minutes of a noisy machine."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from benchmarks import measure
from benchmarks.measure import Budget, ChildRun


def test_a_target_and_its_floor_are_run_in_turn(monkeypatch: pytest.MonkeyPatch) -> None:
    order: list[str] = []
    seconds = {"floor": [2.0, 1.0, 1.5], "check": [3.0, 2.5, 2.8]}

    def fake(argv: Sequence[str], cwd: Path, keep_stdout: bool = False) -> ChildRun:
        name = argv[0]
        order.append(name)
        taken = seconds[name][sum(1 for n in order if n == name) - 1]
        return ChildRun(taken, 0, 1000, "", "", taken * 0.9)

    monkeypatch.setattr(measure, "run_child", fake)
    (floor, parsed), (check, run) = Budget(repeat=3, seconds=60).best_paired(
        ["floor"], ["check"], Path()
    )
    assert order == ["floor", "check"] * 3
    assert (floor.best, floor.cpu, parsed.seconds) == (1.0, 0.9, 1.0)
    assert (check.best, round(check.cpu, 2), run.seconds) == (2.5, 2.25, 2.5)


def test_peers_are_run_in_turn_with_the_tool_and_keep_their_output(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []

    def fake(argv: Sequence[str], cwd: Path, keep_stdout: bool = False) -> ChildRun:
        order.append(argv[0])
        taken = {"ours": 1.0, "opa": 2.0, "regorus": 1.5}[argv[0]] + len(order) / 100
        return ChildRun(taken, 0, 1000, f"{argv[0]} said" if keep_stdout else "", "", taken)

    monkeypatch.setattr(measure, "run_child", fake)
    budget = Budget(repeat=2, seconds=60)
    measured = budget.best_in_turn([["ours"], ["opa"], ["regorus"]], Path(), keep_stdout=True)
    assert order == ["ours", "opa", "regorus"] * 2
    assert [(round(t.best, 2), run.stdout) for t, run in measured] == [
        (1.01, "ours said"),
        (2.02, "opa said"),
        (1.53, "regorus said"),
    ]


def test_the_floor_peak_rss_is_reported_beside_the_target() -> None:
    from benchmarks.report import MB, targets
    from benchmarks.run import Figures

    figures = Figures(sizes={"big": 10 * MB}, uses={"big": 10_000})
    figures.rss = {"big --jobs 2": 600 * MB, "big floor": 400 * MB}
    shown = {t.what: (t.verdict, round(t.value or 0, 1)) for t in targets(figures)}
    assert shown["10,000-use declaration, --jobs 2: peak RSS / file"] == ("MISS", 60.0)
    assert shown["10,000-use floor: peak RSS / file (beside, not the target)"] == ("MISS", 40.0)
