"""The Capacity page's data: settings, census, flows, caseloads and the simulated
forecast, each read as the user's role (``queries/capacity/*.sql``)."""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import database
from program import forecast

MEDIANS = ("median_stay", "median_wait")


def settings(role: str, day: date) -> pd.Series:
    """Capacity, intake window, caseload flag and breach in force on ``day``."""
    return database.query(role, "capacity/settings_on", day=day).iloc[0]


def census(role: str, start: date, end: date) -> pd.DataFrame:
    """Active, pending, overdue and the capacity, day by day."""
    return database.query(role, "capacity/census", start=start, end=end)


def weekly_flow(role: str, start: date, end: date) -> pd.DataFrame:
    return database.query(role, "capacity/weekly_flow", start=start, end=end)


def caseloads(role: str, day: date) -> pd.DataFrame:
    """Active participants per case manager on ``day`` (and those without one)."""
    return database.query(role, "capacity/caseloads", day=day)


def window(role: str, start: date, end: date) -> dict:
    """Flow figures over a window (``queries/capacity/window.sql``): counts as int, medians
    as float or None."""
    row = database.query(role, "capacity/window", start=start, end=end).iloc[0]
    figures = {k: int(v) for k, v in row.items() if not k.startswith("median")}
    figures.update({k: None if pd.isna(row[k]) else float(row[k]) for k in MEDIANS})
    return figures


def forecast_inputs(
    role: str, day: date, lookback: int
) -> tuple[forecast.Start, forecast.Rates | None]:
    """The census and waiting list on ``day``, the capacity ahead, and recent rates."""
    first = day - timedelta(days=lookback - 1)
    window = database.query(role, "capacity/window", start=first, end=day).iloc[0]
    delays = database.query(role, "capacity/intake_delays", start=first, end=day)
    ages = database.query(role, "capacity/pending_ages", day=day)
    now = database.query(role, "capacity/census", start=day, end=day).iloc[0]
    ahead = database.query(
        role,
        "capacity/capacity_ahead",
        start=day + timedelta(days=1),
        end=day + timedelta(days=forecast.HORIZON_DAYS),
    )
    start = forecast.Start(
        day=day,
        active=int(now.active),
        pending_ages=np.repeat(ages.age_days.to_numpy(int), ages.pending.to_numpy(int)),
        capacity=ahead.capacity.to_numpy(int),
    )
    return start, forecast.estimate(window, delays)


@database.cached(max_entries=32, show_spinner="Simulating 500 runs…")
def projection(role: str, day: date, lookback: int, extra: int):
    """The simulated projection (None without intakes to learn delays from) and its rates."""
    start, rates = forecast_inputs(role, day, lookback)
    if rates is None:
        return None, None
    return forecast.simulate(start, rates, extra_per_month=extra), rates
