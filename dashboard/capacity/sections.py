"""Sections both bodies of the Capacity page draw: exact figures (page.py, person-level
roles) and a stored release (released.py, command and leadership)."""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.capacity import charts, tiles
from dashboard.components import figure_caption
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


def census_and_flow(
    settings: pd.Series, day: date, census: pd.DataFrame, flow: pd.DataFrame, pilot: str
):
    """The definitions in force on ``day``, the census chart and the weekly flow; returns
    the column beside the flow, for the medians."""
    with st.container(border=True):
        st.markdown("**Definitions**")
        st.markdown(cap.definitions(settings, day))
    st.subheader("Census and flow")
    st.altair_chart(charts.census_chart(census, pilot), width="stretch")
    flow_column, median_column = st.columns([2, 1])
    flow_column.altair_chart(charts.flow_chart(flow, pilot), width="stretch")
    return median_column
