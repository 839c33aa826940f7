"""Where the database is.

The primary, for everything that writes: in order ``DATABASE_URL``; the standard libpq
``PG*`` variables (``PGHOST``, ``PGDATABASE``...); ``database_url`` in
``.streamlit/secrets.toml``; the project-managed local cluster (``var/pg/database_url``,
written by ``scripts/localdb.sh``).

That is the dashboard's login. The schema owner's login, for migrations and every
command-line tool (:func:`owner_dsn`), is ``DATABASE_OWNER_URL``; for the local cluster,
its owner login (``var/pg/owner_url``); otherwise the same one login (docs/access.md).

Two optional others, each an environment variable or its lower-case key in the secrets:
``DATABASE_READ_URL``, a hot standby for page reads (:func:`read_dsn`), and
``DATABASE_MIGRATE_URL``, the primary reached directly when ``DATABASE_URL`` goes through
PgBouncer in transaction mode (:func:`migrate_dsn`).
"""

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_CLUSTER_URL = ROOT / "var" / "pg" / "database_url"  # the dashboard's login
LOCAL_OWNER_URL = ROOT / "var" / "pg" / "owner_url"  # the schema owner's login
SECRETS = ROOT / ".streamlit" / "secrets.toml"
PG_VARIABLES = ("PGHOST", "PGDATABASE", "PGSERVICE")

# Every session works in Baltimore time and gives up on runaway queries. JIT is off: the
# dashboard's queries are short and planned afresh each time, and PostGIS's high function
# costs made PostgreSQL spend 300-450 ms compiling queries that run in 80 ms. Sent as
# connection options; a PgBouncer cannot pass those on, so deploy/pgbouncer.ini.in sets
# the same on its server connections.
SESSION_SETTINGS = {"timezone": "America/New_York", "statement_timeout": "30000", "jit": "off"}
SESSION_OPTIONS = " ".join(f"-c {name}={value}" for name, value in SESSION_SETTINGS.items())
# How far behind the primary a standby may be and still serve page reads.
DEFAULT_READ_MAX_LAG_S = 30.0


class NoDatabaseConfigured(RuntimeError):
    """No DATABASE_URL, PG* variables, secrets or local cluster to connect to."""


class InvalidSetting(ValueError):
    """A setting has a value that cannot be used; the message names it."""


def database_dsn() -> str:
    """The libpq connection string to use; an empty string means 'the PG* variables'."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    if any(os.environ.get(name) for name in PG_VARIABLES):
        return ""
    if url := _secret("database_url"):
        return url
    if url := _local_url():
        return url
    raise NoDatabaseConfigured(
        "No database configured: set DATABASE_URL, or run `make run` to start the "
        "project's local PostGIS cluster."
    )


def owner_dsn() -> str:
    """The schema owner's login: migrations, imports, demo data, accounts, releases.

    ``DATABASE_OWNER_URL``; else, when the dashboard's login is the local cluster's, the
    local cluster's owner login; else the one login of :func:`database_dsn`, which then
    does everything (a deployment that gives one URL).
    """
    if url := os.environ.get("DATABASE_OWNER_URL") or _secret("database_owner_url"):
        return url
    dsn = database_dsn()
    if LOCAL_OWNER_URL.is_file() and dsn == _local_url():
        return LOCAL_OWNER_URL.read_text().strip()
    return dsn


def _local_url() -> str | None:
    return LOCAL_CLUSTER_URL.read_text().strip() if LOCAL_CLUSTER_URL.is_file() else None


def read_dsn() -> str | None:
    """The hot standby that serves page reads, or None: every read goes to the primary."""
    return os.environ.get("DATABASE_READ_URL") or _secret("database_read_url") or None


def migrate_dsn() -> str:
    """Where migrations run: the primary itself, never through a transaction pool.

    Migrations hold a session advisory lock across their transactions, which PgBouncer
    in transaction mode would leave on whichever server connection took it.
    ``DATABASE_MIGRATE_URL`` when the owner's URL names a PgBouncer, else :func:`owner_dsn`.
    """
    return os.environ.get("DATABASE_MIGRATE_URL") or _secret("database_migrate_url") or owner_dsn()


def read_max_lag_s() -> float:
    """``LEADOPS_READ_MAX_LAG_S``: past this many seconds behind, reads use the primary."""
    raw = os.environ.get("LEADOPS_READ_MAX_LAG_S", "").strip()
    if not raw:
        return DEFAULT_READ_MAX_LAG_S
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses NaN
        raise InvalidSetting(
            f"LEADOPS_READ_MAX_LAG_S must be a number of seconds (0 or more), not {raw!r}"
        )
    return value


def _secret(key: str) -> str | None:
    if not SECRETS.is_file():
        return None
    return tomllib.loads(SECRETS.read_text()).get(key) or None


def describe(dsn: str) -> str:
    """Host, port and database of a DSN, without the password: safe to show a user."""
    from psycopg2.extensions import parse_dsn

    parts = parse_dsn(dsn) if dsn else {}
    host = parts.get("host") or os.environ.get("PGHOST", "localhost")
    port = parts.get("port") or os.environ.get("PGPORT", "5432")
    name = parts.get("dbname") or os.environ.get("PGDATABASE", "")
    return f"{name} on {host}:{port}"
