"""Sections both bodies of the Capacity page draw: exact figures (page.py, person-level
roles) and a stored release (released.py, command and leadership)."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.capacity import charts, tiles
from dashboard.components import chart, figure_caption
from dashboard.components import tiles as draw_tiles
from program import capacity as cap


def headline(
    census: pd.DataFrame, day: date, ref_day: date, period: dict, intake_window: int, **caption
) -> None:
    """The gauge of the census on ``day`` (its last row) beside the headline tiles
    (``tiles.headline``), and their caption: ``caption`` holds ``label`` (the period the
    days at capacity count), ``pilot`` (pilot to date) and ``method``."""
    now = census.iloc[-1]
    gauge_column, tiles_column = st.columns([1, 3])
    gauge_column.altair_chart(
        charts.gauge(int(now.active), int(now.capacity), f"Census on {day:%d %b %Y}"),
        width="stretch",
    )
    with tiles_column:
        draw_tiles(tiles.headline(census, ref_day, period, intake_window))
    figure_caption(
        counts="participants (people) active, pending and overdue on the day; changes since "
        f"{ref_day:%d %b %Y}",
        period=f"on {day:%d %b %Y}; days at or over capacity {caption['label']} and "
        f"{caption['pilot']}",
        denominator="the capacity in force that day (program setting)",
        method=caption["method"],
    )


def caseloads(
    table: pd.DataFrame, bars: pd.DataFrame, flag: int, breach: int, day: date, threshold: int
) -> None:
    """The caseload chart (``bars``: hidden caseloads NaN) above its table (``table``): one
    above the other, so the table is as wide as the page and never scrolls sideways on a
    projector's 1024 pixels."""
    chart(
        charts.caseload_chart(bars, flag, breach, day),
        bars["caseload"],
        f"No active participant on {day:%d %b %Y}.",
        threshold=threshold,
    )
    st.dataframe(table, hide_index=True, height="content")


def census_and_flow(
    settings: pd.Series, day: date, census: pd.DataFrame, flow: pd.DataFrame, pilot: str
):
    """The definitions in force on ``day``, the census chart and the weekly flow; returns
    the column beside the flow, for the medians."""
    with st.container(border=True):
        st.markdown("**Definitions**")
        st.markdown(cap.definitions(settings, day))
    st.subheader("Census and flow")
    chart(
        charts.census_chart(census, pilot),
        census[["active", "pending"]],
        "No participant was active or waiting for intake on these days.",
    )
    flow_column, median_column = st.columns([2, 1])
    chart(
        charts.flow_chart(flow, pilot),
        flow[["intakes", "exits"]],
        "No intake and no exit in these weeks.",
        where=flow_column,
    )
    return median_column
