"""Referral outcomes: services after diversion, cohorts, re-contact and equity."""

import streamlit as st

from dashboard import auth, filters
from dashboard import outcomes as oc
from dashboard.components import as_of_line, figure_caption

user = auth.require_user()
f = filters.current()
start, end = oc.window(f.start, f.end)
long_start, _ = oc.window(f.start, f.end, months=24)  # room for 12-month follow-up
suppress = not user.sees_person_level
t = oc.threshold(user.role, end)
period = f"{start:%d %b %Y} – {end:%d %b %Y}"
long_period = f"{long_start:%d %b %Y} – {end:%d %b %Y}"
hidden_note = (
    f"Counts from 1 to {t} are shown as <{t + 1}, with further counts hidden so none can be "
    "worked out from totals or shares; charts leave hidden figures out."
    if suppress
    else "Exact counts (person-level role): do not redisclose (42 CFR Part 2)."
)

st.title("LEAD Ops · Referral outcomes")
as_of_line(f.as_of, auth.ROLE_LABELS[user.role])
st.caption(
    f"Outcomes take months to unfold, so this page covers **{period}** (at least the 12 "
    f"months ending on the period's last day; cohorts and re-contact, which need a year of "
    f"follow-up, **{long_period}**). {hidden_note}"
)
services, timing, cohorts, after, fairness = st.tabs(
    ["Service referrals", "Time to engagement", "Cohorts", "After diversion", "Equity"]
)

referrals = oc.referral_tables(user.role, start, end, t, suppress)
with services:
    st.altair_chart(
        oc.stacked(
            referrals["by_service"].long(),
            "Month",
            "Service referrals per month by service",
            period,
            "Referrals made (count)",
        ),
        width="stretch",
    )
    figure_caption(
        counts="service referrals (drug treatment, mental health, housing, other) by month made",
        period=period,
        method="referrals of participants to outside services, counted once each",
    )
    st.altair_chart(
        oc.stacked(
            referrals["by_outcome"].long(),
            "Month",
            "Outcome of each month's referrals",
            f"{period}; outcomes as known on {end:%d %b %Y}",
            "Share of the month's referrals (%)",
            share=True,
        ),
        width="stretch",
    )
    figure_caption(
        counts="service referrals by outcome: pending, engaged, completed, declined, no-show",
        period=f"referrals made {period}; outcome recorded by {end:%d %b %Y}",
        denominator="referrals made that month",
        method="recent months stay pending longer: outcomes take weeks to months",
    )
    st.altair_chart(
        oc.grouped(
            oc.funnel_stages(referrals["funnel"]),
            "Service",
            "Stage",
            "referrals",
            "Funnel per service: referred → engaged → completed",
            period,
            "Referrals (count)",
        ),
        width="stretch",
    )
    st.dataframe(oc.funnel_table(referrals["funnel"]), hide_index=True, key="funnel_table")
    figure_caption(
        counts="referrals made; of them, reached engagement (engaged or completed), completed",
        period=f"referrals made {period}; outcome recorded by {end:%d %b %Y}",
        denominator="referrals made, per service",
    )
    with st.expander("Tables: referrals by service, outcome and month"):
        st.dataframe(referrals["funnel"].shown(percent=True), hide_index=True)
        st.dataframe(referrals["by_service"].shown(), hide_index=True)
        st.dataframe(referrals["by_outcome"].shown(percent=True), hide_index=True)

with timing:
    st.dataframe(
        oc.timing_summary(user.role, start, end, referrals["timing"]),
        hide_index=True,
        key="timing_table",
    )
    bins = referrals["timing"].long().rename(columns={"part": "Days"})
    bins = bins[~bins.Days.str.startswith("Hidden")]
    st.altair_chart(
        oc.grouped(
            bins,
            "Days",
            "Service",
            "count",
            "Days from referral to engagement, by service",
            f"referrals made {period}",
            "Referrals (count)",
        ),
        width="stretch",
    )
    figure_caption(
        counts="referrals whose recorded outcome is 'engaged', by days from referral to it",
        period=f"referrals made {period}, engaged by {end:%d %b %Y}",
        method="median and quartiles; completed referrals keep only their completion day "
        "and are left out; small groups get no median",
    )
    st.dataframe(referrals["timing"].shown(), hide_index=True)

with cohorts:
    months = (
        st.segmented_control(
            "Months after intake",
            oc.HORIZONS,
            default=6,
            key="cohort_months",
            format_func=lambda k: f"{k} months",
        )
        or 6
    )
    cohort = oc.cohort_tables(user.role, long_start, end, f.as_of, t, suppress)[months]
    st.altair_chart(
        oc.stacked(
            cohort.long(),
            "Intake month",
            f"Where each intake-month cohort stood {months} months after intake",
            f"intakes {long_period}",
            "Share of the cohort (%)",
            share=True,
        ),
        width="stretch",
    )
    st.dataframe(cohort.shown(percent=True), hide_index=True, key="cohort_table")
    figure_caption(
        counts=f"participants (enrollments) by intake month and status {months} months later: "
        "active (still enrolled), returned (exited, then a new intake by then), "
        "exited (exited, no new intake)",
        period=f"intakes {long_period}; months whose cohort has reached {months} months by "
        f"{f.as_of:%d %b %Y}",
        denominator="intakes in the month",
    )

with after:
    recontact = oc.recontact(user.role, long_start, end, f.as_of, t, suppress)
    st.altair_chart(
        oc.rate_chart(
            recontact,
            "Group",
            "Within",
            "Share with a new police contact after diversion or declining it",
            f"index days {long_period}",
            "People with a new contact (%)",
        ),
        width="stretch",
    )
    st.dataframe(
        recontact[["Group", "Within", "People", "With a new contact", "Share", "95% CI"]],
        hide_index=True,
        key="recontact_table",
    )
    figure_caption(
        counts="people with any police contact in this data after their index day: "
        "participants from their first intake, decliners from their first declined offer",
        period=f"index days {long_period}; only people followed up in full by {f.as_of:%d %b %Y}",
        denominator="people in the group",
        method="95% Wilson intervals",
    )
    st.warning(oc.RECONTACT_CAVEAT)

with fairness:
    dimension = st.selectbox(
        "Compare by", list(oc.DIMENSIONS), format_func=oc.DIMENSIONS.get, key="equity_dim"
    )
    diversion, engagement = oc.equity(user.role, start, end, f.offenses, t, suppress)[dimension]
    name = oc.DIMENSIONS[dimension].lower()
    left, right = st.columns(2)
    with left:
        st.altair_chart(
            oc.rate_chart(
                diversion,
                "grp",
                None,
                f"Eligible contacts diverted by {name}",
                period,
                "Diverted (% of eligible contacts)",
            ),
            width="stretch",
        )
        st.dataframe(oc.equity_view(diversion, "eligible"), hide_index=True, key="eq_div")
        figure_caption(
            counts=f"eligible contacts ({f.offense_label}) diverted, declined, not offered",
            period=period,
            denominator="eligible contacts: drug or prostitution inside the catchment",
            method="95% Wilson intervals",
        )
    with right:
        st.altair_chart(
            oc.rate_chart(
                engagement,
                "grp",
                None,
                f"Participants engaged with a service by {name}",
                f"intakes {period}",
                "Engaged (% of participants)",
            ),
            width="stretch",
        )
        st.dataframe(oc.equity_view(engagement, "participants"), hide_index=True, key="eq_eng")
        figure_caption(
            counts="participants with a service referral that reached engagement",
            period=f"intakes {period}; outcomes recorded by {end:%d %b %Y}",
            denominator="participants with an intake in the period",
            method="95% Wilson intervals; group from the person's police contact record",
        )
