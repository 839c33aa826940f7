"""Accounts in ``app_account``: create, verify with lockout, and the audit trail.

After ``MAX_FAILURES`` failed sign-ins in a row an account locks for ``LOCK_MINUTES``
(CJIS Security Policy 5.5.3 allows at most 5 attempts). A locked or disabled account is
refused even with the right password; the reason shown to the user never says whether a
user name exists.
"""

import json
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

import queries

MAX_FAILURES = 5
LOCK_MINUTES = 10
ROLES = ("command", "leadership", "case_manager", "admin")
_hasher = PasswordHasher()
# Verifying against this when the user is unknown keeps the timing the same.
_DUMMY_HASH = _hasher.hash("not a password")


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    role: str | None = None
    reason: str = ""  # "", "bad_credentials", "locked", "disabled"

    @property
    def message(self) -> str:
        if self.reason == "locked":
            return (
                f"This account is locked after {MAX_FAILURES} failed sign-ins. "
                f"Try again in {LOCK_MINUTES} minutes or ask an administrator."
            )
        if self.reason == "disabled":
            return "This account is disabled. Ask an administrator."
        return "User name or password is wrong."


def add_or_reset(conn, username: str, role: str, password: str, *, demo: bool = False) -> None:
    """Create the account, or give an existing one this role and password."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 12:
        raise ValueError("a password needs at least 12 characters")
    queries.execute(
        conn,
        "accounts/upsert",
        username=username,
        role=role,
        password_hash=_hasher.hash(password),
        is_demo=demo,
    )


def verify(conn, username: str, password: str) -> SignInResult:
    """Check a sign-in, count failures, lock after too many; audited. Commits."""
    account = queries.fetch_one(conn, "accounts/get", username=username)
    if account is None:
        _matches(_DUMMY_HASH, password)
        result = SignInResult(False, reason="bad_credentials")
    else:
        _name, role, password_hash, disabled, _failures, _until, locked = account
        if disabled:
            result = SignInResult(False, role, "disabled")
        elif locked:
            result = SignInResult(False, role, "locked")
        elif _matches(password_hash, password):
            queries.execute(conn, "accounts/record_success", username=username)
            result = SignInResult(True, role)
        else:
            now_locked = queries.fetch_value(
                conn,
                "accounts/record_failure",
                username=username,
                limit=MAX_FAILURES,
                lock_minutes=LOCK_MINUTES,
            )
            result = SignInResult(False, role, "locked" if now_locked else "bad_credentials")
    audit(conn, username, result.role, "sign_in", None, "ok" if result.ok else result.reason)
    conn.commit()
    return result


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def audit(
    conn, actor: str, role: str | None, action: str, target: str | None, outcome: str, **detail
) -> None:
    """Append an audit row (the caller commits)."""
    queries.execute(
        conn,
        "accounts/audit",
        actor=actor,
        role=role,
        action=action,
        target=target,
        outcome=outcome,
        detail=json.dumps(detail, default=str),
    )
