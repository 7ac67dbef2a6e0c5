"""Option values that nothing can hold are usage errors; limits yield to the system's own."""

from __future__ import annotations

import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from .conftest import AS_OF, EXAMPLES

FILM = str(EXAMPLES / "feature-film-compliant.yaml")
COMMAND = Path(sys.executable).parent / "ccai-policy"


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--timeout", "nan", "nan is not a number of seconds"),
        ("--timeout", "inf", "inf is not in the range 0.1<=x<=86400"),
        ("--timeout", "-inf", "-inf is not in the range 0.1<=x<=86400"),
        ("--timeout", "0", "0.0 is not in the range 0.1<=x<=86400"),
        ("--timeout", "soon", "'soon' is not a valid float"),
        ("--max-file-size", str(2**63), "is not in the range 1<=x<=1073741824"),
        ("--memory-limit", str(2**63), "is not in the range 64<=x<=1099511627776"),
    ],
)
def test_values_out_of_range_are_usage_errors(
    run_cli: Callable[..., Result], option: str, value: str, said: str
) -> None:
    result = run_cli("check", FILM, "--as-of", AS_OF, option, value)
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': " in result.output
    assert said in result.output
    assert "Traceback" not in result.output


def _hard_limit(megabytes: int) -> Callable[[], None]:
    def apply() -> None:
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return apply


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_default_memory_limit_yields_to_a_lower_hard_limit(jobs: str) -> None:
    done = subprocess.run(
        [str(COMMAND), "check", FILM, "--as-of", AS_OF, "--jobs", jobs],
        capture_output=True,
        text=True,
        preexec_fn=_hard_limit(3072),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "COMPLIANT" in done.stdout


def test_an_explicit_memory_limit_above_the_hard_limit_says_so() -> None:
    done = subprocess.run(
        [str(COMMAND), "check", FILM, "--as-of", AS_OF, "--memory-limit", "8192"],
        capture_output=True,
        text=True,
        preexec_fn=_hard_limit(3072),
        timeout=300,
        check=False,
    )
    assert done.returncode == 2
    assert "8,192 MiB is above this system's hard limit of 3,072 MiB" in done.stderr
