"""The text report on a terminal: colour when wanted, a blocking marker, -q, a closed pipe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result as CliResult

from ..conftest import AS_OF, EXAMPLES, ROOT

RunCli = Callable[..., CliResult]
CLI = Path(sys.executable).with_name("ccai-policy")
SGR = re.compile(r"\x1b\[[0-9;]*m")


def test_blocking_findings_are_marked_and_come_first(run_cli: RunCli) -> None:
    result = run_cli(
        "check", str(EXAMPLES / "commercial-synthetic-performer.yaml"), "--as-of", AS_OF
    )
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    transparency = lines.index("  Transparency & Enforcement")
    blocking, advisory = lines[transparency + 1], lines[transparency + 2]
    assert blocking.startswith("    ✗ ") and "TRANSP-NY-AD-001 [high]" in blocking
    assert advisory.startswith("    · ") and "TRANSP-TRAINING-MINING-001 [low]" in advisory, (
        "the low finding comes after the high one, though it is earlier in the file"
    )
    assert (
        lines[-2] == "✗ marks the finding that fails the run; the others are listed for information"
    )


def test_quiet_keeps_only_the_summary(run_cli: RunCli) -> None:
    result = run_cli("check", str(EXAMPLES), "--as-of", AS_OF, "-q")
    assert result.exit_code == 1
    assert result.stdout == (
        "4 declarations checked against ccai-baseline 2026.1 (fail on high and above): "
        "2 compliant, 2 not compliant\n"
    )


def test_color_always_styles_lines_never_data(run_cli: RunCli) -> None:
    result = run_cli(
        "check", str(EXAMPLES / "series-noncompliant.yaml"), "--as-of", AS_OF, "--color", "always"
    )
    assert result.exit_code == 1
    assert "\x1b[1;31m    ✗ examples/series-noncompliant.yaml:" in result.stdout
    assert "\x1b[33m    · " in result.stdout
    assert not re.search("\x1b(?!\\[[0-9;]*m)", result.stdout), "only SGR sequences"
    plain = run_cli("check", str(EXAMPLES / "series-noncompliant.yaml"), "--as-of", AS_OF)
    assert SGR.sub("", result.stdout) == plain.stdout
    assert "\x1b" not in plain.stdout, "auto: no colour when standard output is not a terminal"


def on_a_terminal(*args: str, env: dict[str, str]) -> str:
    """Run the installed command with standard output on a pseudo-terminal; what it showed."""
    master, slave = os.openpty()
    try:
        done = subprocess.run(
            [str(CLI), *args], stdout=slave, stderr=subprocess.PIPE, cwd=ROOT, env=env, timeout=120
        )
    finally:
        os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert done.returncode == 1, done.stderr
    return b"".join(chunks).decode("utf-8")


@pytest.mark.parametrize(
    ("no_color", "coloured"), [(None, True), ("1", False)], ids=["tty", "NO_COLOR"]
)
def test_auto_colours_a_terminal_unless_no_color(no_color: str | None, coloured: bool) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env["TERM"] = "xterm"
    if no_color:
        env["NO_COLOR"] = no_color
    shown = on_a_terminal(
        "check", "examples/series-noncompliant.yaml", "--as-of", AS_OF, "-q", env=env
    )
    assert ("\x1b[1;31m" in shown) is coloured
    assert "0 compliant, 1 not compliant" in shown


def test_a_closed_pipe_ends_quietly_with_the_exit_code() -> None:
    process = subprocess.Popen(
        [str(CLI), "check", "examples/", "--as-of", AS_OF],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == 1, "findings: exit 1, as if the whole report was read"
    assert first.startswith(b"examples/commercial-synthetic-performer.yaml: ")
    assert stderr == b"", "no BrokenPipeError, no 'internal error'"
