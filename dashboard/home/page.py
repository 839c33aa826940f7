"""Overview: the program at a glance, as of the end of the chosen period."""

from datetime import timedelta

import streamlit as st

from dashboard import auth, filters
from dashboard.components import figure_caption, tiles
from dashboard.home import data
from dashboard.home.tiles import activity_tiles, census_tiles, with_trends

user = auth.require_user()
f = filters.current()
prev_start, prev_end = f.previous
ref_day = f.end - timedelta(days=f.days)
trends = data.trends(user, f)
months = data.month_ends(f.end)
trend_note = (
    f"trend lines: the {len(months)} complete months {months[0]:%b %Y} – {months[-1]:%b %Y}"
)

census = data.census(user, f.end, ref_day)
if census is None:
    st.info("The public census is stored with the releases: not yet for these days.")
else:
    tiles(with_trends(census_tiles(census, ref_day), trends))
    figure_caption(
        counts="participants (people), not contacts",
        period=f"on {f.end:%d %b %Y}, compared with {ref_day:%d %b %Y}",
        denominator="program capacity in force that day",
        method="census computed in PostGIS from enrollment dates (intake, exit)"
        + ("" if user.sees_person_level else "; the public census stored with the releases")
        + f"; {trend_note}, each on the month's last day",
    )

counts = data.contacts(user.role, f)
officers = data.trained_officers(user.role, f.end, ref_day)
tiles(with_trends(activity_tiles(counts, officers, f.days), trends))
figure_caption(
    counts=f"police contacts ({f.offense_label}) and those diverted to LEAD",
    period=f"{f.label} vs {prev_start:%d %b %Y} – {prev_end:%d %b %Y}",
    denominator="eligible contacts: drug or prostitution contacts inside the catchment",
    method="officers with a LEAD training completed and not expired on the last day; "
    f"{trend_note}: monthly totals, trained officers on the month's last day",
)
