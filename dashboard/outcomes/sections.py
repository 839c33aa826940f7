"""Sections both bodies of the Referral outcomes page draw: exact windowed figures
(page.py, person-level roles) and a stored release (released.py, command and leadership)."""

import pandas as pd
import streamlit as st

from dashboard import url_state
from dashboard.components import chart, figure_caption
from dashboard.outcomes import charts
from program import equity as eq
from program import outcomes as rules

RANGE = "black lines: the range the true share most likely lies in (95 %)"
METHOD = """
**Window.** Outcomes take months to unfold, so the page covers whole quarters and at least
the 12 months up to the period's end; cohorts and re-contact look back 24 months, because
they need a year of follow-up.

**Cohorts.** A cohort is everyone with an intake in the same month (or quarter). Its status
3, 6 or 12 months after intake: *active* (still enrolled), *returned* (exited, then a new
intake by then) or *exited*. A cohort is shown once all of it has been followed that long.

**Re-contact window.** For each person the clock starts on the index day (the first intake
for participants, the first declined offer for those who declined) and looks for any new
police contact in this data within 6 or 12 months; only people followed up for the whole
window are counted.

**Ranges (95 %).** Each share carries a **Wilson score interval**: the range in which the
true share lies with 95 % confidence, given how many people it is computed from. It stays
within 0–100 % and is honest for small groups, where a share alone would mislead.
"""
RECONTACT_COLUMNS = ["Group", "Within", "People", "With a new contact", "Share", "95% CI"]


def tabs():
    """The page's six tabs: services, timing, cohorts, after diversion, equity, cost."""
    return st.tabs(
        [
            "Service referrals", "Time to engagement", "Cohorts", "After diversion", "Equity",
            "Cost avoided",
        ]
    )  # fmt: skip


def referral_chart(figure, table, threshold: int, **caption) -> None:
    """A referral chart (or why there is none) and its caption (``figure_caption``'s)."""
    chart(figure, charts.drawn(table), charts.NO_REFERRAL, threshold=threshold)
    figure_caption(**caption)


def cohort_months() -> int:
    """The chosen follow-up horizon of the cohorts (months after intake)."""
    kept = [url_state.Choice("months", "cohort_months", rules.HORIZONS, 6)]  # ?months=12
    url_state.page_choices("outcomes", kept)
    months = st.segmented_control(
        "Months after intake",
        rules.HORIZONS,
        key="cohort_months",
        format_func=lambda k: f"{k} months",
    )
    url_state.write_choices(kept)
    return months or 6


def recontact(table: pd.DataFrame, period: str, counts: str, followed: str, threshold: int) -> None:
    """Re-contact after diversion: chart, table and caption (``counts`` says who,
    ``followed`` the index days and follow-up)."""
    chart(
        charts.recontact_chart(table, period),
        table["share"],
        charts.NO_RECONTACT,
        threshold=threshold,
    )
    st.dataframe(table[RECONTACT_COLUMNS], hide_index=True, key="recontact_table")
    figure_caption(
        counts=counts,
        period=followed,
        denominator="people in the group",
        method=RANGE,
    )


def equity_dimension() -> tuple[str, str]:
    """The chosen group dimension of the equity tab and its name in lower case."""
    kept = [
        url_state.Choice("compare", "equity_dim", tuple(eq.DIMENSIONS), next(iter(eq.DIMENSIONS)))
    ]
    url_state.page_choices("outcomes", kept)
    dimension = st.selectbox(
        "Compare by", list(eq.DIMENSIONS), format_func=eq.DIMENSIONS.get, key="equity_dim"
    )
    url_state.write_choices(kept)
    return dimension, eq.DIMENSIONS[dimension].lower()


def equity_charts(
    diversion: pd.DataFrame, engagement: pd.DataFrame, name: str, period: str, threshold: int
) -> None:
    """Diversion of eligible contacts and engagement of participants by group, side by
    side (the engagement chart only where there is an engagement table)."""
    figures = charts.equity_charts(diversion, engagement, name, period)
    frames = (diversion, engagement)[: 1 if engagement.empty else 2]
    for column, figure, frame, missing in zip(
        st.columns(2), figures, frames, charts.EQUITY_MISSING, strict=False
    ):
        chart(figure, frame["share"], missing, where=column, threshold=threshold)


def diversion_equity(
    diversion: pd.DataFrame, name: str, offenses: str, period: str, method: str, denominator=None
) -> None:
    """The table of eligible contacts (police records) by group and what became of them."""
    st.dataframe(eq.equity_view(diversion, "eligible"), hide_index=True, key="eq_div")
    figure_caption(
        counts=f"eligible contacts ({offenses}) by {name}: diverted, declined, not offered",
        period=period,
        denominator=denominator,
        method=method,
    )


def engagement_equity(engagement: pd.DataFrame, name: str, period: str) -> None:
    """The table of participants by group with a referral that reached engagement."""
    st.dataframe(eq.equity_view(engagement, "participants"), hide_index=True, key="eq_eng")
    figure_caption(
        counts=f"participants by {name} with a service referral that reached engagement",
        period=period,
        denominator="participants with an intake in the period",
        method=f"{RANGE}; group as recorded on the person's police contact",
    )
