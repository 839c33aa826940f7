"""Patrol shifts: when in the day a police contact happened, as command staff count it.

The three eight-hour patrol shifts of the Baltimore Police Department's patrol schedule
(day 07:00-15:00, evening 15:00-23:00, night 23:00-07:00), in Baltimore local time.
This module is the one definition: the contacts map's shift filter sends the hours of
the chosen shifts to SQL (``contacts_filtered(..., hours)``), and its labels come from
here. A deployment on another schedule changes ``SHIFTS`` only.

The night shift starts the evening before: a contact at 01:00 on a Tuesday belongs to
the night shift that began at 23:00 on Monday, but it is counted on Tuesday (periods are
Baltimore calendar days).
"""

# name -> (first hour, hour the shift ends), local time; a shift may run past midnight.
SHIFTS = {"day": (7, 15), "evening": (15, 23), "night": (23, 7)}


def shift_label(name: str) -> str:
    """The shift and its hours, e.g. "day 07–15 h"."""
    start, end = SHIFTS[name]
    return f"{name} {start:02d}–{end:02d} h"


def shift_hours(name: str) -> list[int]:
    """The local hours (0-23) of a shift."""
    start, end = SHIFTS[name]
    return [(start + k) % 24 for k in range((end - start) % 24 or 24)]


def hours_of(shifts) -> tuple[int, ...]:
    """The sorted hours of ``shifts``; () when none or every shift is chosen (all day),
    so the filter and the cache key stay those of "all"."""
    hours = sorted({hour for name in shifts for hour in shift_hours(name)})
    return () if len(hours) in (0, 24) else tuple(hours)
