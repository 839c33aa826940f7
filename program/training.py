"""Officer training coverage rules and tables (no Streamlit, no SQL).

Officers are police staff, not program participants: coverage counts of officers are shown
as they are. Contacts are about people: their counts go through ``geo.privacy`` outside the
person-level roles (``threshold`` 0 shows all).
"""

import pandas as pd

from geo.privacy import Suppressed, suppress_counts, suppress_table

ALL = "All"
ELIGIBLE_OFFENSES = {"drug", "prostitution"}  # the program's eligibility rule
EXPIRING_COLUMNS = {
    "officer_id": "Officer",
    "sector": "Sector",
    "post": "Post",
    "shift": "Shift",
    "expires_on": "Expires on",
    "days_left": "Days left",
}
SHIFT_ORDER = ["day", "evening", "night", "unknown", "not on roster"]
OFFICER = "Officer at contact time"
DIVERSION_COLUMNS = {"diverted": "Diversions", "eligible": "Eligible contacts"}
METHOD = """
**Coverage (the denominator).** Coverage is officers with current LEAD training divided by
the *active officers on the district roster* on the day (in the chosen sector and shift).
Training is current from the day it is completed through its expiry day. Officers who
handle a contact but are not on the roster count as untrained.

**The monthly trend** measures each month's last day against *today's* roster: the roster
keeps no start or leave dates, so officers who have left are missing from earlier months
and those who joined later count as untrained before their training.

**Diversion by training** uses the officer's training on the contact's own date, over
eligible contacts (drug or prostitution contacts inside the catchment in force that day).
A missed opportunity is an eligible contact that ended in arrest by an officer without
current training.

**Hidden counts.** Outside the case-manager role, contact counts from 1 to the small-cell
threshold are shown as "<11" (small-cell suppression), and where a hidden count could be
worked out from a total, one more count is hidden with it (complementary suppression).
Officer counts are staff, not people in the program, and are shown as they are.
"""


def scope_options(cells: pd.DataFrame, column: str) -> list[str]:
    """The choices of a page-local filter: All, then the values present in the roster."""
    values = sorted(cells[column].unique())
    if column == "shift":
        values = sorted(values, key=lambda s: (SHIFT_ORDER + values).index(s))
    return [ALL, *values]


def in_scope(cells: pd.DataFrame, sector: str | None, shift: str | None) -> pd.DataFrame:
    keep = pd.Series(True, index=cells.index)
    if sector is not None:
        keep &= cells.sector == sector
    if shift is not None:
        keep &= cells["shift"] == shift
    return cells[keep]


def coverage_by(cells: pd.DataFrame, column: str) -> pd.DataFrame:
    """Trained and active officers and the share trained, by one roster column."""
    table = cells.groupby(column, as_index=False)[["trained_officers", "active_officers"]].sum()
    table["share"] = table.trained_officers / table.active_officers
    return table


def share_text(trained: int, active: int) -> str:
    return "–" if not active else f"{100 * trained / active:.0f}%"


def coverage_table(cells: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    """A display table: <label>, Trained, Active, Coverage."""
    table = coverage_by(cells, column)
    return pd.DataFrame(
        {
            label: table[column],
            "Trained": table.trained_officers,
            "Active": table.active_officers,
            "Coverage": [
                share_text(t, a)
                for t, a in zip(table.trained_officers, table.active_officers, strict=True)
            ],
        }
    )


def diversion_by_training(outcomes: pd.DataFrame, threshold: int) -> Suppressed:
    """Eligible contacts and diversions by the officer's training at the contact time,
    with the diversion rate; counts from 1 to ``threshold`` hidden (0 = show all)."""
    sums = outcomes.groupby("trained")[["diverted", "eligible"]].sum()
    sums = sums.reindex([True, False], fill_value=0)
    frame = pd.DataFrame(
        {
            OFFICER: ["LEAD-trained", "Not trained"],
            "diverted": sums.diverted.to_numpy(),
            "eligible": sums.eligible.to_numpy(),
        }
    )
    shown, mask = suppress_counts(
        frame,
        ["diverted", "eligible"],
        threshold,
        total_row={OFFICER: "All eligible contacts"},
        shares={"Diverted": ("diverted", "eligible")},
    )
    order, names = [OFFICER, "Diverted", "diverted", "eligible"], DIVERSION_COLUMNS
    return Suppressed(shown[order].rename(columns=names), mask[order].rename(columns=names))


def missed_opportunities(outcomes: pd.DataFrame, threshold: int) -> Suppressed:
    """Eligible contacts ending in arrest by an officer without current training, by the
    post where they happened x the officer's shift, with totals; small cells hidden."""
    missed = outcomes[~outcomes.trained.astype(bool)]
    shifts = [s for s in SHIFT_ORDER if s in set(missed.officer_shift)]
    return suppress_table(
        missed,
        "post",
        "officer_shift",
        "arrested",
        threshold,
        columns=shifts + sorted(set(missed.officer_shift) - set(shifts)),
    )
