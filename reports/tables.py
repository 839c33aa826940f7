"""Tables as people read them: plain column names with units, and a spreadsheet form in
which every count is a number.

On a page a protected count shows as "<11" or "suppressed" among the numbers; in a
spreadsheet such a column is text and will not sum. The spreadsheet form writes the
number (empty where hidden) and, beside it, a "<column> status" column holding the label
of each hidden cell: no hidden value is written, and the column stays numeric.
"""

import re

import pandas as pd

from program import review as rv
from program.outcomes import OUTCOME_LABELS

PLAIN_NAMES = {  # Review table -> its columns' plain names, units in brackets
    "Daily census": {
        "day": "Day",
        "active": "Active participants (people)",
        "pending": "Waiting for intake (people)",
        "capacity": "Capacity (people)",
    },
    "Contacts per week": {
        "week": "Week starting (Monday)",
        "diverted": "Diverted (contacts)",
        "not_diverted": "Not diverted (contacts)",
    },
    "Training coverage by sector": {
        "sector": "Sector",
        "active_officers": "Active officers",
        "trained_officers": "LEAD-trained officers",
        "coverage_pct": "Coverage (%)",
    },
    "Service referrals by outcome": {"service": "Service"}
    | {k: f"{v} (referrals)" for k, v in OUTCOME_LABELS.items()}
    | {"Total": "Total (referrals)"},
    "Service referrals by door": {k: f"{v} (referrals)" for k, v in OUTCOME_LABELS.items()}
    | {"Total": "Total (referrals)"},
    "Referrals by door": {
        "Referrals": "Referrals (people)",
        "Intakes": "Intakes (people)",
        "Active at end": "Active at end (people)",
        "Warm handoffs": "Warm handoffs (people)",
        "Within target": "Within target (% of referrals)",
    },
}
HIDDEN_LABEL = re.compile(r"<\d+|suppressed|–|hidden")
NUMBER = re.compile(r"[+-]?\d[\d,]*(\.\d+)?")


def plain(title: str, table: pd.DataFrame) -> pd.DataFrame:
    """Review table ``title`` with plain column names (units in brackets)."""
    names = PLAIN_NAMES.get(title, {})
    return table.rename(columns=lambda c: names.get(c, c))


def for_spreadsheet(table: pd.DataFrame) -> pd.DataFrame:
    """Columns of numbers and hidden-count labels become numbers (empty where hidden)
    followed by a "<column> status" column with the labels; other columns as they are."""
    out = {}
    for name in table.columns:
        column = table[name]
        if not _counts_with_labels(column):
            out[name] = column
            continue
        text = column.astype(str)
        hidden = text.where(text.str.fullmatch(HIDDEN_LABEL.pattern), "")
        numbers = pd.to_numeric(text.where(hidden == "").str.replace(",", ""), errors="coerce")
        whole = numbers.dropna().mod(1).eq(0).all()
        out[name] = numbers.astype("Int64") if whole else numbers
        if (hidden != "").any():
            out[f"{name} status"] = hidden
    return pd.DataFrame(out, index=table.index)


def _counts_with_labels(column: pd.Series) -> bool:
    """A text column whose every cell is a number or a hidden-count label."""
    if pd.api.types.is_numeric_dtype(column.dtype) or column.empty:
        return False
    cells = column.dropna()
    return all(
        isinstance(v, str) and (NUMBER.fullmatch(v) or HIDDEN_LABEL.fullmatch(v)) for v in cells
    )


def kpi_numbers(review: rv.Review) -> pd.DataFrame:
    """The Review's KPIs as numbers, one unit per row (the page shows "95%", "8 days")."""

    def number(value):
        return None if value is None else round(value, 1)

    return pd.DataFrame(
        {
            "Figure": [k.label for k in review.kpis],
            "Unit": ["%" if k.unit == "%" else "days" for k in review.kpis],
            f"This period ({review.period.label})": [number(k.value) for k in review.kpis],
            f"Previous ({review.previous.label})": [number(k.previous) for k in review.kpis],
            f"Year earlier ({review.year_ago.label})": [number(k.year_ago) for k in review.kpis],
            "Target": [number(k.target) for k in review.kpis],
            "Target is": ["at least" if k.better == "higher" else "at most" for k in review.kpis],
        }
    )


def review_csv_tables(review: rv.Review) -> dict[str, pd.DataFrame]:
    """Every table of the Review as a spreadsheet reads it: numbers, plain names, units."""
    tables = {"Review figures": kpi_numbers(review)}
    for title, table in review.tables.items():
        if title != "Review figures":
            tables[title] = for_spreadsheet(plain(title, table))
    return tables
