"""Fixtures for page tests: a database holding the demo data set, AppTest, Chromium.

The demo database (``<db><suffix>_demo``) is built once per session through the real
``python -m demo`` command with a fixed end date, so figures are reproducible. Browser
tests run the real dashboard with ``streamlit run`` against it, in Debian's Chromium,
with every request that leaves localhost refused: the closed police network.
"""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from bench import serve
from bench.browser import CHROMIUM, CHROMIUM_ARGS
from db.connect import connect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
DEMO_END = date(2026, 10, 31)
DEMO_SEED = 2017
DEMO_USERS = {role: username for username, role in DEMO_ACCOUNTS.items()}


@pytest.fixture(scope="session")
def demo_url() -> str:
    """A database with the demo data set (ending DEMO_END) and the demo accounts."""
    from tests.conftest import SCRATCH_SUFFIX, configured_dsn, recreate_database

    url = recreate_database(configured_dsn(), SCRATCH_SUFFIX + "_demo")
    env = {**os.environ, "DATABASE_URL": url}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "demo",
            "--end-date",
            DEMO_END.isoformat(),
            "--seed",
            str(DEMO_SEED),
        ],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    with connect(url) as conn:
        create_demo_accounts(conn)
    conn.close()
    return url


@pytest.fixture(scope="session")
def released(demo_url) -> str:
    """The demo database with its releases stored (``python -m releases refresh``, run
    here once if the demo load did not store them)."""
    conn = connect(demo_url)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM release")
        stored = cur.fetchone()[0]
    conn.close()
    if not stored:
        subprocess.run(
            [sys.executable, "-m", "releases", "refresh"],
            check=True,
            env={**os.environ, "DATABASE_URL": demo_url},
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    return demo_url


def dashboard(user: dict, page: str | None = None, timeout: float = 90) -> AppTest:
    """An AppTest of the dashboard with ``user`` (``{"username", "role"}``) signed in,
    on ``page`` (its file under dashboard/, e.g. "capacity/page.py") or the default one;
    call ``at.run()`` yourself.

    AppTest finds a page by the pages ``st.navigation`` registered in an earlier run, so
    for a page the app first runs once signed out (the sign-in form): nothing is drawn
    or audited for the signed-in user before the page itself."""
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=timeout)
    if page:
        at.run()
    at.session_state["user"] = user
    if page:
        at.switch_page(page)
    return at


@pytest.fixture
def app(demo_url, monkeypatch):
    """Build an AppTest of the dashboard signed in as a role, optionally on a page:
    ``at = app("command", "capacity/page.py")``; call ``at.run()`` yourself."""
    from tests.conftest import app_login

    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))

    def make(role: str, page: str | None = None) -> AppTest:
        return dashboard({"username": DEMO_USERS[role], "role": role}, page)

    return make


@pytest.fixture(scope="session")
def served_app(demo_url):
    """The dashboard served by `streamlit run` on a free port with the configured basemap
    (whose tiles the closed network refuses), with the dashboard's login; yields its base
    URL."""
    from tests.conftest import app_login

    with serve.served(
        app_login(demo_url), basemap=None, log_path=ARTIFACTS / "streamlit.log"
    ) as server:
        yield server.base


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, served_app):
    """A fresh Chromium tab on a closed network: only the dashboard itself answers.
    Requests refused are listed in ``page.refused_requests``."""
    context = chromium.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.refused_requests = []

    def only_local(route):
        url = route.request.url
        if url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")):
            route.continue_()
        else:
            page.refused_requests.append(url)
            route.abort()

    context.route("**/*", only_local)
    page.base_url = served_app
    yield page
    context.close()


def sign_in(page, role: str, path: str = "", account: tuple[str, str] | None = None) -> None:
    """Open the dashboard and sign in with the demo account of ``role``, or with
    ``account`` (user name, password)."""
    username, password = account or (DEMO_USERS[role], DEMO_PASSWORD)
    page.goto(f"{page.base_url}/{path}")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Data as of").first.wait_for(timeout=60_000)
    page.get_by_test_id("stSidebarNavLink").first.wait_for(timeout=60_000)


def open_page(page, role: str, title: str, height: int) -> None:
    """Sign in as ``role`` in a window ``height`` pixels tall and open the page ``title``."""
    page.set_viewport_size({"width": 1440, "height": height})
    sign_in(page, role)
    nav_link(page, title).click()


def nav_link(page, title: str):
    """The sidebar's link to the page ``title`` (the Overview's tiles link to pages too)."""
    return page.get_by_test_id("stSidebar").get_by_role("link", name=title)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/artifacts/ (look at it)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
