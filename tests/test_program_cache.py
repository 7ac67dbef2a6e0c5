"""The fast runtime's programs kept between runs (evaluate/programcache.py): a later run reads
back what an earlier one compiled and judges alike; an entry that is corrupt, foreign or
writable by others is ignored, and the cache stays off when asked."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ccai_policy.evaluate import runtime
from ccai_policy.evaluate.compiler import RuleSet, compile_policy
from ccai_policy.policy.resolve import load_policy
from ccai_policy.run.pipeline import Checks, Execution, run_pipeline

from .conftest import AS_OF, EXAMPLES

pytestmark = pytest.mark.skipif(not runtime.available(), reason="no fast runtime here")
EXAMPLE = EXAMPLES / "series-noncompliant.yaml"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder for one test, and a process that has compiled nothing yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    fresh()
    yield tmp_path / "xdg" / "ccai-policy"
    fresh()


def fresh() -> None:
    """As a new process: no program compiled or read back yet."""
    runtime._program.cache_clear()
    runtime._kept.cache_clear()


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The text of every program the fast runtime compiles (not read back) from now on."""
    compiled: list[str] = []
    _, env, _ = runtime._library()

    class Counting:
        def compile(self, text: str, **kwargs: Any) -> Any:
            compiled.append(text)
            return env.compile(text, **kwargs)

        def __getattr__(self, name: str) -> Any:  # Activation, deserialize: the library's
            return getattr(env, name)

    library = runtime._library()
    monkeypatch.setattr(runtime, "_library", lambda: (library[0], Counting(), library[2]))
    return compiled


@pytest.fixture(scope="module")
def ruleset() -> RuleSet:
    return compile_policy(load_policy("ccai-baseline"))


def judged(ruleset: RuleSet) -> str:
    checks = Checks(ruleset=ruleset, as_of=dt.date.fromisoformat(AS_OF))
    run = run_pipeline([EXAMPLE], checks, Execution(jobs=0))
    assert run.problems == []
    [result] = run.declarations
    return result.model_dump_json()


def entry(cache: Path) -> Path:
    [found] = cache.glob("programs-*.bin")
    return found


def test_a_later_run_reads_the_programs_back_and_judges_alike(
    cache: Path, compiles: list[str], ruleset: RuleSet
) -> None:
    first = judged(ruleset)
    assert len(compiles) > 20
    assert entry(cache).stat().st_mode & 0o777 == 0o600
    compiles.clear()
    fresh()
    assert judged(ruleset) == first
    assert compiles == []


@pytest.mark.parametrize("damage", ["a byte changed", "writable by others", "cut short"])
def test_a_damaged_or_untrusted_entry_is_compiled_again(
    cache: Path, compiles: list[str], ruleset: RuleSet, damage: str
) -> None:
    first = judged(ruleset)
    count = len(compiles)
    path = entry(cache)
    blob = path.read_bytes()
    if damage == "a byte changed":
        path.write_bytes(blob[:-10] + bytes([blob[-10] ^ 1]) + blob[-9:])
    elif damage == "writable by others":
        os.chmod(path, 0o666)
    else:
        path.write_bytes(blob[: len(blob) // 2])
    compiles.clear()
    fresh()
    assert judged(ruleset) == first
    assert len(compiles) == count


def test_the_cache_stays_off_when_asked(
    cache: Path, compiles: list[str], ruleset: RuleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CCAI_POLICY_NO_CACHE", "1")
    judged(ruleset)
    assert compiles
    assert not cache.exists() or list(cache.glob("programs-*.bin")) == []
