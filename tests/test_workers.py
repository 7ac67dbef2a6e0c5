"""Worker processes: hard CPU-time limits, crashes contained, output identical to in-process."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import Result

from ccai_policy.run.workers import Killed, Limits, run_all, run_each

from .authoring import DECL, RULES, check_args
from .conftest import AS_OF, EXAMPLES


def slow_rule(tmp_path: Path) -> Path:
    """A rule set with one rule whose nested comprehensions take minutes on 400 uses."""
    rules = tmp_path / "rules"
    rules.mkdir()
    text = (RULES / "TEST-PAY-001.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "assert: use.id in compensation_by_use",
        "assert: uses.all(a, uses.all(b, uses.all(c, a.id != '' || b.id != c.id)))",
    )
    (rules / "TEST-PAY-001.yaml").write_text(text, encoding="utf-8")
    (rules / "TEST-PAY-001.yaml").with_name("TEST-DISCLOSE-001.yaml").write_text(
        (RULES / "TEST-DISCLOSE-001.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    return rules


def big_declaration(tmp_path: Path, uses: int) -> Path:
    data = yaml.safe_load(DECL.read_text(encoding="utf-8"))
    template = data["uses"][0]
    data["uses"] = [{**template, "id": f"u-{i}"} for i in range(uses)]
    data["consents"][0]["uses"] = [u["id"] for u in data["uses"]]
    data["compensation"][0]["use"] = "u-0"
    data["assets"][0]["uses"] = ["u-0"]
    path = tmp_path / "big.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_runaway_rule_is_stopped_at_the_time_limit_and_others_still_run(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    rules = slow_rule(tmp_path)
    big = big_declaration(tmp_path, 400)
    policy = tmp_path / "p.yaml"
    policy.write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    small = tmp_path / "small.yaml"
    small.write_text(DECL.read_text(encoding="utf-8"), encoding="utf-8")
    started = time.monotonic()
    result = run_cli(
        "check",
        str(big),
        str(small),
        "--no-bundled-rules",
        "--rules",
        str(rules),
        "--policy",
        str(policy),
        "--timeout",
        "1",
        "--as-of",
        AS_OF,
    )
    elapsed = time.monotonic() - started
    assert result.exit_code == 2
    assert f"{big}: error: could not evaluate: evaluation took longer than the limit of 1 s" in (
        result.output
    )
    # The other file's findings are still there.
    assert "small.yaml: Harbour Lights (series, Test Studio)" in result.output
    assert elapsed < 30


def test_jobs_output_is_byte_identical(run_cli: Callable[..., Result]) -> None:
    outputs = {
        jobs: run_cli("check", str(EXAMPLES), "--format", "json", "--as-of", AS_OF, "--jobs", jobs)
        for jobs in ("0", "1", "2")
    }
    assert outputs["0"].exit_code in (0, 1)
    assert outputs["0"].output == outputs["1"].output == outputs["2"].output


def _crash(item: int) -> int:
    if item == 1:
        os._exit(3)
    return item * 10


def _hang(item: int) -> int:
    if item == 0:
        time.sleep(60)
    return item


def _spin(item: float) -> float:
    """Uses `item` seconds of CPU time (forever for a negative one), as a runaway rule does."""
    start = time.process_time()
    while item < 0 or time.process_time() - start < item:
        pass
    return item


def _hog(item: int) -> int:
    if item == 0:
        _ = bytearray(512 * 1024 * 1024)
    return item


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_crashing_job_is_reported_and_the_rest_complete(jobs: int) -> None:
    results = run_all(_crash, [0, 1, 2, 3], jobs=jobs, limits=Limits(seconds=10))
    assert results[0] == 0 and results[2] == 20 and results[3] == 30
    assert results[1] == Killed("the worker process exited unexpectedly (status 3)")


def test_a_job_burning_cpu_is_stopped_at_the_limit() -> None:
    results = run_all(_spin, [-1.0, 0.0], jobs=2, limits=Limits(seconds=0.5))
    assert results == [Killed("evaluation took longer than the limit of 0.5 s"), 0.0]


def test_the_limit_counts_cpu_time_not_time_spent_waiting() -> None:
    """A job that waits twice its limit (as one does on a machine too busy to give it a core)
    finishes; one that uses the same time computing is stopped."""
    results = run_all(_nap, [0.6], jobs=1, limits=Limits(seconds=0.3))
    assert results == [0.6]
    results = run_all(_spin, [0.6], jobs=1, limits=Limits(seconds=0.3))
    assert results == [Killed("evaluation took longer than the limit of 0.3 s")]


def test_a_job_waiting_ten_times_its_limit_is_stopped() -> None:
    """The run still ends when a job waits for something that never comes."""
    results = run_all(_hang, [0, 1], jobs=2, limits=Limits(seconds=0.2))
    assert results == [
        Killed(
            "evaluation did not finish in 2 s, 10 times the limit of 0.2 s of CPU time: "
            "it was waiting, not computing"
        ),
        1,
    ]


def test_memory_limit_stops_a_job() -> None:
    results = run_all(_hog, [0, 1], jobs=1, limits=Limits(seconds=10, memory_bytes=256 << 20))
    assert isinstance(results[0], Killed)
    assert "memory" in results[0].reason
    assert results[1] == 1


def test_check_in_process_matches_default(run_cli: Callable[..., Result]) -> None:
    a = run_cli(*check_args("--jobs", "0"))
    b = run_cli(*check_args())
    assert a.exit_code == b.exit_code == 1
    assert a.output == b.output


def _nap(item: float) -> float:
    time.sleep(item)
    return item


def test_a_heavier_job_gets_its_weight_in_time() -> None:
    """A job weighted 10 (a 10 MiB declaration) may use ten times the limit; one of weight 1
    that uses as much is stopped, with the limit it had in the message."""
    results = run_all(_spin, [0.6, 0.6], jobs=2, limits=Limits(seconds=0.3), weights=[10.0, 1.0])
    assert results == [0.6, Killed("evaluation took longer than the limit of 0.3 s")]


@pytest.mark.parametrize("jobs", [0, 2])
def test_kept_outcomes_leave_the_collectors_passes_as_they_arrive(jobs: int) -> None:
    """A command's results stay to its end: once each arrives, what is alive is moved out of
    the collector's passes (gc.freeze), in this process or in the parent of the workers."""
    import gc

    frozen: list[int] = []
    before = gc.get_freeze_count()
    try:
        outcomes = run_each(
            _crash,
            [0, 2, 3],
            jobs=jobs,
            limits=Limits(seconds=10),
            progress=lambda done, total: frozen.append(gc.get_freeze_count()),
            kept=True,
        )
        assert outcomes == [0, 20, 30]
        assert gc.get_freeze_count() > before
        if jobs:
            assert frozen and frozen[-1] > before  # frozen before progress is told
        gc.unfreeze()
        run_each(_crash, [0, 2], jobs=jobs, limits=Limits(seconds=10))
        assert gc.get_freeze_count() == 0  # not asked: nothing frozen
    finally:
        gc.unfreeze()
        if before:
            gc.freeze()
