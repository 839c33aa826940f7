"""Running one statement against a database by URL, outside the dashboard: the
independent side of a test's comparison, or its setup and clean-up."""

from psycopg2 import sql

from db.connect import connect


def fetch(url: str, statement: str, params=()) -> list[tuple]:
    """The rows of ``statement`` (none for a statement without rows), committed."""
    conn = connect(url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def dated_setting(conn, key: str, effective_from: str, value, role: str = "lead_case_manager"):
    """Add a setting value in force from ``effective_from`` inside the test's transaction
    (as the owner), then read on as ``role`` again."""
    with conn.cursor() as cur:
        cur.execute("RESET ROLE")
        cur.execute(
            "INSERT INTO program_setting (key, effective_from, value) VALUES (%s, %s, %s)",
            (key, effective_from, value),
        )
        cur.execute(sql.SQL("SET LOCAL ROLE {}").format(sql.Identifier(role)))
