"""Sessions that survive a reload: the signed cookie and its row in ``app_session``.

The cookie's value is ``<id>.<expires>.<mac>``: the session id, the cookie's expiry (Unix
seconds) and the HMAC-SHA256 of both under the server's secret. The session id is itself
the HMAC of a random one-time nonce (256 bits): at sign-in the dashboard opens the session
and hands the page only the nonce, which the launcher's route (``dashboard/serve.py``)
claims once (``claim``, within ``NONCE_SECONDS``) and turns into the cookie, sent back as
HttpOnly; the page's script never sees the cookie, and the nonce alone, without the
secret, makes no cookie.
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
NONCE_SECONDS = 60  # from sign-in to the page's claim of its cookie
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


def _session_id(secret: bytes, nonce: str) -> str:
    return _mac(secret, f"session:{nonce}")


def new_session(secret: bytes) -> tuple[str, str]:
    """(one-time nonce for the page, token hash to store) for a new session."""
    nonce = secrets.token_urlsafe(32)
    return nonce, token_hash(_session_id(secret, nonce))


def cookie_for(secret: bytes, nonce: str, expires: int) -> str:
    """The cookie value of the session opened with ``nonce``, expiring at ``expires``."""
    payload = f"{_session_id(secret, nonce)}.{expires}"
    return f"{payload}.{_mac(secret, payload)}"


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


def open_session(conn, token: str, nonce: str, username: str, method: str) -> None:
    """Store a new session for a signed-in account, with its cookie's one-time nonce;
    the caller commits."""
    queries.execute(
        conn,
        "sessions/open",
        token_hash=token,
        username=username,
        method=method,
        lifetime_minutes=LIFETIME_HOURS * 60,
        nonce_hash=token_hash(nonce),
        nonce_seconds=NONCE_SECONDS,
    )


@dataclass(frozen=True)
class Claimed:
    """A nonce's claim: ``outcome`` "ok" (``cookie`` the session's cookie value, valid
    ``max_age`` seconds) or why not (unknown, used, expired, ended)."""

    username: str | None
    outcome: str
    cookie: str | None = None
    max_age: int = 0


def claim(conn, nonce: str, secret: bytes) -> Claimed:
    """Exchange a session's one-time nonce for its cookie, once; a second claim ends the
    session. The caller commits."""
    if not (isinstance(nonce, str) and 0 < len(nonce) < 128 and nonce.isascii()):
        return Claimed(None, "unknown")
    username, expires_at, outcome = queries.fetch_one(
        conn, "sessions/claim", nonce_hash=token_hash(nonce)
    )
    if outcome != "ok":
        return Claimed(username, outcome)
    expires = int(expires_at.timestamp())
    cookie = cookie_for(secret, nonce, expires)
    return Claimed(username, outcome, cookie, max(0, expires - int(time.time())))


def touch(conn, token: str, idle_minutes: int) -> Touched:
    """The session's state and its account's role now (marked seen when "ok", ended when
    idle, expired or refused); the caller commits."""
    return Touched(
        *queries.fetch_one(conn, "sessions/touch", token_hash=token, idle_minutes=idle_minutes)
    )


def end(conn, token: str, reason: str) -> None:
    """End a session: its cookie opens nothing from now on; the caller commits."""
    queries.execute(conn, "sessions/end", token_hash=token, reason=reason)


def end_all(conn, username: str, reason: str) -> int:
    """End every open session of an account (how many); the caller audits and commits."""
    return int(queries.fetch_value(conn, "sessions/end_all", username=username, reason=reason))
