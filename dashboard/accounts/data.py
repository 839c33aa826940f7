"""The Accounts page's data: every account without its password hash, read fresh, and
the changes an admin makes: add, change role, disable or enable, reset the password,
unlock. Each change runs ``accounts`` (the functions ``python -m accounts`` runs) in one
transaction under the admin's own database role, with its audit row; the database
refuses to lose the last enabled admin (``accounts.AccountError`` says so)."""

import pandas as pd

import accounts
from dashboard import database
from program.access import User


def accounts_list(user: User) -> pd.DataFrame:
    """Accounts as ``queries/accounts/list.sql`` lists them (admins only, by grant)."""
    return database.query_fresh(user.role, "accounts/list")


def add(user: User, username: str, role: str, password: str | None) -> str:
    """Create an account (``password`` None: single sign-on only); its user name."""
    name = accounts.normalize(username)
    _as_admin(user, accounts.add, name, role, password)
    return name


def change_role(user: User, username: str, role: str) -> None:
    _as_admin(user, accounts.change_role, username, role)


def set_disabled(user: User, username: str, disabled: bool) -> None:
    _as_admin(user, accounts.set_disabled, username, disabled)


def reset_password(user: User, username: str, password: str) -> None:
    _as_admin(user, accounts.reset_password, username, password)


def unlock(user: User, username: str) -> None:
    _as_admin(user, accounts.unlock, username)


def _as_admin(user: User, change, *args) -> None:
    """``change(conn, *args)`` as the user's role, audited in the user's name."""
    database.run_as(
        user.role, lambda conn: change(conn, *args, actor=user.username, actor_role=user.role)
    )
