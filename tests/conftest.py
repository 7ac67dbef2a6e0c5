"""Shared fixtures: the project root, the shared test data and a CLI runner."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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


@pytest.fixture(autouse=True, scope="session")
def own_cache_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The catalog cache of this test run (and of the commands it starts) in a folder of its
    own: never the user's, and empty at the start."""
    folder = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(folder))
        patch.delenv("CCAI_POLICY_NO_CACHE", raising=False)
        yield folder


@pytest.fixture
def run_cli() -> Callable[..., Result]:
    """Invoke the CLI in-process; exceptions propagate so that tracebacks fail the test."""

    def run(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return run
