"""The sidebar filters every page shares, kept in ``st.session_state``.

Period: a preset (last 30/90 days, this month, previous month, quarter, pilot to date)
or a custom range, always ending no later than the data's "as of" date. Offence: drug,
prostitution, other. Pages read them with :func:`current`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import streamlit as st

from dashboard import url_state
from program import review

OFFENSES = ("drug", "prostitution", "other")
OFFENSE_LABELS = {"drug": "Drug", "prostitution": "Prostitution", "other": "Other"}
PRESETS = (
    "Last 30 days",
    "Last 90 days",
    "This month",
    "Previous month",
    "This quarter",
    "Last 12 months",
    "Pilot to date",
    "Custom",
)


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    offenses: tuple[str, ...]
    as_of: date
    first: date  # the first day with data (the pilot's start)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def previous(self) -> tuple[date, date]:
        """The period of the same length just before this one."""
        return self.start - timedelta(days=self.days), self.start - timedelta(days=1)

    @property
    def label(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"

    @property
    def offense_label(self) -> str:
        if set(self.offenses) == set(OFFENSES):
            return "all offences"
        return " and ".join(OFFENSE_LABELS[o].lower() for o in self.offenses) + " offences"


def preset_range(preset: str, as_of: date, first: date) -> tuple[date, date]:
    """The dates a preset covers, ending on the as-of date."""
    if preset == "Last 30 days":
        return as_of - timedelta(days=29), as_of
    if preset == "Last 90 days":
        return as_of - timedelta(days=89), as_of
    if preset == "This month":
        return as_of.replace(day=1), as_of
    if preset == "Previous month":
        last = as_of.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    if preset == "This quarter":
        return date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1), as_of
    if preset == "Last 12 months":
        return as_of - timedelta(days=364), as_of
    return first, as_of


def until_as_of(start: date, end: date, as_of: date) -> tuple[date, date, str]:
    """The range stopped at the as-of date (no figure counts days that have not happened),
    with a note saying so ("" when nothing was cut)."""
    if end <= as_of:
        return start, end, ""
    start = min(start, as_of)
    return (
        start,
        as_of,
        f"Period stopped at the data's as-of date: {start:%d %b %Y} – {as_of:%d %b %Y}.",
    )


def sidebar(as_of: date, first: date) -> Filters:
    """Draw the shared filters in the sidebar and return them."""
    st.sidebar.markdown(f"**Data as of {as_of:%A %d %B %Y}**")
    url_state.seed(PRESETS, OFFENSES, first, as_of)
    # Defaults through the state, never as widget arguments: the address may set them.
    st.session_state.setdefault("filter_offenses", ["drug", "prostitution"])
    st.session_state.setdefault("filter_custom_range", (first, as_of))
    preset = st.sidebar.selectbox("Period", PRESETS, index=0, key="filter_preset")
    start, end = preset_range(preset, as_of, first)
    if preset == "Custom":
        chosen = st.sidebar.date_input(
            "From – to",
            min_value=first,
            max_value=as_of,
            key="filter_custom_range",
        )
        if isinstance(chosen, tuple) and len(chosen) == 2:
            start, end = chosen
    start, end, note = until_as_of(start, end, as_of)
    whole = {"This month": review.month_of, "This quarter": review.quarter_of}.get(preset)
    if whole and whole(end).end > end:
        note = f"{preset} so far: {start:%d %b} – {end:%d %b %Y}, partial."
    if note:
        st.sidebar.caption(note)
    offenses = st.sidebar.multiselect(
        "Offence",
        OFFENSES,
        format_func=OFFENSE_LABELS.get,
        key="filter_offenses",
    )
    if not offenses:
        st.sidebar.caption("No offence chosen: showing all offences.")
        offenses = list(OFFENSES)
    url_state.write(preset, start, end, offenses)
    filters = Filters(start, end, tuple(offenses), as_of, first)
    st.session_state["filters"] = filters
    return filters


def current() -> Filters:
    """The filters the app frame drew for this run (every page runs inside the frame)."""
    return st.session_state["filters"]
