"""The "Cost avoided" tab of Referral outcomes: participants' jail bookings and bed-days
before vs after their first intake, at the dated unit costs. Exact for person-level
roles (page.py), by intake-year cohort from a release for the others (released.py)."""

from datetime import date

import streamlit as st

from dashboard.components import chart, figure_caption, how_calculated
from dashboard.outcomes import charts
from dashboard.outcomes import data as oc
from program import cost as rules


def explain(role: str, day: date) -> None:
    """The caveat and the "How is this calculated?" expander, with the settings in force."""
    st.warning(rules.CAVEAT)
    how_calculated(rules.method(*oc.cost_settings(role, day)))


def exact(role: str, as_of: date) -> None:
    figures = oc.cost(role, as_of)
    window = oc.cost_settings(role, as_of)[0]
    followed = f"first intakes followed up {window} days by {as_of:%d %b %Y}"
    if not figures.participants.sum():
        st.info(rules.none_followed(window))
    else:
        frame = rules.chart_frame(figures)
        chart(
            charts.grouped(
                frame, "Measure", "Phase", "count",
                "Jail bookings and bed-days, before vs after intake", followed, "Count",
            ),
            frame["count"],
            "No participant was booked or held in jail before or after intake.",
        )  # fmt: skip
        st.dataframe(rules.exact_table(figures), hide_index=True, key="cost_table")
        figure_caption(
            counts="participants; people booked or held; jail bookings, bed-days and their "
            "cost, in the window before and after each participant's first intake",
            period=followed,
            denominator="medians per participant, people never booked included",
            method="cost at the unit costs in force on each day (Settings)",
        )
    explain(role, as_of)


def released(role: str, release) -> None:
    table = oc.release_cost(role, release)
    if table.empty:
        st.info(rules.NOT_YET)
    else:
        st.dataframe(table, hide_index=True, key="cost_table")
        figure_caption(
            counts="participants by intake year; people booked or held, bookings, bed-days "
            "and cost before vs after intake; median bed-days per participant",
            period=f"cohorts followed up in full by {release.last_day:%d %b %Y}",
            method="'<11' hides 1 to 10 people; a sum over 10 or fewer people booked, or "
            "beside a hidden count, is withheld ('withheld')",
        )
    explain(role, release.last_day)
