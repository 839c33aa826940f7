"""Separate database logins (issue 15): the dashboard's login owns nothing and can
neither change nor remove audit rows, yet signs users in and writes their audit rows;
the schema owner migrates, and the dashboard only checks that it did.

Every statement here runs on the scratch database as the dashboard's login
(``app_login``), the way the dashboard connects; the owner (``database_url``) sets up
and checks the outcome independently.
"""

import subprocess
import sys

import pytest
from psycopg2 import errors
from psycopg2.extensions import parse_dsn

from accounts.store import MAX_FAILURES, add_or_reset, audit, verify
from dashboard import database
from db.connect import connect
from db.migrate import apply_pending
from tests.conftest import app_login, configured_dsn
from tests.support.pages import ROOT
from tests.support.sql import fetch

PASSWORD = "correct horse battery"
# The roles the dashboard's login may become, and the login itself (None: no SET ROLE).
ROLES = (
    None, "lead_command", "lead_leadership", "lead_case_manager", "lead_admin",
    "lead_prosecutor_liaison", "lead_signin",
)  # fmt: skip
REFUSED = {
    "update audit rows": "UPDATE audit_log SET outcome = 'changed'",
    "delete audit rows": "DELETE FROM audit_log",
    "truncate the audit log": "TRUNCATE audit_log",
    "disable its triggers": "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change",
    "drop it": "DROP TABLE audit_log",
    "skip triggers": "SET session_replication_role = replica",
    "create a table": "CREATE TABLE public.intruder (x integer)",
    "create a function": "CREATE FUNCTION public.intruder() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "read password hashes": "SELECT password_hash FROM app_account",
    "give itself rights": "ALTER ROLE CURRENT_USER CREATEDB CREATEROLE BYPASSRLS",
    "lift its row policies": "ALTER TABLE audit_log DISABLE ROW LEVEL SECURITY",
}
AUDIT_ROWS = "SELECT audit_id, at, actor, role, action, target, outcome, detail FROM audit_log"
OWNED = """
    SELECT r.rolname, count(d.objid)
    FROM pg_roles AS r LEFT JOIN pg_shdepend AS d ON d.refobjid = r.oid AND d.deptype = 'o'
    WHERE r.rolname = ANY(%s) GROUP BY 1 ORDER BY 1
"""


@pytest.fixture
def app_url(db, database_url):
    """The dashboard's login on the scratch database, which holds one account and one
    audit row; the test fails when only one login is configured."""
    login = parse_dsn(app_login(database_url)).get("user")
    if login == parse_dsn(configured_dsn()).get("user"):
        pytest.fail(f"one login ({login}) for everything: these tests need DATABASE_OWNER_URL")
    add_or_reset(db, "ana", "case_manager", PASSWORD)
    audit(db, "admin", "admin", "page_view", "audit_log", "ok")
    db.commit()
    return app_login(database_url)


def _run(url: str, role: str | None, statement: str) -> None:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            if role:
                cur.execute("SELECT set_config('role', %s, true)", (role,))
            cur.execute(statement)
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize("what", REFUSED)
def test_the_dashboards_login_and_its_roles_are_refused(app_url, database_url, what):
    before = fetch(database_url, AUDIT_ROWS)
    for role in ROLES:
        with pytest.raises(errors.InsufficientPrivilege):
            _run(app_url, role, REFUSED[what])
    assert fetch(database_url, AUDIT_ROWS) == before
    assert len(before) == 1


def test_the_dashboards_login_owns_nothing_and_has_no_attributes(app_url, database_url):
    login = parse_dsn(app_url)["user"]
    roles = sorted([login, "lead_dashboard", *filter(None, ROLES)])
    assert fetch(database_url, OWNED, (roles,)) == [(role, 0) for role in roles]
    owner = parse_dsn(database_url)["user"]
    (owned_by_owner,) = fetch(database_url, OWNED, ([owner],))
    assert owned_by_owner[1] > 50  # the same query sees the schema's owner
    (attributes,) = fetch(
        database_url,
        "SELECT rolsuper, rolcreatedb, rolcreaterole, rolbypassrls, rolreplication"
        " FROM pg_roles WHERE rolname = %s",
        (login,),
    )
    assert attributes == (False,) * 5
    assert fetch(
        database_url,
        "SELECT count(*) FROM pg_class WHERE relowner = %s::regrole"
        " UNION ALL SELECT count(*) FROM pg_proc WHERE proowner = %s::regrole",
        (login, login),
    ) == [(0,), (0,)]


@pytest.fixture
def dashboard_as_app(app_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_url)
    database._pool.clear()
    yield parse_dsn(app_url)["user"]
    database._pool.clear()


def _account(url: str) -> tuple:
    (row,) = fetch(
        url,
        "SELECT failed_attempts, locked_until IS NOT NULL FROM app_account WHERE username = 'ana'",
    )
    return row


def _sign_ins(url: str) -> list[tuple]:
    return fetch(
        url,
        "SELECT actor, role, outcome FROM audit_log WHERE action = 'sign_in' ORDER BY audit_id",
    )


def test_the_dashboards_login_signs_users_in_counts_failures_and_locks(
    dashboard_as_app, database_url
):
    def sign_in(password: str):
        return database.for_sign_in(lambda conn: verify(conn, "ana", password))

    assert database.run_as("command", lambda c: _value(c, "SELECT session_user")) == (
        dashboard_as_app
    )
    assert sign_in(PASSWORD).ok
    wrong = sign_in("not the password")
    assert (wrong.ok, wrong.reason) == (False, "bad_credentials")
    assert _account(database_url) == (1, False)
    for _ in range(MAX_FAILURES - 1):
        last = sign_in("not the password")
    assert (last.reason, _account(database_url)) == ("locked", (0, True))
    assert sign_in(PASSWORD).reason == "locked"
    outcomes = [row[2] for row in _sign_ins(database_url)]
    assert outcomes == ["ok"] + ["bad_credentials"] * (MAX_FAILURES - 1) + ["locked"] * 2
    assert {row[:2] for row in _sign_ins(database_url)} == {("ana", "case_manager")}


def test_the_sign_in_role_writes_only_sign_in_and_sign_out_rows(dashboard_as_app, database_url):
    database.for_sign_in(lambda c: audit(c, "ana", "case_manager", "sign_out", None, "idle"))
    with pytest.raises(errors.InsufficientPrivilege):
        database.for_sign_in(lambda c: audit(c, "ana", "admin", "export", "x.csv", "ok"))
    with pytest.raises(errors.InsufficientPrivilege):
        database.for_sign_in(lambda c: _value(c, "SELECT count(*) FROM audit_log"))
    assert fetch(database_url, "SELECT actor, action, outcome FROM audit_log ORDER BY 1") == [
        ("admin", "page_view", "ok"),
        ("ana", "sign_out", "idle"),
    ]


def test_page_views_and_exports_are_written_in_the_roles_own_name_only(
    dashboard_as_app, database_url
):
    database.run_as("command", lambda c: audit(c, "cmd", "command", "page_view", "home", "ok"))
    database.run_as("admin", lambda c: audit(c, "adm", "admin", "export", "a.csv", "ok"))
    with pytest.raises(errors.InsufficientPrivilege):
        database.run_as("command", lambda c: audit(c, "cmd", "admin", "export", "b.csv", "ok"))
    rows = fetch(database_url, "SELECT actor, role, action FROM audit_log ORDER BY audit_id")
    assert rows[1:] == [("cmd", "command", "page_view"), ("adm", "admin", "export")]


def _value(conn, statement: str):
    with conn.cursor() as cur:
        cur.execute(statement)
        return cur.fetchone()[0]


def test_the_dashboard_checks_the_schema_and_never_migrates_it(dashboard_as_app, database_url):
    stale = "UPDATE schema_repeatable SET checksum = 'stale' WHERE name = 'accounts.sql'"
    fetch(database_url, stale)
    problem = database.health()
    assert "schema is not current (pending: functions/accounts.sql)" in problem
    assert "python -m db.migrate" in problem
    assert fetch(
        database_url, "SELECT checksum FROM schema_repeatable WHERE name = %s", ("accounts.sql",)
    ) == [("stale",)]
    conn = connect(app_login(database_url))
    with pytest.raises(errors.InsufficientPrivilege):
        apply_pending(conn)
    conn.close()
    conn = connect(database_url)
    assert apply_pending(conn) == ["applied functions/accounts.sql"]
    conn.close()
    assert database.health() is None


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        env={"PATH": "/usr/bin:/bin", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_command_line_uses_the_owner_login(app_url, database_url):
    owner = _cli("accounts", "list", DATABASE_URL=app_url, DATABASE_OWNER_URL=database_url)
    assert owner.returncode == 0, owner.stderr
    assert "ana" in owner.stdout
    alone = _cli("db.migrate", DATABASE_URL=app_url)
    assert alone.returncode == 2
    assert "set DATABASE_OWNER_URL" in alone.stderr
