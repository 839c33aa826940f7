"""Shared fixtures: a real PostGIS for every test that needs one, never a mock.

The session creates a scratch database ``<name>_test`` next to the configured one
(``DATABASE_URL``/``PG*``/local cluster) as the schema owner (``DATABASE_OWNER_URL``,
the local cluster's owner, or the one login), applies the migrations, and points
``DATABASE_URL`` at it with the owner's login, so the command-line tools under test use
it too; the dashboard under test gets the dashboard's login (:func:`app_login`). Each test
that asks for ``db`` starts from empty data tables with the default program settings.
Nothing here connects before a test asks for a database fixture: pure unit tests run
without one.
"""

import os

import psycopg2
import pytest
import streamlit as st
from psycopg2 import sql
from psycopg2.extensions import make_dsn, parse_dsn

from db.config import NoDatabaseConfigured, database_dsn, owner_dsn
from db.connect import connect
from db.migrate import apply_pending

# Parallel runs (several checkouts on one server) can each pick their own suffix.
SCRATCH_SUFFIX = os.environ.get("LEADOPS_TEST_DB_SUFFIX", "_test")


# The configured database, read before any fixture points DATABASE_URL at a scratch one:
# the owner's login (BASE_DSN) and the dashboard's (APP_DSN), the same one when only one
# is configured; None when nothing is (only the tests that need a database fail then).
try:
    BASE_DSN, APP_DSN = owner_dsn(), database_dsn()
    NO_DATABASE = ""
except NoDatabaseConfigured as error:
    BASE_DSN, APP_DSN, NO_DATABASE = None, None, str(error)
# Each command under test gets one URL, DATABASE_URL, for its database; an owner URL
# inherited from here would send it to the configured database instead.
os.environ.pop("DATABASE_OWNER_URL", None)


def _scratch_dsn(base: str, suffix: str) -> str:
    parts = parse_dsn(base) if base else {}
    name = parts.get("dbname") or os.environ.get("PGDATABASE") or "leadops"
    return make_dsn(base, dbname=f"{name}{suffix}")


pytest_plugins = ["tests.support.pages"]


def app_login(url: str) -> str:
    """The dashboard's login on the database of ``url`` (an owner's URL of a scratch
    database): what the dashboard under test connects with."""
    return make_dsn(APP_DSN or "", dbname=parse_dsn(url)["dbname"])


def configured_dsn() -> str:
    """The configured database's DSN; the test fails (not skips) without one."""
    if BASE_DSN is None:
        pytest.fail(NO_DATABASE)
    return BASE_DSN


def recreate_database(base: str, suffix: str) -> str:
    """Drop and create ``<db><suffix>`` with the schema applied; return its DSN."""
    target = _scratch_dsn(base, suffix)
    name = parse_dsn(target)["dbname"]
    admin = psycopg2.connect(base)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    with connect(target) as conn:
        apply_pending(conn)
    conn.close()
    return target


@pytest.fixture(scope="session")
def database_url() -> str:
    """The scratch database every test in the session shares."""
    url = recreate_database(configured_dsn(), SCRATCH_SUFFIX)
    os.environ["DATABASE_URL"] = url
    return url


DATA_TABLES = (
    "jail_booking, case_meeting, service_referral, enrollment, case_manager, contact, training, "
    "officer, program_area, import_rejection, import_batch, dataset_meta, audit_log, app_account, "
    "release_audit, release_statistic, release_figure, release, census_day, census_week, "
    "action_item"
)


# The data tables that hold rows or whose id sequence has moved on (a rolled-back insert
# moves it too); the others already are as TRUNCATE ... RESTART IDENTITY leaves them.
USED_TABLES = sql.SQL(
    "SELECT t FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, i)"
    " WHERE (%s::boolean[])[i] OR EXISTS ("
    "   SELECT FROM pg_depend d JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'"
    "   JOIN pg_sequences s ON s.schemaname = 'public' AND s.sequencename = c.relname"
    "   WHERE d.refobjid = t::regclass AND s.last_value IS NOT NULL)"
)


def reset_data(conn) -> None:
    """Empty every data table and restore the default program settings.

    Only the tables in use are truncated (TRUNCATE rewrites every table and index it
    names: most of a test's setup when all of them are named). Test-only: the audit log's
    TRUNCATE trigger is disabled for the transaction, which needs the table's owner (the
    schema owner's login).
    """
    tables = [name.strip() for name in DATA_TABLES.split(",")]
    has_rows = sql.SQL(", ").join(
        sql.SQL("EXISTS (SELECT FROM {})").format(sql.Identifier(t)) for t in tables
    )
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT ARRAY[{}]").format(has_rows))
        cur.execute(USED_TABLES, (tables, cur.fetchone()[0]))
        used = [row[0] for row in cur.fetchall()]
        if used:
            cur.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate")
            cur.execute(
                sql.SQL("TRUNCATE {} RESTART IDENTITY CASCADE").format(
                    sql.SQL(", ").join(map(sql.Identifier, used))
                )
            )
            cur.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate")
        cur.execute("DELETE FROM program_setting WHERE effective_from > DATE '1900-01-01'")
    conn.commit()


@pytest.fixture
def db(database_url):
    """A connection to the scratch database, with empty data tables."""
    conn = connect(database_url)
    reset_data(conn)
    yield conn
    conn.rollback()
    conn.close()


def pytest_sessionfinish(session, exitstatus):
    """A skipped test is a failure: nothing may be skipped for lack of a database or browser."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and exitstatus == 0:
        reporter.write_line(f"FAILED: {len(skipped)} test(s) skipped; skips are failures here.")
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def forget_cached_results():
    """Tests switch databases (scratch, demo) within one process, which the dashboard
    never does: its cached results must not carry over from one test to the next."""
    yield
    st.cache_data.clear()
