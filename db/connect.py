"""Opening connections: one-off for the command line, pooled for the dashboard.

A one-off connection (:func:`connect`, :func:`cli_connection`) is the schema owner's
login unless given another; the dashboard's :class:`Pool` is the dashboard's login.

The dashboard's :class:`Pool` can route reads. Given a ``read_dsn`` (a hot standby),
``pool.connection(readonly=True)`` is a read-only transaction on the standby while it
answers, is at most ``max_lag_s`` behind the primary and has replayed this pool's own
last write; otherwise it is one on the primary, without an error. A standby that failed
or fell behind is tried again after ``STANDBY_RETRY_S``. ``pool.connection()`` (writes:
sign-in, audit, settings, imports) always goes to the primary.
"""

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import psycopg2

import queries
from db.config import (
    SESSION_OPTIONS,
    NoDatabaseConfigured,
    database_dsn,
    owner_dsn,
    read_max_lag_s,
)

CONNECT_TIMEOUT_S = 5
STANDBY_CONNECT_TIMEOUT_S = 2  # libpq's minimum: a standby that does not answer is skipped
STANDBY_RETRY_S = 5.0
BROKEN = (psycopg2.OperationalError, psycopg2.InterfaceError)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached; the message says so in plain words."""


def connect(dsn: str | None = None) -> psycopg2.extensions.connection:
    """A new connection in Baltimore time with a statement timeout; by default the
    schema owner's (:func:`db.config.owner_dsn`), as every command-line tool uses."""
    dsn = owner_dsn() if dsn is None else dsn
    try:
        return psycopg2.connect(
            dsn,
            connect_timeout=CONNECT_TIMEOUT_S,
            options=SESSION_OPTIONS,
            application_name="lead-ops",
        )
    except psycopg2.OperationalError as error:
        raise DatabaseUnavailable(first_line(error)) from error


def cli_connection(prog: str, dsn: str | None = None) -> psycopg2.extensions.connection | None:
    """A connection for the command ``prog``, or None once it has said why there is none."""
    try:
        return connect(dsn)
    except (DatabaseUnavailable, NoDatabaseConfigured) as error:
        print(f"{prog}: cannot reach the database: {error}", file=sys.stderr)
        return None


def first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def lsn_value(lsn: str) -> int:
    """A WAL position such as ``'16/B374D848'`` as a number, to compare."""
    high, _, low = lsn.partition("/")
    return int(high, 16) << 32 | int(low, 16)


def lsn_text(value: int) -> str:
    return f"{value >> 32:X}/{value & 0xFFFFFFFF:X}"


class _Server:
    """The connections to one server, at most ``maxconn``, kept open between check-outs.

    A check-out waits up to ``wait_s`` for a free connection and never hands out a
    broken one. (psycopg2's own pool keeps only ``minconn`` connections, opened eagerly,
    and closes the rest on return: each query then paid for a new server process and a
    SCRAM sign-in, 25-35 ms here.)
    """

    def __init__(self, dsn: str, maxconn: int, wait_s: float, connect_timeout_s: int):
        self.dsn = dsn
        self._connect_timeout_s = connect_timeout_s
        self._idle: list = []
        self._lock = threading.Lock()
        self._free = threading.BoundedSemaphore(maxconn)
        self._wait_s = wait_s

    def take(self, probe: Callable[[Any], Any]) -> tuple[Any, Any]:
        """A live connection, outside any transaction, and what ``probe(conn)`` returned."""
        if not self._free.acquire(timeout=self._wait_s):
            raise DatabaseUnavailable(
                f"every database connection stayed busy for {self._wait_s:.0f} s"
            )
        try:
            return self._live(probe)
        except BaseException:
            self._free.release()
            raise

    def _live(self, probe):
        """An idle connection that went stale (server restarted) is replaced, once."""
        for _attempt in range(2):
            conn = self._idle_one() or self._new()
            try:
                answer = probe(conn)
                conn.rollback()
                return conn, answer
            except BROKEN as error:
                conn.close()
                last = error
        raise DatabaseUnavailable(first_line(last))

    def _idle_one(self):
        with self._lock:
            return self._idle.pop() if self._idle else None

    def _new(self):
        try:
            return psycopg2.connect(
                self.dsn,
                connect_timeout=self._connect_timeout_s,
                options=SESSION_OPTIONS,
                application_name="lead-ops-dashboard",
            )
        except psycopg2.OperationalError as error:
            raise DatabaseUnavailable(first_line(error)) from error

    def give_back(self, conn, broken: bool = False) -> None:
        try:
            if broken or conn.closed != 0:
                conn.close()
            else:
                with self._lock:
                    self._idle.append(conn)
        finally:
            self._free.release()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()


def _ping(conn) -> None:
    with conn.cursor() as cur:
        cur.execute("SELECT 1")


class Pool:
    """A thread-safe pool for the dashboard, on the primary and optionally a standby.

    A connection that fails (server restarted, network cut) is discarded rather than
    returned to the pool, so the dashboard recovers by itself when the database returns.
    Each check-out ends its transaction: committed on success, rolled back on error.
    When every connection is in use, a check-out waits up to ``wait_s`` for one.
    ``read_dsn`` and ``max_lag_s`` (default: ``LEADOPS_READ_MAX_LAG_S``) route reads;
    see the module's docstring.
    """

    def __init__(
        self,
        dsn: str | None = None,
        maxconn: int = 8,
        wait_s: float = 30.0,
        *,
        read_dsn: str | None = None,
        max_lag_s: float | None = None,
    ):
        self.dsn = database_dsn() if dsn is None else dsn
        self._primary = _Server(self.dsn, maxconn, wait_s, CONNECT_TIMEOUT_S)
        self._standby = (
            _Server(read_dsn, maxconn, wait_s, STANDBY_CONNECT_TIMEOUT_S) if read_dsn else None
        )
        self.max_lag_s = read_max_lag_s() if max_lag_s is None else max_lag_s
        self._lock = threading.Lock()
        self._standby_retry_at = 0.0
        self._written = 0  # the primary's WAL position after this pool's last write

    @contextlib.contextmanager
    def connection(self, readonly: bool = False) -> Iterator[psycopg2.extensions.connection]:
        """One transaction: read-only (on the standby when it can serve) or on the primary."""
        server, conn = (self._read_lease() if readonly else None) or self._primary_lease()
        conn.readonly = True if readonly else None  # None: the server's default
        broken = False
        try:
            yield conn
            conn.commit()
        except BROKEN as error:
            broken = True
            if server is self._standby:
                self._set_standby_aside()
            raise DatabaseUnavailable(first_line(error)) from error
        except BaseException:
            broken = conn.closed != 0
            if not broken:
                conn.rollback()
            raise
        else:
            if not readonly and self._standby is not None:
                self._note_written(conn)
        finally:
            server.give_back(conn, broken)

    def _primary_lease(self):
        return self._primary, self._primary.take(_ping)[0]

    def _read_lease(self):
        """The standby and one of its connections, or None: read from the primary."""
        if self._standby is None or time.monotonic() < self._standby_retry_at:
            return None
        try:
            conn, (caught_up, lag_s) = self._standby.take(self._standby_state)
        except DatabaseUnavailable:
            self._set_standby_aside()
            return None
        if lag_s is None or lag_s > self.max_lag_s:
            self._standby.give_back(conn)
            self._set_standby_aside()
            return None
        if not caught_up:  # our own last write is not there yet: not a fault
            self._standby.give_back(conn)
            return None
        return self._standby, conn

    def _standby_state(self, conn) -> tuple[bool, float | None]:
        return queries.fetch_one(conn, "session/standby_state", since=lsn_text(self._written))

    def _set_standby_aside(self) -> None:
        with self._lock:
            self._standby_retry_at = time.monotonic() + STANDBY_RETRY_S

    def _note_written(self, conn) -> None:
        """Remember where the primary's WAL is after a write, so that reads wait for the
        standby to have it (one round trip, outside any transaction)."""
        try:
            conn.autocommit = True
            position = lsn_value(queries.fetch_value(conn, "session/wal_position"))
        except BROKEN:
            return  # the write is committed; the next check-out replaces the connection
        finally:
            if conn.closed == 0:
                conn.autocommit = False
        with self._lock:
            self._written = max(self._written, position)

    def close(self) -> None:
        self._primary.close()
        if self._standby is not None:
            self._standby.close()
