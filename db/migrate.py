"""Versioned schema migrations: ``db/migrations/NNNN_name.sql``, applied in order.

Each file runs in its own transaction and is recorded in ``schema_migration`` with its
checksum, so a second apply is a no-op and an edited, already-applied file is an error.
An advisory lock keeps the app and the import CLI from migrating at the same time.

    python -m db.migrate            apply pending migrations
"""

import hashlib
import sys
from pathlib import Path

from db.connect import DatabaseUnavailable, connect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_KEY = 4_206_001  # arbitrary, constant: the advisory lock for migrations


class MigrationError(RuntimeError):
    """The recorded schema disagrees with the migration files."""


def migration_files() -> list[Path]:
    return sorted(MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.sql"))


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def apply_pending(conn) -> list[str]:
    """Apply every migration not yet recorded; return the versions applied."""
    with conn.cursor() as cur:
        cur.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
    conn.commit()
    try:
        return _apply_all(conn)
    finally:
        conn.rollback()
        with conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        conn.commit()


def _apply_all(conn) -> list[str]:
    with conn.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS schema_migration ("
            " version text PRIMARY KEY, checksum text NOT NULL,"
            " applied_at timestamptz NOT NULL DEFAULT now())"
        )
        cur.execute("SELECT version, checksum FROM schema_migration")
        applied = dict(cur.fetchall())
    conn.commit()
    done = []
    for path in migration_files():
        version = path.stem
        if version in applied:
            if applied[version] != checksum(path):
                raise MigrationError(
                    f"migration {version} was changed after it was applied; "
                    "add a new migration instead of editing an applied one"
                )
            continue
        with conn.cursor() as cur:
            cur.execute(path.read_text())
            cur.execute(
                "INSERT INTO schema_migration (version, checksum) VALUES (%s, %s)",
                (version, checksum(path)),
            )
        conn.commit()
        done.append(version)
    return done


def main() -> int:
    try:
        conn = connect()
    except DatabaseUnavailable as error:
        print(f"migrate: cannot reach the database: {error}", file=sys.stderr)
        return 2
    with conn:
        try:
            done = apply_pending(conn)
        except MigrationError as error:
            print(f"migrate: {error}", file=sys.stderr)
            return 2
    print(f"migrate: applied {', '.join(done)}" if done else "migrate: schema is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
