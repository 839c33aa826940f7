"""The Overview's figures, each for the period's last day (or the period) and the same
reference before it, indexed by ``period`` ("current", "previous")."""

from datetime import date, timedelta

import pandas as pd

from dashboard import database
from dashboard.filters import Filters
from program.access import User
from program.capacity import open_slots

TREND_MONTHS = 12


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


def month_ends(end: date, count: int = TREND_MONTHS) -> tuple[date, ...]:
    """The last days of the ``count`` complete calendar months up to ``end`` (``end``'s
    own month when ``end`` is its last day), oldest first."""
    last = end if (end + timedelta(days=1)).day == 1 else end.replace(day=1) - timedelta(days=1)
    days = [last]
    while len(days) < count:
        days.append(days[-1].replace(day=1) - timedelta(days=1))
    return tuple(reversed(days))


def trends(user: User, f: Filters) -> dict[str, tuple[float, ...]]:
    """Each Overview tile's 12-month trend, by tile label: month-end values for the
    census and trained officers (the public census of the releases for roles that do not
    see person-level figures; months without one are left out), monthly totals for
    contacts and diversions (the offence filter applies)."""
    days = month_ends(f.end)
    if user.sees_person_level:
        census = database.query(user.role, "home/census_month_ends", days=days)
    else:
        census = database.query(user.role, "releases_read/census_on_days", days=days)
    months = [day.replace(day=1) for day in days]
    monthly = database.query(
        user.role, "home/contacts_monthly", start=months[0], end=days[-1], offenses=f.offenses
    )
    monthly = monthly.set_index("month").reindex(months, fill_value=0)
    officers = database.query(user.role, "home/trained_on_days", days=days)
    return {
        "Active participants": tuple(census.active),
        "Open slots": tuple(
            open_slots(int(r.active), int(r.capacity)) for r in census.itertuples()
        ),
        "Overdue intakes": tuple(census.overdue),
        "Contacts": tuple(monthly.contacts),
        "Diversions": tuple(monthly.diverted),
        "Eligible contacts diverted": tuple(
            round(100 * r.diverted / r.eligible) if r.eligible else 0 for r in monthly.itertuples()
        ),
        "LEAD-trained officers": tuple(officers.trained_officers),
    }
