"""Officer training: who can divert, where, and what is missed."""

from datetime import timedelta

import streamlit as st
from streamlit_folium import st_folium

from dashboard import access, auth, filters, maps
from dashboard.components import chart, figure_caption, how_calculated, tiles
from dashboard.training import charts, data, mapping
from dashboard.training.tiles import headline
from program import training as tr

user = auth.require_user()
f = filters.current()
ref_day = f.end - timedelta(days=f.days)
settings = data.settings(user.role, f.end)
threshold = access.threshold(user, f.end)
warning_days = int(settings.warning_days)
expires_by = f.end + timedelta(days=warning_days)

roster = data.roster(user.role, f.end)
left, right, _ = st.columns([1, 1, 2])
sector = left.selectbox("Sector", tr.scope_options(roster, "sector"), key="training_sector")
shift = right.selectbox("Shift", tr.scope_options(roster, "shift"), key="training_shift")
scope = {
    "sector": None if sector == tr.ALL else sector,
    "shift": None if shift == tr.ALL else shift,
}
scope_label = f"sector: {sector.lower()}, shift: {shift.lower()}"

cells = tr.in_scope(roster, **scope)
before = tr.in_scope(data.roster(user.role, ref_day), **scope)
outcomes = data.contact_outcomes(user.role, f.start, f.end, f.offenses, **scope)
diversion = tr.diversion_by_training(outcomes, threshold)
missed = tr.missed_opportunities(outcomes, threshold)
expiring = data.expiring_by_sector(user.role, f.end, warning_days, **scope)
total_expiring = int(expiring.expiring_officers.sum())
tiles(headline(cells, before, diversion, missed, total_expiring, settings, expires_by))
figure_caption(
    counts=f"officers ({scope_label}); eligible contacts ({f.offense_label})",
    period=f"coverage on {f.end:%d %b %Y} (change since {ref_day:%d %b %Y}); contacts {f.label}",
    denominator="active officers of the district on the roster; eligible contacts: drug or "
    "prostitution contacts inside the catchment in force that day",
    method="training current = completed and not expired (valid through its expiry day), "
    "for contacts on the contact's own date; officers not on the roster count as untrained",
)
how_calculated(tr.METHOD)

st.subheader("Where trained officers are")
map_column, table_column = st.columns([3, 2])
with map_column:
    fmap = mapping.coverage_map(data.areas_on(user.role, f.end), cells)
    st_folium(
        maps.offline(fmap),
        height=560,
        use_container_width=True,
        returned_objects=[],
        key="training_map",
    )
table_column.dataframe(tr.coverage_table(cells, "post", "Post"), hide_index=True, height="content")
figure_caption(
    counts=f"active officers by roster post and those with current LEAD training ({scope_label})",
    period=f"on {f.end:%d %b %Y}",
    denominator="active officers of the post",
    method="post boundaries are approximations (drawn from geocoded arrests), not the official "
    "BPD layer; the catchment in force that day is outlined in orange",
)
no_roster = f"No active officer on the roster ({scope_label}) on {f.end:%d %b %Y}."
by = (("sector", "Sector"), ("shift", "Shift"))
for column, (key, label) in zip(st.columns(2), by, strict=True):
    figure = charts.coverage_bars(cells, key, label, f.end)
    chart(figure, cells.active_officers, no_roster, where=column)

trend = data.monthly_coverage(user.role, f.first, f.end, **scope)
trend_period = f"{f.first:%b %Y} – {f.end:%b %Y}"
chart(charts.trend_chart(trend, trend_period), trend.active_officers, no_roster)
figure_caption(
    counts=f"active officers with current LEAD training at each month end ({scope_label})",
    period=f"pilot to date, {trend_period}; the last month is measured on {f.end:%d %b %Y}",
    denominator="officers active on today's roster (the roster keeps no start or leave dates, "
    "so officers who have left are not counted in earlier months)",
)

st.subheader("Diversion and missed opportunities")
if not tr.ELIGIBLE_OFFENSES & set(f.offenses):
    st.info("Only drug and prostitution contacts are eligible: choose one of them in the sidebar.")
rate_column, missed_column = st.columns([7, 6])
rate_column.markdown("**Diversion rate by the officer's training at the time of the contact**")
short = {tr.OFFICER: "Officer", "Eligible contacts": "Eligible"}  # the heading says it all
rate_column.dataframe(
    diversion.shown,
    hide_index=True,
    height="content",
    column_config={c: st.column_config.Column(v, help=c) for c, v in short.items()},
)
missed_column.markdown("**Missed opportunities by post and shift**")
missed_column.dataframe(
    missed.shown.rename(columns={"post": "Post"}), hide_index=True, height="content"
)
suppression = (
    f"; counts from 1 to {threshold} are shown as <{threshold + 1}, and others hidden so "
    "they cannot be worked out"
    if threshold
    else ""
)
figure_caption(
    counts=f"eligible contacts ({f.offense_label}); missed opportunities: those ending in "
    "arrest by an officer without current training",
    period=f.label,
    denominator="eligible contacts: drug or prostitution contacts inside the catchment in "
    "force that day",
    method=f"post where the contact happened × the officer's roster shift ({scope_label}, by "
    f"the handling officer); officers not on the roster count as untrained{suppression}",
)

st.subheader(f"Trainings expiring within {warning_days} days")
if user.sees_officer_rows:
    rows = data.expiring_officers(user.role, f.end, warning_days, **scope)
    st.dataframe(
        rows.rename(columns=tr.EXPIRING_COLUMNS),
        hide_index=True,
        height="content" if len(rows) <= 25 else 600,
    )
    who = "one row per officer (police personnel data: command staff and admins only)"
else:
    st.dataframe(
        expiring.rename(columns={"sector": "Sector", "expiring_officers": "Officers"}),
        hide_index=True,
        height="content",
    )
    who = "officers by sector; officer-level rows are for police command staff"
figure_caption(
    counts=f"active officers whose current training runs out ({scope_label}): {who}",
    period=f"{f.end:%d %b %Y} to {expires_by:%d %b %Y} (setting training_expiry_warning_days)",
    method="an officer's cover ends with the latest expiry among the trainings current on "
    f"{f.end:%d %b %Y}; a refresher already taken moves it",
)
