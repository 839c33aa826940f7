"""Pages in Chromium: time until the page has finished and its map is drawn, and the
bytes the browser received for it.

A page visit starts with a click on its link in the sidebar (the app shell is already
loaded and signed in) and ends when the script run is over and, on a map page, a map
layer is drawn: a Leaflet vector canvas/path or marker inside the ``st_folium`` iframe,
or a deck.gl canvas. Bytes are counted from Chrome's own network events (CDP): HTTP
bodies as transferred, plus the payload of every websocket frame received, from the
click until the connection has been quiet for a second. Streamlit's own frontend chunks
(``/static/``, loaded once per browser the first time any page uses a chart or a table)
are counted apart from what the page itself brings (map scripts, map HTML and data).
"""

import base64
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.database import BENCH_USER
from bench.pages import Page

CHROMIUM = Path("/usr/bin/chromium")
FAILURE_SHOT = Path(__file__).resolve().parent / "results" / "browser-failure.tmp.png"
# Chromium's flags here and in the browser tests (tests/support/pages.py): no sandbox as
# root, no GPU, nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
DRAWN = (
    ".leaflet-overlay-pane canvas:not([data-bench-old]),"
    ".leaflet-overlay-pane path:not([data-bench-old]),"
    ".leaflet-marker-icon:not([data-bench-old]),"
    '[data-testid="stDeckGlJsonChart"] canvas:not([data-bench-old])'
)
# Runs in every frame: notes (in the top window) when a new map layer appears (within
# 25 ms) and when the Streamlit script run goes idle.
OBSERVER = """
(() => {
  const top = window.top;
  const now = () => performance.timeOrigin + performance.now();
  // Polled, not observed: the map component rewrites its frame's document as it draws.
  setInterval(() => {
    if (!top.__benchMapAt && document.querySelector(DRAWN)) top.__benchMapAt = now();
  }, 25);
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName === 'data-test-script-state'
          && r.target.getAttribute('data-test-script-state') === 'notRunning') {
        top.__benchIdleAt = now();
      }
    }
  }).observe(document, {subtree: true, attributes: true,
                        attributeFilter: ['data-test-script-state']});
})();
""".replace("DRAWN", json.dumps(DRAWN))
# Marks what is on screen now as old and clears the marks; returns the time.
RESET = """
() => {
  const tag = (doc) => {
    doc.querySelectorAll('.leaflet-overlay-pane canvas, .leaflet-overlay-pane path,'
      + '.leaflet-marker-icon, [data-testid="stDeckGlJsonChart"] canvas')
      .forEach((e) => e.setAttribute('data-bench-old', '1'));
    for (const f of doc.querySelectorAll('iframe')) {
      try { if (f.contentDocument) tag(f.contentDocument); } catch (e) { /* cross-origin */ }
    }
  };
  tag(document);
  window.__benchMapAt = null;
  window.__benchIdleAt = null;
  return performance.timeOrigin + performance.now();
}
"""


@dataclass
class Visit:
    page: str
    preset: str
    idle_ms: float | None = None
    map_ms: float | None = None
    has_map: bool = False
    again: bool = False  # a second visit in the same browser (assets cached)
    http_bytes: int = 0
    ws_bytes: int = 0
    frontend_bytes: int = 0  # of http_bytes: Streamlit's own /static/ chunks
    error: str | None = None

    @property
    def bytes(self) -> int:
        return self.http_bytes + self.ws_bytes

    @property
    def page_bytes(self) -> int:
        """What the page brings: everything but Streamlit's frontend chunks."""
        return self.bytes - self.frontend_bytes


@dataclass
class BrowserResult:
    visits: list[Visit] = field(default_factory=list)
    shell_bytes: int = 0  # first load of the app and sign-in, before any page visit
    refused: list[str] = field(default_factory=list)
    error: str | None = None


class Counter:
    """Bytes received, from CDP network events."""

    def __init__(self, cdp):
        self.http = 0
        self.ws = 0
        self.frontend = 0
        self.urls: dict[str, str] = {}
        self.last_frame = time.monotonic()
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.loadingFinished", self._http)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.send("Network.enable")

    def _response(self, event):
        self.urls[event["requestId"]] = event["response"]["url"]

    def _http(self, event):
        size = int(event.get("encodedDataLength", 0))
        self.http += size
        if urlsplit(self.urls.pop(event["requestId"], "")).path.startswith("/static/"):
            self.frontend += size

    def _frame(self, event):
        response = event.get("response", {})
        data = response.get("payloadData", "")
        self.ws += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data)
        self.last_frame = time.monotonic()

    def snapshot(self) -> tuple[int, int, int]:
        return self.http, self.ws, self.frontend


MAP_WAIT_MS = 60_000
RUN_WAIT_MS = 300_000


@dataclass
class Site:
    """The served dashboard and what to visit on it."""

    base: str
    password: str
    pages: list[Page]  # navigation order; the first is where sign-in lands
    map_pages: set[str]  # files of the pages that draw a map
    on_visit: Callable[[Visit], None] = lambda visit: None
    skip: dict[str, str] = field(default_factory=dict)  # page file -> why it is not visited
    user: str = BENCH_USER  # the account signed in with (an admin unless told otherwise)


def measure(site: Site, presets: dict[str, str | None]) -> BrowserResult:
    """Visit every page with the first preset, and the map pages with the others, each
    preset in a fresh browser context."""
    from playwright.sync_api import sync_playwright

    result = BrowserResult()
    if not CHROMIUM.exists():
        result.error = f"{CHROMIUM} not found (install it with scripts/setup.sh --test)"
        return result
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for index, (preset, label) in enumerate(presets.items()):
                chosen = [p for p in site.pages if index == 0 or p.file in site.map_pages]
                if not chosen:
                    continue
                try:
                    visits, shell = visit_all(browser, site, chosen, preset, label, result.refused)
                except Exception as error:  # noqa: BLE001 (recorded; the run goes on)
                    result.error = f"{preset}: {str(error).splitlines()[0]}"
                    continue
                result.visits.extend(visits)
                result.shell_bytes = result.shell_bytes or shell
        finally:
            browser.close()
    return result


def visit_all(browser, site: Site, chosen: list[Page], preset, label, refused):
    """Sign in, choose the preset, then visit the chosen pages (the landing page, when
    among them, last), then the map pages once more."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.add_init_script(OBSERVER)

    def only_local(route):
        if route.request.url.startswith(
            ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
        ):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    counter = Counter(context.new_cdp_session(page))
    try:
        try:
            sign_in(page, site.base, site.user, site.password)
        except Exception:
            page.screenshot(path=FAILURE_SHOT)
            raise
        if label is not None:
            choose_period(page, label)
        wait_quiet(page, counter)
        shell = sum(counter.snapshot()[:2])
        landing = site.pages[0]
        order = [p for p in chosen if p is not landing] + [p for p in chosen if p is landing]
        plan = [(p, p.file in site.map_pages, False) for p in order]
        # Map pages once more, as a user coming back: what the browser cache saves.
        plan += [(p, True, True) for p in order if p.file in site.map_pages]
        visits = []
        for target, has_map, again in plan:
            if target.file in site.skip:
                visits.append(
                    Visit(
                        target.file,
                        preset,
                        has_map=has_map,
                        again=again,
                        error=f"skipped: {site.skip[target.file]}",
                    )
                )
            else:
                visits.append(visit(page, counter, target, preset, has_map, again=again))
            site.on_visit(visits[-1])
    finally:
        context.close()
    return visits, shell


def sign_in(page, base: str, user: str, password: str) -> None:
    page.goto(base)
    page.get_by_label("User name").wait_for(timeout=120_000)
    page.get_by_label("User name").fill(user)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Data as of").first.wait_for(timeout=120_000)


def choose_period(page, label: str) -> None:
    """Pick a preset in the sidebar's Period box and wait for the rerun to end."""
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Period").click()
    t0 = page.evaluate(RESET)
    page.get_by_role("option", name=label, exact=True).click()
    wait_idle(page, t0)


def visit(
    page, counter: Counter, target: Page, preset: str, has_map: bool, again: bool = False
) -> Visit:
    """Click the page's sidebar link; time to idle and to a drawn map; bytes received."""
    result = Visit(target.file, preset, has_map=has_map, again=again)
    if again:  # leave the page first, so coming back draws it anew
        try:
            t0 = page.evaluate(RESET)
            page.get_by_test_id("stSidebarNavLink").first.click()
            wait_idle(page, t0)
            wait_quiet(page, counter)
        except Exception as error:  # noqa: BLE001 (recorded; the next visit goes on)
            result.error = "leaving the page: " + str(error).splitlines()[0]
            return result
    http0, ws0, frontend0 = counter.snapshot()
    t0 = page.evaluate(RESET)
    try:
        link = page.get_by_test_id("stSidebarNavLink").filter(
            has=page.get_by_text(target.title, exact=True)
        )
        link.first.click()
        wait_idle(page, t0)
        result.idle_ms = page.evaluate("() => window.__benchIdleAt") - t0
        if has_map:
            wait_map(page, t0)
            result.map_ms = page.evaluate("() => window.__benchMapAt") - t0
        wait_quiet(page, counter)
    except Exception as error:  # noqa: BLE001 (a page that never finishes is a result)
        result.error = str(error).splitlines()[0]
    http1, ws1, frontend1 = counter.snapshot()
    result.http_bytes, result.ws_bytes = http1 - http0, ws1 - ws0
    result.frontend_bytes = frontend1 - frontend0
    return result


def wait_idle(page, t0: float) -> None:
    """Until the script run that started after ``t0`` has ended."""
    page.wait_for_function("t0 => (window.__benchIdleAt || 0) > t0", arg=t0, timeout=RUN_WAIT_MS)


def wait_map(page, t0: float) -> None:
    """Until a map layer drawn after ``t0`` is in the page."""
    page.wait_for_function("t0 => (window.__benchMapAt || 0) > t0", arg=t0, timeout=MAP_WAIT_MS)


def wait_quiet(page, counter: Counter, quiet_s: float = 1.0, limit_s: float = 15.0) -> None:
    """Until no websocket frame has arrived for ``quiet_s`` (a map's value round-trip).
    Waits through Playwright, which is what delivers the CDP events meanwhile."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline and time.monotonic() - counter.last_frame < quiet_s:
        page.wait_for_timeout(100)
