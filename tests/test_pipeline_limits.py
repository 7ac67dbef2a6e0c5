"""Every command that evaluates runs under the same worker limits as `check`.

Run as subprocesses of the installed console script, so that what a runaway rule does to the
process (a hang, an allocator abort) is what the test sees. Each run ends at the limit with a
located, plain error and exit 2, and what else was evaluated is still reported. The timeouts
of the subprocesses only keep a broken build from hanging the suite.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from .authoring import DECL, RULES
from .conftest import AS_OF, ROOT
from .test_signals import children_of

CORPUS = ROOT / "tests" / "hostile" / "rules"
COMMAND = Path(sys.executable).parent / "ccai-policy"
#: Doubles a 200-character string eight times over, twelve times: it asks for terabytes at
#: once, which makes the allocator of the CEL library abort the process it runs in.
GROWING = "['" + "a" * 200 + "']" + ".map(x, x + x + x + x + x + x + x + x)" * 12 + ".size() > 0"
GROWING_RULE = f"""\
id: EVIL-GROW-001
title: Grows a string past any memory
criterion: controls
severity: high
references:
  - {{title: Hostile rule corpus, url: "https://example.org/hostile"}}
description: Asks for more memory than any machine has.
remediation: None.
for_each: declaration
as: d
assert: "{GROWING}"
message: "never shown"
tests:
  - {{name: runs away, base: decl.yaml, expect: fail}}
"""
POLICY_ARGS = ["--no-bundled-rules", "--rules", "rules", "--policy", "policy.yaml"]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """The console script with an address-space limit of its own: a run that ignored the
    worker limits would abort instead of exhausting the machine."""

    def bounded() -> None:
        limit = 3 << 30
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [str(COMMAND), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=bounded,
        check=False,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A rules folder with a benign rule, a policy of every rule, and small.yaml."""
    (tmp_path / "rules").mkdir()
    shutil.copy(RULES / "TEST-PAY-001.yaml", tmp_path / "rules")
    (tmp_path / "policy.yaml").write_text('id: p\nversion: "1"\ntitle: P\n', encoding="utf-8")
    shutil.copy(DECL, tmp_path / "decl.yaml")
    shutil.copy(DECL, tmp_path / "small.yaml")
    return tmp_path


def big_declaration(project: Path) -> None:
    """big.yaml: 400 uses, where three nested comprehensions take 64 million steps."""
    data = yaml.safe_load(DECL.read_text(encoding="utf-8"))
    use = data["uses"][0]
    data["uses"] = [{**use, "id": f"u-{i}"} for i in range(400)]
    data["consents"][0]["uses"] = ["u-0"]
    data["compensation"][0]["use"] = "u-0"
    data["assets"][0]["uses"] = ["u-0"]
    (project / "big.yaml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "--debug keeps the limits"])
def test_diff_stops_a_slow_version_at_the_time_limit(project: Path, debug: list[str]) -> None:
    shutil.copy(CORPUS / "EVIL-NEST-001.yaml", project / "rules")
    big_declaration(project)
    args = ["diff", "small.yaml", "big.yaml", *POLICY_ARGS, "--as-of", AS_OF, "--timeout", "1"]
    completed = run([*args, *debug], project)
    assert completed.returncode == 2, completed.stderr
    assert completed.stderr == (
        "big.yaml: error: could not evaluate: evaluation took longer than the limit of 1 s\n"
        "  hint: split the declaration, or check the rules for costly expressions\n"
    )
    assert completed.stdout == ""


def test_diff_reports_both_versions_stopped(project: Path) -> None:
    shutil.copy(CORPUS / "EVIL-LIST-001.yaml", project / "rules")
    completed = run(
        ["diff", "small.yaml", "decl.yaml", *POLICY_ARGS, "--as-of", AS_OF, "--timeout", "1"],
        project,
    )
    assert completed.returncode == 2
    assert completed.stderr.splitlines() == [
        "small.yaml: error: could not evaluate: evaluation took longer than the limit of 1 s",
        "  hint: split the declaration, or check the rules for costly expressions",
        "decl.yaml: error: could not evaluate: evaluation took longer than the limit of 1 s",
        "  hint: split the declaration, or check the rules for costly expressions",
    ]


def test_rules_test_stops_a_slow_rule_and_keeps_the_other_cases(project: Path) -> None:
    text = (CORPUS / "EVIL-LIST-001.yaml").read_text(encoding="utf-8")
    text += "tests:\n  - {name: runs away, base: decl.yaml, expect: pass}\n"
    (project / "rules" / "EVIL-LIST-001.yaml").write_text(text, encoding="utf-8")
    completed = run(["rules", "test", "rules", "--no-bundled-rules", "--timeout", "1"], project)
    assert completed.returncode == 2
    assert "PASSED TEST-PAY-001::unpaid voice fails\n" in completed.stdout
    assert "PASSED TEST-PAY-001::paid passes\n" in completed.stdout
    assert completed.stdout.endswith("2 passed, 0 failed, 1 stopped by the limits (2 rules)\n")
    assert completed.stderr == (
        "rules/EVIL-LIST-001.yaml:3:1: error: EVIL-LIST-001: its test cases could not run: "
        "evaluation took longer than the limit of 1 s\n"
        "  hint: make its expressions cheaper (fewer nested comprehensions, no growing strings "
        "or lists), or give --timeout and --memory-limit more\n"
    )


@pytest.mark.parametrize("command", [["test"], ["lint"]], ids=["rules test", "rules lint"])
def test_a_rule_that_exhausts_memory_is_stopped_in_its_worker(
    project: Path, command: list[str]
) -> None:
    """`rules lint` writes each rule's message for its failing cases: before, in its own
    process, where this rule made the allocator abort the command (exit 134)."""
    (project / "rules" / "EVIL-GROW-001.yaml").write_text(GROWING_RULE, encoding="utf-8")
    completed = run(
        ["rules", *command, "rules", "--no-bundled-rules", "--memory-limit", "512"], project
    )
    assert completed.returncode == 2, completed.stderr[-2000:]
    assert "Traceback" not in completed.stderr and "panicked" not in completed.stderr
    said = completed.stdout + completed.stderr
    assert (
        "rules/EVIL-GROW-001.yaml:1:1: error: EVIL-GROW-001: its test cases could not run: the "
        "worker process was killed by SIGABRT (memory limit or a crash in a library): memory "
        "allocation of "
    ) in said
    if command == ["test"]:
        assert "PASSED TEST-PAY-001::paid passes\n" in completed.stdout
    else:
        assert completed.stdout.endswith("2 rules, 0 policies: 1 problem\n")


@pytest.mark.parametrize(
    "command", [["check"], ["diff"], ["rules", "test"], ["rules", "lint"]], ids=" ".join
)
def test_help_names_jobs_0_as_the_only_way_out_of_the_limits(command: list[str]) -> None:
    completed = subprocess.run(
        [str(COMMAND), *command, "--help"], capture_output=True, text=True, check=True
    )
    text = " ".join(completed.stdout.split())
    assert "under --timeout and --memory-limit (--debug keeps them); 0 evaluates in this " in text
    assert "process with no limits at all, the only way to turn them off." in text


def test_only_the_pipeline_evaluates_or_starts_workers() -> None:
    """A second place that assembles evaluation would run without the limits again."""
    import ast

    package = ROOT / "src" / "ccai_policy"
    assembling = {("engine", "evaluate"), ("workers", "run_all"), ("workers", "run_each")}
    found = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module.rsplit(".", 1)[-1]
                for alias in node.names:
                    if (module, alias.name) in assembling:
                        found.append(f"{path.relative_to(package)}: {module}.{alias.name}")
    assert found == ["run/pipeline.py: engine.evaluate", "run/pipeline.py: workers.run_each"]


#: Three comprehensions over lists written in the rule, 300 x 300 x 30: 2.7 million steps,
#: about a second of CPU time whatever the declaration.
ONES = ",".join(["1"] * 300)
SECOND_RULE = (CORPUS / "EVIL-LIST-001.yaml").read_text(encoding="utf-8").split("assert:")[0]
SECOND_RULE = SECOND_RULE.replace("EVIL-LIST-001", "SLOW-SECOND-001")
SECOND_RULE += (
    f'assert: "[{ONES}].all(a, [{ONES}].all(b, [{",".join(["1"] * 30)}].all(c, a + b + c >= 0)))"\n'
    'message: "never shown"\n'
)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_the_time_limit_counts_cpu_time_so_a_busy_machine_cannot_stop_a_file(
    project: Path,
) -> None:
    """The worker is frozen (SIGSTOP) for longer than --timeout, as on a machine too busy to
    give it a core: it used less CPU time than its limit, so the file is still checked. The
    same file with a limit below the CPU time it needs is stopped."""
    (project / "rules" / "SLOW-SECOND-001.yaml").write_text(SECOND_RULE, encoding="utf-8")
    args = [str(COMMAND), "check", "decl.yaml", *POLICY_ARGS, "--as-of", AS_OF, "-q"]
    process = subprocess.Popen(
        [*args, "--timeout", "3"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        workers: set[int] = set()
        for _ in range(6000):  # a minute on a loaded machine for the worker to start
            workers = children_of(process.pid)
            if workers or process.poll() is not None:
                break
            time.sleep(0.01)
        assert workers, "no worker process started"
        for worker in workers:
            os.kill(worker, signal.SIGSTOP)
        time.sleep(4)  # past the limit of 3 s on the wall clock
        assert process.poll() is None
        for worker in workers:
            os.kill(worker, signal.SIGCONT)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert stderr == b""
    assert process.returncode == 1  # TEST-PAY-001 fails; SLOW-SECOND-001 was evaluated
    assert b"could not evaluate" not in stdout
    assert stdout.decode().endswith(
        "1 declaration checked against p 1 (fail on high and above): 0 compliant, 1 not compliant\n"
    )
    stopped = run([*args[1:], "--timeout", "0.2"], project)
    assert stopped.returncode == 2
    assert (
        "decl.yaml: error: could not evaluate: evaluation took longer than the limit of 0.2 s"
        in stopped.stdout
    )
