"""The pages as they are when the benchmark runs: rendered server-side with AppTest, and
every named query they run recorded on the way (name, role, parameters, time).

Nothing here lists page queries by hand: a page's queries are whatever its render ran.
Recording works at the cursor: while :func:`recording` is active, every cursor of every
new psycopg2 connection reports the SQL it executes, which is mapped back to its
``queries/`` name; ``session/set_role`` tells under which role the rest of that
transaction ran.
"""

import contextlib
import logging
import os
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import psycopg2.extensions
import streamlit as st
from streamlit.testing.v1 import AppTest

import queries
from bench.database import BENCH_USER

ROOT = Path(__file__).resolve().parent.parent
DASHBOARD = ROOT / "dashboard"
ENTRY = DASHBOARD / "app.py"
SET_ROLE = "session/set_role"
# The filter presets a page is measured with: the default, and the longest period.
PRESETS = {"default": None, "pilot_to_date": "Pilot to date"}
MAP_ELEMENTS = ("deck_gl_json_chart",)
FOLIUM_COMPONENT = "st_folium"


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    role: str  # the role the page is rendered as: admin where allowed

    @property
    def path(self) -> str:
        return str(DASHBOARD / self.file)


@dataclass
class Call:
    """One named query as a page ran it."""

    name: str
    role: str | None  # database role (lead_admin...), None for the dashboard's own user
    params: dict
    seconds: float = 0.0

    def key(self) -> tuple:
        return (self.name, self.role, repr(sorted(self.params.items())))


@dataclass
class Render:
    """A page rendered once with an empty result cache, then again with it warm."""

    page: Page
    preset: str
    cold_s: float
    warm_s: list[float]
    calls: list[Call]
    maps: int
    elements: int
    proto_bytes: int
    exception: str | None = None
    warnings: list[str] = field(default_factory=list)


def discover() -> list[Page]:
    """Every page registered in dashboard/pagelist.py, as admin where admin may open it."""
    from dashboard.pagelist import PAGE_SPECS

    pages = []
    for file, title, roles in PAGE_SPECS:
        role = "admin" if "admin" in roles else sorted(roles)[0]
        if (DASHBOARD / file).is_file():
            pages.append(Page(file, title, role))
    return pages


class _Recorder:
    """Where recording cursors report; thread-safe because pages may use threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.active = False
        self.calls: list[Call] = []
        self.roles: dict[int, str | None] = {}
        self.names: dict[str, str] = {}

    def start(self) -> None:
        with self.lock:
            self.names = {queries.load(name).sql: name for name in queries.names()}
            self.calls, self.roles, self.active = [], {}, True

    def stop(self) -> list[Call]:
        with self.lock:
            self.active = False
            return self.calls

    def note(self, conn, fresh_transaction: bool, sql, params, seconds: float) -> None:
        with self.lock:
            if not self.active or not isinstance(sql, str):
                return
            name = self.names.get(sql)
            if fresh_transaction:
                self.roles[id(conn)] = None
            if name == SET_ROLE:
                self.roles[id(conn)] = dict(params or {}).get("db_role")
            elif name is not None:
                role = self.roles.get(id(conn))
                self.calls.append(Call(name, role, dict(params or {}), seconds))


RECORDER = _Recorder()


class RecordingCursor(psycopg2.extensions.cursor):
    """A cursor that reports each statement and its time to RECORDER."""

    def execute(self, sql, params=None):
        status = self.connection.info.transaction_status
        idle = status == psycopg2.extensions.TRANSACTION_STATUS_IDLE
        started = time.perf_counter()
        try:
            return super().execute(sql, params)
        finally:
            RECORDER.note(self.connection, idle, sql, params, time.perf_counter() - started)


_original_connect = psycopg2.connect


def _recording_connect(*args, **kwargs):
    kwargs.setdefault("cursor_factory", RecordingCursor)
    return _original_connect(*args, **kwargs)


def install_recorder() -> None:
    """Make every psycopg2 connection opened from now on use recording cursors.

    Cheap while no recording is active. A dashboard pool that already exists is
    forgotten (its connections close when it is collected), so the next one records.
    """
    psycopg2.connect = _recording_connect
    _drop_dashboard_pool()


def uninstall_recorder() -> None:
    psycopg2.connect = _original_connect
    _drop_dashboard_pool()


def _drop_dashboard_pool() -> None:
    from dashboard import database

    database._pool.clear()


@contextlib.contextmanager
def recording():
    RECORDER.start()
    try:
        yield RECORDER
    finally:
        RECORDER.stop()


def app_for(page: Page, preset: str | None) -> AppTest:
    """An AppTest of the dashboard signed in as the page's role, switched to the page.

    It runs once on the default page first, so the switch matches the pages that
    ``st.navigation`` registered.
    """
    at = AppTest.from_file(str(ENTRY), default_timeout=600)
    at.session_state["user"] = {"username": BENCH_USER, "role": page.role}
    if preset is not None:
        at.session_state["filter_preset"] = preset
    at.run()
    at.switch_page(page.path)
    return at


class _ErrorLog(logging.Handler):
    """Keeps the real error behind the redacted message a failing page shows."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.errors: list[str] = []

    def emit(self, record):
        if record.exc_info and record.exc_info[1] is not None:
            kind, value = record.exc_info[0], record.exc_info[1]
            self.errors.append(f"{kind.__name__}: {value}".splitlines()[0][:200])


@contextlib.contextmanager
def logged_errors():
    """Errors logged by any Streamlit logger (they do not propagate to a parent), kept
    here instead of printed: the benchmark reports them per page."""
    from streamlit import logger as st_logger

    handler = _ErrorLog()
    loggers = list(st_logger._loggers.values())
    consoles = [getattr(logger, "streamlit_console_handler", None) for logger in loggers]
    levels = [console.level if console else None for console in consoles]
    for logger, console in zip(loggers, consoles, strict=True):
        logger.addHandler(handler)
        if console:
            console.setLevel(logging.CRITICAL)
    try:
        yield handler.errors
    finally:
        for logger, console, level in zip(loggers, consoles, levels, strict=True):
            logger.removeHandler(handler)
            if console:
                console.setLevel(level)


def render(
    dsn: str, page: Page, preset_name: str, warm_runs: int = 5, budget_s: float = 20.0
) -> Render:
    """Render ``page`` with the result cache cleared (its queries recorded), then again
    ``warm_runs`` times in the same session with the cache warm (fewer, at least one,
    once ``budget_s`` is spent: a page that takes seconds with a warm cache is already
    a finding)."""
    with database_env(dsn):
        return _render(page, preset_name, warm_runs, budget_s)


@contextlib.contextmanager
def database_env(dsn: str):
    """DATABASE_URL pointing at ``dsn`` for the AppTest runs, restored afterwards."""
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = dsn
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before


def _render(page: Page, preset_name: str, warm_runs: int, budget_s: float) -> Render:
    at = app_for(page, PRESETS[preset_name])
    st.cache_data.clear()
    with recording() as recorder, logged_errors() as errors:
        started = time.perf_counter()
        at.run()
        cold = time.perf_counter() - started
        calls = list(recorder.calls)
    warm: list[float] = []
    while not at.exception and len(warm) < warm_runs and (not warm or sum(warm) < budget_s):
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    leaves = list(at._tree)  # every element the run produced
    return Render(
        page=page,
        preset=preset_name,
        cold_s=cold,
        warm_s=warm,
        calls=calls,
        maps=count_maps(at),
        elements=len(leaves),
        proto_bytes=sum(proto_size(leaf) for leaf in leaves),
        exception=(errors or [str(at.exception[0].value)])[0] if at.exception else None,
        warnings=[w.value for w in at.warning if "Demo data" not in w.value],
    )


def count_maps(at: AppTest) -> int:
    decks = sum(len(at.get(kind)) for kind in MAP_ELEMENTS)
    folium = [
        c
        for c in at.get("component_instance")
        if FOLIUM_COMPONENT in getattr(c.proto, "component_name", "")
    ]
    return decks + len(folium)


def proto_size(leaf) -> int:
    proto = getattr(leaf, "proto", None)
    return proto.ByteSize() if hasattr(proto, "ByteSize") else 0


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation; None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]
