"""One database per benchmark size (``<db>_bench_10k``...), built once and reused.

A database is rebuilt when its recorded fingerprint (size, seed, generator version)
differs from the one asked for, when ``fresh`` is set, or when its schema cannot be
brought up to date (an applied migration edited since); otherwise the schema is brought
up to date in place (migrations and function files), so new pages' functions exist.
"""

import json
import secrets
import time
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from psycopg2 import sql
from psycopg2.extensions import make_dsn, parse_dsn

import queries
from accounts.store import add_or_reset
from bench import generate
from db.config import database_dsn
from db.connect import connect
from db.migrate import MigrationError, apply_pending

ROOT = Path(__file__).resolve().parent.parent
# 2: recorded only once the program areas are loaded; 3: points 50 m inside the city line;
# 4: profiles (stress, program) and map-only data sets
GENERATOR_VERSION = 4
BENCH_USER = "bench-admin"


def database_name(size: int, profile: str = "stress", map_only: bool = False) -> str:
    """``leadops_bench_1m`` (stress), ``leadops_bench_1m_program``, ``leadops_bench_10m_map``."""
    base = parse_dsn(database_dsn() or "dbname=leadops").get("dbname", "leadops")
    kind = "_map" if map_only else "" if profile == "stress" else f"_{profile}"
    return f"{base}_bench_{generate.size_label(size)}{kind}"


def dsn_for(name: str) -> str:
    return make_dsn(database_dsn(), dbname=name)


def recreate(name: str) -> str:
    """Drop and create an empty database with the schema applied; return its DSN."""
    admin = psycopg2.connect(database_dsn())
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()
    dsn = dsn_for(name)
    with connect(dsn) as conn:
        apply_pending(conn)
    conn.close()
    return dsn


def utility(conn, statement: str) -> None:
    """Run a fixed utility statement (ANALYZE, DISCARD ALL) outside a transaction.

    These cannot be EXPLAINed, so they do not fit ``queries/``; they are constants here.
    """
    conn.commit()
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL(statement))
    finally:
        conn.autocommit = False


def existing_fingerprint(dsn: str) -> str | None:
    try:
        conn = connect(dsn)
    except Exception:  # noqa: BLE001 (no such database yet: build it)
        return None
    try:
        # A migration may build an index over 10M contacts: far past the sessions' 30 s,
        # and a timeout here would rebuild (drop) the whole database.
        utility(conn, "SET statement_timeout = 0")
        apply_pending(conn)
        return queries.fetch_value(conn, "bench/fingerprint")
    except (psycopg2.Error, MigrationError):  # a migration edited since: rebuild
        return None
    finally:
        conn.close()


def ensure(
    size: int,
    seed: int,
    fresh: bool,
    say=print,
    profile: str = "stress",
    map_only: bool = False,
) -> tuple[str, str]:
    """The DSN of the database for ``size`` (built if needed) and the bench password."""
    name = database_name(size, profile, map_only)
    dsn = dsn_for(name)
    fingerprint = json.dumps(
        {"size": size, "seed": seed, "generator": GENERATOR_VERSION}
        | ({"map_only": True} if map_only else {"profile": profile})
    )
    if fresh or existing_fingerprint(dsn) != fingerprint:
        say(f"  building {name}: {size:,} contacts" + (" (map only)" if map_only else ""))
        tables = generate.map_slices(size, seed) if map_only else None
        build(recreate(name), size, seed, fingerprint, say, profile, tables)
    else:
        say(f"  reusing {name} (same size, seed and generator)")
    password = secrets.token_urlsafe(18)
    with connect(dsn) as conn:
        add_or_reset(conn, BENCH_USER, "admin", password)
        queries.execute(conn, "ingest/no_statement_timeout")  # minutes at 10M contacts
        queries.execute(conn, "ingest/refresh_census_store")  # built before it was stored
        queries.execute(conn, "ingest/refresh_contact_rollup")  # likewise
    conn.close()
    return dsn, password


def build(
    dsn: str, size: int, seed: int, fingerprint: str, say, profile="stress", tables=None
) -> dict:
    """Areas, then the generated tables by COPY (``tables``: (table, frame) pairs made
    while loading; else ``generate(size, seed, profile)``), then VACUUM ANALYZE."""
    started = time.perf_counter()
    complete = load_areas(dsn, say)
    if tables is None:
        tables = generate.generate(size, seed, profile).tables()
    generated = time.perf_counter()
    conn = connect(dsn)
    utility(conn, "SET statement_timeout = 0")  # the sessions' 30 s is for page queries
    if size > generate.SLICED_ABOVE:
        with indexes_built_after(conn, "contact"):
            counts = generate.load(conn, tables)
    else:
        counts = generate.load(conn, tables)
    queries.execute(conn, "ingest/refresh_census_store")  # as an import does
    queries.execute(conn, "ingest/refresh_contact_rollup")
    utility(conn, "VACUUM ANALYZE")  # the steady state autovacuum reaches after an import
    if complete:  # else rebuilt next time, once the areas can be loaded
        queries.execute(conn, "bench/set_fingerprint", value=fingerprint)
    conn.commit()
    conn.close()
    done = time.perf_counter()
    say(
        f"  generated in {generated - started:.1f} s, loaded by COPY in {done - generated:.1f} s: "
        + ", ".join(f"{table} {rows:,}" for table, rows in counts.items())
    )
    return counts


@contextmanager
def indexes_built_after(conn, table: str):
    """Drop ``table``'s secondary indexes for a bulk load and build them again after it,
    from their own definitions in the catalogue (a GiST index built once over 10 million
    points is many times faster than one grown row by row)."""
    definitions = queries.fetch_all(conn, "bench/secondary_indexes", table_name=table)
    with conn.cursor() as cur:
        for name, _ in definitions:
            cur.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    conn.commit()
    yield
    with conn.cursor() as cur:
        for _, definition in definitions:
            cur.execute(sql.SQL(definition))  # noqa: S608 (the catalogue's own DDL)
    conn.commit()


def load_areas(dsn: str, say) -> bool:
    """The program geography through the project's own loader (the importer), with the
    legacy posts also standing in after the 2023 redistricting, as the demo does."""
    try:
        from ingest.defaults import load_default_geography

        conn = connect(dsn)
        load_default_geography(conn, also_current_stand_in=True, actor="bench")
        conn.commit()
        conn.close()
        return True
    except ImportError as error:
        say(f"  WARNING: no program areas loaded ({error}); eligibility counts will be 0")
        return False
