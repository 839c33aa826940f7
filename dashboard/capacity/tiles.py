"""The Capacity page's KPI tiles: the headline on the as-of day and the medians."""

from datetime import date

import pandas as pd

from dashboard.components import Tile, change_tile
from program.capacity import HIDDEN, median_text, open_slots


def headline(census: pd.DataFrame, ref_day: date, period: dict, intake_window: int) -> list[Tile]:
    """Open slots, pending and overdue intakes on the last day of ``census`` (changes since
    ``ref_day``), and days at or over capacity in the period and pilot to date."""
    now = census.iloc[-1]
    earlier = census[census.day == ref_day]
    before = None if earlier.empty else earlier.iloc[0]

    def then(figure):
        return None if before is None else figure(before)

    def slots(row) -> int:
        return open_slots(int(row.active), int(row.capacity))

    pilot_full = int((census.active >= census.capacity).sum())
    return [
        change_tile(
            "Open slots", slots(now), then(slots), f"{now.active} active of {now.capacity} places"
        ),
        change_tile(
            "Pending intakes",
            now.pending,
            then(lambda r: r.pending),
            "referred, waiting for intake",
        ),
        change_tile(
            "Overdue intakes",
            now.overdue,
            then(lambda r: r.overdue),
            f"Target 0 · pending over {intake_window} days",
            "lower",
        ),
        Tile(
            "Days at capacity",
            f"{period['days_at_capacity']} of {period['days']}",
            f"pilot to date: {pilot_full} of {len(census)} days",
            better="neither",
            help="Days with as many active participants as the capacity in force, or more.",
        ),
    ]


def medians(period: dict, pilot: dict, threshold: int, label: str) -> list[Tile]:
    """Median length of stay and days referral → intake, in the period and pilot to date."""

    def tile(title: str, median: str, people: str, what: str, help_: str) -> Tile:
        value = median_text(period[median], period[people], threshold)
        too_few = " (too few for a median)" if value == HIDDEN else ""
        overall = median_text(pilot[median], pilot[people], threshold)
        return Tile(
            title,
            value,
            f"{period[people]} {what}{too_few}, {label} · pilot to date: {overall} "
            f"({pilot[people]} {what})",
            better="neither",
            help=help_,
        )

    return [
        tile(
            "Median length of stay",
            "median_stay",
            "exits",
            "exits",
            "Days from intake to exit, of participants who left in the period.",
        ),
        tile(
            "Median days referral → intake",
            "median_wait",
            "intakes",
            "intakes",
            "Days from referral to intake, of intakes in the period.",
        ),
    ]
