"""Where the database is.

In order: ``DATABASE_URL``; the standard libpq ``PG*`` variables (``PGHOST``,
``PGDATABASE``...); ``database_url`` in ``.streamlit/secrets.toml``; the project-managed
local cluster (``var/pg/database_url``, written by ``scripts/localdb.sh``).
"""

import os
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL_CLUSTER_URL = ROOT / "var" / "pg" / "database_url"
SECRETS = ROOT / ".streamlit" / "secrets.toml"
PG_VARIABLES = ("PGHOST", "PGDATABASE", "PGSERVICE")

# Every session works in Baltimore time and gives up on runaway queries. JIT is off: the
# dashboard's queries are short and planned afresh each time, and PostGIS's high function
# costs made PostgreSQL spend 300-450 ms compiling queries that run in 80 ms.
SESSION_OPTIONS = "-c timezone=America/New_York -c statement_timeout=30000 -c jit=off"


class NoDatabaseConfigured(RuntimeError):
    """No DATABASE_URL, PG* variables, secrets or local cluster to connect to."""


def database_dsn() -> str:
    """The libpq connection string to use; an empty string means 'the PG* variables'."""
    if url := os.environ.get("DATABASE_URL"):
        return url
    if any(os.environ.get(name) for name in PG_VARIABLES):
        return ""
    if SECRETS.is_file():
        secrets = tomllib.loads(SECRETS.read_text())
        if url := secrets.get("database_url"):
            return url
    if LOCAL_CLUSTER_URL.is_file():
        return LOCAL_CLUSTER_URL.read_text().strip()
    raise NoDatabaseConfigured(
        "No database configured: set DATABASE_URL, or run `make run` to start the "
        "project's local PostGIS cluster."
    )


def describe(dsn: str) -> str:
    """Host, port and database of a DSN, without the password: safe to show a user."""
    from psycopg2.extensions import parse_dsn

    parts = parse_dsn(dsn) if dsn else {}
    host = parts.get("host") or os.environ.get("PGHOST", "localhost")
    port = parts.get("port") or os.environ.get("PGPORT", "5432")
    name = parts.get("dbname") or os.environ.get("PGDATABASE", "")
    return f"{name} on {host}:{port}"
