"""The shared filters and each page's own choices in the address bar, so that a link or
a bookmark reopens the view.

``?period=previous-month&offence=drug,prostitution`` or
``?period=custom&from=2026-09-01&to=2026-09-30``. The page itself is the address's path
(``st.navigation``). A session takes the address's filters once, on its first run, into
the filter widgets' state; from then on the widgets lead and every run writes them back
to the address (a page switch empties the query string). A value the dashboard does not
know (a mistyped preset, a date outside the data, an unknown offence, anything hostile)
is ignored: that filter keeps its default.

A page's own choices (the map's layers, colour mode and shift; the Review's period and
topic; the release shown) work the same way, each page reading the address on its first
run in the session (:func:`page_choices`, :class:`Choice`).
"""

from dataclasses import dataclass
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
    custom = preset == "Custom"
    put("period", slug(preset))
    put("offence", ",".join(offenses))
    put("from", start.isoformat() if custom else None)
    put("to", end.isoformat() if custom else None)


# --- a page's own choices ---------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One of a page's widgets in the address: ``?<param>=<text>``. ``options``: the
    values it may take (``many``: a comma-separated subset of them); ``default``: its
    value when the address does not say. A value's text is ``str(value)``, or "on"/"off"
    for a switch."""

    param: str
    key: str  # the widget's session-state key
    options: tuple
    default: object
    many: bool = False

    def text(self, value) -> str | None:
        if self.many:
            return ",".join(map(_text, value or ()))
        return None if value is None else _text(value)

    def read(self, text: str | None):
        """The value ``text`` names, or None when it names none of the options."""
        if text is None:
            return None
        by_text = {_text(option): option for option in self.options}
        if not self.many:
            return by_text.get(text.lower())
        chosen = [part for part in text.lower().split(",") if part]
        if not set(chosen) <= set(by_text):
            return None
        return [option for option in self.options if _text(option) in chosen]


def _text(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value).lower()


class DayChoice(Choice):
    """A date widget in the address (``2026-10-31``), ``options`` = (first, last) day."""

    def text(self, value) -> str | None:
        return value.isoformat() if isinstance(value, date) else None

    def read(self, text: str | None):
        return _day(text, *self.options)


def once(scope: str, param: str) -> str | None:
    """The address's ``param`` on the first run of ``scope`` (a page) in the session;
    None on later runs, and when the address does not hold it. Call it once per run."""
    seeded = f"{SEEDED}:{scope}:{param}"
    if st.session_state.get(seeded):
        return None
    st.session_state[seeded] = True
    return _param(param)


def put(param: str, text: str | None) -> None:
    """Write ``param`` into the address (remove it for None or empty)."""
    if not text:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != text:
        st.query_params[param] = text


def page_choices(page: str, choices: list[Choice]) -> None:
    """Before the page draws its widgets: on the page's first run in the session its
    choices come from the address (what the address does not name, or names wrongly,
    keeps its default); after that the widgets lead. The widgets then take their values
    from the state only (no default argument), so the address can set them."""
    for choice in choices:
        value = choice.read(once(page, choice.param))
        if value is not None:
            st.session_state[choice.key] = value
        elif choice.key not in st.session_state:
            st.session_state[choice.key] = choice.default


def write_choices(choices: list[Choice]) -> None:
    """After the widgets: put the choices in force into the address (the default ones
    too, so that a copied address says everything), leaving other parameters alone."""
    for choice in choices:
        put(choice.param, choice.text(st.session_state.get(choice.key)))
