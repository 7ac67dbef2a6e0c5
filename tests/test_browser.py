"""The HTML reports in Debian's headless Chromium: no requests, no scripts, no serious axe issues.

Needs /usr/bin/chromium and a local axe-core (`make browser-deps` installs both); skipped with a
message saying so where they are missing. Screenshots go to $CCAI_SCREENSHOT_DIR when set.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

from ccai_policy.report import html

from .conftest import ROOT
from .formats.conftest import EXAMPLE_FILES, FIXTURES, NIGHT_FERRY, run_check
from .formats.hostile import hostile

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(os.environ.get("CCAI_AXE_JS", ROOT / ".venv/browser/node_modules/axe-core/axe.min.js"))
INSTALL = "run `make browser-deps` (apt-get install chromium; npm install axe-core@4)"

pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"Debian chromium is not installed: {INSTALL}"
    ),
    pytest.mark.skipif(not AXE.exists(), reason=f"axe-core is not installed at {AXE}: {INSTALL}"),
]


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("chromium_cdp", ROOT / "tools/chromium_cdp.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


cdp = _load_tool()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with cdp.Chromium(str(CHROMIUM)) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("CCAI_SCREENSHOT_DIR")
    directory = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def inspect_clean(browser: Any, page: Path, shot: Path, media: str = "screen") -> Any:
    """Open a report; assert it loaded nothing, ran nothing, and has no serious axe issue."""
    report = browser.inspect(page, shot, AXE.read_text(encoding="utf-8"), media=media)
    assert report.requests == [page.resolve().as_uri()], "the page requested something else"
    assert report.console == [], "no CSP violation, error or console output"
    assert report.dialogs == []
    assert (report.dom["scripts"], report.dom["images"], report.dom["handlers"]) == (0, 0, 0)
    assert report.dom["stylesApplied"] == "solid", "the inline stylesheet passed the CSP"
    serious = [v for v in report.axe if v["impact"] in ("serious", "critical")]
    assert serious == [], serious
    width, height = png_size(shot)
    assert width == 1280 and height > 600
    return report


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.stem for p in EXAMPLE_FILES])
def test_example_report_in_chromium(
    browser: Any, shots: Path, tmp_path: Path, example: Path
) -> None:
    result = run_check([example.relative_to(ROOT)], fixture_policy=False)
    page = tmp_path / f"{example.stem}.html"
    page.write_text(html.render(result), encoding="utf-8")
    report = inspect_clean(browser, page, shots / f"{example.stem}.png")
    title = result.declarations[0].production.title
    assert report.dom["title"].startswith(f"{title}: ")
    assert "People affected" in report.dom["text"]


def test_portfolio_directory_in_chromium(browser: Any, shots: Path, tmp_path: Path) -> None:
    examples_result = run_check([Path("examples")], fixture_policy=False)
    for name, text in html.render_pages(examples_result).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = inspect_clean(browser, tmp_path / "index.html", shots / "index.png")
    for declaration in examples_result.declarations:
        assert declaration.production.title in report.dom["text"]


def test_print_layout_in_chromium(browser: Any, shots: Path, tmp_path: Path) -> None:
    result = run_check([NIGHT_FERRY], waivers=[FIXTURES / "waivers.yaml"])
    page = tmp_path / "night-ferry.html"
    page.write_text(html.render(result), encoding="utf-8")
    report = inspect_clean(browser, page, shots / "night-ferry-print.png", media="print")
    assert "Rule set digest" in report.dom["text"]


def test_hostile_text_does_not_execute_in_chromium(
    browser: Any, shots: Path, tmp_path: Path
) -> None:
    data, _ = hostile(yaml.safe_load((ROOT / NIGHT_FERRY).read_text(encoding="utf-8")))
    declaration = tmp_path / "hostile.yaml"
    declaration.write_text(yaml.safe_dump(data), encoding="utf-8")
    page = tmp_path / "hostile.html"
    page.write_text(html.render(run_check([declaration])), encoding="utf-8")
    report = inspect_clean(browser, page, shots / "hostile.png")
    assert (
        '<script>alert("xss")</script> "><img src=x onerror=alert(1)> {{7*7}}'
        in (report.dom["text"])
    )


def test_the_recorder_sees_requests_when_a_page_makes_them(browser: Any, tmp_path: Path) -> None:
    """A control: a page that does load something is caught, so the clean results mean it."""
    page = tmp_path / "leaky.html"
    page.write_text('<!DOCTYPE html><img alt="" src="http://127.0.0.1:9/pixel.png">', "utf-8")
    report = browser.inspect(page)
    assert "http://127.0.0.1:9/pixel.png" in report.requests


#: The order a union representative reads a report in: verdict and criteria, then people.
READING_ORDER = [
    "Verdict",
    "People affected",
    "Findings by criterion",
    "Waived findings",
    "Rules that do not apply",
    "Passed rules",
    "What was evaluated",
]


def _after_contents(text: str) -> str:
    """The page's text after its table of contents (which names every section too)."""
    return text.split("What was evaluated", 1)[1]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_verdict_and_people_come_first_and_the_fingerprint_last(
    browser: Any, shots: Path, tmp_path: Path, width: int
) -> None:
    result = run_check([Path("examples/series-noncompliant.yaml")], fixture_policy=False)
    page = tmp_path / "series.html"
    page.write_text(html.render(result), encoding="utf-8")
    shot = shots / f"series-{width}.png"
    report = browser.inspect(page, shot, width=width)
    assert report.console == [] and report.requests == [page.resolve().as_uri()]
    body = _after_contents(report.dom["text"])
    places = [body.index(f"\n{heading}\n") for heading in READING_ORDER]
    assert places == sorted(places), "sections in reading order"
    assert body.index("Not compliant") < body.index("People affected")
    words = " ".join(body.split())
    consent = words.index(
        "✗ Does not count (c-maya-general): It was signed on 2026-08-01, after u-maya-replica "
        "was first used on 2026-07-20 It was signed on 2026-08-01, after the scan"
    )
    assert consent < words.index("Findings by criterion"), "the consent cell, with its reasons"
    assert "✓ Consented: c-maya-general" not in words, "no tick beside a failing consent"
    assert body.index("SHA-256") > body.index("What was evaluated")
    assert png_size(shot)[0] == width
    assert report.dom["scrollWidth"] <= width, "nothing runs off the side of the screen"


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing"
)
def test_printed_first_page_holds_the_verdict_and_the_four_criteria(
    browser: Any, shots: Path, tmp_path: Path
) -> None:
    result = run_check([Path("examples/series-noncompliant.yaml")], fixture_policy=False)
    page = tmp_path / "series.html"
    page.write_text(html.render(result), encoding="utf-8")
    pdf = shots / "series.pdf"
    browser.inspect(page, media="print", pdf=pdf)
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Not compliant" in first
    for criterion in ("Consent", "Controls", "Compensation", "Transparency"):
        assert criterion in first, criterion
    assert "SHA-256" not in first, "the fingerprint is not what page 1 is about"


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is missing"
)
def test_printed_pages_are_not_left_nearly_empty(browser: Any, shots: Path, tmp_path: Path) -> None:
    """A person's table flows across pages: no page holds only a heading and a table header
    while the first row waits for the next page (rows taller than a page left blank pages)."""
    result = run_check([Path("examples/series-noncompliant.yaml")], fixture_policy=False)
    page = tmp_path / "series.html"
    page.write_text(html.render(result), encoding="utf-8")
    pdf = shots / "series-pages.pdf"
    browser.inspect(page, media="print", pdf=pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [[line.strip() for line in p.splitlines() if line.strip()] for p in text.split("\f")]
    pages = [p for p in pages if p]
    # A short page is fine where a section starts on the next one (sections begin pages).
    sections = ("Findings by criterion", "Waived findings", "Rules that do not apply")
    short = [
        (number, page)
        for number, (page, following) in enumerate(pairwise(pages), 1)
        if len(page) < 10 and not following[0].startswith(sections)
    ]
    assert short == [], short
    # The people table's headers stay whole words in print.
    assert any("Compensation Findings" in " ".join(line.split()) for line in pages[1])
