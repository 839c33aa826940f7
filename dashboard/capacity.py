"""Program capacity: figures, charts and the forecast for the Capacity page.

Program-wide operational totals (the census against capacity, open slots, pending and
overdue intakes, intakes and exits of the whole program) are shown as they are, for every
role: the daily census is published anyway and its day-to-day changes are the flows.
Caseloads break participants down by case manager: counts from 1 to the small-cell
threshold are hidden outside the person-level roles (``geo.privacy``). Medians of stays
and waits are shown only when they summarise more people than the threshold.
"""

from datetime import date, timedelta

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from dashboard import data
from dashboard.components import Tile, signed
from geo.privacy import suppress_counts
from program import forecast

DEFINITIONS = """
- **Active** on a day: intake on or before that day, and no exit, or an exit after it
  (someone who leaves on a day no longer counts on that day).
- **Pending intake**: referred on or before the day, no intake yet, and not closed.
  Pending for longer than the intake window ({window} days, a program setting) it is
  **overdue**.
- **Capacity**: the program setting in force on the day ({capacity} on {day:%d %b %Y});
  it can change from a given date, so the capacity line is drawn as steps.
- **Open slots**: capacity minus active, never below zero.
- **Length of stay**: days from intake to exit, of participants who left in the period.
- **Referral → intake**: days from referral to intake, of intakes in the period.
- **Caseload**: active participants assigned to a case manager. Above {flag} a caseload is
  flagged; above {breach} it breaches the national LEAD guidance (typically 12–20 per
  case manager, never above 25).
"""
LOOKBACK_DAYS = (90, 180, 365)
COLORS = {"Active": "#2b6cb0", "Pending intake": "#dd8452", "Capacity": "#c0392b"}
STATUS_COLORS = {"Within guidance": "#2b6cb0", "Flagged": "#e6a23c", "Breach": "#c0392b"}
NOT_ASSIGNED = "Not assigned"
MEDIANS = ("median_stay", "median_wait")
WITHOUT = "Active without the what-if"
HIDDEN = "hidden"


def definitions(settings, day: date) -> str:
    """The definitions in plain words, with the settings in force on ``day``."""
    return DEFINITIONS.format(
        window=settings.intake_window_days,
        capacity=settings.capacity,
        day=day,
        flag=settings.caseload_flag,
        breach=settings.caseload_breach,
    )


def period_of(as_of: date, days: int, first_day: date) -> tuple[date, date]:
    """The sidebar period's length, ending on the as-of date (not before the pilot)."""
    return max(first_day, as_of - timedelta(days=days - 1)), as_of


def open_slots(active: int, capacity: int) -> int:
    return max(capacity - active, 0)


def window(role: str, start: date, end: date) -> dict:
    """Flow figures over a window (``queries/capacity/window.sql``): counts as int, medians
    as float or None."""
    row = data.query(role, "capacity/window", start=start, end=end).iloc[0]
    figures = {k: int(v) for k, v in row.items() if not k.startswith("median")}
    figures.update({k: None if pd.isna(row[k]) else float(row[k]) for k in MEDIANS})
    return figures


def headline(census: pd.DataFrame, ref_day: date, period: dict, intake_window: int) -> list[Tile]:
    """Open slots, pending and overdue intakes on the last day of ``census`` (changes since
    ``ref_day``), and days at or over capacity in the period and pilot to date."""
    now = census.iloc[-1]
    earlier = census[census.day == ref_day]
    before = None if earlier.empty else earlier.iloc[0]
    slots = open_slots(int(now.active), int(now.capacity))

    def change(figure):
        return None if before is None else int(figure(now) - figure(before))

    pilot_full = int((census.active >= census.capacity).sum())
    return [
        Tile(
            "Open slots",
            f"{slots}",
            f"{now.active} active of {now.capacity} places",
            change=change(lambda r: open_slots(int(r.active), int(r.capacity))),
            better="neither",
        ),
        Tile(
            "Pending intakes",
            f"{now.pending}",
            "referred, waiting for intake",
            change=change(lambda r: r.pending),
            better="neither",
        ),
        Tile(
            "Overdue intakes",
            f"{now.overdue}",
            f"Target 0 · pending over {intake_window} days",
            change=change(lambda r: r.overdue),
            better="lower",
        ),
        Tile(
            "Days at capacity",
            f"{period['days_at_capacity']} of {period['days']}",
            f"pilot to date: {pilot_full} of {len(census)} days",
            better="neither",
            help="Days with as many active participants as the capacity in force, or more.",
        ),
    ]


def medians(period: dict, pilot: dict, threshold: int, label: str) -> list[Tile]:
    """Median length of stay and days referral → intake, in the period and pilot to date."""

    def tile(title: str, median: str, people: str, what: str, help_: str) -> Tile:
        value = median_text(period[median], period[people], threshold)
        too_few = " (too few for a median)" if value == HIDDEN else ""
        overall = median_text(pilot[median], pilot[people], threshold)
        return Tile(
            title,
            value,
            f"{period[people]} {what}{too_few}, {label} · pilot to date: {overall} "
            f"({pilot[people]} {what})",
            better="neither",
            help=help_,
        )

    return [
        tile(
            "Median length of stay",
            "median_stay",
            "exits",
            "exits",
            "Days from intake to exit, of participants who left in the period.",
        ),
        tile(
            "Median days referral → intake",
            "median_wait",
            "intakes",
            "intakes",
            "Days from referral to intake, of intakes in the period.",
        ),
    ]


def occupancy_color(active: int, capacity: int) -> str:
    if active >= capacity:
        return "#c0392b"
    return "#e6a23c" if active >= 0.9 * capacity else "#2b6cb0"


def gauge(active: int, capacity: int, title: str) -> alt.LayerChart:
    """A half-circle gauge: the active census filled against the capacity, the figure in
    its middle. Sizes follow the chart's width, so the gauge fits narrow columns."""
    top = max(active, capacity)
    parts = pd.DataFrame({"part": ["Active", "Open"], "value": [active, top - active]})
    radius = "min(width / 2, height) - 4"
    arc = (
        alt.Chart(parts)
        .mark_arc(
            x=alt.expr("width / 2"),
            y=alt.expr("height"),
            outerRadius=alt.expr(radius),
            innerRadius=alt.expr(f"0.62 * ({radius})"),
        )
        .encode(
            theta=alt.Theta(
                "value:Q", stack=True, scale=alt.Scale(domain=[0, top], range=[-1.5708, 1.5708])
            ),
            color=alt.Color(
                "part:N",
                scale=alt.Scale(
                    domain=["Active", "Open"], range=[occupancy_color(active, capacity), "#e5e7eb"]
                ),
                legend=None,
            ),
            order=alt.Order("part:N"),
            tooltip=[alt.Tooltip("part:N", title=""), alt.Tooltip("value:Q", title="People")],
        )
    )
    number = alt.Chart(pd.DataFrame({"t": [f"{active} / {capacity}"]})).mark_text(
        fontSize=34, fontWeight="bold", x=alt.expr("width / 2"), y=alt.expr("height - 26")
    )
    label = alt.Chart(pd.DataFrame({"t": ["active / capacity"]})).mark_text(
        fontSize=13, x=alt.expr("width / 2"), y=alt.expr("height - 4")
    )
    return (arc + number.encode(text="t:N") + label.encode(text="t:N")).properties(
        height=190, title=alt.Title(title, anchor="middle")
    )


def census_chart(census: pd.DataFrame, period: str) -> alt.LayerChart:
    """Daily active and pending counts, with the capacity in force as a step line."""
    frame = census.assign(day=pd.to_datetime(census.day))
    people = frame.melt("day", ["active", "pending"], "series", "people").replace(
        {"series": {"active": "Active", "pending": "Pending intake"}}
    )
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(COLORS), range=list(COLORS.values())),
        legend=alt.Legend(orient="top"),
    )
    x = alt.X("day:T", title="Day")
    lines = (
        alt.Chart(people)
        .mark_line(strokeWidth=1.5)
        .encode(
            x=x,
            y=alt.Y("people:Q", title="Participants (people)"),
            color=color,
            tooltip=[
                alt.Tooltip("day:T", title="Day"),
                "series:N",
                alt.Tooltip("people:Q", title="People"),
            ],
        )
    )
    cap = (
        alt.Chart(frame.assign(series="Capacity"))
        .mark_line(interpolate="step-after", strokeDash=[6, 3], strokeWidth=2)
        .encode(
            x=x, y="capacity:Q", color=color, tooltip=[alt.Tooltip("capacity:Q", title="Capacity")]
        )
    )
    return (lines + cap).properties(
        height=320, title=alt.Title("Daily census against capacity", subtitle=period)
    )


def flow_chart(weekly: pd.DataFrame, period: str) -> alt.Chart:
    """Intakes above the axis and exits below it, per week."""
    frame = weekly.assign(week=pd.to_datetime(weekly.week))
    long = pd.concat(
        [frame.assign(kind="Intakes", n=frame.intakes), frame.assign(kind="Exits", n=-frame.exits)]
    )
    return (
        alt.Chart(long)
        .mark_bar(width={"band": 0.9})
        .encode(
            x=alt.X("week:T", title="Week (starting Monday)"),
            y=alt.Y("n:Q", title="People per week"),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=["Intakes", "Exits"], range=["#2b6cb0", "#8c8c8c"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("week:T", title="Week of"),
                alt.Tooltip("intakes:Q", title="Intakes"),
                alt.Tooltip("exits:Q", title="Exits"),
                alt.Tooltip("days:Q", title="Days counted"),
            ],
        )
        .properties(
            height=300,
            title=alt.Title(
                "Intakes and exits per week", subtitle=f"{period}; exits drawn below zero"
            ),
        )
    )


def median_text(value: float | None, people: int, threshold: int) -> str:
    """A median in days; "hidden" when it summarises ``threshold`` people or fewer."""
    if people == 0 or value is None or pd.isna(value):
        return "–"
    if people <= threshold:
        return HIDDEN
    return f"{value:g} days"


def caseload_status(caseload: int, flag: int, breach: int) -> str:
    if caseload > breach:
        return "Breach"
    return "Flagged" if caseload > flag else "Within guidance"


def caseload_view(caseloads: pd.DataFrame, flag: int, breach: int, threshold: int):
    """The caseload table as shown to the role, and the same figures for the chart (hidden
    caseloads as NaN)."""
    frame = caseloads.assign(name=caseloads.case_manager.fillna(NOT_ASSIGNED))
    shown, mask = suppress_counts(frame, ["caseload"], threshold)
    status = [
        "" if who == NOT_ASSIGNED else caseload_status(n, flag, breach)
        for who, n in zip(frame.name, frame.caseload, strict=True)
    ]
    table = pd.DataFrame(
        {
            "Case manager": frame.name,
            "Active participants": shown.caseload,
            "Status": status,
            "Organization": frame.organization.fillna(""),
        }
    )
    chart_data = pd.DataFrame(
        {
            "name": frame.name,
            "caseload": frame.caseload.where(~mask.caseload),
            "label": shown.caseload,
            "status": [s or "Within guidance" for s in status],
        }
    )
    return table, chart_data


def caseload_chart(chart_data: pd.DataFrame, flag: int, breach: int, day: date) -> alt.LayerChart:
    """Bars per case manager coloured by status, dashed lines at the flag and breach
    levels; a hidden caseload has no bar, only its label."""
    y = alt.Y("name:N", title=None, sort=list(chart_data.name))
    x = alt.X("caseload:Q", title="Active participants (people)")
    bars = (
        alt.Chart(chart_data.dropna(subset=["caseload"]))
        .mark_bar()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
                legend=alt.Legend(orient="top"),
            ),
        )
    )
    labels = (
        alt.Chart(chart_data.fillna({"caseload": 0}))
        .mark_text(align="left", dx=4)
        .encode(x=x, y=y, text="label:N")
    )
    limits = alt.Chart(pd.DataFrame({"caseload": [flag, breach]})).mark_rule(
        strokeDash=[4, 3], color="#555"
    )
    return (bars + labels + limits.encode(x=x)).properties(
        height=150 + 30 * len(chart_data),
        title=alt.Title(
            "Caseload per case manager",
            subtitle=f"on {day:%d %b %Y}; dashed lines: flag above {flag}, breach above {breach}",
        ),
    )


def forecast_inputs(
    role: str, day: date, lookback: int
) -> tuple[forecast.Start, forecast.Rates | None]:
    """The census and waiting list on ``day``, the capacity ahead, and recent rates."""
    first = day - timedelta(days=lookback - 1)
    window = data.query(role, "capacity/window", start=first, end=day).iloc[0]
    delays = data.query(role, "capacity/intake_delays", start=first, end=day)
    ages = data.query(role, "capacity/pending_ages", day=day)
    now = data.query(role, "capacity/census", start=day, end=day).iloc[0]
    ahead = data.query(
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


@st.cache_data(ttl=data.RESULT_TTL_S, max_entries=32, show_spinner="Simulating 500 runs…")
def projection(role: str, day: date, lookback: int, extra: int):
    """The simulated projection (None without intakes to learn delays from) and its rates."""
    start, rates = forecast_inputs(role, day, lookback)
    if rates is None:
        return None, None
    return forecast.simulate(start, rates, extra_per_month=extra), rates


def parameters(rates: forecast.Rates, extra: int, first: date, day: date) -> pd.DataFrame:
    """The simulation's inputs, in words, for the method note."""
    delays = (
        "intakes that did not wait at a full program"
        if rates.delays_exclude_full
        else ("all intakes (too few never waited at a full program)")
    )
    stay = "no exits seen" if rates.exit_rate == 0 else f"mean stay {rates.mean_stay_days:.0f} days"
    rows = [
        ("Recent rates from", f"{first:%d %b %Y} – {day:%d %b %Y}"),
        ("Referrals per month", f"{rates.referrals_per_day * forecast.DAYS_PER_MONTH:.1f}"),
        ("What-if referrals per month", f"+{extra}"),
        (
            "Intake delay drawn from",
            f"{len(rates.delays)} {delays}; median {np.median(rates.delays):.0f} days",
        ),
        (
            "Exits per 100 participant-months",
            f"{100 * rates.exit_rate * forecast.DAYS_PER_MONTH:.1f} ({stay})",
        ),
        (
            "Closures before intake per 100 waiting-months",
            f"{100 * rates.closure_rate * forecast.DAYS_PER_MONTH:.1f}",
        ),
        (
            "Runs · seed · horizon",
            f"{forecast.RUNS} · {forecast.SEED} · {forecast.HORIZON_DAYS} days",
        ),
    ]
    return pd.DataFrame(rows, columns=["Parameter", "Value"])


def outlook(result: forecast.Projection, full_now: bool) -> list[str]:
    """Plain sentences: when the cap binds, or the waiting list and wait when full."""
    band = result.band()
    sentences = []
    if full_now:
        sentences.append(
            f"The program is **full** on {result.start.day:%d %b %Y}: "
            "no date to reach capacity, the forecast is of the waiting list."
        )
    else:
        share, median, low, high = result.reaches_capacity()
        if median is None:
            sentences.append(
                f"In {share:.0%} of runs the census reaches capacity within a year: "
                "at these rates **the cap is not expected to bind** in the next "
                f"{forecast.HORIZON_DAYS} days."
            )
        else:
            upper = f"{high:%d %b %Y}" if high else "beyond a year"
            sentences.append(
                f"At these rates the census reaches capacity around **{median:%d %b %Y}** "
                f"(10–90% of runs: {low:%d %b %Y} – {upper}; within a year in {share:.0%})."
            )
    for days in (30, 90):
        row = band.iloc[days - 1]
        sentences.append(
            f"In {days} days: **{row.active_median:.0f}** active "
            f"({row.active_low:.0f}–{row.active_high:.0f}) and "
            f"**{row.pending_median:.0f}** waiting for intake "
            f"({row.pending_low:.0f}–{row.pending_high:.0f})."
        )
    wait = result.wait_days()
    if wait:
        sentences.append(
            f"A referral made in the next {forecast.WAIT_COHORT_DAYS} days waits a median "
            f"**{wait[0]:.0f} days** for intake (10–90%: {wait[1]:.0f}–{wait[2]:.0f}); "
            f"{result.closed_share:.0%} are closed before intake."
        )
    return sentences


def projection_chart(
    result: forecast.Projection, baseline: forecast.Projection | None, extra: int
) -> alt.LayerChart:
    """Median and 10–90% band of the projected census and waiting list, the capacity as
    steps, and (for a what-if) the median census without the extra referrals."""
    band = result.band()
    series = {**COLORS, WITHOUT: "#888888"} if baseline is not None else COLORS
    x = alt.X("day:T", title="Day")
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(series), range=list(series.values())),
        legend=alt.Legend(orient="top"),
    )
    steps = alt.Chart(band.assign(series="Capacity")).mark_line(
        interpolate="step-after", strokeDash=[6, 3], strokeWidth=2
    )
    layers = [steps.encode(x=x, y=alt.Y("capacity:Q", title="Participants (people)"), color=color)]
    if baseline is not None:
        base = alt.Chart(baseline.band().assign(series=WITHOUT)).mark_line(strokeDash=[2, 2])
        layers.append(base.encode(x=x, y="active_median:Q", color=color))
    for name, label in (("active", "Active"), ("pending", "Pending intake")):
        part = alt.Chart(band.assign(series=label))
        layers.append(
            part.mark_area(opacity=0.2, color=COLORS[label]).encode(
                x=x, y=f"{name}_low:Q", y2=f"{name}_high:Q"
            )
        )
        layers.append(
            part.mark_line().encode(
                x=x,
                y=f"{name}_median:Q",
                color=color,
                tooltip=[
                    alt.Tooltip("day:T", title="Day"),
                    alt.Tooltip(f"{name}_median:Q", title=f"{label}: median"),
                    alt.Tooltip(f"{name}_low:Q", title="10% of runs"),
                    alt.Tooltip(f"{name}_high:Q", title="90% of runs"),
                ],
            )
        )
    scenario = f"with {signed(extra)} referrals a month" if extra else "at recent rates"
    first, last = band.day.iloc[0], band.day.iloc[-1]
    return alt.layer(*layers).properties(
        height=340,
        title=alt.Title(
            f"Projected census {scenario}",
            subtitle=f"{first:%d %b %Y} – {last:%d %b %Y}; lines: median of {forecast.RUNS} "
            "runs, bands: 10–90% of runs",
        ),
    )
