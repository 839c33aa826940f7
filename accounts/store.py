"""Accounts in ``app_account``: create and manage, verify with lockout, and the audit trail.

After ``MAX_FAILURES`` failed sign-ins in a row an account locks for ``LOCK_MINUTES``
(CJIS Security Policy 5.5.3 allows at most 5 attempts). A locked or disabled account is
refused even with the right password. The password form shows one message for every
refusal (unknown name, wrong password, locked, disabled) and hashes the password in every
case, so neither the message nor the time taken says whether a user name exists or is
locked; the audit log keeps the real reason. No statement may leave the accounts without
an enabled administrator (a trigger of db/migrations/0017_admin_pages.sql; its error
becomes an AccountError here, for the command line and the Accounts page alike). A
password reset, a new role, disabling or locking an account ends its open sessions
(``accounts.sessions``) in the same transaction: every browser signed in as it is signed
out at its next action; the audit row says how many ended (``sessions_ended``). An
account made for single sign-on only has no local password (``password_hash`` is
``NO_PASSWORD``, which no password ever matches).
"""

import json
import re
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg2
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

import queries
from accounts import sessions
from program.access import ROLES

MAX_FAILURES = 5
LOCK_MINUTES = 10
MIN_PASSWORD_LENGTH = 12
NO_PASSWORD = "!"
USERNAME = re.compile(r"[a-z0-9._@+-]{2,254}")
_hasher = PasswordHasher()
# Verifying against this when the user is unknown keeps the timing the same.
_DUMMY_HASH = _hasher.hash("not a password")

MESSAGES = {
    "locked": (
        f"This account is locked after {MAX_FAILURES} failed sign-ins. "
        f"Try again in {LOCK_MINUTES} minutes or ask an administrator."
    ),
    "disabled": "This account is disabled. Ask an administrator.",
    "no_account": "You have no LEAD Ops account. Ask an administrator to create one.",
    "role_mismatch": (
        "Your identity provider does not grant you the role of your LEAD Ops account. "
        "Ask an administrator."
    ),
    "email_unverified": "Your identity provider has not verified your e-mail address.",
    "bad_credentials": "User name or password is wrong.",
    # The password form's only refusal: it must not tell a locked or disabled account
    # from an unknown user name.
    "refused": (
        "User name or password is wrong, or the account is locked or disabled. "
        f"{MAX_FAILURES} failed sign-ins in a row lock an account for {LOCK_MINUTES} "
        "minutes; an administrator can unlock it."
    ),
}
PASSWORD_REFUSALS = frozenset({"bad_credentials", "locked", "disabled"})
LAST_ADMIN = "LA001"  # SQLSTATE of the trigger that keeps an enabled administrator


class AccountError(ValueError):
    """A management request that cannot be done; the message says why in plain words."""


@dataclass(frozen=True)
class SignInResult:
    ok: bool
    role: str | None = None
    reason: str = ""  # "" when ok, else a key of MESSAGES
    password_form: bool = False  # refusals then share one message (no enumeration)

    @property
    def message(self) -> str:
        if self.password_form and self.reason in PASSWORD_REFUSALS:
            return MESSAGES["refused"]
        return MESSAGES.get(self.reason, MESSAGES["bad_credentials"])


def normalize(username: str) -> str:
    """User names are compared lowercased and without surrounding blanks."""
    return username.strip().lower()


def _check_username(username: str) -> None:
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "a user name has 2 to 254 characters: lowercase letters, digits and . _ @ + -"
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")


def _hash(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def add_or_reset(conn, username: str, role: str, password: str, *, demo: bool = False) -> None:
    """Create the account, or give an existing one this role and password."""
    _check_role(role)
    queries.execute(
        conn,
        "accounts/upsert",
        username=username,
        role=role,
        password_hash=_hash(password),
        is_demo=demo,
    )


def add(
    conn, username: str, role: str, password: str | None, *, actor: str, actor_role=None
) -> None:
    """Create a new account; ``password=None`` makes a single-sign-on-only account.
    Audited (``actor_role``: the dashboard role of an admin acting from the Accounts page,
    None from the command line, as in every function below); the caller commits."""
    _check_username(username)
    _check_role(role)
    password_hash = NO_PASSWORD if password is None else _hash(password)
    created = queries.fetch_value(
        conn, "accounts/insert", username=username, role=role, password_hash=password_hash
    )
    if created is None:
        raise AccountError(f"account {username!r} exists already (use reset to change it)")
    sso_only = password is None
    audit(conn, actor, actor_role, "account_add", username, "ok", new_role=role, sso_only=sso_only)


def reset_password(conn, username: str, password: str, *, actor: str, actor_role=None) -> None:
    """Give an account a new password and clear its lock; its sessions end. Audited; the
    caller commits."""
    _changed(conn, "accounts/set_password", username, password_hash=_hash(password))
    ended = sessions.end_all(conn, username, "password_reset")
    audit(conn, actor, actor_role, "account_reset", username, "ok", sessions_ended=ended)


def set_disabled(conn, username: str, disabled: bool, *, actor: str, actor_role=None) -> None:
    """Disable or enable an account (never the last enabled admin); disabling ends its
    sessions. Audited; the caller commits."""
    with _keeping_an_admin():
        _changed(conn, "accounts/set_disabled", username, disabled=disabled)
    if disabled:
        ended = sessions.end_all(conn, username, "disabled")
        audit(conn, actor, actor_role, "account_disable", username, "ok", sessions_ended=ended)
    else:
        audit(conn, actor, actor_role, "account_enable", username, "ok")


def change_role(conn, username: str, role: str, *, actor: str, actor_role=None) -> None:
    """Give an account another role (never demoting the last enabled admin); a new role
    ends its sessions. Audited; the caller commits."""
    _check_role(role)
    with _keeping_an_admin():
        old_role = queries.fetch_value(conn, "accounts/set_role", username=username, role=role)
    if old_role is None:
        raise AccountError(f"no account {username!r}")
    ended = sessions.end_all(conn, username, "role_change") if old_role != role else 0
    detail = {"old_role": old_role, "new_role": role, "sessions_ended": ended}
    audit(conn, actor, actor_role, "account_role", username, "ok", **detail)


@contextmanager
def _keeping_an_admin():
    """The database's refusal to lose the last enabled admin, as an AccountError (the
    transaction is then aborted: the caller rolls back)."""
    try:
        yield
    except psycopg2.Error as error:
        if error.pgcode != LAST_ADMIN:
            raise
        raise AccountError(
            "this is the last enabled administrator: make another account an enabled "
            "administrator first"
        ) from error


def unlock(conn, username: str, *, actor: str, actor_role=None) -> None:
    """End a lock after failed sign-ins now. Audited; the caller commits."""
    _changed(conn, "accounts/unlock", username)
    audit(conn, actor, actor_role, "account_unlock", username, "ok")


def _changed(conn, query: str, username: str, **params) -> None:
    if queries.fetch_value(conn, query, username=username, **params) is None:
        raise AccountError(f"no account {username!r}")


def list_accounts(conn) -> list[tuple]:
    """(username, role, disabled, sso_only, is_demo, failed_attempts, locked_until,
    last_sign_in, created_at, password_set_at) for every account, by user name."""
    return queries.fetch_all(conn, "accounts/list")


def verify(conn, username: str, password: str) -> SignInResult:
    """Check a sign-in, count failures, lock after too many; audited. Commits."""
    account = _account(conn, username)
    if account is None:
        _matches(_DUMMY_HASH, password)
        result = SignInResult(False, reason="bad_credentials")
    elif (refused := _refused(account)) is not None:
        _matches(_DUMMY_HASH, password)  # as long as checking a password
        result = refused
    else:
        result = _check_password(conn, username, account, password)
    _audit_sign_in(conn, username, result, "password")
    return SignInResult(result.ok, result.role, result.reason, password_form=True)


def _check_password(conn, username: str, account: tuple, password: str) -> SignInResult:
    """The password against the account's hash; a failure counts towards the lock."""
    role, password_hash = account[1], account[2]
    if _matches(password_hash, password):
        queries.execute(conn, "accounts/record_success", username=username)
        return SignInResult(True, role)
    now_locked = queries.fetch_value(
        conn,
        "accounts/record_failure",
        username=username,
        limit=MAX_FAILURES,
        lock_minutes=LOCK_MINUTES,
    )
    if not now_locked:
        return SignInResult(False, role, "bad_credentials")
    # Someone is guessing this password: no browser stays signed in as the account.
    ended = sessions.end_all(conn, username, "locked")
    audit(conn, username, role, "sign_out", username, "locked", sessions_ended=ended)
    return SignInResult(False, role, "locked")


def verify_sso(
    conn, email: str, claimed_role: str | None = None, *, email_verified: bool = True
) -> SignInResult:
    """Admit a single-sign-on identity by its e-mail when it has an enabled, unlocked
    account; with ``claimed_role`` (the provider's role claim, when the deployment
    configures one) the account's role must also equal it. An e-mail the provider says
    it has not verified names no account. Audited. Commits."""
    username = normalize(email)
    account = _account(conn, username)
    if not email_verified:
        result = SignInResult(False, reason="email_unverified")
    elif account is None:
        result = SignInResult(False, reason="no_account")
    elif (refused := _refused(account)) is not None:
        result = refused
    elif claimed_role is not None and claimed_role != account[1]:
        result = SignInResult(False, account[1], "role_mismatch")
    else:
        queries.execute(conn, "accounts/record_success", username=username)
        result = SignInResult(True, account[1])
    _audit_sign_in(conn, username, result, "sso")
    return result


def _refused(account: tuple) -> SignInResult | None:
    """The refusal of a disabled or locked account, whatever the credentials; else None."""
    _name, role, _hash, disabled, _failures, _until, locked = account
    if disabled:
        return SignInResult(False, role, "disabled")
    return SignInResult(False, role, "locked") if locked else None


def _audit_sign_in(conn, username: str, result: SignInResult, method: str) -> None:
    outcome = "ok" if result.ok else result.reason
    audit(conn, _printable(username), result.role, "sign_in", None, outcome, method=method)
    conn.commit()


def _printable(text: str, limit: int = 256) -> str:
    """What a sign-in attempt typed, safe to store: no NUL bytes, bounded length."""
    return text.replace("\x00", "\ufffd")[:limit]


def _account(conn, username: str) -> tuple | None:
    """The account row, or None; a name no account could have is not looked up."""
    if not USERNAME.fullmatch(username):
        return None
    return queries.fetch_one(conn, "accounts/get", username=username)


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
