"""Shared fixtures of the format tests: frozen inputs, results, and readers for what users see."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ccai_policy.evaluate.compiler import compile_policy
from ccai_policy.evaluate.waivers import load_waivers
from ccai_policy.model.result import Result
from ccai_policy.policy.resolve import load_policy
from ccai_policy.run.pipeline import Checks, run_pipeline

from ..conftest import AS_OF, EXAMPLES, ROOT

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
EXPECTED = HERE / "expected"
#: Paths as the fixtures' results show them: relative to the project root.
NIGHT_FERRY = Path("tests/formats/fixtures/declarations/night-ferry.yaml")
MORNING_TIDE = Path("tests/formats/fixtures/declarations/morning-tide.yaml")
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
UPDATE_EXPECTED = os.environ.get("CCAI_UPDATE_EXPECTED") == "1"


def run_check(
    paths: Sequence[Path],
    *,
    fixture_policy: bool = True,
    waivers: Sequence[Path] = (),
    as_of: str = AS_OF,
    cwd: Path = ROOT,
) -> Result:
    """Check paths from the project root, with the frozen fixture policy or the bundled one."""
    with contextlib.chdir(cwd):
        if fixture_policy:
            policy = load_policy(str(FIXTURES / "policy.yaml"), FIXTURES / "rules")
        else:
            policy = load_policy("ccai-baseline")
        checks = Checks(
            ruleset=compile_policy(policy),
            as_of=dt.date.fromisoformat(as_of),
            waivers=load_waivers(waivers, policy),
        )
        return run_pipeline(paths, checks)


@pytest.fixture(scope="session")
def night_ferry() -> Result:
    """One declaration with a pass, failures, a waiver, a finding below the threshold, an n/a."""
    return run_check([NIGHT_FERRY], waivers=[FIXTURES / "waivers.yaml"])


@pytest.fixture(scope="session")
def two_productions() -> Result:
    return run_check([MORNING_TIDE, NIGHT_FERRY], waivers=[FIXTURES / "waivers.yaml"])


@pytest.fixture(scope="session")
def examples_result() -> Result:
    """Every bundled example against the bundled policy."""
    return run_check([EXAMPLES.relative_to(ROOT)], fixture_policy=False)


def assert_expected(name: str, actual: str) -> None:
    """Compare with tests/formats/expected/NAME; CCAI_UPDATE_EXPECTED=1 rewrites it instead."""
    path = EXPECTED / name
    if UPDATE_EXPECTED:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    assert path.exists(), f"{path} is missing; run CCAI_UPDATE_EXPECTED=1 pytest tests/formats"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, (
        f"output differs from {path.relative_to(ROOT)}; if the change is intended, "
        "regenerate with CCAI_UPDATE_EXPECTED=1 .venv/bin/pytest tests/formats and review the diff"
    )


_INLINE = frozenset({"a", "abbr", "b", "code", "em", "i", "small", "span", "strong"})


class Page(HTMLParser):
    """An HTML page as a reader meets it: headings, visible text, tags and attributes."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str]] = []
        self.chunks: list[str] = []
        self._heading: tuple[int, list[str]] | None = None
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in _INLINE:
            self.chunks.append(" ")
        if tag in ("style", "title"):
            self._skip += 1
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self._heading = (int(tag[1]), [])

    def handle_endtag(self, tag: str) -> None:
        if tag not in _INLINE:
            self.chunks.append(" ")
        if tag in ("style", "title"):
            self._skip -= 1
        if self._heading is not None and tag == f"h{self._heading[0]}":
            self.headings.append((self._heading[0], " ".join("".join(self._heading[1]).split())))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.chunks.append(data)
        if self._heading is not None:
            self._heading[1].append(data)

    @property
    def text(self) -> str:
        """The visible text with whitespace collapsed."""
        return " ".join("".join(self.chunks).split())

    def heading_texts(self, level: int) -> list[str]:
        return [text for lvl, text in self.headings if lvl == level]


def unused_waiver_file(directory: Path) -> Path:
    """A waiver file whose one waiver matches no failing finding of the series example."""
    waivers = directory / "waivers.yaml"
    waivers.write_text(
        "waivers:\n"
        "  - rule: CONSENT-SCAN-NOTICE-001\n"
        "    subject: u-crowd\n"
        "    justification: The crowd was told a week ahead.\n"
        "    approver: R. Mendes\n"
        "    expires: 2027-01-31\n",
        encoding="utf-8",
    )
    return waivers
