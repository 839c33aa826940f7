"""Charts of the Capacity page (altair): the gauge, the census and flow, caseloads and
the projection. Hidden caseloads arrive as NaN and get no bar, only their label."""

from datetime import date

import altair as alt
import pandas as pd

from dashboard.components import signed
from dashboard.vega import unvalidated
from program import forecast

COLORS = {"Active": "#2b6cb0", "Pending intake": "#dd8452", "Capacity": "#c0392b"}
STATUS_COLORS = {"Within guidance": "#2b6cb0", "Flagged": "#e6a23c", "Breach": "#c0392b"}
WITHOUT = "Active without the what-if"


def occupancy_color(active: int, capacity: int) -> str:
    if active >= capacity:
        return "#c0392b"
    return "#e6a23c" if active >= 0.9 * capacity else "#2b6cb0"


@unvalidated
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
    return (
        arc + number.encode(text=alt.Text("t:N")) + label.encode(text=alt.Text("t:N"))
    ).properties(height=190, title=alt.Title(title, anchor="middle"))


@unvalidated
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
                alt.Tooltip("series:N"),
                alt.Tooltip("people:Q", title="People"),
            ],
        )
    )
    cap = (
        alt.Chart(frame.assign(series="Capacity"))
        .mark_line(interpolate="step-after", strokeDash=[6, 3], strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("capacity:Q"),
            color=color,
            tooltip=[alt.Tooltip("capacity:Q", title="Capacity")],
        )
    )
    return (lines + cap).properties(
        height=320, title=alt.Title("Daily census against capacity", subtitle=period)
    )


@unvalidated
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


@unvalidated
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
        .encode(x=x, y=y, text=alt.Text("label:N"))
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


@unvalidated
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
        layers.append(base.encode(x=x, y=alt.Y("active_median:Q"), color=color))
    for name, label in (("active", "Active"), ("pending", "Pending intake")):
        part = alt.Chart(band.assign(series=label))
        layers.append(
            part.mark_area(opacity=0.2, color=COLORS[label]).encode(
                x=x, y=alt.Y(f"{name}_low:Q"), y2=alt.Y2(f"{name}_high:Q")
            )
        )
        layers.append(
            part.mark_line().encode(
                x=x,
                y=alt.Y(f"{name}_median:Q"),
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
