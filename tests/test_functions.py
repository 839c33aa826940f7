"""Database functions: one file each, reapplied when their file changes, and databases
migrated before the functions left the numbered migrations upgrade to the same schema."""

import os
import re
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql
from psycopg2.extensions import make_dsn, parse_dsn

from db.connect import connect
from db.migrate import FUNCTIONS, MIGRATIONS, MigrationError, apply_pending, checksum
from tests.conftest import BASE_DSN, SCRATCH_SUFFIX

ROOT = Path(__file__).resolve().parent.parent
# The last commit whose numbered migrations created the functions (before issue 19).
BEFORE_FUNCTION_FILES = "4ff4ef0715553797700149326ff98bae841961d7"

# The migrations rewritten after they were applied (db/migrations/superseded.txt).
REWRITTEN = ("0002_database_roles", "0010_review", "0011_bench_indexes", "0012_contact_projection")
# Written apart from db/migrate.py's own scanner, so the two check each other.
CREATE_FUNCTION = re.compile(r"^\s*create\s+(or\s+replace\s+)?function\s+([a-z_0-9]+)", re.I | re.M)

PROJECT_FUNCTIONS = """
    SELECT p.proname, p.oid::regprocedure::text, pg_get_functiondef(p.oid),
           coalesce(p.proacl::text, '')
    FROM pg_proc AS p
    WHERE p.pronamespace = 'public'::regnamespace
      AND NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = p.oid AND d.deptype = 'e')
    ORDER BY 2
"""
TABLE_GRANTS = """
    SELECT table_name, column_name, grantee, privilege_type
    FROM information_schema.column_privileges WHERE table_schema = 'public'
    UNION ALL
    SELECT table_name, NULL, grantee, privilege_type
    FROM information_schema.table_privileges WHERE table_schema = 'public'
    ORDER BY 1, 2, 3, 4
"""


def rows(url: str, statement: str, params=()) -> list[tuple]:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall()
    finally:
        conn.close()


def created_in(folder: Path) -> dict[str, list[str]]:
    """Function name -> the files of ``folder`` that create it (one entry per CREATE)."""
    found: dict[str, list[str]] = {}
    for path in sorted(folder.glob("*.sql")):
        for _replace, name in CREATE_FUNCTION.findall(path.read_text()):
            found.setdefault(name.lower(), []).append(f"{folder.name}/{path.name}")
    return found


def test_each_function_is_created_in_exactly_one_file(database_url):
    places = created_in(MIGRATIONS)
    for name, files in created_in(FUNCTIONS).items():
        places.setdefault(name, []).extend(files)
    assert {name: files for name, files in places.items() if len(files) != 1} == {}
    in_database = {row[0] for row in rows(database_url, PROJECT_FUNCTIONS)}
    assert in_database == set(places)


def test_a_migration_creates_only_functions_the_schema_itself_depends_on(database_url):
    """The audit trigger and the generated columns' projection; reporting and access
    functions live in db/functions."""
    in_migrations = set(created_in(MIGRATIONS))
    depended_on = rows(
        database_url,
        "SELECT DISTINCT p.proname FROM pg_depend AS d JOIN pg_proc AS p ON p.oid = d.refobjid"
        " WHERE d.refclassid = 'pg_proc'::regclass AND d.deptype = 'n'"
        " AND d.classid IN ('pg_trigger'::regclass, 'pg_attrdef'::regclass)"
        " AND p.proname = ANY(%s)",
        (sorted(in_migrations),),
    )
    assert in_migrations and {name for (name,) in depended_on} == in_migrations
    assert set(created_in(FUNCTIONS)) >= {"census_daily", "contacts_filtered", "setting_on"}


# --- function files: reapplied when, and only when, they change --------------------------


def empty_database(suffix: str) -> str:
    """A new, empty database ``<db><SCRATCH_SUFFIX><suffix>``; its DSN."""
    base = parse_dsn(BASE_DSN) if BASE_DSN else {}
    name = (base.get("dbname") or os.environ.get("PGDATABASE") or "leadops") + SCRATCH_SUFFIX
    target = make_dsn(BASE_DSN, dbname=name + suffix)
    admin = psycopg2.connect(BASE_DSN)
    admin.autocommit = True
    with admin.cursor() as cur:
        database = sql.Identifier(parse_dsn(target)["dbname"])
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(database))
    admin.close()
    return target


@pytest.fixture(scope="module")
def own_database() -> str:
    """A database of this module's own, migrated from the files: these tests rewrite
    its functions and records."""
    url = empty_database("_functions")
    conn = connect(url)
    apply_pending(conn)
    conn.close()
    return url


@pytest.fixture
def schema(own_database, tmp_path):
    """A connection to that database, its functions as in db/functions again, and a copy
    of db/functions to edit."""
    conn = connect(own_database)
    apply_pending(conn)
    copy = tmp_path / "functions"
    shutil.copytree(FUNCTIONS, copy)
    yield conn, copy
    conn.close()


def function_result(conn, signature: str) -> str | None:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT pg_get_function_result(to_regprocedure(%s)),"
            " has_function_privilege('lead_command', to_regprocedure(%s), 'EXECUTE')",
            (signature, signature),
        )
        result, command_may = cur.fetchone()
    conn.commit()
    return None if result is None else f"{result}; command may run it: {command_may}"


def recorded(conn) -> dict[str, tuple]:
    with conn.cursor() as cur:
        cur.execute("SELECT name, checksum, functions, applied_at FROM schema_repeatable")
        found = {name: (digest, names, at) for name, digest, names, at in cur.fetchall()}
    conn.commit()
    return found


def test_a_function_file_is_reapplied_when_and_only_when_its_checksum_changes(schema):
    conn, copy = schema
    before = recorded(conn)
    assert apply_pending(conn, functions=copy) == []
    assert recorded(conn) == before

    spans = copy / "catchment.sql"
    spans.write_text(spans.read_text() + "-- a comment is a change too\n")
    assert apply_pending(conn, functions=copy) == ["applied functions/catchment.sql"]
    after = recorded(conn)
    assert after["catchment.sql"][0] == checksum(spans) != before["catchment.sql"][0]
    assert {k: v for k, v in after.items() if k != "catchment.sql"} == {
        k: v for k, v in before.items() if k != "catchment.sql"
    }
    assert apply_pending(conn, functions=copy) == []


def test_a_changed_return_type_is_dropped_and_created_with_the_files_grants(schema):
    conn, copy = schema
    review = copy / "review.sql"
    text = review.read_text()
    changed = text.replace(
        "RETURNS TABLE (service text, outcome text, referrals integer)",
        "RETURNS TABLE (service text, outcome text, referrals bigint)",
    ).replace("sum(o.referrals)::integer\n", "sum(o.referrals)::bigint\n")
    assert changed != text
    review.write_text(changed)
    signature = "review_referral_outcomes(date, date)"
    assert "referrals integer" in function_result(conn, signature)
    assert apply_pending(conn, functions=copy) == ["applied functions/review.sql"]
    assert function_result(conn, signature) == (
        "TABLE(service text, outcome text, referrals bigint); command may run it: False"
    )


def test_functions_removed_or_moved_between_files_follow_the_files(schema):
    conn, copy = schema
    review = (copy / "review.sql").read_text()
    start = review.index("-- Service referrals made in a period")
    (copy / "review.sql").write_text(review[:start])
    outcomes = copy / "outcomes.sql"
    outcomes.write_text(outcomes.read_text() + "\n" + review[start:])
    (copy / "training.sql").unlink()
    order = copy / "order.txt"
    order.write_text(order.read_text().replace("training.sql\n", ""))

    done = apply_pending(conn, functions=copy)
    assert sorted(done) == [
        "applied functions/outcomes.sql",
        "applied functions/review.sql",
        "removed the functions of training.sql",
    ]
    assert function_result(conn, "training_cover_ending(date, integer, text, text)") is None
    assert function_result(conn, "review_referral_outcomes(date, date)") is not None
    assert function_result(conn, "review_program_flow(date, date)") is not None
    files = recorded(conn)
    assert "training.sql" not in files
    assert "review_referral_outcomes" in files["outcomes.sql"][1]
    assert files["review.sql"][1] == ["review_program_flow"]


def test_a_broken_function_file_changes_nothing_and_says_which_file(schema):
    conn, copy = schema
    before = recorded(conn)
    census = copy / "census.sql"
    census.write_text(
        census.read_text().replace("FROM enrollment WHERE", "FROM no_such_table WHERE")
    )
    with pytest.raises(MigrationError, match="census.sql.*no_such_table"):
        apply_pending(conn, functions=copy)
    assert recorded(conn) == before
    assert "overdue integer" in function_result(conn, "census_daily(date, date)")


def test_an_unlisted_or_missing_function_file_is_an_error(schema):
    conn, copy = schema
    (copy / "extra.sql").write_text("SELECT 1;\n")
    with pytest.raises(MigrationError, match="order.txt must list each of"):
        apply_pending(conn, functions=copy)


# --- numbered migrations: deliberate rewrites accepted, other edits refused ---------------


@pytest.fixture
def migrations(tmp_path) -> Path:
    """A copy of db/migrations that a test may edit."""
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy)
    return copy


def test_an_edit_of_an_applied_migration_is_refused(schema, migrations):
    conn, _ = schema
    review = migrations / "0010_review.sql"
    review.write_text(review.read_text().replace("90,", "85,", 1))
    with pytest.raises(MigrationError, match="0010_review was changed after it was applied"):
        apply_pending(conn, migrations=migrations)


def test_a_rewrite_is_accepted_only_as_far_as_superseded_txt_leads(schema, migrations):
    conn, _ = schema
    review = migrations / "0010_review.sql"
    real = checksum(review)
    review.write_text("-- rewritten once\n" + review.read_text())
    once = checksum(review)
    listed = migrations / "superseded.txt"
    listed.write_text(listed.read_text() + f"0010_review {real} {once}\n")
    try:
        assert apply_pending(conn, migrations=migrations) == [
            "accepted the rewritten 0010_review (superseded.txt)"
        ]
        assert apply_pending(conn, migrations=migrations) == []
        review.write_text("-- rewritten twice, not listed\n" + review.read_text())
        with pytest.raises(MigrationError, match="0010_review was changed"):
            apply_pending(conn, migrations=migrations)
    finally:
        with conn.cursor() as cur:
            cur.execute(
                "UPDATE schema_migration SET checksum = %s WHERE version = '0010_review'",
                (real,),
            )
        conn.commit()


# --- a database migrated by the code before the function files ------------------------------


def old_code(folder: Path) -> Path:
    """db/ as it was at BEFORE_FUNCTION_FILES, extracted into ``folder``."""
    archive = subprocess.run(
        ["git", "archive", BEFORE_FUNCTION_FILES, "db"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def migrate_cli(url: str, code: Path) -> subprocess.CompletedProcess:
    """``python -m db.migrate`` of the code in ``code`` against ``url``."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(code)}
    return subprocess.run(
        [sys.executable, "-m", "db.migrate"], cwd=code, env=env, capture_output=True, text=True
    )


def test_a_database_migrated_by_the_old_files_upgrades_to_the_fresh_schema(database_url, tmp_path):
    old_url = empty_database("_upgrade")
    old = migrate_cli(old_url, old_code(tmp_path / "old"))
    assert old.returncode == 0, old.stderr
    assert "0014_census_running_sums" in old.stdout
    assert "census_daily" in {row[0] for row in rows(old_url, PROJECT_FUNCTIONS)}

    edited = tmp_path / "edited"
    shutil.copytree(MIGRATIONS, edited)
    projection = edited / "0012_contact_projection.sql"
    projection.write_text(projection.read_text().replace("6378137.0", "6378137.5", 1))
    recorded_before = rows(old_url, "SELECT * FROM schema_migration ORDER BY 1")
    conn = connect(old_url)
    with pytest.raises(MigrationError, match="0012_contact_projection was changed"):
        apply_pending(conn, migrations=edited)
    conn.close()
    assert rows(old_url, "SELECT * FROM schema_migration ORDER BY 1") == recorded_before

    upgrade = migrate_cli(old_url, ROOT)
    assert upgrade.returncode == 0, upgrade.stderr
    for version in REWRITTEN:
        assert f"migrate: accepted the rewritten {version} (superseded.txt)" in upgrade.stdout
    for path in FUNCTIONS.glob("*.sql"):
        assert f"migrate: applied functions/{path.name}" in upgrade.stdout
    assert migrate_cli(old_url, ROOT).stdout == "migrate: schema is up to date\n"

    assert rows(old_url, PROJECT_FUNCTIONS) == rows(database_url, PROJECT_FUNCTIONS)
    assert rows(old_url, TABLE_GRANTS) == rows(database_url, TABLE_GRANTS)
    files = "SELECT name, checksum, functions FROM schema_repeatable ORDER BY name"
    assert rows(old_url, files) == rows(database_url, files)
