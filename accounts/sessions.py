"""Sessions that survive a reload: the signed cookie and its row in ``app_session``.

The cookie's value is ``<id>.<expires>.<mac>``: a random session id (256 bits), the
cookie's expiry (Unix seconds) and the HMAC-SHA256 of both under the server's secret.
The database keeps only the SHA-256 of the id (migration 0024), so neither a copy of the
table nor a guessed id opens a session; a cookie whose MAC or expiry is wrong is refused
before the database is asked. The cookie carries no user name and no role: the row names
the account, and every run takes the account's role and state from the database
(``touch``), so sign-out, the idle timeout, disabling, locking or a new role take effect
at once.

The secret is ``session_secret`` in ``.streamlit/secrets.toml`` (the same on every
replica of a deployment), or else a random one generated once into ``var/session_secret``
(readable by its owner only; git-ignored). Changing it ends every session.
"""

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import queries

LIFETIME_HOURS = 12  # a shift: then sign in again, whatever the activity
SECRET_FILE = Path(__file__).resolve().parent.parent / "var" / "session_secret"
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Touched:
    """A session's state now: ``outcome`` "ok" (``role`` is the account's role now) or the
    reason it opens nothing (unknown, ended, expired, idle, disabled, locked)."""

    username: str | None
    role: str | None
    method: str | None
    outcome: str


def load_secret(configured: str | None = None, path: Path = SECRET_FILE) -> bytes:
    """The MAC key: the configured one, else the one in ``path``, made there if absent."""
    if configured:
        if len(configured) < MIN_SECRET_LENGTH:
            raise ValueError(f"session_secret needs at least {MIN_SECRET_LENGTH} characters")
        return configured.encode()
    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
        return path.read_bytes().strip()


def _mac(secret: bytes, payload: str) -> str:
    return hmac.new(secret, payload.encode(), hashlib.sha256).hexdigest()


def token_hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def new_cookie(secret: bytes, now: float | None = None) -> tuple[str, str]:
    """(cookie value, token hash to store) for a new session."""
    session_id = secrets.token_urlsafe(32)
    expires = int((time.time() if now is None else now) + LIFETIME_HOURS * 3600)
    payload = f"{session_id}.{expires}"
    return f"{payload}.{_mac(secret, payload)}", token_hash(session_id)


def read_cookie(value: str, secret: bytes, now: float | None = None) -> str | None:
    """The token hash of a genuine, unexpired cookie; None for anything else."""
    ok = isinstance(value, str) and len(value) < 256 and value.isascii()
    parts = value.split(".") if ok else []
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    session_id, expires, mac = parts
    if not hmac.compare_digest(_mac(secret, f"{session_id}.{expires}"), mac):
        return None
    if int(expires) <= (time.time() if now is None else now):
        return None
    return token_hash(session_id)


def open_session(conn, token: str, username: str, method: str) -> None:
    """Store a new session for a signed-in account; the caller commits."""
    queries.execute(
        conn,
        "sessions/open",
        token_hash=token,
        username=username,
        method=method,
        lifetime_minutes=LIFETIME_HOURS * 60,
    )


def touch(conn, token: str, idle_minutes: int) -> Touched:
    """The session's state and its account's role now (marked seen when "ok", ended when
    idle, expired or refused); the caller commits."""
    return Touched(
        *queries.fetch_one(conn, "sessions/touch", token_hash=token, idle_minutes=idle_minutes)
    )


def end(conn, token: str, reason: str) -> None:
    """End a session: its cookie opens nothing from now on; the caller commits."""
    queries.execute(conn, "sessions/end", token_hash=token, reason=reason)
