"""The Capacity page's data: settings, census, flows, caseloads and the simulated
forecast, each read as the user's role (``queries/capacity/*.sql``)."""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from dashboard import database, releases
from program import capacity as cap
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


# --- releases and the public census: what roles without person-level access read ------


def public_census(role: str, first: date, last: date) -> pd.DataFrame:
    """The stored public census (active, pending, overdue, capacity), day by day."""
    return database.query(role, "releases_read/census_days", first_day=first, last_day=last)


def public_flow(role: str, first: date, last: date) -> pd.DataFrame:
    """The stored public weekly flow (referrals to LEAD, intakes, exits) up to ``last``."""
    return database.query(role, "releases_read/census_weeks", first_day=first, last_day=last)


def days_at_capacity(census: pd.DataFrame, first: date, last: date) -> dict:
    """Days in ``first``..``last`` and those at or over capacity (as ``window`` says)."""
    days = census[(census.day >= first) & (census.day <= last)]
    return {"days": len(days), "days_at_capacity": int((days.active >= days.capacity).sum())}


def release_flow(role: str, release: releases.Release) -> dict:
    """Intakes and exits (public), medians of waits and stays as the release shows them:
    {"intakes": label, "exits": label, "median_wait": (value, label), "median_stay": ...}."""
    flow = releases.grid(releases.figure(role, release, "flow"))
    stats = releases.statistics(role, release)
    out = {c: flow.labels.at[releases.TOTAL, c] for c in ("intakes", "exits") if c in flow.labels}
    for name in MEDIANS:
        out[name] = releases.statistic(stats, name)
    return out


def release_caseloads(role: str, release: releases.Release, flag: int, breach: int):
    """Caseloads on the release's last day as stored (rows 'Case manager 1..n', never
    names), as the caseload table and the chart data of ``cap.caseload_view``."""
    grid = releases.grid(releases.figure(role, release, "caseloads"))
    if "active" not in grid.values:  # not published (a month before the first intake)
        return pd.DataFrame(), pd.DataFrame()
    rows = [r for r in grid.labels.index if r != releases.TOTAL]
    rows.sort(
        key=lambda r: (r == cap.NOT_ASSIGNED, int(r.rsplit(" ", 1)[-1]) if r[-1].isdigit() else 0)
    )
    values, labels = grid.values.active.reindex(rows), grid.labels.active.reindex(rows)
    wind = grid.labels.get("in_the_wind", pd.Series(dtype=object)).reindex(rows)
    status = [
        "" if who == cap.NOT_ASSIGNED or pd.isna(n) else cap.caseload_status(n, flag, breach)
        for who, n in zip(rows, values, strict=True)
    ]
    table = pd.DataFrame(
        {
            "Case manager": rows,
            "Active participants": labels.to_numpy(),
            "In the wind": wind.fillna(releases.NOT_PUBLISHED).to_numpy(),
            "Status": status,
        }
    )
    chart = pd.DataFrame(
        {
            "name": rows,
            "caseload": values.to_numpy(),
            "label": labels.to_numpy(),
            "status": [s or "Within guidance" for s in status],
        }
    )
    return table, chart


def release_table(role: str, release: releases.Release, name: str, row_name: str):
    """A small stored figure (waiting list by age, intakes by wait) as its labels; None
    when the release does not publish it."""
    grid = releases.grid(releases.figure(role, release, name))
    if not grid.published:
        return None
    return grid.table(row_name, cols={c: c.replace("_", " ") for c in grid.labels.columns})
