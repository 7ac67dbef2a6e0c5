"""Exact output of every format for the frozen fixtures, compared with tests/formats/expected/.

Regenerate after an intended change with
`CCAI_UPDATE_EXPECTED=1 .venv/bin/pytest tests/formats/test_expected.py`, then review the diff.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from ccai_policy.model.result import Result
from ccai_policy.report import FORMATS, html

from .conftest import assert_expected

CASES: list[tuple[str, str, Callable[[Result], str]]] = [
    ("night-ferry.html", "night_ferry", FORMATS["html"]),
    ("two-productions.html", "two_productions", FORMATS["html"]),
    ("site/index.html", "two_productions", lambda r: html.render_pages(r)["index.html"]),
    ("two-productions.sarif", "two_productions", FORMATS["sarif"]),
    ("two-productions.junit.xml", "two_productions", FORMATS["junit"]),
    ("two-productions.md", "two_productions", FORMATS["markdown"]),
    ("two-productions.github.txt", "two_productions", FORMATS["github"]),
]


@pytest.mark.parametrize(("name", "fixture", "render"), CASES, ids=[c[0] for c in CASES])
def test_output_matches_expected_file(
    name: str, fixture: str, render: Callable[[Result], str], request: pytest.FixtureRequest
) -> None:
    result: Result = request.getfixturevalue(fixture)
    assert_expected(name, render(result))
