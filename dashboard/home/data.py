"""The Overview's figures, each for the period's last day (or the period) and the same
reference before it, indexed by ``period`` ("current", "previous")."""

from datetime import date

import pandas as pd

from dashboard import database
from dashboard.filters import Filters
from program.access import User


def census(user: User, day: date, ref_day: date) -> pd.DataFrame | None:
    """Active, capacity, pending and overdue on ``day`` and on ``ref_day``: computed for
    person-level roles, else the public census stored with the releases (None when a
    day is not stored)."""
    if user.sees_person_level:
        frame = database.query(user.role, "home/census_on", day=day, ref_day=ref_day)
    else:
        frame = database.query(user.role, "releases_read/census_two_days", day=day, ref_day=ref_day)
    return frame.set_index("period") if len(frame) == 2 else None


def contacts(role: str, f: Filters) -> pd.DataFrame:
    """Contacts, eligible contacts and diversions in the period and the one before."""
    prev_start, prev_end = f.previous
    frame = database.query(
        role,
        "home/contacts_two_periods",
        start=f.start,
        end=f.end,
        prev_start=prev_start,
        prev_end=prev_end,
        offenses=f.offenses,
    )
    return frame.set_index("period")


def trained_officers(role: str, day: date, ref_day: date) -> pd.DataFrame:
    """Active and trained officers and the target, on ``day`` and on ``ref_day``."""
    frame = database.query(role, "home/trained_officers", day=day, ref_day=ref_day)
    return frame.set_index("period")
