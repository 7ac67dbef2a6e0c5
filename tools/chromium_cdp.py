"""Open a local HTML file in headless Chromium over the DevTools pipe and report what happened.

Standard library only: Chromium's --remote-debugging-pipe speaks JSON messages ending in NUL
on file descriptors 3 (to the browser) and 4 (from it), so no websocket client is needed.

    python tools/chromium_cdp.py out/report.html --screenshot shot.png [--axe axe.min.js]

prints a JSON summary: every request the page made, console and log entries, dialogs, what the
DOM holds, and axe-core's violations when --axe names a local copy of axe-core.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import select
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)
#: What the page's DOM holds that escaping must have prevented, and what it shows as text.
DOM_PROBE = """JSON.stringify({
  scripts: document.querySelectorAll('script').length,
  images: document.querySelectorAll('img').length,
  handlers: Array.from(document.querySelectorAll('*')).filter(
      e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
  title: document.title,
  scrollWidth: document.documentElement.scrollWidth,
  text: document.body.innerText,
  stylesApplied: getComputedStyle(document.querySelector('header.page') || document.body)
      .borderBottomStyle,
})"""
AXE_RUN = """axe.run(document, {resultTypes: ['violations']}).then(r => JSON.stringify(
  r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                          nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))))"""


class BrowserError(Exception):
    """Chromium could not be started, or did not answer in time."""


@dataclass
class PageReport:
    """What one page did in the browser."""

    url: str
    requests: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    dom: dict[str, Any] = field(default_factory=dict)
    axe: list[dict[str, Any]] | None = None


class Chromium:
    """One headless Chromium process driven over the DevTools pipe."""

    def __init__(self, executable: str = CHROMIUM, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self.profile = tempfile.TemporaryDirectory(prefix="ccai-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # runs in the child: the pipe ends become fds 3 and 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        args = [executable, *FLAGS, f"--user-data-dir={self.profile.name}", "about:blank"]
        try:
            self.process = subprocess.Popen(
                args,
                preexec_fn=wire,  # no threads run here, so preexec_fn is safe
                pass_fds=(3, 4),  # kept open in the child after wire() placed the pipes there
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            raise BrowserError(f"cannot start {executable}: {exc}") from exc
        finally:
            os.close(to_browser_r)
            os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(BrowserError, OSError):
                self.send("Browser.close")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.profile.cleanup()

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("Chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError("Chromium closed the DevTools pipe")
                self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        """Send a command and wait for its answer; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read_message(deadline)
            if answer.get("id") == self._next_id:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error'].get('message')}")
                result: dict[str, Any] = answer.get("result", {})
                return result
            self.events.append(answer)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        """Wait for an event of a session, returning the first one not yet consumed."""
        deadline = time.monotonic() + self.timeout
        while True:
            for index, event in enumerate(self.events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self.events.pop(index)
            self.events.append(self._read_message(deadline))

    def evaluate(self, session: str, expression: str, await_promise: bool = False) -> Any:
        answer = self.send(
            "Runtime.evaluate",
            session,
            expression=expression,
            returnByValue=True,
            awaitPromise=await_promise,
        )
        if "exceptionDetails" in answer:
            raise BrowserError(f"evaluation failed: {answer['exceptionDetails'].get('text')}")
        return answer["result"].get("value")

    def inspect(
        self,
        page: Path,
        screenshot: Path | None = None,
        axe_source: str | None = None,
        media: str = "screen",
        width: int = 1280,
        tile: int = 0,
        pdf: Path | None = None,
    ) -> PageReport:
        """Load a page, record its requests and messages, then probe, screenshot and audit it."""
        url = page.resolve().as_uri()
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        session = self.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Network", "Page", "Runtime", "Log"):
            self.send(f"{domain}.enable", session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.send("Emulation.setEmulatedMedia", session, media=media)
        self.send("Page.navigate", session, url=url)
        self.wait_for("Page.loadEventFired", session)
        report = PageReport(url=url, dom=json.loads(self.evaluate(session, DOM_PROBE)))
        if screenshot is not None:
            self._screenshot(session, screenshot, width, tile)
        if pdf is not None:
            printed = self.send("Page.printToPDF", session, preferCSSPageSize=True)
            pdf.write_bytes(base64.b64decode(printed["data"]))
        self._collect(report, session)
        if axe_source is not None:
            self.evaluate(session, axe_source)
            report.axe = json.loads(self.evaluate(session, AXE_RUN, await_promise=True))
        self.send("Target.closeTarget", targetId=target)
        return report

    def _screenshot(self, session: str, path: Path, width: int, tile: int) -> None:
        """The whole page as one PNG, or with `tile` as PNGs of that height (path-1.png, ...)."""
        height = int(self.send("Page.getLayoutMetrics", session)["cssContentSize"]["height"])
        step = tile or height
        for index, top in enumerate(range(0, height, step)):
            shot = self.send(
                "Page.captureScreenshot",
                session,
                format="png",
                captureBeyondViewport=True,
                clip={
                    "x": 0,
                    "y": top,
                    "width": width,
                    "height": min(step, height - top),
                    "scale": 1,
                },
            )
            target = path if not tile else path.with_name(f"{path.stem}-{index + 1}{path.suffix}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(base64.b64decode(shot["data"]))

    def _collect(self, report: PageReport, session: str) -> None:
        for event in [e for e in self.events if e.get("sessionId") == session]:
            params = event.get("params", {})
            match event.get("method"):
                case "Network.requestWillBeSent":
                    report.requests.append(params["request"]["url"])
                case "Log.entryAdded":
                    report.console.append(f"{params['entry']['level']}: {params['entry']['text']}")
                case "Runtime.consoleAPICalled":
                    report.console.append(f"console.{params['type']}")
                case "Runtime.exceptionThrown":
                    report.console.append(f"exception: {params['exceptionDetails'].get('text')}")
                case "Page.javascriptDialogOpening":
                    report.dialogs.append(params.get("message", ""))
        self.events = [e for e in self.events if e.get("sessionId") != session]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument("--screenshot", type=Path, help="PNG path; with several pages, a directory")
    parser.add_argument("--axe", type=Path, help="a local axe.min.js")
    parser.add_argument("--media", default="screen", choices=("screen", "print"))
    parser.add_argument("--tile", type=int, default=0, help="split screenshots into this height")
    parser.add_argument("--pdf", type=Path, help="also print the (first) page to this PDF")
    args = parser.parse_args()
    axe = args.axe.read_text(encoding="utf-8") if args.axe else None
    reports = []
    with Chromium() as browser:
        for page in args.pages:
            shot = args.screenshot
            if shot is not None and len(args.pages) > 1:
                shot.mkdir(parents=True, exist_ok=True)
                shot = shot / f"{page.stem}.png"
            pdf = args.pdf if page == args.pages[0] else None
            report = browser.inspect(page, shot, axe, media=args.media, tile=args.tile, pdf=pdf)
            report.dom.pop("text", None)
            reports.append(report.__dict__)
    print(json.dumps(reports, indent=2))


if __name__ == "__main__":
    main()
