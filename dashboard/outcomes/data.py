"""The Referral outcomes page's data: every figure from the aggregate outcome functions
in the database (``queries/outcomes/*.sql``), read as the user's role, then shaped and
protected by ``program.outcomes`` and ``program.equity``. The protected tables are cached
per role, arguments and data version like the rows they come from: protecting them is
pandas work (1-2 s of a page run at 1M on a loaded machine) with the same result at
every rerun."""

from datetime import date

import numpy as np
import pandas as pd

from dashboard import database, releases
from geo import privacy
from program import cost as cost_rules
from program import equity as eq
from program import outcomes as rules


@database.cached(max_entries=32)
def referral_tables(role: str, start: date, end: date, t: int, suppress: bool) -> dict:
    """Referrals by period x service, period x outcome, the funnel and days to
    engagement, protected together (``program.outcomes.referral_tables``)."""
    cube = database.query(role, "outcomes/referrals", start=start, end=end)
    bins = database.query(role, "outcomes/engagement_bins", start=start, end=end)
    return rules.referral_tables(cube, bins, start, end, t, suppress)


def timing_summary(role: str, start: date, end: date, timing: rules.Table) -> pd.DataFrame:
    """Quartiles of days to engagement per service, where the timing table shows them."""
    quantiles = database.query(role, "outcomes/engagement_quantiles", start=start, end=end)
    return rules.timing_summary(quantiles, timing)


@database.cached(max_entries=32)
def cohort_tables(role: str, start: date, end: date, as_of: date, t: int, suppress: bool):
    """Intake cohorts at 3, 6 and 12 months, protected together."""
    rows = database.query(role, "outcomes/cohorts", start=start, end=end, as_of=as_of)
    return rules.cohort_tables(rows, as_of, t, suppress)


@database.cached(max_entries=32)
def recontact(role: str, start: date, end: date, as_of: date, t: int, suppress: bool):
    """Share with a new police contact within 6 and 12 months: participants, decliners."""
    rows = database.query(role, "outcomes/recontact", start=start, end=end, as_of=as_of)
    return eq.recontact_table(rows, t, suppress)


@database.cached(max_entries=32)
def equity(role: str, start, end, offenses, t: int, suppress: bool) -> dict:
    """Per dimension (race, sex, age group): diversion of eligible contacts and engagement
    of participants by group, with shares and 95% Wilson intervals."""
    diversion = database.query(
        role, "outcomes/equity_diversion", start=start, end=end, offenses=offenses
    )
    engagement = database.query(role, "outcomes/equity_engagement", start=start, end=end)
    return eq.equity_tables(diversion, engagement, t, suppress)


# --- releases: what roles without person-level access read (dashboard.releases) --------

FUNNEL_STAGES = {"referred": "Referred", "engaged": "Reached engagement", "completed": "Completed"}
RECONTACT_GROUPS = {"participants": "LEAD participants", "declined": "Declined"}
TOTAL = releases.TOTAL
RATE_COLUMNS = ("share", "low", "high", "Share", "95% CI")
TIMING_COLUMNS = {
    f"{lo}+" if hi is None else f"{lo}-{hi}": rules.bin_label(lo, hi) for lo, hi in rules.BINS
}


def as_table(grid: releases.Grid, labels: list, names: list, row_name: str) -> rules.Table:
    """A release grid (rows and columns with their totals last; a missing total row is
    added, hidden) as the Table the page's charts take: hidden cells are flagged and
    count 0, so a chart leaves them out."""
    values, hidden = grid.values.fillna(0).to_numpy(), grid.hidden()
    if values.shape[0] == len(labels):
        values = np.vstack([values, np.zeros(values.shape[1])])
        hidden = np.vstack([hidden, np.ones(hidden.shape[1], dtype=bool)])
    return rules.Table(values, hidden, labels, names, row_name, threshold=0)


def release_referrals(role: str, release: releases.Release) -> dict:
    """The referral table (service x outcome), funnel and days to engagement of a
    release: ``grids`` of labels and values, and ``tables`` shaped for the charts."""
    rows, services = [*rules.SERVICES, TOTAL], list(rules.SERVICE_LABELS.values())
    bins = list(TIMING_COLUMNS)
    grids = {
        "referrals": releases.grid(
            releases.figure(role, release, "referrals"), rows, [*rules.OUTCOMES, TOTAL]
        ),
        "funnel": releases.grid(
            releases.figure(role, release, "funnel"), rows, list(FUNNEL_STAGES)
        ),
        "timing": releases.grid(
            releases.figure(role, release, "engagement_days"), list(rules.SERVICES), [*bins, TOTAL]
        ),
    }
    outcomes = list(rules.OUTCOME_LABELS.values())
    tables = {
        "referrals": as_table(grids["referrals"], services, outcomes, "Service"),
        "timing": as_table(
            grids["timing"], services, [rules.bin_label(*b) for b in rules.BINS], "Service"
        ),
    }
    return {"grids": grids, "tables": tables}


def release_funnel(grid: releases.Grid) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The funnel for the chart (Service, Stage, referrals; NaN when hidden) and as a
    table of the stored labels with the share reaching each stage where both are shown."""
    names = {**rules.SERVICE_LABELS, TOTAL: TOTAL}
    values = grid.values.rename(index=names, columns=FUNNEL_STAGES)
    chart = values.drop(index=TOTAL).rename_axis("Service").reset_index()
    chart = chart.melt("Service", var_name="Stage", value_name="referrals")
    table = grid.labels.rename(index=names, columns=FUNNEL_STAGES)
    for stage in ("Reached engagement", "Completed"):
        table[f"{stage} %"] = [
            "–" if np.isnan(n) or np.isnan(d) else privacy.format_share(n, d)
            for n, d in zip(values[stage], values["Referred"], strict=True)
        ]
    return chart, table.rename_axis("Service").reset_index()


def release_timing(role: str, release: releases.Release, grid: releases.Grid) -> pd.DataFrame:
    """Engaged referrals per service (stored label) with the stored median and middle half
    of days to engagement where the release shows them."""
    stats = releases.statistics(role, release)
    rows = []
    for service in rules.SERVICES:
        median = releases.statistic(stats, "engagement_days", service, "median")
        p25 = releases.statistic(stats, "engagement_days", service, "p25")
        p75 = releases.statistic(stats, "engagement_days", service, "p75")
        middle = f"{p25[0]:.0f}–{p75[0]:.0f}" if None not in (p25[0], p75[0]) else p25[1]
        rows.append(
            {
                "Service": rules.SERVICE_LABELS[service],
                "Engaged referrals": grid.labels.at[service, TOTAL],
                "Median days": median[1] if median[0] is None else f"{median[0]:.0f}",
                "Middle half (days)": middle,
            }
        )
    return pd.DataFrame(rows)


def release_cohorts(role: str, release: releases.Release, months: int):
    """Cohorts of the release's intake months at ``months`` after intake: the Table for
    the chart and the stored labels (empty when no cohort reached that horizon)."""
    cells = releases.figure(role, release, "cohorts")
    cells = cells[cells.col_key.str.endswith(f"_{months}m")]
    cells = cells.assign(col_key=cells.col_key.str.removesuffix(f"_{months}m"))
    grid = releases.grid(cells, sorted(set(cells.row_key)), [*rules.STATUSES, "people"])
    labels = [f"{date.fromisoformat(m):%b %Y}" for m in grid.labels.index]
    table = as_table(grid, labels, list(rules.STATUSES.values()), "Intake month")
    shown = grid.table("Intake month", dict(zip(grid.labels.index, labels, strict=True)))
    return table, shown.rename(columns={**rules.STATUSES, "people": "Intakes"})


def _rate(frame: pd.DataFrame, part: str, whole: str) -> pd.DataFrame:
    """Share and 95% Wilson interval where both stored counts are shown."""
    both = frame[part].notna() & frame[whole].notna()
    hidden = (~both).to_numpy()
    filled = frame.assign(**{part: frame[part].fillna(0), whole: frame[whole].fillna(0)})
    return eq.rate_rows(filled, part, whole, (hidden, hidden))


def release_recontact(role: str, release: releases.Release) -> pd.DataFrame:
    """Re-contact within 6 and 12 months as the release shows it (horizons the release
    can reach): stored labels, shares and intervals where both counts are shown."""
    cells = releases.figure(role, release, "recontact")
    rows = []
    for months in (6, 12):
        people = cells[cells.col_key == f"people_{months}m"].set_index("row_key")
        again = cells[cells.col_key == f"recontacted_{months}m"].set_index("row_key")
        for group, name in RECONTACT_GROUPS.items():
            if group not in people.index:
                continue
            rows.append(
                {
                    "Group": name,
                    "Within": f"{months} months",
                    "people": people.at[group, "value"],
                    "recontacted": again.at[group, "value"],
                    "People": people.at[group, "label"],
                    "With a new contact": again.at[group, "label"],
                }
            )
    columns = ["Group", "Within", "people", "recontacted", "People", "With a new contact"]
    frame = pd.DataFrame(rows, columns=columns).astype({"people": float, "recontacted": float})
    return _rate(frame, "recontacted", "people")


def release_equity(role: str, release: releases.Release, dimension: str) -> pd.DataFrame:
    """Participants (intakes in the release) by group and how many engaged with a
    service, as stored, with shares where both are shown; 'All' is the total row."""
    grid = releases.grid(releases.figure(role, release, f"equity_{dimension}"))
    if not grid.published:
        return pd.DataFrame(columns=["grp", "participants", "engaged", *RATE_COLUMNS])
    groups = [g for g in grid.labels.index if g != TOTAL]
    if dimension == "age":
        groups.sort(key=lambda g: eq.AGE_ORDER.index(g) if g in eq.AGE_ORDER else 99)
    order = [*groups, TOTAL]
    values = grid.values.reindex(order)
    frame = values.rename(index={TOTAL: "All"}).rename_axis("grp").reset_index()
    out = _rate(frame, "engaged", "participants")
    for column in ("participants", "engaged"):
        out[column] = grid.labels.reindex(order)[column].to_numpy()
    return out


def diversion_equity(role: str, start, end, offenses, t: int) -> dict:
    """Diversion of eligible contacts by group (police records, any window), protected as
    on the person-level page: only its diversion tables are used."""
    diversion = database.query(
        role, "outcomes/equity_diversion", start=start, end=end, offenses=offenses
    )
    nobody = diversion[["dimension", "grp"]].assign(participants=0, engaged=0)
    return {d: tables[0] for d, tables in eq.equity_tables(diversion, nobody, t, True).items()}


# --- cost avoided: jail bookings before vs after intake (issue 20) ----------------------

EVERY_INTAKE = date(1900, 1, 1)  # the exact figures take every first intake followed up


def cost(role: str, as_of: date) -> pd.DataFrame:
    """Bookings, bed-days and cost before vs after the first intake of every participant
    whose after-window has passed by ``as_of`` (person-level roles)."""
    return database.query(role, "outcomes/cost", start=EVERY_INTAKE, end=as_of, as_of=as_of)


def cost_settings(role: str, day: date) -> tuple[int, float, float]:
    """The window (days) and the unit costs ($ per bed-day, per booking) in force."""
    window, bed_day, booking = (
        database.setting(role, key, day)
        for key in ("cost_window_days", "cost_per_bed_day", "cost_per_booking")
    )
    return int(window), bed_day, booking


def release_cost(role: str, release: releases.Release) -> pd.DataFrame:
    """The intake-year cohorts a release publishes (none before a cohort is followed up)."""
    cells = releases.figure(role, release, "cost")
    return cost_rules.release_table(cells, releases.statistics(role, release))
