"""Cost avoided (issue 20): how jail bookings and bed-days before vs after enrollment are
shown, and what a reader must be told about them. Pure rules, no Streamlit or SQL.

The figures come from ``cost_avoided`` (db/functions/cost.sql): per phase (the
``cost_window_days`` before the first intake, and as many from it) the participants
followed up in full, the people booked or held, bookings, bed-days, cost at the dated
unit costs, and the median bookings and bed-days per participant.
"""

from datetime import date

import pandas as pd

from program import settings

CAVEAT = (
    "Descriptive, not causal: people are referred at a crisis point, so some decline is "
    "expected without the program (regression to the mean)."
)
NOT_YET = (
    "No intake-year cohort is published in this release: a cohort appears once every one "
    "of its participants has been followed up for the whole window after intake "
    "(choose a later or longer release)."
)
PHASES = {"before": "Before intake", "after": "After intake"}
CHANGE = "Change (after − before)"
COLUMNS = {
    "participants": "Participants",
    "people_booked": "People booked or held",
    "bookings": "Bookings",
    "bed_days": "Bed-days",
    "cost": "Cost ($)",
    "median_bookings": "Median bookings per participant",
    "median_bed_days": "Median bed-days per participant",
}
SUMS = ("bookings", "bed_days", "cost")  # sums over the people booked or held
MEDIANS = ("median_bookings", "median_bed_days")  # per participant, over the participants


def method(window: int, bed_day: float, booking: float) -> str:
    """The "How is this calculated?" text with the settings in force."""
    return (
        f"**Who.** Each person's first intake starts their comparison. A participant counts "
        f"only once their whole after-window has passed by the as-of date ({window} days "
        f"from the intake day), so everyone shown has {window} days on each side.\n\n"
        f"**Before and after.** Before: the {window} days up to the day before intake. "
        f"After: the {window} days from the intake day.\n\n"
        "**Bookings** are jail bookings (the `jail-bookings` import) whose booking day falls "
        "in the window. **Bed-days** are the calendar days (Baltimore time) a person was "
        "held, from the booking day to the release day inclusive: a same-day release is 1 "
        "bed-day, a stay across the intake day counts its days on each side, a day two "
        "bookings share counts once, a stay not yet ended counts to the as-of date.\n\n"
        f"**Cost** is each bed-day at the cost per bed-day in force that day (now "
        f"${bed_day:,.0f}) plus each booking at the cost per booking in force on its day "
        f"(now ${booking:,.0f}): dated settings, with their sources on the Settings page "
        "(the bed-day default is Maryland's state-prison cost per inmate, not Baltimore "
        "pretrial detention; the booking cost is for the site to set).\n\n"
        "**Medians** are per participant, people never booked included (often 0).\n\n"
        "**Change** is after minus before: a negative change is bookings, bed-days or "
        "cost lower after intake. " + CAVEAT
    )


def none_followed(window: int) -> str:
    return f"No participant has been followed up for {window} days after intake yet."


UNIT_COSTS = ("cost_per_bed_day", "cost_per_booking")


def review_note(window: int, day: date, in_force: pd.DataFrame) -> str:
    """The Review's caption of its cost table: what it compares, the unit costs with
    their labels and since when they are in force (``in_force``: key, value,
    effective_from, as ``queries/settings/in_force.sql``), and the caveat."""
    rows = in_force.set_index("key")
    units = "; ".join(
        f"{settings.label(key)}: ${float(rows.value[key]):,.0f} "
        f"({'since ' * (rows.effective_from[key] > settings.BEGINNING)}"
        f"{settings.since(rows.effective_from[key])})"
        for key in UNIT_COSTS
    )
    return (
        f"Jail bookings, bed-days and their cost in the {window} days before vs after each "
        f"participant's first intake, for participants followed up in full by "
        f"{day:%d %b %Y}. Unit costs in force on that day: {units}. {CAVEAT}"
    )


def exact_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Before, after and the change (bookings, bed-days, cost) as shown to person-level
    roles (exact: the release layer protects what other roles read)."""
    rows = frame.set_index("phase").reindex(list(PHASES))
    shown = rows[list(COLUMNS)].rename(index=PHASES, columns=COLUMNS).map(_number)
    change = rows.loc["after", list(SUMS)] - rows.loc["before", list(SUMS)]
    shown.loc[CHANGE] = ""
    for name, value in change.items():
        shown.loc[CHANGE, COLUMNS[name]] = f"{value:+,.0f}"
    return shown.rename_axis("").reset_index()


def release_table(cells: pd.DataFrame, stats: pd.DataFrame) -> pd.DataFrame:
    """One row per intake-year cohort of a release: the counts' labels (cells of figure
    ``cost``), the sums (whole numbers) and medians (one decimal) of statistics ``cost``;
    a withheld statistic says so, one not published '–'."""
    cost = stats[stats.statistic == "cost"]
    rows = []
    for year in sorted(set(cells.row_key)):
        mine = cells[cells.row_key == year].set_index("col_key")["label"]
        figures = cost[cost.row_key == year].set_index("col_key")
        row = {"Intake year": year, "Participants": mine.get("participants", "–")}
        for phase, label in PHASES.items():
            row[f"{label}: people booked or held"] = mine.get(f"booked_{phase}", "–")
            for name in (*SUMS, "median_bed_days"):
                key = f"{name}_{phase}"
                shown = "–" if key not in figures.index else figures.label[key]
                if key in figures.index and pd.notna(figures.value[key]):
                    value = figures.value[key]
                    shown = f"{value:.1f}" if name in MEDIANS else f"{value:,.0f}"
                row[f"{label}: {COLUMNS[name].lower()}"] = shown
        rows.append(row)
    return pd.DataFrame(rows)


def chart_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Bookings and bed-days before and after, long, for a grouped bar chart."""
    rows = frame.set_index("phase")
    return pd.DataFrame(
        [
            {"Measure": COLUMNS[name], "Phase": label, "count": float(rows.loc[phase, name])}
            for name in ("bookings", "bed_days")
            for phase, label in PHASES.items()
        ]
    )


def _number(value) -> str:
    return "–" if pd.isna(value) else f"{float(value):,.{0 if float(value).is_integer() else 1}f}"
