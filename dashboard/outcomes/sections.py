"""Sections both bodies of the Referral outcomes page draw: exact windowed figures
(page.py, person-level roles) and a stored release (released.py, command and leadership)."""

import pandas as pd
import streamlit as st

from dashboard.components import figure_caption
from dashboard.outcomes import charts
from program import equity as eq
from program import outcomes as rules

RECONTACT_COLUMNS = ["Group", "Within", "People", "With a new contact", "Share", "95% CI"]


def chart(figure) -> None:
    st.altair_chart(figure, width="stretch")


def tabs():
    """The page's six tabs: services, timing, cohorts, after diversion, equity, cost."""
    return st.tabs(
        [
            "Service referrals", "Time to engagement", "Cohorts", "After diversion", "Equity",
            "Cost avoided",
        ]
    )  # fmt: skip


def cohort_months() -> int:
    """The chosen follow-up horizon of the cohorts (months after intake)."""
    months = st.segmented_control(
        "Months after intake",
        rules.HORIZONS,
        default=6,
        key="cohort_months",
        format_func=lambda k: f"{k} months",
    )
    return months or 6


def recontact(table: pd.DataFrame, period: str, counts: str, followed: str) -> None:
    """Re-contact after diversion: chart, table and caption (``counts`` says who,
    ``followed`` the index days and follow-up)."""
    chart(charts.recontact_chart(table, period))
    st.dataframe(table[RECONTACT_COLUMNS], hide_index=True, key="recontact_table")
    figure_caption(
        counts=counts,
        period=followed,
        denominator="people in the group",
        method="95% Wilson intervals",
    )


def equity_dimension() -> tuple[str, str]:
    """The chosen group dimension of the equity tab and its name in lower case."""
    dimension = st.selectbox(
        "Compare by", list(eq.DIMENSIONS), format_func=eq.DIMENSIONS.get, key="equity_dim"
    )
    return dimension, eq.DIMENSIONS[dimension].lower()


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
        method="95% Wilson intervals; group as recorded on the person's police contact",
    )
