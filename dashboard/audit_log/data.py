"""The Audit log page's data: searches of the append-only log, read fresh (not cached):
the log grows as one looks at it."""

from datetime import date

import pandas as pd

from dashboard import database
from program.access import User

SEARCH_LIMIT = 1000


def search(
    user: User,
    *,
    start: date,
    end: date,
    actor: str = "",
    actions: tuple[str, ...] = (),
    outcomes: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Audit rows from ``start`` to ``end`` (Baltimore dates, inclusive), newest first,
    at most ``SEARCH_LIMIT``; ``actor`` matches part of the user name, empty
    ``actions``/``outcomes`` match all. Column ``matched`` holds the number of rows
    matching in all."""
    return database.query_fresh(
        user.role,
        "audit/search",
        start=start,
        end=end,
        actor=actor.replace("\x00", "").strip(),
        actions=list(actions),
        outcomes=list(outcomes),
        limit=SEARCH_LIMIT,
    )


def choices(user: User) -> pd.DataFrame:
    """Every (action, outcome) pair in the log, for the search filters."""
    return database.query_fresh(user.role, "audit/choices")
