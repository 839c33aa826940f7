"""The Review's presentation mode: large type for the projector, one topic per screen.

The first figure starts near the top of a 1024x768 screen: the frame's banners shrink to
one line; the page title, the as-of line (the period's heading says it) and the period
controls are hidden (the controls still run, so the period is kept); the topics and the
way back share one row, charts fill the width and tables are
plain tables in large type."""

import pandas as pd
import streamlit as st

from dashboard.components import short_headers
from program.doors import NOT_APPLICABLE

CSS = """<style>
  .stMainBlockContainer { max-width: 100%; padding-top: 0.5rem; }
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.6rem; line-height: 1.4; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
    font-size: min(3.4rem, 4vw) !important;
  }
  [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }
  [data-testid="stHeader"], .st-key-review_controls,
  [data-testid="stLayoutWrapper"]:has(> .st-key-frame_title) {
    display: none !important;
  }
  .st-key-frame_banners [data-testid="stAlert"] > div { padding: 0.2rem 0.75rem; }
  .st-key-frame_banners [data-testid="stAlert"] p {
    font-size: 0.9rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }
  .st-key-review_presenting p { font-size: 1rem; white-space: nowrap; }
  .st-key-review_topic p { font-size: 1rem; }
  [data-testid="stHeading"] h3 { font-size: 1.6rem; padding: 0; }
  [data-testid="stFullScreenFrame"] > div:has([data-testid="stImage"]),
  [data-testid="stImage"], [data-testid="stImageContainer"] { width: 100% !important; }
  [data-testid="stImage"] img { width: 100% !important; max-height: 78vh; object-fit: contain; }
  [data-testid="stTable"] td, [data-testid="stTable"] th { font-size: 1.5rem; padding: 0.5rem; }
</style>"""


def style() -> None:
    st.html(CSS)


def heading(kind: str, period_label: str, as_of, presenting: bool) -> str:
    """The period's heading; while presenting it says the as-of date too."""
    title = f"{kind} review · {period_label}"
    return f"{title} · data as of {as_of:%d %b %Y}" if presenting else title


def plain_table(table: pd.DataFrame) -> None:
    """A plain table, which wraps its text and scales with the type and the screen (a
    grid keeps its size); a missing number reads as on the grids (such a column is shown
    as text: a table only shows it)."""
    shown = table.copy()
    for name in shown.columns:
        column = shown[name]
        if pd.api.types.is_numeric_dtype(column) and column.isna().any():
            shown[name] = [NOT_APPLICABLE if pd.isna(v) else str(v) for v in column]
    st.table(shown, hide_index=True)


def _grid(table: pd.DataFrame) -> None:
    st.dataframe(
        table, hide_index=True, placeholder=NOT_APPLICABLE, column_config=short_headers(table)
    )


def table_drawer(presenting: bool):
    """How the Review draws a table: a plain table in large type while presenting, else
    the usual grid (short headers: it fits 1024 pixels)."""
    return plain_table if presenting else _grid
