"""Officer training: who can divert, where, and what is missed."""

from datetime import timedelta

import streamlit as st
from streamlit_folium import st_folium

from dashboard import auth, data, filters, maps
from dashboard import training as tr
from dashboard.components import Tile, as_of_line, figure_caption, tiles

user = auth.require_user()
f = filters.current()
ref_day = f.end - timedelta(days=f.days)
settings = data.query(user.role, "training/settings_on", day=f.end).iloc[0]
threshold = 0 if user.sees_person_level else int(settings.small_cell_threshold)

st.title("LEAD Ops · Officer training")
as_of_line(f.as_of, auth.ROLE_LABELS[user.role])

roster = data.query(user.role, "training/coverage_cells", day=f.end)
left, right, _ = st.columns([1, 1, 2])
sector = left.selectbox("Sector", tr.scope_options(roster, "sector"), key="training_sector")
shift = right.selectbox("Shift", tr.scope_options(roster, "shift"), key="training_shift")
scope = {
    "sector": None if sector == tr.ALL else sector,
    "shift": None if shift == tr.ALL else shift,
}
scope_label = f"sector: {sector.lower()}, shift: {shift.lower()}"

cells = tr.in_scope(roster, **scope)
before = tr.in_scope(data.query(user.role, "training/coverage_cells", day=ref_day), **scope)
trained, active = int(cells.trained_officers.sum()), int(cells.active_officers.sum())
outcomes = data.query(
    user.role, "training/contact_outcomes", start=f.start, end=f.end, offenses=f.offenses, **scope
)
diversion = tr.diversion_by_training(outcomes, threshold)
missed = tr.missed_opportunities(outcomes, threshold)
expiring = data.query(
    user.role, "training/expiring_by_sector", day=f.end, days=int(settings.warning_days), **scope
)
expires_by = f.end + timedelta(days=int(settings.warning_days))
rates = diversion.shown.set_index("Officer at the time of the contact")
tiles(
    [
        Tile(
            "Officers with current LEAD training",
            f"{trained} of {active}",
            f"{tr.share_text(trained, active)} of active officers · target "
            f"{settings.target} trained officers (all sectors and shifts)",
            change=trained - int(before.trained_officers.sum()),
            better="higher",
        ),
        Tile(
            "Diverted by trained officers",
            rates.loc["LEAD-trained", "Diverted"],
            f"of {rates.loc['LEAD-trained', 'Eligible contacts']} eligible contacts · "
            f"untrained officers: {rates.loc['Not trained', 'Diverted']}",
            better="higher",
        ),
        Tile(
            "Missed opportunities",
            missed.shown.iloc[-1, -1],
            "eligible contacts arrested by officers without current training",
            better="lower",
        ),
        Tile(
            f"Trainings expiring within {settings.warning_days} days",
            f"{int(expiring.expiring_officers.sum())}",
            f"active officers whose training runs out by {expires_by:%d %b %Y}",
            better="lower",
        ),
    ]
)
figure_caption(
    counts=f"officers ({scope_label}); eligible contacts ({f.offense_label})",
    period=f"coverage on {f.end:%d %b %Y} (change since {ref_day:%d %b %Y}); contacts {f.label}",
    denominator="active officers of the district on the roster; eligible contacts: drug or "
    "prostitution contacts inside the catchment in force that day",
    method="training current = completed, not expired (valid through its expiry day); "
    "for contacts evaluated on the contact's own date; unknown officers count as untrained",
)

st.subheader("Where trained officers are")
map_column, table_column = st.columns([3, 2])
with map_column:
    fmap = tr.coverage_map(tr.areas_on(user.role, f.end), cells)
    st_folium(
        maps.offline(fmap),
        height=520,
        use_container_width=True,
        returned_objects=[],
        key="training_map",
    )
with table_column:
    st.dataframe(tr.coverage_table(cells, "post", "Post"), hide_index=True)
figure_caption(
    counts=f"active officers by their roster post, and those with current LEAD training "
    f"({scope_label})",
    period=f"on {f.end:%d %b %Y}",
    denominator="active officers of the post",
    method="post boundaries are approximations (drawn from geocoded arrests), not the "
    "official BPD layer; the catchment in force that day is outlined in orange",
)
sector_column, shift_column = st.columns(2)
sector_column.altair_chart(tr.coverage_bars(cells, "sector", "Sector", f.end), width="stretch")
shift_column.altair_chart(tr.coverage_bars(cells, "shift", "Shift", f.end), width="stretch")

span = data.query(user.role, "session/data_span").iloc[0]
trend = data.query(user.role, "training/coverage_monthly", start=span.first_day, end=f.end, **scope)
trend_period = f"{span.first_day:%b %Y} – {f.end:%b %Y}"
st.altair_chart(tr.trend_chart(trend, trend_period), width="stretch")
figure_caption(
    counts=f"active officers with current LEAD training at each month end ({scope_label})",
    period=f"pilot to date, {trend_period}; the last month is measured on {f.end:%d %b %Y}",
    denominator="officers active on today's roster (the roster keeps no start or leave "
    "dates, so officers who left are not counted in earlier months)",
)

st.subheader("Diversion and missed opportunities")
rate_column, missed_column = st.columns([2, 3])
with rate_column:
    st.markdown("**Diversion rate by officer training at the time of the contact**")
    st.dataframe(diversion.shown, hide_index=True)
with missed_column:
    st.markdown("**Missed opportunities by post and shift**")
    st.dataframe(missed.shown.rename(columns={"post": "Post"}), hide_index=True)
figure_caption(
    counts=f"eligible contacts ({f.offense_label}); missed opportunities: those ending in "
    "arrest by an officer without current training",
    period=f.label,
    denominator="eligible contacts: drug or prostitution contacts inside the catchment in "
    "force that day",
    method=f"post where the contact happened × the officer's roster shift ({scope_label}, by "
    "the handling officer); contacts by officers not on the roster count as untrained"
    + ("; counts from 1 to 10 shown as <11, with complementary suppression" if threshold else ""),
)

st.subheader(f"Trainings expiring within {settings.warning_days} days")
if user.role in tr.ROSTER_ROLES:
    rows = data.query(
        user.role, "training/expiring", day=f.end, days=int(settings.warning_days), **scope
    )
    st.dataframe(rows, hide_index=True)
    who = "one row per officer (police personnel data: command staff and admins only)"
else:
    st.dataframe(
        expiring.rename(columns={"sector": "Sector", "expiring_officers": "Officers"}),
        hide_index=True,
    )
    who = "officers by sector; officer-level rows are for police command staff"
figure_caption(
    counts=f"active officers whose current training runs out ({scope_label}): {who}",
    period=f"{f.end:%d %b %Y} to {expires_by:%d %b %Y} (setting training_expiry_warning_days)",
    method="an officer's cover ends with the latest expiry among trainings current on "
    f"{f.end:%d %b %Y}; a refresher already taken moves it",
)
