"""Overview: the program at a glance, as of the end of the chosen period."""

from datetime import timedelta

import streamlit as st

from dashboard import auth, data, filters
from dashboard.components import Tile, as_of_line, figure_caption, percent, tiles

user = auth.require_user()
f = filters.current()
prev_start, prev_end = f.previous
ref_day = f.end - timedelta(days=f.days)

st.title("LEAD Ops · Overview")
as_of_line(f.as_of, auth.ROLE_LABELS[user.role])

census = data.query(user.role, "home/census_on", day=f.end, ref_day=ref_day).set_index("period")
now, before = census.loc["current"], census.loc["previous"]
open_slots = max(int(now.capacity) - int(now.active), 0)
tiles(
    [
        Tile(
            "Active participants",
            f"{now.active} of {now.capacity}",
            f"Capacity {now.capacity} (program rule) · {before.active} on {ref_day:%d %b %Y}",
            change=int(now.active - before.active),
            better="neither",
            help="People with an intake on or before the day and no exit by then.",
        ),
        Tile(
            "Open slots",
            f"{open_slots}",
            f"{now.pending} referrals wait for intake",
            change=open_slots - max(int(before.capacity) - int(before.active), 0),
            better="neither",
        ),
        Tile(
            "Overdue intakes",
            f"{now.overdue}",
            "Target 0 · waiting longer than the intake window",
            change=int(now.overdue - before.overdue),
            better="lower",
        ),
    ]
)
figure_caption(
    counts="participants (people), not contacts",
    period=f"on {f.end:%d %b %Y}, compared with {ref_day:%d %b %Y}",
    denominator="program capacity in force that day",
    method="census computed in PostGIS from enrollment dates (intake, exit)",
)

counts = data.query(
    user.role,
    "home/contacts_two_periods",
    start=f.start,
    end=f.end,
    prev_start=prev_start,
    prev_end=prev_end,
    offenses=f.offenses,
).set_index("period")
cur, prev = counts.loc["current"], counts.loc["previous"]
officers = data.query(user.role, "home/trained_officers", day=f.end, ref_day=ref_day)
officers = officers.set_index("period")
trained, trained_before = officers.loc["current"], officers.loc["previous"]
tiles(
    [
        Tile(
            "Contacts",
            f"{cur.contacts:,}",
            f"{prev.contacts:,} in the previous {f.days} days",
            change=int(cur.contacts - prev.contacts),
            better="neither",
        ),
        Tile(
            "Diversions",
            f"{cur.diverted:,}",
            f"{prev.diverted:,} in the previous {f.days} days",
            change=int(cur.diverted - prev.diverted),
            better="higher",
        ),
        Tile(
            "Eligible contacts diverted",
            percent(cur.diverted, cur.eligible),
            f"{cur.diverted:,} of {cur.eligible:,} eligible · previously "
            f"{percent(prev.diverted, prev.eligible)}",
            better="higher",
        ),
        Tile(
            "LEAD-trained officers",
            f"{trained.trained_officers}",
            f"Target {trained.target:.0f} · {trained.active_officers} active officers",
            change=int(trained.trained_officers - trained_before.trained_officers),
            better="higher",
        ),
    ]
)
figure_caption(
    counts=f"police contacts ({f.offense_label}) and those diverted to LEAD",
    period=f"{f.label} vs {prev_start:%d %b %Y} – {prev_end:%d %b %Y}",
    denominator="eligible contacts: drug or prostitution contacts inside the catchment",
    method="officers with a LEAD training completed and not expired on the last day",
)
