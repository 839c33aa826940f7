"""Program capacity: the census against the cap, intake flow, caseloads and a forecast."""

from datetime import timedelta

import streamlit as st

from dashboard import access, auth, doors, filters, url_state
from dashboard.capacity import charts, data, released, sections, tiles
from dashboard.components import figure_caption, how_calculated
from dashboard.components import tiles as draw_tiles
from program import capacity as cap
from program import doors as door_rules
from program import forecast

user = auth.require_user()
f = filters.current()
if not user.sees_person_level:  # command, leadership: public census and a release
    released.draw(user, f)
    st.stop()
choices = [  # in the address: ?day=2026-10-15&rates=90&extra=5
    url_state.DayChoice("day", "capacity_as_of", (f.first, f.as_of), f.end),
    url_state.Choice("rates", "capacity_lookback", cap.LOOKBACK_DAYS, cap.LOOKBACK_DAYS[1]),
    url_state.Choice("extra", "capacity_extra", tuple(range(201)), 0),
]
if st.session_state.get("capacity_as_of_end", f.end) != f.end:  # a new sidebar period
    st.session_state.pop("capacity_as_of", None)  # the day follows its end again
st.session_state["capacity_as_of_end"] = f.end
url_state.page_choices("capacity", choices)
day = st.columns([1, 3])[0].date_input(
    "As of", min_value=f.first, max_value=f.as_of, key="capacity_as_of"
)
settings = data.settings(user.role, day)
threshold = access.threshold(user, day)
start, _ = cap.period_of(day, f.days, f.first)
ref_day = day - timedelta(days=f.days)
period = f"{start:%d %b %Y} – {day:%d %b %Y}"
pilot = f"pilot to date, {f.first:%d %b %Y} – {day:%d %b %Y}"

census = data.census(user.role, f.first, day)
now = census.iloc[-1]
in_period = data.window(user.role, start, day)
sections.headline(
    census,
    day,
    ref_day,
    in_period,
    int(settings.intake_window_days),
    label=period,
    pilot=pilot,
    method="census computed in the database from enrollment dates, day by day; program-wide "
    "totals, not suppressed",
)
median_column = sections.census_and_flow(
    settings, day, census, data.weekly_flow(user.role, f.first, day), pilot
)
with median_column:
    whole = data.window(user.role, f.first, day)
    for tile in tiles.medians(in_period, whole, threshold, period):
        draw_tiles([tile])
figure_caption(
    counts="active participants and referrals waiting for intake each day; intakes and exits "
    "per week (exits: participants leaving after an intake)",
    period=f"{pilot}; medians {period} and pilot to date",
    denominator="capacity line: the setting in force each day",
    method="intakes and exits are program-wide totals (the daily census moves by them), shown "
    "for every role",
)

doors.draw_flow(user, start, day)

st.subheader("Caseloads")
flag, breach = int(settings.caseload_flag), int(settings.caseload_breach)
caseloads = data.caseloads(user.role, day)
st.markdown(door_rules.caseload_summary(caseloads, settings))
table, bars = cap.caseload_view(caseloads, flag, breach, threshold)
sections.caseloads(table, bars, flag, breach, day, threshold)
figure_caption(
    counts="active participants per case manager; in the wind: no meeting nor intake in the "
    f"last {settings.in_the_wind_days} days",
    period=f"on {day:%d %b %Y}",
    denominator=f"flagged above {flag}, breach above {breach} (settings caseload_flag and "
    "caseload_breach)",
    method=f"{cap.NOT_ASSIGNED}: active participants without a case manager",
)

st.subheader("Forecast")
left, right, _ = st.columns([1, 1, 2])
lookback = left.selectbox(
    "Recent rates from the last",
    cap.LOOKBACK_DAYS,
    format_func=lambda days: f"{days} days",
    key="capacity_lookback",
)
extra = int(
    right.number_input(
        "What-if: extra referrals per month",
        min_value=0,
        max_value=200,
        step=1,
        key="capacity_extra",
    )
)
url_state.write_choices(choices)
result, rates = data.projection(user.role, day, lookback, extra)
if result is None:
    st.info(f"No intake in the last {lookback} days: too little to learn intake delays from.")
    how_calculated(forecast.METHOD)  # what the forecast would have used
    st.stop()
for sentence in cap.outlook(result, bool(now.active >= now.capacity)):
    st.markdown(f"- {sentence}")
baseline = data.projection(user.role, day, lookback, 0)[0] if extra else None
st.altair_chart(charts.projection_chart(result, baseline, extra), width="stretch")
figure_caption(
    counts="simulated active participants and referrals waiting for intake, per day",
    period=f"the {forecast.HORIZON_DAYS} days after {day:%d %b %Y}",
    denominator="the capacity in force on each future day (future-dated settings included)",
    method=f"the program's next year played out {forecast.RUNS} times from the rates of the "
    f"last {lookback} days: the line is the middle outcome, the shaded band where 8 in 10 "
    "of them fall",
)
first = day - timedelta(days=lookback - 1)
how_calculated(forecast.METHOD).dataframe(
    cap.parameters(rates, extra, first, day), hide_index=True, height="content"
)
