"""From a protected model to the rows stored for readers and for the audit."""

import math
from collections import defaultdict

from geo.disclosure import TOTAL, Protection
from geo.privacy import small_label
from releases.model import Model, Placement
from releases.store import Rows

NOT_ASSIGNED = "Not assigned"
WITHHELD = "withheld"
NO_DATA = "–"


def rows(model: Model, protection: Protection, periods) -> Rows:
    """Every placement as a figure row, every hidden one also as an audit row, every
    statistic shown or withheld by the median rule."""
    out = Rows(periods)
    audit = {row.key: row for row in protection.audit}
    small = small_label(protection.threshold)
    for placement, row_key in _named(model.placements, protection):
        key = placement.key
        hidden = protection.hidden(key)
        status = (
            ("primary" if protection.labels[key] == small else "complementary")
            if hidden
            else "shown"
        )
        place = {
            "period": placement.period,
            "figure": placement.figure,
            "row_key": row_key,
            "col_key": placement.col,
        }
        out.figures.append(
            place
            | {
                "value": None if hidden else protection.values[key],
                "label": protection.text(key),
                "status": status,
            }
        )
        if hidden:
            out.audit.append(place | _audit(audit[key], status, protection))
    for stat in model.statistics:
        shown = stat.value is not None and protection.shows_median(stat.group)
        label = f"{stat.value:g}" if shown else (WITHHELD if stat.value is not None else NO_DATA)
        out.statistics.append(
            {
                "period": stat.period,
                "statistic": stat.statistic,
                "row_key": stat.row,
                "col_key": stat.col,
                "value": stat.value if shown else None,
                "label": label,
            }
        )
    return out


def _audit(row, status: str, protection: Protection) -> dict:
    t = protection.threshold
    return {
        "cell": repr(row.key),
        "status": status,
        "true_value": int(row.value),
        "label_low": 1 if status == "primary" else t + 1,
        "label_high": t if status == "primary" else None,
        "lp_low": float(row.lo),
        "lp_high": None if math.isinf(row.hi) else float(row.hi),
        "protection_level": protection.protection,
        "passed": row.passed,
    }


def slack(protection: Protection) -> float:
    """How far the tightest hidden cell is from failing (people; inf if none hidden)."""
    return float(
        min((min(r.need_lo - r.lo, r.hi - r.need_hi) for r in protection.audit), default=math.inf)
    )


def _named(placements: list[Placement], protection: Protection):
    """Placements with their row names; caseload rows become "Case manager 1..n": the
    shown ones largest first, then the hidden ones in roster order (so a hidden row's
    place says nothing about its size), and "Not assigned". A row's order comes from its
    active caseload; its other columns (in the wind) take the same name."""
    caseloads = defaultdict(list)
    for placement in placements:
        if placement.figure == "caseloads" and placement.row not in (TOTAL, "unassigned"):
            caseloads[placement.period].append(placement)
        else:
            yield placement, NOT_ASSIGNED if placement.row == "unassigned" else placement.row
    for group in caseloads.values():
        active = [p for p in group if p.col == "active"]
        shown = [p for p in active if not protection.hidden(p.key)]
        hidden = [p for p in active if protection.hidden(p.key)]
        shown.sort(key=lambda p: (-protection.values[p.key], int(p.row)))
        hidden.sort(key=lambda p: int(p.row))
        names = {p.row: f"Case manager {n}" for n, p in enumerate(shown + hidden, start=1)}
        for placement in group:
            yield placement, names[placement.row]
