"""The exact figures of every release period, read as the schema owner.

Every figure comes from the project's aggregate SQL functions through
``queries/releases/*.sql`` (parameters only). Nothing here is suppressed: these are the
true values the protection works on, and they never reach a reader as they are.
"""

from dataclasses import dataclass, field
from datetime import date

import queries
from releases.periods import Period, release_periods

Window = tuple[date, date]

PER_WINDOW = {
    "referrals": "releases/referrals",
    "engagement_bins": "releases/engagement_bins",
    "engagement_quantiles": "releases/engagement_quantiles",
    "equity": "releases/equity",
    "flow": "releases/flow",
    "intake_delays": "releases/intake_delays",
    "recontact": "releases/recontact",
    "doors": "releases/doors",
    "door_outcomes": "releases/door_outcomes",
}
PER_DAY = {"caseloads": "releases/caseloads", "pending_ages": "releases/pending_ages"}
DIMENSIONS = ("race", "sex", "age")


@dataclass
class Exact:
    """True figures: by window (first_day, last_day), by last day, and pilot-wide."""

    pilot_start: date
    as_of: date
    periods: list[Period]
    threshold: int
    protection_level: int
    census: dict[date, dict]
    cohorts: list[dict]
    groups: dict[str, list[str]]
    by_window: dict[Window, dict[str, list[dict]]] = field(default_factory=dict)
    by_day: dict[date, dict[str, list[dict]]] = field(default_factory=dict)
    cost_window: int = 365  # days before and after intake (cost_window_days)
    cost: dict[int, list[dict]] = field(default_factory=dict)  # intake year -> before, after


def window(period: Period) -> Window:
    return (period.first_day, period.last_day)


def fetch(conn) -> Exact:
    """Every figure of every release of the data in the database."""
    pilot_start, as_of = queries.fetch_one(conn, "session/data_span")
    threshold, level, cost_window = queries.fetch_one(conn, "releases/settings", day=as_of)
    periods = release_periods(pilot_start, as_of)
    span = {"first_day": pilot_start, "last_day": as_of}
    exact = Exact(
        pilot_start,
        as_of,
        periods,
        threshold,
        level,
        census={r["day"]: r for r in records(conn, "releases/census_day", **span)},
        cohorts=records(conn, "releases/cohorts", **span),
        groups=_groups(records(conn, "releases/equity", **span)),
        cost_window=cost_window,
    )
    for year in range(pilot_start.year, as_of.year + 1):
        first = max(pilot_start, date(year, 1, 1))
        cohort = {"first_day": first, "last_day": date(year, 12, 31), "as_of": as_of}
        exact.cost[year] = records(conn, "releases/cost", **cohort)
    add_windows(conn, exact, [window(p) for p in periods])
    for day in dict.fromkeys(p.last_day for p in periods):
        exact.by_day[day] = {name: records(conn, query, day=day) for name, query in PER_DAY.items()}
    return exact


def add_windows(conn, exact: Exact, windows) -> None:
    """Fetch the figures of windows not fetched yet (releases, or atoms that are not)."""
    for first, last in dict.fromkeys(windows):
        if (first, last) not in exact.by_window:
            exact.by_window[(first, last)] = {
                name: records(conn, query, first_day=first, last_day=last)
                for name, query in PER_WINDOW.items()
            }


def records(conn, name: str, **params) -> list[dict]:
    """A query's rows as dicts of plain Python values."""
    return queries.fetch_df(conn, name, **params).to_dict("records")


def _groups(equity: list[dict]) -> dict[str, list[str]]:
    """Every group of each equity dimension in the pilot: the rows of every release."""
    return {d: sorted(r["grp"] for r in equity if r["dimension"] == d) for d in DIMENSIONS}
