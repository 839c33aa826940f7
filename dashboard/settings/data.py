"""The Settings page's data: the settings in force, and a change with its audit row."""

from datetime import date

import pandas as pd

import accounts
import queries
from dashboard import database
from program import clock
from program.access import User


def in_force(user: User) -> pd.DataFrame:
    """Every setting's value in force today (Baltimore's date), its start and meaning."""
    return database.query(user.role, "settings/in_force", day=clock.today())


def change(user: User, key: str, value: float, effective_from: date) -> None:
    """Give ``key`` the value ``value`` from ``effective_from`` on, and audit it, in one
    transaction under the user's role: the change and its audit row land together or
    not at all. Cached results are forgotten, since figures may depend on it."""

    def write(conn) -> None:
        queries.execute(conn, "settings/set", key=key, value=value, effective_from=effective_from)
        accounts.audit(
            conn, user.username, user.role, "change_setting", key, "ok",
            value=value, effective_from=effective_from,
        )  # fmt: skip

    database.run_as(user.role, write)
    database.clear_cache()
