"""The scale-out stack on real processes (``scripts/scaleout.sh``): a PostgreSQL primary
and its streaming hot standby, PgBouncer in transaction mode, two Streamlit replicas and
HAProxy, started once for this module in a scratch folder under var/ on free ports.

Reads routed by ``db.connect.Pool`` are checked against what the server itself says
(``pg_is_in_recovery()``, its port, what it can see); sessions go through the balancer
as Streamlit's own websocket protocol (bench/load.py's clients) and in Chromium.
"""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg2
import pytest
from psycopg2.extensions import make_dsn, parse_dsn

from accounts.demo import DEMO_PASSWORD
from accounts.store import add_or_reset
from bench.database import BENCH_USER
from bench.scaleout import haproxy, servers, sessions, stack_env
from db import config
from db.config import SESSION_SETTINGS
from db.connect import STANDBY_RETRY_S, Pool
from tests.conftest import SCRATCH_SUFFIX
from tests.support.pages import DEMO_USERS, sign_in

pytestmark = pytest.mark.scaleout

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "scaleout.sh"
COOKIE = "LEADOPS_REPLICA"  # deploy/haproxy.cfg.in
FACTS = "SELECT pg_is_in_recovery(), current_setting('transaction_read_only'), inet_server_port()"


def free(ports: list[int]) -> bool:
    for port in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def free_base(first: int, offsets: tuple[int, ...]) -> int:
    """A port ``base`` in [first, first + 2000) with every ``base + offset`` free."""
    for base in range(first + os.getpid() % 1000, first + 2000, 20):
        if free([base + offset for offset in offsets]):
            return base
    raise RuntimeError("no free ports for the scale-out stack")


def url_of(name: str) -> property:
    """A read-only attribute: the address ``name`` in scripts/scaleout.sh env."""
    return property(lambda stack: stack.urls[name])


@dataclass
class Stack:
    home: Path
    env: dict[str, str]  # the script's environment
    urls: dict[str, str]  # scripts/scaleout.sh env

    def script(self, *args: str) -> str:
        done = subprocess.run(
            [str(SCRIPT), *args], env=self.env, capture_output=True, text=True, timeout=240
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    primary = url_of("DATABASE_MIGRATE_URL")
    standby = url_of("DATABASE_READ_URL")
    bouncer = url_of("DATABASE_URL")
    web = url_of("LEADOPS_SCALEOUT_WEB_URL")
    socket = url_of("LEADOPS_SCALEOUT_HAPROXY_SOCKET")

    def pool(self, **kwargs) -> Pool:
        return Pool(self.bouncer, read_dsn=self.standby, **kwargs)


@pytest.fixture(scope="module")
def stack():
    home = ROOT / "var" / f"scaleout-test{SCRATCH_SUFFIX}"
    env = {
        **os.environ,
        "LEADOPS_SCALEOUT_HOME": str(home),
        "LEADOPS_SCALEOUT_PG_PORT": str(free_base(56000, (0, 1, 2))),
        "LEADOPS_SCALEOUT_WEB_PORT": str(free_base(18000, (0, 11, 12))),
        "LEADOPS_SCALEOUT_REPLICAS": "2",
    }
    subprocess.run([str(SCRIPT), "clean"], env=env, capture_output=True, check=True)
    stack = Stack(home, env, {})
    try:
        stack.script("start")
        stack.urls = stack_env(env)
        with autocommit(stack.primary) as cur:
            cur.execute("CREATE TABLE probe (id bigserial PRIMARY KEY, note text NOT NULL)")
            add_or_reset(cur.connection, BENCH_USER, "admin", DEMO_PASSWORD)
        yield stack
    finally:
        subprocess.run([str(SCRIPT), "clean"], env=env, capture_output=True, timeout=120)


class autocommit:
    """A cursor on a fresh connection in autocommit mode, closed afterwards."""

    def __init__(self, dsn: str):
        self.conn = psycopg2.connect(dsn)
        self.conn.autocommit = True

    def __enter__(self):
        return self.conn.cursor()

    def __exit__(self, *exc):
        self.conn.close()


def facts(pool: Pool, readonly: bool) -> tuple[bool, str, int]:
    """(in recovery, read-only transaction, port) of the server a check-out lands on."""
    with pool.connection(readonly=readonly) as conn, conn.cursor() as cur:
        cur.execute(FACTS)
        return cur.fetchone()


def notes(pool: Pool) -> set[str]:
    with pool.connection(readonly=True) as conn, conn.cursor() as cur:
        cur.execute("SELECT note FROM probe")
        return {row[0] for row in cur.fetchall()}


def port_of(dsn: str) -> int:
    return int(parse_dsn(dsn)["port"])


def wait_until(condition, timeout_s: float = 30.0, every_s: float = 0.5):
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every_s)


# --- settings (no stack needed) -------------------------------------------------------------


def test_read_and_migrate_urls_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://a@bouncer:6432/leadops")
    monkeypatch.delenv("DATABASE_READ_URL", raising=False)
    monkeypatch.delenv("DATABASE_MIGRATE_URL", raising=False)
    monkeypatch.setattr(config, "SECRETS", ROOT / "var" / "no-such-secrets.toml")
    assert config.read_dsn() is None
    assert config.migrate_dsn() == "postgresql://a@bouncer:6432/leadops"
    monkeypatch.setenv("DATABASE_READ_URL", "postgresql://a@standby/leadops")
    monkeypatch.setenv("DATABASE_MIGRATE_URL", "postgresql://a@primary/leadops")
    assert config.read_dsn() == "postgresql://a@standby/leadops"
    assert config.migrate_dsn() == "postgresql://a@primary/leadops"


@pytest.mark.parametrize("raw", ["soon", "-1", "nan"])
def test_a_bad_lag_limit_is_refused_with_its_name(monkeypatch, raw):
    monkeypatch.setenv("LEADOPS_READ_MAX_LAG_S", raw)
    with pytest.raises(config.InvalidSetting, match="LEADOPS_READ_MAX_LAG_S"):
        config.read_max_lag_s()
    monkeypatch.setenv("LEADOPS_READ_MAX_LAG_S", "2.5")
    assert config.read_max_lag_s() == 2.5


# --- the stack -------------------------------------------------------------------------


def test_reads_go_to_the_standby_and_writes_to_the_primary_through_pgbouncer(stack):
    pool = stack.pool()
    try:
        assert facts(pool, readonly=True) == (True, "on", port_of(stack.standby))
        # PgBouncer forwards to the primary's port; its own is another.
        assert facts(pool, readonly=False) == (False, "off", port_of(stack.primary))
        assert port_of(stack.bouncer) != port_of(stack.primary)
        with pool.connection() as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO probe (note) VALUES (%s)", ("routed write",))
        assert "routed write" in notes(pool)  # wherever it was read
        # Once the standby has replayed it, reads are back on the standby.
        assert wait_until(lambda: facts(pool, readonly=True)[0], 10) is True
        with autocommit(stack.standby) as cur:
            cur.execute("SELECT count(*) FROM probe WHERE note = %s", ("routed write",))
            assert cur.fetchone() == (1,)
    finally:
        pool.close()


def test_pgbouncer_pools_by_transaction_with_the_apps_session_settings(stack):
    pool = stack.pool()
    try:
        for readonly in (False, True):  # through PgBouncer, and on the standby directly
            with pool.connection(readonly=readonly) as conn, conn.cursor() as cur:
                cur.execute(
                    "SELECT lower(name), setting FROM pg_settings WHERE lower(name) = ANY(%s)",
                    (list(SESSION_SETTINGS),),
                )
                assert dict(cur.fetchall()) == SESSION_SETTINGS
    finally:
        pool.close()
    with autocommit(make_dsn(stack.bouncer, dbname="pgbouncer")) as cur:
        cur.execute("SHOW POOLS")
        columns = [d[0] for d in cur.description]
        pools = {row[0]: dict(zip(columns, row, strict=True)) for row in cur.fetchall()}
    assert pools["leadops"]["pool_mode"] == "transaction"


def test_reads_fall_back_to_the_primary_while_the_standby_is_down_and_return(stack):
    pool = stack.pool()
    try:
        assert facts(pool, readonly=True)[0] is True
        stack.script("stop", "standby")
        started = time.monotonic()
        for _ in range(5):  # no error, and read-only on the primary too
            assert facts(pool, readonly=True) == (False, "on", port_of(stack.primary))
        assert time.monotonic() - started < 2  # a refused connection is not waited for
        served = sessions(stack.web, DEMO_PASSWORD, ["Overview"], 2, 2)
        assert served.errors == [] and served.responses_ms
        stack.script("start")
        back = wait_until(lambda: facts(pool, readonly=True)[0], STANDBY_RETRY_S + 30)
        assert back is True
    finally:
        pool.close()


def received_not_replayed(standby) -> bool:
    standby.execute("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")
    return standby.fetchone()[0]


def test_a_lagging_standby_serves_reads_only_within_the_limit_and_after_own_writes(stack):
    strict, patient = stack.pool(max_lag_s=0.5), stack.pool(max_lag_s=3600)
    try:
        assert facts(strict, readonly=True)[0] and facts(patient, readonly=True)[0]
        with autocommit(stack.standby) as standby:
            standby.execute("SELECT pg_wal_replay_pause()")
            try:
                with autocommit(stack.primary) as cur:  # written by someone else
                    cur.execute("INSERT INTO probe (note) VALUES (%s)", ("while paused",))
                assert wait_until(lambda: received_not_replayed(standby), 10)
                time.sleep(1.0)
                # Behind by more than 0.5 s: the strict pool reads the primary.
                assert facts(strict, readonly=True)[0] is False
                assert "while paused" in notes(strict)
                # Within an hour: the patient pool keeps reading the (stale) standby...
                assert facts(patient, readonly=True)[0] is True
                assert "while paused" not in notes(patient)
                # ...until it writes itself: then it reads where its write is.
                with patient.connection() as conn, conn.cursor() as cur:
                    cur.execute("INSERT INTO probe (note) VALUES (%s)", ("own write",))
                assert facts(patient, readonly=True)[0] is False
                assert {"while paused", "own write"} <= notes(patient)
            finally:
                standby.execute("SELECT pg_wal_replay_resume()")
        # Caught up again: both read the standby, which has both rows.
        assert wait_until(lambda: facts(patient, readonly=True)[0], 10) is True
        assert wait_until(lambda: facts(strict, readonly=True)[0], STANDBY_RETRY_S + 10)
        assert {"while paused", "own write"} <= notes(strict)
    finally:
        strict.close()
        patient.close()


def replica_of(headers) -> str | None:
    cookie = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        cookie.load(value)
    return cookie[COOKIE].value if COOKIE in cookie else None


def open_page(url: str) -> tuple[int, str | None, str]:
    """A first visit (no cookie): status, the replica HAProxy pinned it to, the HTML."""
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, replica_of(response.headers), response.read().decode()


def log_offsets(stack: Stack) -> dict[Path, int]:
    return {log: log.stat().st_size for log in stack.home.glob("web*.log")}


def tracebacks_since(offsets: dict[Path, int]) -> list[str]:
    found = []
    for log, offset in offsets.items():
        with open(log, errors="replace") as f:
            f.seek(offset)
            found += [line for line in f.read().splitlines() if "Traceback" in line]
    return found


def test_fifty_sessions_through_the_balancer_get_their_pages_without_error(stack):
    offsets = log_offsets(stack)
    with ThreadPoolExecutor(max_workers=50) as workers:
        visits = list(workers.map(lambda _: open_page(stack.web + "/"), range(50)))
    assert all(status == 200 and "<title>" in html for status, _, html in visits)
    assert {replica for _, replica, _ in visits} == {"web1", "web2"}  # balanced
    before = {name: int(row["stot"]) for name, row in servers(stack.socket).items()}
    served = sessions(stack.web, DEMO_PASSWORD, ["Overview", "Contacts map"], 50, 5)
    assert served.errors == []
    # Every session signed in and then rendered at least one page.
    assert len(served.responses_ms) >= 50
    after = {name: int(row["stot"]) for name, row in servers(stack.socket).items()}
    websockets = {name: after[name] - before[name] for name in after}
    assert all(count >= 20 for count in websockets.values()), websockets
    assert tracebacks_since(offsets) == []


def test_a_killed_replica_costs_its_users_a_sign_in_and_loses_nothing(stack, chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", only_local)
    try:
        page = context.new_page()
        page.base_url = stack.web
        sign_in(page, "command")
        (pinned,) = [c["value"] for c in context.cookies() if c["name"] == COOKIE]
        survivor = {"web1": "web2", "web2": "web1"}[pinned]
        written = audit_ids(stack.primary, DEMO_USERS["command"])
        assert written  # the sign-in, at least

        pid = int((stack.home / f"{pinned}.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        assert wait_until(lambda: dead(pid), 10)
        # New visitors are served by the other replica...
        assert {open_page(stack.web + "/")[1] for _ in range(4)} == {survivor}
        down = wait_until(lambda: servers(stack.socket)[pinned]["status"] == "DOWN", 15)
        assert down, haproxy(stack.socket, "show servers state")
        # ...and so is this user, still signed in: on a reload the tab reaches the other
        # replica, whose session cookie check resumes the sign-in (one secret for every
        # replica, the session's row on the primary; issue 16).
        page.reload()
        page.get_by_text("Data as of").first.wait_for(timeout=60_000)
        assert page.get_by_label("User name").count() == 0
        assert [c["value"] for c in context.cookies() if c["name"] == COOKIE] == [survivor]
    finally:
        context.close()
    # What was written before the kill is on the primary (and the standby), with more.
    now = audit_ids(stack.primary, DEMO_USERS["command"])
    assert set(written) < set(now)

    def replicated() -> bool:
        return set(now) <= set(audit_ids(stack.standby, DEMO_USERS["command"]))

    assert wait_until(replicated, 10)
    # `start` brings the killed replica back.
    assert re.search(rf"{pinned}\s+\S+\s+running", stack.script("start"))


def dead(pid: int) -> bool:
    """Gone, or a zombie: its sockets are closed either way."""
    try:
        return "\nState:\tZ" in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True


def only_local(route) -> None:
    """The closed police network: nothing beyond this machine answers."""
    local = ("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:")
    if route.request.url.startswith(local):
        route.continue_()
    else:
        route.abort()


def audit_ids(dsn: str, username: str) -> list[int]:
    with autocommit(dsn) as cur:
        cur.execute("SELECT audit_id FROM audit_log WHERE actor = %s", (username,))
        return [row[0] for row in cur.fetchall()]
