"""The shared filters in the address bar, so that a link or a bookmark reopens the view.

``?period=previous-month&offence=drug,prostitution`` or
``?period=custom&from=2026-09-01&to=2026-09-30``. The page itself is the address's path
(``st.navigation``). A session takes the address's filters once, on its first run, into
the filter widgets' state; from then on the widgets lead and every run writes them back
to the address (a page switch empties the query string). A value the dashboard does not
know (a mistyped preset, a date outside the data, an unknown offence, anything hostile)
is ignored: that filter keeps its default.
"""

from datetime import date

import streamlit as st

SEEDED = "filters_from_url"  # session key: the address has been read once
MAX_VALUE = 200  # longer values are not even parsed


def slug(preset: str) -> str:
    """A preset's name in the address: "Previous month" -> "previous-month"."""
    return preset.lower().replace(" ", "-")


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return value if isinstance(value, str) and len(value) <= MAX_VALUE else None


def _day(text: str | None, first: date, last: date) -> date | None:
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return None
    return day if first <= day <= last else None


def parse(
    presets: tuple[str, ...], offenses: tuple[str, ...], first: date, as_of: date
) -> dict[str, object]:
    """The filter widgets' values the address asks for, by widget key; only valid ones."""
    values: dict[str, object] = {}
    by_slug = {slug(p): p for p in presets}
    preset = by_slug.get((_param("period") or "").lower())
    if preset is not None:
        values["filter_preset"] = preset
    start, end = _day(_param("from"), first, as_of), _day(_param("to"), first, as_of)
    if preset == "Custom" and start and end and start <= end:
        values["filter_custom_range"] = (start, end)
    chosen = [o for o in (_param("offence") or "").lower().split(",") if o]
    if chosen and set(chosen) <= set(offenses):
        values["filter_offenses"] = [o for o in offenses if o in chosen]
    return values


def seed(presets: tuple[str, ...], offenses: tuple[str, ...], first: date, as_of: date) -> None:
    """On a session's first run, put the address's filters into the widgets' state (a
    value already there, set by the session itself, wins)."""
    if st.session_state.get(SEEDED):
        return
    st.session_state[SEEDED] = True
    for key, value in parse(presets, offenses, first, as_of).items():
        st.session_state.setdefault(key, value)


def write(preset: str, start: date, end: date, offenses: list[str]) -> None:
    """Put the filters in force into the address, leaving its other parameters alone."""
    wanted = {"period": slug(preset), "offence": ",".join(offenses)}
    if preset == "Custom":
        wanted |= {"from": start.isoformat(), "to": end.isoformat()}
    else:
        for name in ("from", "to"):
            if name in st.query_params:
                del st.query_params[name]
    for name, value in wanted.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
