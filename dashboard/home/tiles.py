"""The Overview's KPI tiles, from the figures of ``dashboard.home.data``."""

from dataclasses import replace
from datetime import date

import pandas as pd

from dashboard.components import Tile, change_tile, percent
from dashboard.pagelist import TITLES
from program.capacity import open_slots

# The page behind each tile, where its figure is drawn in full.
LINKS = {
    "Active participants": "capacity",
    "Open slots": "capacity",
    "Overdue intakes": "capacity",
    "Contacts": "contacts",
    "Diversions": "contacts",
    "Eligible contacts diverted": "contacts",
    "LEAD-trained officers": "training",
}


def with_trends(row: list[Tile], trends: dict[str, tuple[float, ...]]) -> list[Tile]:
    """The tiles with their 12-month trend (none when it has fewer than two months) and
    a link to the page behind each."""
    return [
        replace(
            tile,
            trend=trends[tile.label] if len(trends.get(tile.label, ())) > 1 else None,
            link=f"{LINKS[tile.label]}/page.py",
            link_label=f"{TITLES[LINKS[tile.label]][0]} →",
        )
        for tile in row
    ]


def census_tiles(census: pd.DataFrame, ref_day: date) -> list[Tile]:
    """Active participants, open slots and overdue intakes, against ``ref_day``."""
    now, before = census.loc["current"], census.loc["previous"]
    slots, slots_before = (open_slots(int(r.active), int(r.capacity)) for r in (now, before))
    return [
        change_tile(
            "Active participants",
            now.active,
            before.active,
            f"Capacity {now.capacity} (program rule) · {before.active} on {ref_day:%d %b %Y}",
            shown=f"{now.active} of {now.capacity}",
            help="People with an intake on or before the day and no exit by then.",
        ),
        change_tile("Open slots", slots, slots_before, f"{now.pending} referrals wait for intake"),
        change_tile(
            "Overdue intakes",
            now.overdue,
            before.overdue,
            "Target 0 · waiting longer than the intake window",
            "lower",
        ),
    ]


def activity_tiles(counts: pd.DataFrame, officers: pd.DataFrame, days: int) -> list[Tile]:
    """Contacts, diversions, the share of eligible contacts diverted (against the previous
    ``days`` days) and trained officers (against the reference day)."""
    cur, prev = counts.loc["current"], counts.loc["previous"]
    trained, trained_before = officers.loc["current"], officers.loc["previous"]
    return [
        *(
            change_tile(
                label,
                cur[column],
                prev[column],
                f"{prev[column]:,} in the previous {days} days",
                better,
                shown=f"{cur[column]:,}",
            )
            for label, column, better in (
                ("Contacts", "contacts", "neither"),
                ("Diversions", "diverted", "higher"),
            )
        ),
        Tile(
            "Eligible contacts diverted",
            percent(cur.diverted, cur.eligible),
            f"{cur.diverted:,} of {cur.eligible:,} eligible · previously "
            f"{percent(prev.diverted, prev.eligible)}",
            better="higher",
        ),
        change_tile(
            "LEAD-trained officers",
            trained.trained_officers,
            trained_before.trained_officers,
            f"Target {trained.target:.0f} · {trained.active_officers} active officers",
            "higher",
        ),
    ]
