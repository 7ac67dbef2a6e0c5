"""Interrupts: Ctrl-C exits 130 and SIGTERM 143, the workers end with the run, nothing is written.

Run as subprocesses of the installed console script, the way a terminal or a CI runner stops a
job: the signal arrives while a worker evaluates a rule that costs 27 million steps.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .authoring import DECL, RULES
from .conftest import AS_OF, ROOT

CORPUS = ROOT / "tests" / "hostile" / "rules"
COMMAND = Path(sys.executable).parent / "ccai-policy"


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def slow_run(tmp_path: Path) -> tuple[list[str], Path]:
    (tmp_path / "rules").mkdir()
    shutil.copy(RULES / "TEST-PAY-001.yaml", tmp_path / "rules")
    shutil.copy(CORPUS / "EVIL-LIST-001.yaml", tmp_path / "rules")
    (tmp_path / "policy.yaml").write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(DECL, tmp_path / name)
    out = tmp_path / "out.json"
    args = [
        str(COMMAND),
        "check",
        "a.yaml",
        "b.yaml",
        "--no-bundled-rules",
        "--rules",
        "rules",
        "--policy",
        "policy.yaml",
        "--as-of",
        AS_OF,
        "--timeout",
        "120",
        "--jobs",
        "2",
        "-o",
        f"json:{out}",
    ]
    return args, out


def _as_a_foreground_job() -> None:
    """Ctrl-C at its default, as a terminal's foreground job has it: a test run started in the
    background of a shell without job control inherits SIGINT ignored, and a process that
    starts so keeps ignoring it (as `nohup` and `cmd &` mean it to)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
@pytest.mark.parametrize(
    ("signum", "code", "said"),
    [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")],
    ids=["Ctrl-C", "SIGTERM"],
)
def test_a_signal_ends_the_run_with_its_code_and_the_workers_with_it(
    slow_run: tuple[list[str], Path], tmp_path: Path, signum: int, code: int, said: str
) -> None:
    args, out = slow_run
    env = {k: v for k, v in os.environ.items() if k != "PYTHONFAULTHANDLER"}
    process = subprocess.Popen(
        args,
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_a_foreground_job,
    )
    began = time.monotonic()
    try:
        workers: set[int] = set()
        for _ in range(600):  # up to a minute on a loaded machine for both workers to start
            workers = children_of(process.pid)
            if len(workers) >= 2 or process.poll() is not None:
                break
            time.sleep(0.1)
        assert workers, "no worker process started"
        seen = time.monotonic() - began
        time.sleep(0.5)
        # The run takes seconds (EVIL-LIST-001): one that ended already says so, not "exit 1".
        assert process.poll() is None, (
            f"the run ended before the signal (workers seen after {seen:.2f} s, "
            f"{len(workers)} of them; exit {process.returncode})"
        )
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == code, stdout + stderr
    assert f"{said}: nothing was written" in stderr
    assert "Traceback" not in stderr
    assert not out.exists()
    for _ in range(50):
        if not any(alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers), "a worker outlived the run"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_workers_die_with_a_parent_killed_outright(
    slow_run: tuple[list[str], Path], tmp_path: Path
) -> None:
    args, _ = slow_run
    process = subprocess.Popen(
        args, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        workers: set[int] = set()
        for _ in range(600):
            workers = children_of(process.pid)
            if len(workers) >= 2 or process.poll() is not None:
                break
            time.sleep(0.1)
        assert workers, "no worker process started"
        process.kill()  # SIGKILL: no handler runs, only the kernel can end the workers
        process.wait()
        for _ in range(50):
            if not any(alive(pid) for pid in workers):
                break
            time.sleep(0.1)
        assert not any(alive(pid) for pid in workers), "a worker outlived its parent"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
