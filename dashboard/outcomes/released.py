"""Referral outcomes for roles without person-level access: every figure about
participants and service records from the chosen release (``dashboard.releases``), the
diversion of eligible contacts (police records) over the same period."""

import streamlit as st

from dashboard import access, doors, releases
from dashboard.components import chart, figure_caption
from dashboard.filters import Filters
from dashboard.outcomes import charts, cost, sections
from dashboard.outcomes import data as oc
from geo.privacy import DEFAULT_THRESHOLD
from program import equity as eq
from program import outcomes as rules
from program.access import User

NOT_IN_RELEASE = "Not published for this release"


def draw(user: User, f: Filters) -> None:
    release = releases.picker(user, f, key="outcomes_release", method=sections.METHOD)
    period, end = release.title, release.last_day
    st.caption(
        "Hidden figures are left out of the charts; a table says '<11' or 'suppressed'. "
        "A figure missing from a release could not be protected for that period on its "
        "own (referral tables are published for months; equity and waits for quarters)."
    )
    services, timing, cohorts, after, fairness, costs = sections.tabs()
    referrals = oc.release_referrals(user.role, release)
    with services:
        _services(referrals, period, end)
        doors.draw_outcomes(user, release.first_day, end, release)
    with timing:
        _timing(user, release, referrals, period)
    with cohorts:
        _cohorts(user, release, period)
    with after:
        _after(user, release, period)
    with fairness:
        _fairness(user, f, release, period)
    with costs:
        cost.released(user.role, release)


def _services(referrals: dict, period: str, end) -> None:
    grids, table = referrals["grids"], referrals["tables"]["referrals"]
    if not grids["referrals"].published:
        st.info(NOT_IN_RELEASE)
        return
    chart(
        charts.stacked(
            table,
            "Outcome of referrals, by service",
            f"{period}; outcomes as known on {end:%d %b %Y}",
            "Share of the service's referrals (%)",
            share=True,
        ),
        charts.drawn(table),
        charts.NO_REFERRAL,
    )
    names = {**rules.SERVICE_LABELS, releases.TOTAL: releases.TOTAL}
    st.dataframe(
        grids["referrals"].table("Service", names, rules.OUTCOME_LABELS),
        hide_index=True,
        key="referrals_table",
    )
    figure_caption(
        counts="service referrals by service and outcome",
        period=f"referrals made {period}; outcome recorded by {end:%d %b %Y}",
        method="a bar part missing from the chart is a hidden figure (see the table)",
    )
    funnel, funnel_table = oc.release_funnel(grids["funnel"])
    chart(
        charts.grouped(
            funnel, "Service", "Stage", "referrals",
            "Funnel per service: referred → engaged → completed", period, "Referrals (count)",
        ),
        funnel["referrals"],
        charts.NO_REFERRAL,
    )  # fmt: skip
    st.dataframe(funnel_table, hide_index=True, key="funnel_table")
    figure_caption(
        counts="referrals made; of them, reached engagement (engaged or completed), completed",
        period=f"referrals made {period}; outcome recorded by {end:%d %b %Y}",
        denominator="referrals made, per service",
    )


def _timing(user: User, release, referrals: dict, period: str) -> None:
    grid = referrals["grids"]["timing"]
    if not grid.published:
        st.info(NOT_IN_RELEASE)
        return
    st.dataframe(oc.release_timing(user.role, release, grid), hide_index=True, key="timing_table")
    timing = referrals["tables"]["timing"]
    chart(
        charts.timing_chart(timing, period), charts.drawn(timing, totals=False), charts.NO_ENGAGED
    )
    st.dataframe(grid.table("Service", rules.SERVICE_LABELS, oc.TIMING_COLUMNS), hide_index=True)
    figure_caption(
        counts="referrals whose recorded outcome is 'engaged', by days from referral to it",
        period=f"referrals made {period}",
        method="median and quartiles only where the release shows them",
    )


def _cohorts(user: User, release, period: str) -> None:
    months = sections.cohort_months()
    table, shown = oc.release_cohorts(user.role, release, months)
    if shown.empty:
        st.info(f"No cohort of this release has reached {months} months yet.")
        return
    chart(
        charts.cohort_chart(table, "month", months, period),
        charts.drawn(table),
        f"No intake of this release has reached {months} months of follow-up yet.",
    )
    st.dataframe(shown, hide_index=True, key="cohort_table")
    figure_caption(
        counts=f"participants by intake month and status {months} months later: active, "
        "returned (exited, then a new intake), exited",
        period=f"intakes {period}; horizons reached by {release.last_day:%d %b %Y}",
        denominator="intakes in the month",
    )


def _after(user: User, release, period: str) -> None:
    recontact = oc.release_recontact(user.role, release)
    if recontact.empty:
        st.info("Re-contact needs 6 months of follow-up inside the release: choose a longer one.")
    else:
        sections.recontact(
            recontact,
            period,
            "people with any police contact after their index day",
            f"index days {period}, followed up in full by {release.last_day:%d %b %Y}",
            DEFAULT_THRESHOLD,
        )
    st.warning(eq.RECONTACT_CAVEAT)


def _fairness(user: User, f: Filters, release, period: str) -> None:
    dimension, name = sections.equity_dimension()
    t = access.threshold(user, release.last_day)
    diversion = oc.diversion_equity(user.role, release.first_day, release.last_day, f.offenses, t)[
        dimension
    ]
    engagement = oc.release_equity(user.role, release, dimension)
    sections.equity_charts(diversion, engagement, name, period, t)
    method = f"police records; {sections.RANGE}"
    sections.diversion_equity(diversion, name, f.offense_label, period, method)
    if engagement.empty:
        st.info(f"Engagement by {name}: {NOT_IN_RELEASE.lower()} (published for quarters).")
        return
    sections.engagement_equity(engagement, name, f"intakes {period}")
