"""Program capacity for roles without person-level access: the public census and weekly
flow (stored with the releases), and caseloads, medians of stays and waits, the waiting
list and waits of the chosen release (``dashboard.releases``)."""

from datetime import timedelta

import streamlit as st

from dashboard import doors, releases
from dashboard.capacity import data, sections
from dashboard.components import Tile, figure_caption
from dashboard.components import tiles as draw_tiles
from dashboard.filters import Filters
from geo.privacy import DEFAULT_THRESHOLD
from program import capacity as cap
from program.access import User


def draw(user: User, f: Filters) -> None:
    release = releases.picker(user, f, key="capacity_release")
    day, first = release.last_day, release.first_day
    settings = data.settings(user.role, day)
    pilot = f"pilot to date, {f.first:%d %b %Y} – {day:%d %b %Y}"
    census = data.public_census(user.role, f.first, day)
    if census.empty:
        st.info("The public census is stored with the releases: none for this day yet.")
        return
    ref_day = first - timedelta(days=1)
    sections.headline(
        census,
        day,
        ref_day,
        data.days_at_capacity(census, first, day),
        int(settings.intake_window_days),
        label=release.title,
        pilot=pilot,
        method="the public census stored with the releases; program-wide totals",
    )
    flow = data.public_flow(user.role, f.first, day)
    median_column = sections.census_and_flow(settings, day, census, flow, pilot)
    with median_column:
        for tile in _medians(user, release):
            draw_tiles([tile])
    figure_caption(
        counts="active and pending each day; intakes and exits per week",
        period=f"{pilot}; medians {release.title}",
        method="medians as the release shows them (withheld for groups that are hidden or "
        "too small)",
    )
    doors.draw_flow(user, first, day, release, key="release_doors")
    _caseloads(user, release, settings)
    st.subheader("Waiting list and waits")
    for column, (name, row_name) in zip(
        st.columns(2),
        (("pending_ages", "Waiting (days)"), ("intake_delays", "Days referral → intake")),
        strict=True,
    ):
        table = data.release_table(user.role, release, name, row_name)
        if table is None:
            column.info(f"{row_name}: not published for this release.")
        else:
            column.dataframe(table, hide_index=True, key=f"release_{name}")
    figure_caption(
        counts="referrals waiting for intake on the last day by days waited (overdue: past the "
        "intake window); intakes of the release by days waited, at or not at capacity",
        period=release.title,
        method="waits are published for quarters and longer",
    )
    st.info(
        "The forecast simulates from each waiting referral's exact age and delay: it is "
        "shown to case managers and administrators."
    )


def _medians(user: User, release) -> list[Tile]:
    flow = data.release_flow(user.role, release)
    shown = []
    for title, median, people, what in (
        ("Median length of stay", "median_stay", "exits", "exits"),
        ("Median days referral → intake", "median_wait", "intakes", "intakes"),
    ):
        value, label = flow[median]
        text = label if value is None else f"{value:g} days"
        shown.append(
            Tile(title, text, f"{flow.get(people, '–')} {what}, {release.label}", better="neither")
        )
    return shown


def _caseloads(user: User, release, settings) -> None:
    st.subheader("Caseloads")
    flag, breach = int(settings.caseload_flag), int(settings.caseload_breach)
    table, bars = data.release_caseloads(user.role, release, flag, breach)
    if table.empty:
        st.info("Caseloads are not published for this release.")
        return
    sections.caseloads(table, bars, flag, breach, release.last_day, DEFAULT_THRESHOLD)
    figure_caption(
        counts="active participants per case manager (numbered, never named); in the wind: "
        f"no meeting nor intake in the last {settings.in_the_wind_days} days",
        period=f"on {release.last_day:%d %b %Y}",
        denominator=f"flagged above {flag}, breach above {breach}",
        method=f"{cap.NOT_ASSIGNED}: active participants without a case manager",
    )
