"""The dashboard's only door to the database.

One connection pool per process (``st.cache_resource``); every query runs in its own
transaction under the PostgreSQL role of the signed-in user (``SET LOCAL ROLE``, undone
when the transaction ends, so a pooled connection never carries a role over), and query
results are cached per role and parameters for a few minutes. Pages call :func:`query`
with a query name and parameters; they never see SQL or connections.
"""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

import queries
from db.config import database_dsn
from db.connect import DatabaseUnavailable, Pool
from db.migrate import apply_pending

RESULT_TTL_S = 300
DB_ROLES = {
    "command": "lead_command",
    "leadership": "lead_leadership",
    "case_manager": "lead_case_manager",
    "admin": "lead_admin",
}


@st.cache_resource(show_spinner=False)
def _pool(dsn: str) -> Pool:
    """The process's pool; the schema is brought up to date when it is first created."""
    pool = Pool(dsn)
    with pool.connection() as conn:
        apply_pending(conn)
    return pool


def pool() -> Pool:
    try:
        return _pool(database_dsn())
    except DatabaseUnavailable:
        raise
    except Exception as error:  # e.g. psycopg2.OperationalError while creating the pool
        from db.connect import first_line

        raise DatabaseUnavailable(first_line(error)) from error


def run_as(role: str, work: Callable[[Any], Any]) -> Any:
    """Call ``work(conn)`` in one transaction as the database role of ``role``."""
    with pool().connection() as conn:
        queries.execute(conn, "session/set_role", db_role=DB_ROLES[role])
        return work(conn)


def change_as(role: str, name: str, **params) -> None:
    """Run a statement that changes data, as the role's database user, and commit."""
    run_as(role, lambda conn: queries.execute(conn, name, **params))
    clear_cache()


def with_owner(work: Callable[[Any], Any]) -> Any:
    """Call ``work(conn)`` as the dashboard's own database user (sign-in, audit)."""
    with pool().connection() as conn:
        return work(conn)


@st.cache_data(ttl=RESULT_TTL_S, max_entries=512, show_spinner=False)
def _cached_query(role: str, name: str, params: tuple) -> pd.DataFrame:
    # Tuples are hashable for the cache; psycopg2 sends lists as SQL arrays.
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
    return run_as(role, lambda conn: queries.fetch_df(conn, name, **values))


def query(role: str, name: str, **params) -> pd.DataFrame:
    """The rows of ``queries/<name>.sql`` for ``role``, cached for a few minutes.

    Parameters must be hashable plain values (dates, numbers, strings, tuples).
    The returned frame is a copy: callers may change it freely.
    """
    return _cached_query(role, name, tuple(sorted(params.items()))).copy()


def query_fresh(role: str, name: str, **params) -> pd.DataFrame:
    """Like :func:`query`, uncached: for what changes while one looks (the audit log)."""
    return run_as(role, lambda conn: queries.fetch_df(conn, name, **params))


def clear_cache() -> None:
    """Forget cached results (after an import or a settings change)."""
    _cached_query.clear()


def health() -> str | None:
    """None when the database answers, else a plain-words reason."""
    try:
        with pool().connection() as conn:
            queries.fetch_value(conn, "session/health")
        return None
    except DatabaseUnavailable as error:
        return str(error)
