"""Presentation pieces every page uses: KPI tiles, figures or why they are missing,
figure captions, the "How is this calculated?" expander, the as-of line."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from geo.privacy import DEFAULT_THRESHOLD, small_label


@dataclass(frozen=True)
class Tile:
    """A KPI: the value beside its reference, the change, and whether up is good.

    ``better`` is "higher", "lower" or "neither"; it colours the change (green when the
    change is an improvement, red when it is not, grey when direction has no meaning).
    """

    label: str
    value: str
    reference: str
    change: float | int | None = None
    change_text: str | None = None
    better: str = "higher"
    help: str | None = None
    trend: tuple[float, ...] | None = None  # a sparkline under the value, oldest first
    link: str | None = None  # the page behind the figure (its file under dashboard/)
    link_label: str | None = None


UNIT = re.compile(r"(.+?) \((.+)\)")  # a column's name and its unit in brackets
DELTA_COLORS = {"higher": "normal", "lower": "inverse", "neither": "off"}


def change_tile(
    label: str,
    value: int,
    before: int | None,
    reference: str,
    better: str = "neither",
    *,
    shown: str | None = None,
    help: str | None = None,
) -> Tile:
    """A count's tile with its change since ``before`` (None: no change to show); the
    value is shown as ``shown``, or as the number itself."""
    change = None if before is None else int(value - before)
    text = f"{value}" if shown is None else shown
    return Tile(label, text, reference, change=change, better=better, help=help)


def tiles(row: list[Tile]) -> None:
    """Draw a row of KPI tiles."""
    for column, tile in zip(st.columns(len(row)), row, strict=True):
        with column:
            delta = tile.change_text if tile.change_text is not None else tile.change
            st.metric(
                tile.label,
                tile.value,
                delta=delta,
                delta_color=DELTA_COLORS[tile.better],
                help=tile.help,
                border=True,
                chart_data=tile.trend if tile.trend and any(tile.trend) else None,  # no flat 0
            )
            st.caption(tile.reference)
            if tile.link:  # the filters in force go along in the address
                st.page_link(
                    tile.link, label=tile.link_label, query_params=st.query_params.to_dict()
                )


def hidden_note(threshold: int = DEFAULT_THRESHOLD) -> str:
    """What a figure whose every non-zero count is hidden for the role says instead."""
    return (
        f"Hidden: fewer than {threshold + 1} people (shown as {small_label(threshold)} in the "
        "tables), or hidden to protect such a count. Small counts are shown only to case "
        "managers, so that no one can be recognised."
    )


def missing_reason(values, missing: str, threshold: int = DEFAULT_THRESHOLD) -> str | None:
    """Why a figure drawing ``values`` (hidden ones NaN) would be empty: ``missing`` when
    it holds no count other than 0, :func:`hidden_note` when its only non-zero counts
    are hidden (NaN means hidden only where the role has a small-cell ``threshold``; for
    case managers, 0, it is a share of nobody); None when it has something to draw."""
    figures = np.asarray(values, dtype=float).ravel()
    if np.any(np.nan_to_num(figures) != 0):
        return None
    return hidden_note(threshold) if threshold and np.isnan(figures).any() else missing


def chart(
    figure,
    values,
    missing: str,
    *,
    where=None,
    width="stretch",
    threshold: int = DEFAULT_THRESHOLD,
) -> bool:
    """Draw ``figure`` (an altair chart or PNG bytes, or a function building one when
    building needs the data to be there) in ``where`` (the page, a column), or say in
    plain words why there is none (:func:`missing_reason` of ``values``, the counts it
    draws): no chart draws an empty or all-zero axis. Returns whether it drew."""
    where = st if where is None else where
    reason = missing_reason(values, missing, threshold)
    if reason:
        where.info(reason, icon=":material/info:")
        return False
    if isinstance(figure, Callable):
        figure = figure()
    if isinstance(figure, bytes):
        where.image(figure, width=width)
    else:
        where.altair_chart(figure, width=width)
    return True


HOW_CALCULATED = "How is this calculated?"


def how_calculated(method: str):
    """The method behind a page's figures, with its technical names, for those who ask:
    the page itself speaks plain words (``method`` is markdown). Returns the expander,
    for more (a table of parameters)."""
    box = st.expander(HOW_CALCULATED)
    box.markdown(method)
    return box


def short_headers(table: pd.DataFrame) -> dict:
    """A grid's ``column_config`` for columns named with their unit in brackets ("Pending
    (referrals)", as ``reports.tables.plain`` names them): the header shows the name and
    its tooltip the whole, so the grid fits a projector's 1024 pixels without scrolling
    sideways; the data (and every file made of them) keep the whole name."""
    config = {}
    for name in table.columns:
        if found := UNIT.fullmatch(str(name)):
            config[name] = st.column_config.Column(found[1], help=name)
    return config


def signed(number: float | int, unit: str = "") -> str:
    """+3, -2, ±0 with an optional unit."""
    if number == 0:
        return f"±0{unit}"
    return f"{number:+,.0f}{unit}" if float(number).is_integer() else f"{number:+,.1f}{unit}"


def figure_caption(
    *,
    counts: str,
    period: str,
    denominator: str | None = None,
    method: str | None = None,
    source: str | None = None,
) -> None:
    """What a figure counts, over which period, against which denominator, how."""
    parts = [f"**Counts:** {counts}", f"**Period:** {period}"]
    if denominator:
        parts.append(f"**Denominator:** {denominator}")
    if method:
        parts.append(f"**Method:** {method}")
    if source:
        parts.append(f"**Source:** {source}")
    st.caption(" · ".join(parts))


def as_of_line(as_of: date, role_label: str) -> None:
    st.caption(f"Data as of **{as_of:%d %B %Y}** · signed in as {role_label}")


def percent(part: float, whole: float) -> str:
    return "–" if not whole else f"{100 * part / whole:.0f}%"


# The frame's style for every page: a projector at 1024x768 and print.
# - tile labels wrap instead of ending in "…", tile values shrink on narrow screens;
# - a row of columns wraps (each at least 11rem) rather than squeezing tiles and controls;
# - print: no sidebar, header, toolbar, buttons nor any other control (inputs, choices,
#   forms, a closed "How is this calculated?", what a page marks with a key ending in
#   "-noprint"), the page full width, no figure split.
PAGE_CSS = """<style>
  [data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
    white-space: normal !important; overflow: visible !important;
    text-overflow: clip !important; height: auto !important;
  }
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap; }
  /* a segmented control's options wrap instead of running under the next column */
  [data-testid="stButtonGroup"] div:has(> button) { flex-wrap: wrap; }
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"] { min-width: min(11rem, 100%); }
  @media (max-width: 1280px) {
    [data-testid="stMetricValue"] { font-size: 1.7rem; }
    .stMainBlockContainer { padding-left: 1.5rem; padding-right: 1.5rem; }
  }
  @media print {
    [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
    [data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
    [data-testid="stDownloadButton"], [data-testid="stButton"], .st-key-review_presenting,
    [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stDateInput"],
    [data-testid="stNumberInput"], [data-testid="stTextInput"], [data-testid="stTextArea"],
    [data-testid="stCheckbox"], [data-testid="stRadio"], [data-testid="stSlider"],
    [data-testid="stButtonGroup"], [data-testid="stForm"], [data-testid="stFileUploader"],
    [data-testid="stExpander"]:has(details:not([open])), [class*="-noprint"] {
      display: none !important;
    }
    .stMainBlockContainer { max-width: 100% !important; padding: 0 1rem !important; }
    [data-testid="stMetric"], [data-testid="stImage"], [data-testid="stVegaLiteChart"],
    [data-testid="stTable"] { break-inside: avoid; }
  }
</style>"""


def page_style() -> None:
    """The frame's CSS (:data:`PAGE_CSS`): drawn once per page run by the app frame."""
    st.html(PAGE_CSS)
