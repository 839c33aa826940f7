"""Running one statement against a database by URL, outside the dashboard: the
independent side of a test's comparison, or its setup and clean-up."""

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
