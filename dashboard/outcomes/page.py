"""Referral outcomes: services after diversion, cohorts, re-contact and equity."""

import streamlit as st

from dashboard import access, auth, doors, filters
from dashboard.components import chart, figure_caption, how_calculated
from dashboard.outcomes import charts, cost, released, sections
from dashboard.outcomes import data as oc
from program import equity as eq
from program import outcomes as rules

user = auth.require_user()
f = filters.current()
if not user.sees_person_level:  # command, leadership: the figures of a release
    released.draw(user, f)
    st.stop()
suppress = False  # person-level roles: exact windowed figures
by = rules.granularity(suppress)
start, end = rules.window(f.start, f.end)
long_start, _ = rules.window(f.start, f.end, months=24)  # room for 12 months of follow-up
period = f"{start:%d %b %Y} – {end:%d %b %Y}"
long_period = f"{long_start:%d %b %Y} – {end:%d %b %Y}"
t = access.threshold(user, end)
outcome_day = f"outcome recorded by {end:%d %b %Y}"


st.caption(
    f"Outcomes take months to unfold: this page covers **{period}** (whole quarters, at "
    f"least 12 months to the period's end), and **{long_period}** for cohorts and "
    "re-contact, which need a year of follow-up. "
    "Exact monthly counts (person-level role): do not redisclose (42 CFR Part 2)."
)
how_calculated(sections.METHOD)
services, timing, cohorts, after, fairness, costs = sections.tabs()

referrals = oc.referral_tables(user.role, start, end, t, suppress)
figures = charts.referral_charts(referrals, by, period, end)
captions = {
    "by_service": dict(
        counts=f"service referrals (drug treatment, mental health, housing, other) by {by} made",
        period=period,
        method="referrals of participants to outside services, each counted once",
    ),
    "by_outcome": dict(
        counts="service referrals by outcome: pending, engaged, completed, declined, no-show",
        period=f"referrals made {period}; {outcome_day}",
        denominator=f"referrals made that {by}",
        method="recent referrals are still pending: outcomes take weeks to months",
    ),
}
with services:
    for name in ("by_service", "by_outcome"):
        sections.referral_chart(figures[name], referrals[name], t, **captions[name])
    chart(figures["funnel"], charts.drawn(referrals["funnel"]), charts.NO_REFERRAL, threshold=t)
    st.dataframe(rules.funnel_table(referrals["funnel"]), hide_index=True, key="funnel_table")
    figure_caption(
        counts="referrals made; of them, reached engagement (engaged or completed), completed",
        period=f"referrals made {period}; {outcome_day}",
        denominator="referrals made, per service",
        method="a bar missing from the chart is a hidden figure (see the table)",
    )
    with st.expander(f"Tables: referrals by service, outcome and {by}"):
        for name, percent in (("funnel", True), ("by_service", False), ("by_outcome", True)):
            st.dataframe(referrals[name].shown(percent=percent), hide_index=True)
    doors.draw_outcomes(user, start, end)

with timing:
    summary = oc.timing_summary(user.role, start, end, referrals["timing"])
    st.dataframe(summary, hide_index=True, key="timing_table")
    chart(
        charts.timing_chart(referrals["timing"], period),
        charts.drawn(referrals["timing"], totals=False),
        charts.NO_ENGAGED,
        threshold=t,
    )
    figure_caption(
        counts="referrals whose recorded outcome is 'engaged', by days from referral to it",
        period=f"referrals made {period}, engaged by {end:%d %b %Y}",
        method="median and quartiles (only for groups shown); completed referrals keep only "
        "their completion day and are left out",
    )
    st.dataframe(referrals["timing"].shown(), hide_index=True)

with cohorts:
    months = sections.cohort_months()
    cohort = oc.cohort_tables(user.role, long_start, end, f.as_of, t, suppress)[months]
    chart(
        charts.cohort_chart(cohort, by, months, long_period),
        charts.drawn(cohort),
        f"No intake in these months has reached {months} months of follow-up yet.",
        threshold=t,
    )
    st.dataframe(cohort.shown(percent=True), hide_index=True, key="cohort_table")
    figure_caption(
        counts=f"participants (enrollments) by intake {by} and status {months} months later: "
        "active (still enrolled); returned (exited, then a new intake by then: re-engaged "
        "with LEAD); exited (exited, no new intake)",
        period=f"intakes {long_period}; cohorts that reached {months} months by {f.as_of:%d %b %Y}",
        denominator=f"intakes in the {by}",
    )

with after:
    sections.recontact(
        oc.recontact(user.role, long_start, end, f.as_of, t, suppress),
        long_period,
        "people with any police contact in this data after their index day: participants "
        "from their first intake, decliners from their first declined offer",
        f"index days {long_period}; only people followed up in full by {f.as_of:%d %b %Y}",
        t,
    )
    st.warning(eq.RECONTACT_CAVEAT)

with fairness:
    dimension, name = sections.equity_dimension()
    diversion, engagement = oc.equity(user.role, start, end, f.offenses, t, suppress)[dimension]
    sections.equity_charts(diversion, engagement, name, period, t)
    sections.diversion_equity(
        diversion,
        name,
        f.offense_label,
        period,
        f"{sections.RANGE}; the 'All' row is the program total",
        "eligible contacts: drug or prostitution contacts inside the catchment",
    )
    sections.engagement_equity(engagement, name, f"intakes {period}; {outcome_day}")

with costs:
    cost.exact(user.role, f.as_of)
