"""Local dashboard accounts: argon2id password hashes, lockout after repeated failures."""

from accounts.store import (
    LOCK_MINUTES,
    MAX_FAILURES,
    SignInResult,
    add_or_reset,
    audit,
    verify,
)

__all__ = ["LOCK_MINUTES", "MAX_FAILURES", "SignInResult", "add_or_reset", "audit", "verify"]
