"""The frame's banner for a period the catchment does not cover."""

from datetime import date

import streamlit as st

from dashboard import database


def catchment_gap_banner(role: str, start: date, end: date) -> None:
    """Warn when no usable catchment is in force on some days of the period: on those
    days no contact can be inside the catchment or just outside it, so those figures
    would read 0 without saying why."""
    gaps = database.query(role, "session/catchment_gaps", start=start, end=end).iloc[0]
    if not gaps.days:
        return
    when = _days(gaps, (end - start).days + 1)
    st.warning(
        f"**No LEAD catchment is in force {when}.** Contacts on those days "
        "count as neither inside the catchment nor just outside it. An administrator can "
        "import the program's catchment: `python -m ingest areas <file> --area-kind "
        "catchment` (docs/geography.md).",
    )


def _days(gaps, total: int) -> str:
    if gaps.days >= total:
        return "on any day of this period"
    if gaps.days == 1:
        return f"on {gaps.first_day:%d %b %Y}, a day of this period"
    return (
        f"on {gaps.days} of the {total} days of this period "
        f"(between {gaps.first_day:%d %b %Y} and {gaps.last_day:%d %b %Y})"
    )
