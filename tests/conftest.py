"""Shared fixtures: the project root, the shared test data and a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ccai_policy.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
AS_OF = "2026-11-23"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "slow: takes a minute or more (the wheel build); part of `make test`"
    )


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the CLI in-process; exceptions propagate so that tracebacks fail the test."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run
