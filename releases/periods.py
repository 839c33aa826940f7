"""The release periods of a pilot: closed months, quarters and calendar years that lie
wholly within the pilot, and the pilot to date at every month's end.

A period is closed when its last day is on or before the data's as-of date; a month,
quarter or year that began before the pilot's first day is not a release (it would be
labelled as a whole period but hold only part of one). Pure: no database.
"""

from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter", "year", "pilot")


@dataclass(frozen=True, order=True)
class Period:
    kind: str
    first_day: date
    last_day: date

    @property
    def label(self) -> str:
        """'October 2026', 'Q3 2026', '2025', 'Pilot to date, 31 Oct 2026'."""
        if self.kind == "month":
            return f"{self.first_day:%B %Y}"
        if self.kind == "quarter":
            return f"Q{(self.first_day.month - 1) // 3 + 1} {self.first_day.year}"
        if self.kind == "year":
            return str(self.first_day.year)
        return f"Pilot to date, {self.last_day.day} {self.last_day:%b %Y}"

    @property
    def key(self) -> str:
        """A short stable name, e.g. 'month 2026-10-01..2026-10-31'."""
        return f"{self.kind} {self.first_day}..{self.last_day}"


def month_end(day: date) -> date:
    following = (day.replace(day=1) + timedelta(days=32)).replace(day=1)
    return following - timedelta(days=1)


def months(first_day: date, last_day: date) -> list[Period]:
    """Every calendar month touching first_day..last_day, whole (may extend past both)."""
    out, start = [], first_day.replace(day=1)
    while start <= last_day:
        out.append(Period("month", start, month_end(start)))
        start = out[-1].last_day + timedelta(days=1)
    return out


def release_periods(pilot_start: date, as_of: date) -> list[Period]:
    """Every release of a pilot that began on ``pilot_start``, with data up to ``as_of``."""
    whole = [m for m in months(pilot_start, as_of) if _within(m, pilot_start, as_of)]
    quarters = {
        Period("quarter", date(y, m, 1), month_end(date(y, m + 2, 1)))
        for y, m in {(p.first_day.year, 3 * ((p.first_day.month - 1) // 3) + 1) for p in whole}
    }
    years = {Period("year", date(p.first_day.year, 1, 1), date(p.first_day.year, 12, 31))
             for p in whole}  # fmt: skip
    pilot = [
        Period("pilot", pilot_start, m.last_day)
        for m in months(pilot_start, as_of)
        if m.last_day <= as_of
    ]
    closed = [p for p in (*quarters, *years) if _within(p, pilot_start, as_of)]
    return sorted(whole + closed, key=_order) + pilot


def _within(period: Period, pilot_start: date, as_of: date) -> bool:
    return period.first_day >= pilot_start and period.last_day <= as_of


def _order(period: Period) -> tuple:
    return (KINDS.index(period.kind), period.first_day)


def parts(period: Period, releases: list[Period]) -> list[Period]:
    """The month releases a quarter or year is the sum of (all of its months)."""
    return [
        p
        for p in releases
        if p.kind == "month" and period.first_day <= p.first_day and p.last_day <= period.last_day
    ]
