"""Opening connections: one-off for the command line, pooled for the dashboard."""

import contextlib
import threading
from collections.abc import Iterator

import psycopg2
import psycopg2.pool

from db.config import SESSION_OPTIONS, database_dsn

CONNECT_TIMEOUT_S = 5


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message says so in plain words."""


def connect(dsn: str | None = None) -> psycopg2.extensions.connection:
    """A new connection in Baltimore time with a statement timeout."""
    dsn = database_dsn() if dsn is None else dsn
    try:
        return psycopg2.connect(
            dsn,
            connect_timeout=CONNECT_TIMEOUT_S,
            options=SESSION_OPTIONS,
            application_name="lead-ops",
        )
    except psycopg2.OperationalError as error:
        raise DatabaseUnavailable(first_line(error)) from error


def first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class Pool:
    """A thread-safe pool whose check-out never hands out a broken connection.

    A connection that fails (server restarted, network cut) is discarded rather than
    returned to the pool, so the dashboard recovers by itself when the database returns.
    Each check-out ends its transaction: committed on success, rolled back on error.
    When every connection is in use, a check-out waits up to ``wait_s`` for one to come
    back (psycopg2's pool alone would fail at once: "connection pool exhausted").
    """

    def __init__(self, dsn: str | None = None, maxconn: int = 8, wait_s: float = 30.0):
        self.dsn = database_dsn() if dsn is None else dsn
        self._pool = psycopg2.pool.ThreadedConnectionPool(
            0,
            maxconn,
            self.dsn,
            connect_timeout=CONNECT_TIMEOUT_S,
            options=SESSION_OPTIONS,
            application_name="lead-ops-dashboard",
        )
        self._free = threading.BoundedSemaphore(maxconn)
        self._wait_s = wait_s

    @contextlib.contextmanager
    def connection(self) -> Iterator[psycopg2.extensions.connection]:
        if not self._free.acquire(timeout=self._wait_s):
            raise DatabaseUnavailable(
                f"every database connection stayed busy for {self._wait_s:.0f} s"
            )
        try:
            with self._checked_out() as conn:
                yield conn
        finally:
            self._free.release()

    @contextlib.contextmanager
    def _checked_out(self) -> Iterator[psycopg2.extensions.connection]:
        conn = self._checkout()
        broken = False
        try:
            yield conn
            conn.commit()
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
            broken = True
            raise DatabaseUnavailable(first_line(error)) from error
        except BaseException:
            broken = conn.closed != 0
            if not broken:
                conn.rollback()
            raise
        finally:
            self._pool.putconn(conn, close=broken or conn.closed != 0)

    def _checkout(self) -> psycopg2.extensions.connection:
        """A live connection: a pooled one that went stale is replaced, once."""
        for _attempt in range(2):
            try:
                conn = self._pool.getconn()
            except psycopg2.OperationalError as error:
                raise DatabaseUnavailable(first_line(error)) from error
            try:
                with conn.cursor() as cur:
                    cur.execute("SELECT 1")
                conn.rollback()
                return conn
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as error:
                self._pool.putconn(conn, close=True)
                last = error
        raise DatabaseUnavailable(first_line(last))

    def close(self) -> None:
        self._pool.closeall()
