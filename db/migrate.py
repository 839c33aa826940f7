"""The schema: numbered migrations applied once, then function files reapplied on change.

Numbered migrations (``db/migrations/NNNN_name.sql``) hold tables, indexes, roles, grants
and settings rows. Each runs once, in order, in its own transaction, and is recorded in
``schema_migration`` with its checksum, so a second apply is a no-op and an edited,
already-applied file is an error. A migration rewritten on purpose after databases
applied it is listed in ``db/migrations/superseded.txt`` as ``version old new``: a
database that recorded ``old`` while the file's checksum is ``new`` is accepted and its
record updated (Flyway's "repair"); any other edit is still refused. Migrations that
created only functions were deleted when the functions moved out (0003, 0005, 0007,
0008, 0014, 0015); databases that applied them keep their records.

Function files (``db/functions/<feature>.sql``, Flyway's repeatable migrations) hold the
reporting and access functions, each ``CREATE OR REPLACE`` with its grants. After the
numbered migrations, every file whose checksum differs from the one recorded in
``schema_repeatable`` is applied again, in the order of ``db/functions/order.txt``
(PostgreSQL checks a SQL function's body when it is created, so a file comes after those
whose functions it calls), each in its own transaction. A changed return type or
argument list cannot be replaced in place, so before applying a file migrate drops every
function of each name the file defines now or defined when last applied (a name another
file or a migration defines is left alone); the file then creates them with exactly the
grants it states. A file removed from the folder has its functions dropped. A numbered
migration runs before any function file and so must not call one: functions the schema
itself depends on (the audit trigger, the generated columns' projection) stay in their
migration.

An advisory lock keeps the app, the import CLI and this command from migrating at the
same time. A call that applied migrations then installs the default program geography
when no catchment, city line or district exists at all (``ingest.defaults``), so a new
database never maps real data against no catchment.

    python -m db.migrate            apply pending migrations and changed function files
"""

import contextlib
import hashlib
import re
import sys
from pathlib import Path

import psycopg2

from db.config import migrate_dsn
from db.connect import cli_connection, first_line

HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE / "migrations"
FUNCTIONS = HERE / "functions"
SUPERSEDED = "superseded.txt"  # in the migrations folder
ORDER = "order.txt"  # in the functions folder
LOCK_KEY = 4_206_001  # arbitrary, constant: the advisory lock for migrations

MIGRATION_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migration ("
    " version text PRIMARY KEY, checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())"
)
REPEATABLE_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_repeatable ("
    " name text PRIMARY KEY, checksum text NOT NULL, functions text[] NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())"
)
RECORD_REPEATABLE = (
    "INSERT INTO schema_repeatable (name, checksum, functions) VALUES (%s, %s, %s)"
    " ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum,"
    " functions = EXCLUDED.functions, applied_at = now()"
)
# The names travel in a transaction-local setting, so the DROP statements are built by
# the server (format %s of a regprocedure) and no name is ever spliced into SQL here.
DROP_FUNCTIONS = """
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid FROM pg_proc AS p
        WHERE p.pronamespace = current_schema()::regnamespace
          AND p.proname = ANY(string_to_array(current_setting('leadops.drop_functions'), ','))
          AND NOT EXISTS (SELECT 1 FROM pg_depend AS d
                          WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                            AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP FUNCTION %s', f);
    END LOOP;
END $$
"""
CREATED_FUNCTION = re.compile(
    r"\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)\s*\(", re.IGNORECASE
)
SQL_COMMENT = re.compile(r"--[^\n]*")


class MigrationError(RuntimeError):
    """The recorded schema disagrees with the migration files."""


def migration_files(folder: Path = MIGRATIONS) -> list[Path]:
    return sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def function_files(folder: Path = FUNCTIONS) -> list[Path]:
    """The function files in the order they are applied; order.txt lists each once."""
    listed = _lines(folder / ORDER)
    present = sorted(path.name for path in folder.glob("*.sql"))
    if sorted(listed) != present:
        raise MigrationError(
            f"{folder / ORDER} must list each of {', '.join(present)} once "
            f"(it lists {', '.join(listed) or 'none'})"
        )
    return [folder / name for name in listed]


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def defined_functions(path: Path) -> set[str]:
    """The names of the functions ``path`` creates (outside comments), lower case."""
    text = SQL_COMMENT.sub("", path.read_text())
    return {name.lower() for name in CREATED_FUNCTION.findall(text)}


def apply_pending(conn, migrations: Path = MIGRATIONS, functions: Path = FUNCTIONS) -> list[str]:
    """Bring the schema up to date; return what was done, one phrase per step."""
    with conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
    conn.commit()
    try:
        done = _apply_migrations(conn, migrations)
        done += _apply_function_files(conn, functions, migrations)
    finally:
        conn.rollback()
        with conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        conn.commit()
    if migrations == MIGRATIONS and any(step.startswith("applied 0") for step in done):
        done += _first_configuration(conn)
    return done


def _first_configuration(conn) -> list[str]:
    """After migrations were applied (a new database, or an upgrade): the default program
    geography if no catchment, city line or district exists at all (never over imported
    areas). Imported here, not at the top: the importer itself migrates through this
    module, and finds nothing pending by then."""
    from ingest.defaults import install_if_absent

    return install_if_absent(conn)


def _apply_migrations(conn, folder: Path) -> list[str]:
    """Check every applied migration before running or repairing anything, then apply."""
    applied = dict(
        _recorded(conn, MIGRATION_TABLE, "SELECT version, checksum FROM schema_migration")
    )
    files = {path.stem: (path, checksum(path)) for path in migration_files(folder)}
    superseded = _superseded(folder / SUPERSEDED)
    rewritten = []
    for version, (_path, current) in files.items():
        if applied.get(version, current) == current:
            continue
        if not _rewritten(superseded.get(version, {}), applied[version], current):
            raise MigrationError(
                f"migration {version} was changed after it was applied; "
                "add a new migration instead of editing an applied one"
            )
        rewritten.append(version)
    done = []
    for version, (path, current) in files.items():
        with conn.cursor() as cur:
            if version in rewritten:
                cur.execute(
                    "UPDATE schema_migration SET checksum = %s WHERE version = %s",
                    (current, version),
                )
                done.append(f"accepted the rewritten {version} ({SUPERSEDED})")
            elif version not in applied:
                cur.execute(path.read_text())
                cur.execute(
                    "INSERT INTO schema_migration (version, checksum) VALUES (%s, %s)",
                    (version, current),
                )
                done.append(f"applied {version}")
        conn.commit()
    return done


def _rewritten(replaced_by: dict[str, str], recorded: str, current: str) -> bool:
    """Whether superseded.txt leads from the recorded checksum to the current one."""
    seen = set()
    while recorded in replaced_by and recorded not in seen:
        seen.add(recorded)
        recorded = replaced_by[recorded]
        if recorded == current:
            return True
    return False


def _superseded(path: Path) -> dict[str, dict[str, str]]:
    """version -> {old checksum: the checksum that replaced it}."""
    table: dict[str, dict[str, str]] = {}
    for line in _lines(path):
        version, old, new = line.split()
        table.setdefault(version, {})[old] = new
    return table


def _apply_function_files(conn, folder: Path, migrations: Path) -> list[str]:
    recorded = {
        name: (digest, set(names))
        for name, digest, names in _recorded(
            conn, REPEATABLE_TABLE, "SELECT name, checksum, functions FROM schema_repeatable"
        )
    }
    files = function_files(folder)
    defines = {path.name: defined_functions(path) for path in files}
    fixed = set().union(*(defined_functions(path) for path in migration_files(migrations)))
    done = []
    for name in sorted(recorded.keys() - defines.keys()):
        with _one_transaction(conn, folder / name):
            _drop_functions(conn, recorded[name][1] - fixed - set().union(*defines.values()))
            with conn.cursor() as cur:
                cur.execute("DELETE FROM schema_repeatable WHERE name = %s", (name,))
        done.append(f"removed the functions of {name}")
    for path in files:
        digest, before = recorded.get(path.name, (None, set()))
        if digest == checksum(path):
            continue
        elsewhere = fixed.union(*(names for other, names in defines.items() if other != path.name))
        with _one_transaction(conn, path):
            _drop_functions(conn, (defines[path.name] | before) - elsewhere)
            with conn.cursor() as cur:
                cur.execute(path.read_text())
                cur.execute(
                    RECORD_REPEATABLE, (path.name, checksum(path), sorted(defines[path.name]))
                )
        done.append(f"applied {path.parent.name}/{path.name}")
    return done


@contextlib.contextmanager
def _one_transaction(conn, path: Path):
    """Commit what the block did; a database error rolls it back and names the file."""
    try:
        yield
    except psycopg2.Error as error:
        conn.rollback()
        raise MigrationError(f"{path}: {first_line(error)}") from error
    conn.commit()


def _drop_functions(conn, names: set[str]) -> None:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT set_config('leadops.drop_functions', %s, true)", (",".join(sorted(names)),)
        )
        cur.execute(DROP_FUNCTIONS)


def _recorded(conn, create: str, select: str) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(create)
        cur.execute(select)
        rows = cur.fetchall()
    conn.commit()
    return rows


def _lines(path: Path) -> list[str]:
    """The non-blank lines of a list file, without ``#`` comments; none if it is absent."""
    if not path.is_file():
        return []
    stripped = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return [line for line in stripped if line]


def pending(conn, migrations: Path = MIGRATIONS, functions: Path = FUNCTIONS) -> list[str]:
    """What :func:`apply_pending` would apply, read without changing anything: for the
    dashboard's login, which may read the records but never migrates."""
    with conn.cursor() as cur:
        cur.execute(
            "SELECT to_regclass('schema_migration') IS NOT NULL"
            " AND to_regclass('schema_repeatable') IS NOT NULL"
        )
        if not cur.fetchone()[0]:
            return ["every migration"]
        cur.execute("SELECT version, checksum FROM schema_migration")
        applied = dict(cur.fetchall())
        cur.execute("SELECT name, checksum FROM schema_repeatable")
        repeatable = dict(cur.fetchall())
    files = function_files(functions)
    steps = [p.stem for p in migration_files(migrations) if applied.get(p.stem) != checksum(p)]
    steps += [f"functions/{p.name}" for p in files if repeatable.get(p.name) != checksum(p)]
    gone = repeatable.keys() - {p.name for p in files}
    return steps + [f"functions/{name} (removed)" for name in sorted(gone)]


def main() -> int:
    conn = cli_connection("migrate", migrate_dsn())
    if conn is None:
        return 2
    with conn:
        try:
            done = apply_pending(conn)
        except MigrationError as error:
            print(f"migrate: {error}", file=sys.stderr)
            return 2
        except psycopg2.errors.InsufficientPrivilege as error:
            print(
                f"migrate: this login may not change the schema ({first_line(error)}); "
                "migrations run as the schema owner: set DATABASE_OWNER_URL",
                file=sys.stderr,
            )
            return 2
    for step in done or ["schema is up to date"]:
        print(f"migrate: {step}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
