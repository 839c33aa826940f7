"""The legal clock page's data: the person-level due list, or the liaison's slice."""

from datetime import date

import pandas as pd

from dashboard import database
from program.access import User

STATUS_ORDER = {"overdue": 0, "pending": 1, "met": 2}


def due_list(user: User, start: date, end: date) -> pd.DataFrame:
    """Arrest diversions whose clock ran during ``start``..``end``, as of ``end``
    (case managers and admins): overdue first, then pending, then met, each by deadline."""
    due = database.query(user.role, "legal_clock/due_list", start=start, end=end)
    rank = due.status.map(STATUS_ORDER)
    return due.assign(rank=rank).sort_values(["rank", "deadline"]).drop(columns="rank")


def liaison(user: User) -> pd.DataFrame:
    """Consenting people's case reference, deadline and intake-by-deadline answer, as of
    today (the prosecutor liaison)."""
    return database.query(user.role, "legal_clock/liaison")
