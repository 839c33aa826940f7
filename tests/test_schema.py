"""The schema: migrations apply once, function files are recorded, geometries are indexed,
the audit log is append-only."""

import psycopg2
import pytest

from db.migrate import FUNCTIONS, apply_pending, checksum, migration_files


def test_a_second_apply_changes_nothing(db):
    assert apply_pending(db) == []
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM schema_migration")
        assert cur.fetchone()[0] == len(migration_files())
        cur.execute("SELECT name, checksum FROM schema_repeatable")
        recorded = dict(cur.fetchall())
    assert recorded == {path.name: checksum(path) for path in FUNCTIONS.glob("*.sql")}


def test_sessions_run_without_jit(db):
    """Migration 0027: LLVM compilation cost whole-pilot page queries seconds at 1M."""
    with db.cursor() as cur:
        cur.execute("SHOW jit")
        assert cur.fetchone()[0] == "off"


def test_every_geometry_column_is_4326_with_a_gist_index(db):
    with db.cursor() as cur:
        cur.execute(
            "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'public'"
        )
        columns = dict(cur.fetchall())
        cur.execute("SELECT tablename FROM pg_indexes WHERE indexdef ILIKE '%USING gist%'")
        indexed = {row[0] for row in cur.fetchall()}
    assert columns == {"program_area": 4326, "contact": 4326}
    assert set(columns) <= indexed


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET outcome = 'changed'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ],
)
def test_the_audit_log_refuses_changes(db, statement):
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO audit_log (actor, action, outcome) VALUES ('tester', 'sign_in', 'ok')"
        )
        db.commit()
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute(statement)
    db.rollback()
    with db.cursor() as cur:
        cur.execute("SELECT count(*) FROM audit_log")
        assert cur.fetchone()[0] == 1


def test_capacity_defaults_to_sixty(db):
    with db.cursor() as cur:
        cur.execute("SELECT value FROM program_setting WHERE key = 'capacity'")
        assert cur.fetchone()[0] == 60
