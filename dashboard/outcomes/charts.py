"""Charts of the Referral outcomes page (altair), drawn from the figures shown to the
role: hidden figures are left out, never drawn. Every chart carries its title, the period
as subtitle, and axis titles with units."""

from datetime import date

import altair as alt
import numpy as np
import pandas as pd

from dashboard.vega import unvalidated
from program.outcomes import (
    OUTCOME_LABELS,
    SERVICE_LABELS,
    STATUSES,
    Table,
    funnel_stages,
)

NO_REFERRAL = "No service referral was made in this period."
NO_ENGAGED = "No referral reached engagement in this period."
NO_RECONTACT = (
    "No one here has a new police contact, or no one has been followed up long enough yet."
)
EQUITY_MISSING = (
    "No eligible contact was diverted in this period.",
    "No participant with an intake in this period engaged with a service.",
)


def drawn(table: Table, totals: bool = True) -> np.ndarray:
    """The counts a chart of ``table`` draws, hidden ones NaN: its rows' cells, with the
    row totals when the chart draws a row's hidden part from them (:func:`stacked`)."""
    cells = np.where(table.hidden, np.nan, table.values.astype(float))[:-1]
    return cells if totals else cells[:, :-1]


def referral_charts(tables: dict, by: str, period: str, end: date) -> dict:
    return {
        "by_service": stacked(
            tables["by_service"],
            f"Service referrals per {by} by service",
            period,
            "Referrals made (count)",
        ),
        "by_outcome": stacked(
            tables["by_outcome"],
            f"Outcome of each {by}'s referrals",
            f"{period}; outcomes as known on {end:%d %b %Y}",
            f"Share of the {by}'s referrals (%)",
            share=True,
        ),
        "funnel": grouped(
            funnel_stages(tables["funnel"]),
            "Service",
            "Stage",
            "referrals",
            "Funnel per service: referred → engaged → completed",
            period,
            "Referrals (count)",
        ),
    }


def timing_chart(timing: Table, period: str):
    bins = timing.long().rename(columns={"part": "Days"})
    return grouped(
        bins[~bins.Days.str.startswith("Hidden")],
        "Days",
        "Service",
        "count",
        "Days from referral to engagement, by service",
        f"referrals made {period}",
        "Referrals (count)",
        domain=timing.names,
    )


def cohort_chart(cohort: Table, by: str, months: int, period: str):
    return stacked(
        cohort,
        f"Where each intake-{by} cohort stood {months} months after intake",
        f"intakes {period}",
        "Share of the cohort (%)",
        share=True,
    )


def recontact_chart(frame: pd.DataFrame, period: str):
    return rate_chart(
        frame,
        "Group",
        "Within",
        "Share with a new police contact after diversion or declining it",
        f"index days {period}",
        "People with a new contact (%)",
    )


def equity_charts(diversion, engagement, dimension: str, period: str) -> tuple:
    return (
        rate_chart(
            diversion,
            "grp",
            None,
            f"Eligible contacts diverted, by {dimension}",
            period,
            "Diverted (% of eligible contacts)",
        ),
        rate_chart(
            engagement,
            "grp",
            None,
            f"Participants engaged with a service, by {dimension}",
            f"intakes {period}",
            "Engaged (% of participants)",
        ),
    )


def _title(title: str, period: str) -> alt.Title:
    return alt.Title(title, subtitle=period, anchor="start")


@unvalidated
def stacked(table: Table, title: str, period: str, y_title: str, share: bool = False):
    """Stacked bars of a table's inner cells per row label, coloured by column; the
    hidden part of a row in grey; a row whose total is hidden has no bar."""
    long, x = table.long(), table.row_name
    parts = sorted(dict.fromkeys(long.part), key=lambda p: (p.startswith("Hidden"), order_of(p)))
    palette = alt.Scale(domain=parts, range=_palette(parts))
    y = alt.Y("count:Q", title=y_title, stack="normalize" if share else "zero")
    if share:
        y = y.axis(format="%")
    order = {part: n for n, part in enumerate(parts)}
    return (
        alt.Chart(long.assign(order=long.part.map(order)), title=_title(title, period))
        .mark_bar()
        .encode(
            x=alt.X(
                f"{x}:N", title=x, axis=alt.Axis(labelAngle=0), scale=alt.Scale(domain=table.labels)
            ),
            y=y,
            color=alt.Color("part:N", scale=palette, title=None, sort=parts),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip(x),
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("count:Q", title="Count"),
            ],
        )
    )


def order_of(part: str) -> int:
    """Position of a part in the page's fixed orders (services, outcomes, statuses)."""
    known = [
        *SERVICE_LABELS.values(),
        *OUTCOME_LABELS.values(),
        *STATUSES.values(),
    ]
    return known.index(part) if part in known else len(known)


def _palette(parts: list[str]) -> list[str]:
    base = iter(["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#17becf"])
    return ["#bdbdbd" if p.startswith("Hidden") else next(base) for p in parts]


@unvalidated
def grouped(
    frame: pd.DataFrame,
    x: str,
    offset: str,
    y: str,
    title: str,
    period: str,
    y_title: str,
    domain: list | None = None,
):
    """Bars of ``y`` per ``x`` (all of ``domain`` on the axis), side by side per
    ``offset``; hidden figures (NaN) are left out."""
    scale = alt.Scale(domain=domain) if domain else alt.Undefined
    return (
        alt.Chart(frame.dropna(subset=[y]), title=_title(title, period))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", sort=None, title=None, axis=alt.Axis(labelAngle=0), scale=scale),
            xOffset=alt.XOffset(f"{offset}:N", sort=None),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=alt.Color(f"{offset}:N", sort=None, title=None),
            tooltip=[alt.Tooltip(x), alt.Tooltip(offset), alt.Tooltip(y)],
        )
    )


@unvalidated
def rate_chart(frame, x: str, color: str | None, title: str, period: str, y_title: str):
    """Shares as bars with their 95% Wilson intervals as black lines (rows with a hidden
    share are left out)."""
    shown = frame.dropna(subset=["share"])
    encoding = {"x": alt.X(f"{x}:N", sort=None, title=None, axis=alt.Axis(labelAngle=0))}
    if color:
        order = list(dict.fromkeys(frame[color]))
        encoding |= {
            "xOffset": alt.XOffset(f"{color}:N", sort=order),
            "color": alt.Color(f"{color}:N", title=None, sort=order),
        }
    base = alt.Chart(shown, title=_title(title, period)).encode(**encoding)
    scale = alt.Scale(domain=[0, 1])
    bars = base.mark_bar(opacity=0.75).encode(
        y=alt.Y("share:Q", title=y_title, axis=alt.Axis(format="%"), scale=scale),
        tooltip=[alt.Tooltip(name) for name in (x, "Share", "95% CI", color) if name],
    )
    whiskers = base.mark_rule(strokeWidth=1.5).encode(
        y=alt.Y("low:Q", title=y_title, scale=scale), y2=alt.Y2("high:Q"), color=alt.value("black")
    )
    return bars + whiskers
