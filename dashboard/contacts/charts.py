"""Altair charts of the contacts map page. Hidden (suppressed) values arrive as NaN
and are drawn as grey "<11" slots, never as their value."""

import altair as alt
import pandas as pd

from dashboard.vega import unvalidated

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
DECISION_ORDER = ["diverted", "declined", "ineligible", "arrested", "released"]
DECISION_RANGE = ["#1b9e77", "#7570b3", "#787878", "#d95f02", "#1f78b4"]
WEEK_AXIS = alt.Axis(format="%d %b %Y", tickCount="week", labelAngle=0)


@unvalidated
def hour_weekday(grid: pd.DataFrame, shown: pd.Series, period: str) -> alt.LayerChart:
    """Heat grid of contacts by hour of day (x) and weekday (y); hidden slots in grey."""
    frame = grid.assign(
        day=grid["weekday"].map(lambda d: WEEKDAYS[d - 1]),
        shown=shown.values,
        hidden=grid["contacts"].isna(),
    )
    base = alt.Chart(frame, title=f"Contacts by hour and weekday, {period}").encode(
        x=alt.X("hour:O", title="Hour of day (Baltimore time)"),
        y=alt.Y("day:O", sort=WEEKDAYS, title="Weekday"),
        tooltip=[
            alt.Tooltip("day:N", title="Weekday"),
            alt.Tooltip("hour:O", title="Hour"),
            alt.Tooltip("shown:N", title="Contacts"),
        ],
    )
    counted = (
        base.transform_filter("!datum.hidden")
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(
            color=alt.Color(
                "contacts:Q",
                title="Contacts",
                scale=alt.Scale(scheme="oranges", domain=[0, max(1.0, grid["contacts"].max())]),
            )
        )
    )
    hidden = base.transform_filter("datum.hidden").mark_rect(
        color="#bdbdbd", stroke="white", strokeWidth=0.5
    )
    return (counted + hidden).properties(height=230)


@unvalidated
def weekly_trend(weeks: pd.DataFrame, period: str) -> alt.Chart:
    """Contacts and diversions per week (weeks start on Monday)."""
    long = weeks.melt(
        id_vars="week", value_vars=["contacts", "diverted"], var_name="series", value_name="count"
    )
    long["series"] = long["series"].map({"contacts": "Contacts", "diverted": "Diverted"})
    return (
        alt.Chart(long, title=f"Contacts and diversions per week, {period}")
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title="Week starting (Monday)", axis=WEEK_AXIS),
            y=alt.Y("count:Q", title="Contacts per week"),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=["Contacts", "Diverted"], range=["#d95f02", "#1b9e77"]),
            ),
            tooltip=[
                alt.Tooltip("week:T", title="Week of"),
                alt.Tooltip("series:N"),
                alt.Tooltip("count:Q", title="Count"),
            ],
        )
        .properties(height=230)
    )


@unvalidated
def cell_over_time(detail: pd.DataFrame, where: str, period: str) -> alt.Chart:
    """One cell's contacts per week, stacked by decision, one panel per offence."""
    weeks = sorted(detail["week"].unique())
    frame = detail.assign(week_of=pd.to_datetime(detail["week"]).dt.strftime("%d %b %Y"))
    order = [pd.Timestamp(w).strftime("%d %b %Y") for w in weeks]
    return (
        alt.Chart(frame, title=f"Contacts {where}, by week and decision, {period}")
        .mark_bar()
        .encode(
            x=alt.X(
                "week_of:O", title="Week starting (Monday)", sort=order, axis=alt.Axis(labelAngle=0)
            ),  # fmt: skip
            y=alt.Y("sum(contacts):Q", title="Contacts per week"),
            color=alt.Color(
                "decision:N",
                title="Decision",
                scale=alt.Scale(domain=DECISION_ORDER, range=DECISION_RANGE),
            ),
            row=alt.Row("offense:N", title="Offence"),
            tooltip=[
                alt.Tooltip("week_of:O", title="Week of"),
                alt.Tooltip("offense:N", title="Offence"),
                alt.Tooltip("decision:N", title="Decision"),
                alt.Tooltip("sum(contacts):Q", title="Contacts"),
            ],
        )
        .properties(height=110)
    )
