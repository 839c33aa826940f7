"""The dashboard's only door to the database.

One connection pool per process (``st.cache_resource``); every query runs in its own
transaction under the PostgreSQL role of the signed-in user (``SET LOCAL ROLE``, undone
when the transaction ends, so a pooled connection never carries a role over), and query
results are cached per role and parameters for a few minutes. Feature data modules
(``dashboard/<feature>/data.py``) call :func:`query` with a query name and parameters;
pages never see SQL or connections.

Every result cache of the app is made with :func:`cached`, so :func:`clear_cache`
forgets them all (after an import or a settings change), and each of them is keyed by
the data version as well as its arguments: a counter that every import, settings, area
or release change bumps in its own transaction (migration 0017), read once per page run
by :func:`health`. The first page run after a command-line import is therefore current;
the time limit only bounds how long unused results are kept.
"""

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from streamlit.runtime.caching.cache_utils import CachedFunc
from streamlit.runtime.scriptrunner import get_script_run_ctx

import queries
from db.config import database_dsn, read_dsn
from db.connect import DatabaseUnavailable, Pool
from db.migrate import pending
from program.access import DB_ROLES

RESULT_TTL_S = 300
VERSION_KEY = "data_version"  # in st.session_state: the version this page run reads
_CACHED: list = []  # every st.cache_data function made by cached()


class _Versioned(CachedFunc):
    """A result cache whose key starts with the data version of the current page run."""

    def __call__(self, *args, **kwargs):
        return super().__call__(data_version(), *args, **kwargs)


def cached(*, max_entries: int, ttl: int = RESULT_TTL_S, show_spinner: bool | str = False):
    """``st.cache_data`` for results, keyed by the data version too, and registered so
    that :func:`clear_cache` clears it."""

    def register(function):
        def versioned(data_version: int, *args, **kwargs):
            return function(*args, **kwargs)

        functools.update_wrapper(versioned, function)  # its name, so its own cache
        del versioned.__wrapped__  # hash by this signature: the version comes first
        made = st.cache_data(ttl=ttl, max_entries=max_entries, show_spinner=show_spinner)(versioned)
        wrapped = functools.update_wrapper(_Versioned(made._info), function)
        _CACHED.append(wrapped)
        return wrapped

    return register


def data_version() -> int:
    """The data version results are keyed by: the one :func:`health` read at the start of
    this page run, or, outside a page run (command line, tests), the current one."""
    if get_script_run_ctx(suppress_warning=True) is not None and VERSION_KEY in st.session_state:
        return st.session_state[VERSION_KEY]
    with pool().connection() as conn:
        return _read_version(conn)


def _read_version(conn) -> int:
    return int(queries.fetch_value(conn, "session/data_version"))


# Sign-in bookkeeping runs as this role before a user's role is known (migration 0018).
SIGN_IN_DB_ROLE = "lead_signin"


class SchemaNotCurrent(DatabaseUnavailable):
    """The schema is behind this code; the dashboard's login never migrates it."""


@st.cache_resource(show_spinner=False)
def _pool(dsn: str) -> Pool:
    """The process's pool, once the schema is current: migrations are the owner's job
    (``python -m db.migrate``); until it has run, every run says so and tries again."""
    pool = Pool(dsn, read_dsn=read_dsn())
    try:
        with pool.connection() as conn:
            behind = pending(conn)
    except BaseException:
        pool.close()
        raise
    if behind:
        pool.close()
        raise SchemaNotCurrent(
            f"the database schema is not current (pending: {', '.join(behind)}); "
            "run `python -m db.migrate` with the owner login (DATABASE_OWNER_URL)"
        )
    return pool


def pool() -> Pool:
    try:
        return _pool(database_dsn())
    except DatabaseUnavailable:
        raise
    except Exception as error:  # e.g. psycopg2.OperationalError while creating the pool
        from db.connect import first_line

        raise DatabaseUnavailable(first_line(error)) from error


def run_as(role: str, work: Callable[[Any], Any], readonly: bool = False) -> Any:
    """Call ``work(conn)`` in one transaction as the database role of ``role``; a
    ``readonly`` one goes to the standby when one is configured (``DATABASE_READ_URL``)."""
    with pool().connection(readonly=readonly) as conn:
        queries.execute(conn, "session/set_role", db_role=DB_ROLES[role])
        return work(conn)


def for_sign_in(work: Callable[[Any], Any]) -> Any:
    """Call ``work(conn)`` in one transaction as ``lead_signin``: checking a sign-in,
    counting failures, and the sign-in and sign-out audit rows."""
    with pool().connection() as conn:
        queries.execute(conn, "session/set_role", db_role=SIGN_IN_DB_ROLE)
        return work(conn)


@cached(max_entries=512)
def _cached_query(role: str, name: str, params: tuple) -> pd.DataFrame:
    # Tuples are hashable for the cache; psycopg2 sends lists as SQL arrays.
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in params}
    return run_as(role, lambda conn: queries.fetch_df(conn, name, **values), readonly=True)


def query(role: str, name: str, **params) -> pd.DataFrame:
    """The rows of ``queries/<name>.sql`` for ``role``, cached for a few minutes.

    Parameters must be hashable plain values (dates, numbers, strings, tuples).
    The returned frame is a copy: callers may change it freely.
    """
    return _cached_query(role, name, tuple(sorted(params.items()))).copy()


def query_fresh(role: str, name: str, **params) -> pd.DataFrame:
    """Like :func:`query`, uncached: for what changes while one looks (the audit log)."""
    return run_as(role, lambda conn: queries.fetch_df(conn, name, **params), readonly=True)


def setting(role: str, key: str, day: date) -> float:
    """A program setting's value in force on ``day``."""
    return float(query(role, "session/setting", key=key, day=day).value.iloc[0])


def clear_cache() -> None:
    """Forget every cached result (after an import or a settings change)."""
    for function in _CACHED:
        function.clear()


def health() -> str | None:
    """None when the database answers, else a plain-words reason. In a page run it also
    reads the data version, once, for every cached result of the run."""
    try:
        with pool().connection(readonly=True) as conn:
            queries.fetch_value(conn, "session/health")
            version = _read_version(conn)
        if get_script_run_ctx(suppress_warning=True) is not None:
            st.session_state[VERSION_KEY] = version
        return None
    except DatabaseUnavailable as error:
        return str(error)
