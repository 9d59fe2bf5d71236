"""A small headless-Chromium driver over the DevTools protocol, standard library only.

Chromium talks the protocol over two pipes (``--remote-debugging-pipe``: it reads
commands on fd 3 and writes replies and events on fd 4, each message a JSON text ended by
a NUL byte), so no websocket package is needed. The browser runs with the network cut off
(``--host-resolver-rules="MAP * ~NOTFOUND"``) and a fresh profile. Every page records its
JavaScript exceptions, console errors, log errors (a blocked load or a CSP violation
shows up there) and every request it makes.

Used by the browser tests and by ``benchmarks/bench_html.py``; also a command that takes
a screenshot of an HTML file once the page says it is ready::

    python tests/browser/chromium.py network.html shot.png [--width 1400 --height 900]
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def find_chromium() -> str | None:
    """The path of a Chromium or Chrome executable, or None."""
    explicit = os.environ.get("SYMBIOSIS_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    pass


class Browser:
    """One headless Chromium process; open pages with :meth:`open`."""

    def __init__(self, executable: str | None = None, *, width: int = 1400, height: int = 900):
        executable = executable or find_chromium()
        if executable is None:
            raise BrowserError("no chromium executable found")
        self.profile = tempfile.mkdtemp(prefix="symbiosis-chromium-")
        command_read, self._command_write = os.pipe()
        self._event_read, event_write = os.pipe()

        def wire_pipes():  # in the child, before exec: the protocol pipes become fds 3 and 4
            high_read = fcntl.fcntl(command_read, fcntl.F_DUPFD, 10)
            high_write = fcntl.fcntl(event_write, fcntl.F_DUPFD, 10)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen(
            [
                executable,
                *FLAGS,
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            close_fds=False,
            preexec_fn=wire_pipes,
        )
        os.close(command_read)
        os.close(event_write)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.width, self.height = width, height

    # ------------------------------------------------------------------ protocol

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        *,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        """Send one command and wait for its reply (events seen meanwhile are kept)."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._command_write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply is None:
                raise BrowserError(f"{method}: no reply within {timeout} s")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def _read(self, deadline: float) -> dict[str, Any] | None:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            ready, _, _ = select.select([self._event_read], [], [], remaining)
            if not ready:
                return None
            chunk = os.read(self._event_read, 1 << 20)
            if not chunk:
                raise BrowserError("chromium closed the pipe (it exited)")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while (event := self._read(deadline)) is not None:
            self._events.append(event)

    def take_events(self, sessions: set[str]) -> list[dict[str, Any]]:
        mine = [e for e in self._events if e.get("sessionId") in sessions]
        self._events = [e for e in self._events if e.get("sessionId") not in sessions]
        return mine

    # ------------------------------------------------------------------ pages

    def open(
        self, path_or_url: str | Path, *, timeout: float = 60.0, init_script: str = ""
    ) -> Page:
        """Open a file (or URL) in a new tab and wait for its load event. ``init_script``
        runs in every frame before the page's own scripts."""
        url = str(path_or_url)
        if "://" not in url:
            url = Path(url).resolve().as_uri()
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, target, session)
        self.send("Page.enable", session=session)
        page.watch(session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        page.init_script = init_script
        if init_script:
            self.send(
                "Page.addScriptToEvaluateOnNewDocument", {"source": init_script}, session=session
            )
        page.started = time.monotonic()
        self.send("Page.navigate", {"url": url}, session=session)
        page.wait_event("Page.loadEventFired", timeout)
        return page

    def close_page(self, page: Page) -> None:
        with contextlib.suppress(BrowserError):
            self.send("Target.closeTarget", {"targetId": page.target})

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._command_write, self._event_read):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Page:
    """One tab: evaluate JavaScript, wait for conditions, read what went wrong."""

    def __init__(self, browser: Browser, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        self.sessions = {session}
        self.init_script = ""
        self.events: list[dict[str, Any]] = []
        self.started = time.monotonic()

    def watch(self, session: str) -> None:
        """Record errors and requests of a session, and attach to its out-of-process
        frames (a sandboxed iframe runs in a process of its own)."""
        self.sessions.add(session)
        for domain in ("Runtime", "Log", "Network"):
            self.browser.send(f"{domain}.enable", session=session)
        self.browser.send(
            "Target.setAutoAttach",
            {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": True},
            session=session,
        )
        if session != self.session:
            if self.init_script:
                self.browser.send(
                    "Page.addScriptToEvaluateOnNewDocument",
                    {"source": self.init_script},
                    session=session,
                )
            self.browser.send("Runtime.runIfWaitingForDebugger", session=session)

    def _collect(self) -> None:
        while True:
            new = self.browser.take_events(self.sessions)
            if not new:
                return
            self.events += new
            for event in new:
                if event.get("method") == "Target.attachedToTarget":
                    self.watch(event["params"]["sessionId"])

    def send(self, method: str, params: dict[str, Any] | None = None, **kw) -> dict[str, Any]:
        result = self.browser.send(method, params, session=self.session, **kw)
        self._collect()
        return result

    def wait_event(self, method: str, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            self._collect()
            for event in self.events:
                if event.get("method") == method:
                    return event
            if time.monotonic() > deadline:
                raise BrowserError(f"no {method} within {timeout} s")
            self.browser.pump(min(0.1, max(0.0, deadline - time.monotonic())))

    def evaluate(self, expression: str, *, timeout: float = 30.0) -> Any:
        """The value of a JavaScript expression (promises awaited)."""
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, *, timeout: float = 60.0) -> float:
        """Poll until ``expression`` is truthy; return the seconds waited since opening."""
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise BrowserError(f"{expression!r} still false after {timeout} s")
            self.browser.pump(0.05)
        return time.monotonic() - self.started

    def screenshot(
        self, path: str | Path, *, full_page: bool = False, selector: str | None = None
    ) -> Path:
        """A PNG of the window, the whole page, or one element (CSS ``selector``)."""
        params: dict[str, Any] = {"format": "png"}
        if selector:
            box = self.evaluate(
                f"(function () {{ var r = document.querySelector({json.dumps(selector)})"
                ".getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY,"
                " r.width, r.height]; })()"
            )
            params["clip"] = dict(zip(("x", "y", "width", "height"), box, strict=True))
            params["clip"]["scale"] = 1
            params["captureBeyondViewport"] = True
        elif full_page:
            size = self.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            params["clip"] = {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.send("Page.captureScreenshot", params)["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path

    # ------------------------------------------------------------------ what went wrong

    def errors(self) -> list[str]:
        """JavaScript exceptions, console errors and browser log errors, as text."""
        self._collect()
        found = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                description = details.get("exception", {}).get("description") or details.get("text")
                found.append(f"exception: {description}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                texts = [str(a.get("value", a.get("description", ""))) for a in params["args"]]
                found.append("console.error: " + " ".join(texts))
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                found.append("log: " + params["entry"].get("text", ""))
        return found

    def dialogs(self) -> list[str]:
        """Messages of every alert/confirm/prompt the page tried to open."""
        self._collect()
        return [
            e["params"].get("message", "")
            for e in self.events
            if e.get("method") == "Page.javascriptDialogOpening"
        ]

    def requests(self) -> list[str]:
        """URLs of every request the page made (file:, data: and about: included)."""
        self._collect()
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def external_requests(self) -> list[str]:
        """Requests that would need the network (anything but file:, data:, about:)."""
        return [u for u in self.requests() if not u.startswith(("file:", "data:", "about:"))]


#: Before any script of the page: dialogs and hostile payloads leave a trace here. (In a
#: sandboxed frame the real alert() is blocked and Chromium logs an error instead, which
#: Page.errors() reports just the same.)
TRAP = """
(function () {
  function trap(kind) {
    return function (message) {
      console.error("XSS " + kind + ": " + String(message));
      try { (window.top.__xss = window.top.__xss || []).push(String(message)); } catch (e) {}
    };
  }
  window.alert = trap("alert"); window.confirm = trap("confirm"); window.prompt = trap("prompt");
})();
"""

#: The page is ready, and so is its network frame if it has one.
READY = (
    "document.documentElement.dataset.ready && (!document.getElementById('network-frame')"
    " || document.documentElement.dataset.networkReady)"
)
SHOW_NETWORK_FRAME = (
    "(function () { var f = document.getElementById('network-frame');"
    " if (f) f.scrollIntoView(); return true; })()"
)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Screenshot a symbiosis HTML file.")
    parser.add_argument("html")
    parser.add_argument("png")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not the window")
    parser.add_argument("--selector", help="only this element (a CSS selector), e.g. '#flows'")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument(
        "--wait",
        default=READY,
        help="JavaScript expression to wait for (default: the page and its network are ready)",
    )
    args = parser.parse_args(argv)
    with Browser(width=args.width, height=args.height) as browser:
        page = browser.open(args.html)
        # Chromium pauses drawing in off-screen sandboxed frames: show the network first.
        page.evaluate(SHOW_NETWORK_FRAME)
        waited = page.wait_for(args.wait, timeout=args.timeout)
        page.evaluate("window.scrollTo(0, 0)")
        page.browser.pump(0.3)
        page.screenshot(args.png, full_page=args.full_page, selector=args.selector)
        print(f"ready after {waited:.2f} s; wrote {args.png}")
        for error in page.errors():
            print(error, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
