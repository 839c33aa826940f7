"""Review-meeting figures: a period, the period before it, the same period a year earlier,
KPIs against targets, and the plain-sentence narrative of what changed.

Nothing here touches Streamlit or SQL: figures arrive as one mapping per period
(``queries/review/police.sql`` with ``review/figures.sql`` or a release), so the page and the
PDF share exactly the same numbers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

KINDS = ("Month", "Quarter", "Custom")
METHOD = """
**Periods.** A review covers a month, a quarter or the sidebar's custom period, and never
runs past the data's as-of date (the last recorded contact). It is set beside the period
before it and the same period a year earlier.

**Partial periods, like for like.** A month or quarter that is not over yet is labelled
*partial* and compared with the *same number of first days* of the period before and of
the year before (the first 7 days of December against the first 7 days of November), so
that a few days are never set against a whole month.

**Contacts and diversions** count the offences chosen in the sidebar, exactly as the
Overview does, for the same days. *Eligible contacts diverted* is diversions divided by
eligible contacts (drug or prostitution contacts inside the catchment in force that day).

**Targets** are program settings in force on the period's last day. Capacity use is the
average daily census over the average capacity; training coverage is trained over active
officers on the last day; referral engagement is referrals made in the period that reached
engagement.
"""


@dataclass(frozen=True)
class Period:
    """Days ``start`` to ``end``; ``partial`` when the month or quarter it belongs to runs
    past the as-of date and the period stops there (only days that have happened count)."""

    start: date
    end: date
    partial: bool = False

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if not self.partial:
            return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start.day}–{self.end.day} {self.end:%b %Y}, partial"
        return f"{self.start:%d %b} – {self.end:%d %b %Y}, partial"


def month_of(day: date) -> Period:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def quarter_of(day: date) -> Period:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    following = (first + timedelta(days=95)).replace(day=1)
    return Period(first, following - timedelta(days=1))


def last_complete_month(as_of: date) -> Period:
    """The latest month whose every day is on or before ``as_of``: the Review's default."""
    month = month_of(as_of)
    return month if month.end == as_of else month_of(month.start - timedelta(days=1))


def clipped(period: Period, as_of: date) -> Period:
    """``period`` stopped at the as-of date: no figure counts days that have not happened.
    A period cut short is partial (a period entirely after ``as_of`` is its first day)."""
    if period.end <= as_of:
        return period
    return Period(period.start, max(period.start, as_of), partial=True)


def _first_days(whole: Period, days: int) -> Period:
    """The first ``days`` days of ``whole`` (all of it if shorter): like for like."""
    end = min(whole.end, whole.start + timedelta(days=days - 1))
    return Period(whole.start, end, partial=end < whole.end)


def previous(period: Period, kind: str) -> Period:
    """The month/quarter before, or for a custom range the same length just before. A
    partial month or quarter is compared with the same number of first days of the one
    before (1–7 Dec with 1–7 Nov), never with a whole month."""
    if kind in ("Month", "Quarter"):
        whole = (month_of if kind == "Month" else quarter_of)(period.start - timedelta(days=1))
        return _first_days(whole, period.days) if period.partial else whole
    length = period.end - period.start
    end = period.start - timedelta(days=1)
    return Period(end - length, end)


def year_earlier(period: Period) -> Period:
    def shift(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day.replace(year=day.year - 1, day=28)

    return Period(shift(period.start), shift(period.end), period.partial)


def partial_note(kind: str, period: Period, as_of: date) -> str:
    """Why a period is shorter than its month or quarter, and what it is compared with."""
    return (
        f"This {kind.lower()} is not over: the figures stop at the data's as-of date "
        f"({as_of:%d %b %Y}), {period.days} days, and are compared with the first "
        f"{period.days} days of the {kind.lower()} before and of the same {kind.lower()} "
        "a year earlier."
    )


def ratio(part, whole) -> float | None:
    return None if not whole else 100.0 * float(part) / float(whole)


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    unit: str  # "%" or " days"
    value: float | None
    previous: float | None
    year_ago: float | None
    target: float | None
    better: str  # "higher" or "lower"

    @property
    def meets_target(self) -> bool | None:
        if self.value is None or self.target is None:
            return None
        return self.value >= self.target if self.better == "higher" else self.value <= self.target

    def show(self, value: float | None) -> str:
        return "–" if value is None else f"{value:.0f}{self.unit}"

    @property
    def change(self) -> str | None:
        """The change from the previous period: percentage points or days, signed."""
        if self.value is None or self.previous is None:
            return None
        delta = self.value - self.previous
        unit = " pts" if self.unit == "%" else self.unit
        return "±0" + unit if round(delta, 1) == 0 else f"{delta:+.1f}{unit}"


KPI_DEFINITIONS = [
    # key, label, unit, better, target key, value from a figures row
    (
        "capacity_use",
        "Capacity use",
        "%",
        "higher",
        "target_capacity_use_pct",
        lambda f: ratio(f["avg_active"], f["avg_capacity"]),
    ),
    (
        "days_to_intake",
        "Days to intake (median)",
        " days",
        "lower",
        "target_referral_to_intake_days",
        lambda f: _number(f["median_days_to_intake"]),
    ),
    (
        "training_coverage",
        "Training coverage",
        "%",
        "higher",
        "target_training_coverage_pct",
        lambda f: ratio(f["trained_officers"], f["active_officers"]),
    ),
    (
        "referral_engagement",
        "Referral engagement",
        "%",
        "higher",
        "target_referral_engagement_pct",
        lambda f: ratio(f["referrals_engaged"], f["referrals"]),
    ),
    (
        "eligible_diverted",
        "Eligible contacts diverted",
        "%",
        "higher",
        "target_eligible_diverted_pct",
        lambda f: ratio(f["eligible_diverted"], f["eligible"]),
    ),
]


def _number(value) -> float | None:
    return None if value is None or value != value else float(value)  # NaN check


def kpis(
    current: Mapping, before: Mapping, year_ago: Mapping, targets: Mapping[str, float]
) -> list[Kpi]:
    """The review KPIs for a period beside the previous period, a year earlier and target."""
    return [
        Kpi(
            key,
            label,
            unit,
            value(current),
            value(before),
            value(year_ago),
            _number(targets.get(target_key)),
            better,
        )
        for key, label, unit, better, target_key, value in KPI_DEFINITIONS
    ]


def _change(label: str, now: float, then: float, unit: str = "") -> str:
    if round(now) == round(then):
        return f"{label} held at {now:,.0f}{unit}"
    verb = "rose" if now > then else "fell"
    return f"{label} {verb} from {then:,.0f}{unit} to {now:,.0f}{unit} ({now - then:+,.0f})"


def narrative(current: Mapping, before: Mapping, kpi_list: list[Kpi]) -> list[str]:
    """Plain sentences about what changed, each built only from the figures given."""
    sentences = [
        _change("Active participants", current["active_end"], before["active_end"])
        + f"; the program was at capacity on {current['days_at_capacity']} of "
        f"{current['days']} days.",
        _change("Diversions", current["diverted"], before["diverted"])
        + f"; {current['contacts']:,} police contacts were recorded.",
        f"{current['intakes']} people started the program and {current['exits']} left it; "
        f"{current['pending_end']} referrals were waiting for intake at the end of the period"
        + (f", {current['overdue_end']} of them overdue." if current["overdue_end"] else "."),
        _change("LEAD-trained officers", current["trained_officers"], before["trained_officers"])
        + ".",
    ]
    met = [k.label.lower() for k in kpi_list if k.meets_target is True]
    missed = [k.label.lower() for k in kpi_list if k.meets_target is False]
    if met:
        sentences.append("Targets met: " + ", ".join(met) + ".")
    if missed:
        sentences.append("Targets missed: " + ", ".join(missed) + ".")
    return sentences


@dataclass(frozen=True)
class Review:
    """Everything the Review page and its PDF show, computed once."""

    kind: str
    period: Period
    previous: Period
    year_ago: Period
    as_of: date
    role_label: str
    offense_label: str
    figures: Mapping[str, Mapping]  # "current" / "previous" / "year_ago" -> figures row
    kpis: list[Kpi]
    narrative: list[str]
    tables: Mapping[str, pd.DataFrame]  # title -> table as shown (suppressed for the role)
    cells: pd.DataFrame  # x, y, density_class (+ contacts for person-level roles)
    areas: pd.DataFrame  # kind, name, geojson: program layers in force at the period's end
    suppressed: bool
    referral_period: Period  # the whole quarter for suppressed roles, else the period
    release_note: str = ""  # which release, computed when, how protected (release roles)
    cost_note: str = ""  # the cost avoided table's caption: window, unit costs, caveat


def kpi_table(kpi_list: list[Kpi], period: Period, before: Period, year_ago: Period):
    """The KPIs as a table: this period, the previous one, a year earlier, the target."""
    return pd.DataFrame(
        {
            "Figure": [k.label for k in kpi_list],
            period.label: [k.show(k.value) for k in kpi_list],
            f"Previous ({before.label})": [k.show(k.previous) for k in kpi_list],
            f"Year earlier ({year_ago.label})": [k.show(k.year_ago) for k in kpi_list],
            "Target": [
                ("≥ " if k.better == "higher" else "≤ ") + k.show(k.target) for k in kpi_list
            ],
        }
    )
