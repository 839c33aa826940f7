"""Load a Review (program/review.py) for the signed-in role: the same figures feed the
Review page, its CSV exports and its PDF."""

from datetime import date

import pandas as pd

from dashboard import access, database
from geo.privacy import suppress_table
from program import review as rv
from program.access import User
from program.outcomes import OUTCOMES, SERVICE_LABELS

DENSITY_CLASSES = [(1, 10, "1–10"), (11, 25, "11–25"), (26, 50, "26–50"), (51, None, "51+")]


def choose_period(kind: str, anchor: date, custom: tuple[date, date] | None) -> rv.Period:
    if kind == "Month":
        return rv.month_of(anchor)
    if kind == "Quarter":
        return rv.quarter_of(anchor)
    return rv.Period(*custom)


def _figures(role: str, period: rv.Period) -> dict:
    row = database.query(role, "review/figures", start=period.start, end=period.end).iloc[0]
    return row.to_dict()


def load_review(
    user: User,
    kind: str,
    period: rv.Period,
    as_of: date,
    offenses: tuple[str, ...],
    offense_label: str,
) -> rv.Review:
    before, year_ago = rv.previous(period, kind), rv.year_earlier(period)
    figures = {
        "current": _figures(user.role, period),
        "previous": _figures(user.role, before),
        "year_ago": _figures(user.role, year_ago),
    }
    targets = database.query(user.role, "review/targets", day=period.end)
    kpis = rv.kpis(
        figures["current"],
        figures["previous"],
        figures["year_ago"],
        dict(zip(targets.key, targets.value, strict=True)),
    )
    suppressed = not user.sees_person_level
    threshold = access.threshold(user, period.end)
    tables = {
        "Review figures": rv.kpi_table(kpis, period, before, year_ago),
        "Daily census": database.query(
            user.role, "review/census_daily", start=period.start, end=period.end
        ),
        "Contacts per week": database.query(
            user.role,
            "review/contacts_weekly",
            start=period.start,
            end=period.end,
            offenses=offenses,
        ),
        "Training coverage by sector": _coverage(user.role, period.end),
        "Service referrals by outcome": _outcomes(user.role, period, threshold),
    }
    return rv.Review(
        kind=kind,
        period=period,
        previous=before,
        year_ago=year_ago,
        as_of=as_of,
        role_label=user.label,
        offense_label=offense_label,
        figures=figures,
        kpis=kpis,
        narrative=rv.narrative(figures["current"], figures["previous"], kpis),
        tables=tables,
        cells=_cells(user.role, period, offenses, suppressed),
        areas=database.query(user.role, "review/areas", day=period.end),
        suppressed=suppressed,
        referral_period=referral_period(period, suppressed),
    )


def _coverage(role: str, day: date) -> pd.DataFrame:
    coverage = database.query(role, "review/coverage_by_sector", day=day)
    coverage["coverage_pct"] = (
        100
        * coverage.trained_officers
        / coverage.active_officers.where(coverage.active_officers > 0)
    )
    return coverage.round({"coverage_pct": 0})


def referral_period(period: rv.Period, suppressed: bool) -> rv.Period:
    """Suppressed roles see referral outcomes only by whole calendar quarter (as on the
    Referral outcomes page), so tables of overlapping periods cannot be subtracted."""
    return rv.quarter_of(period.end) if suppressed else period


def _outcomes(role: str, period: rv.Period, threshold: int) -> pd.DataFrame:
    """Service × outcome counts with totals; small cells and their complements hidden
    (threshold 0: nothing hidden, for person-level roles)."""
    period = referral_period(period, threshold > 0)
    rows = database.query(role, "review/referral_outcomes", start=period.start, end=period.end)
    rows["service"] = rows.service.map(SERVICE_LABELS).fillna(rows.service)
    return suppress_table(
        rows,
        "service",
        "outcome",
        "referrals",
        threshold,
        rows=list(SERVICE_LABELS.values()),
        columns=list(OUTCOMES),
    ).shown


def _cells(role: str, period: rv.Period, offenses, suppressed: bool) -> pd.DataFrame:
    """Density cells; for suppressed roles the count becomes its class (1–10, 11–25...)."""
    cells = database.query(
        role, "review/contact_points", start=period.start, end=period.end, offenses=offenses
    )
    cells["density_class"] = cells.contacts.map(_density_class)
    if suppressed:
        cells = cells.drop(columns="contacts")
    return cells


def _density_class(count: int) -> str:
    for low, high, label in DENSITY_CLASSES:
        if count >= low and (high is None or count <= high):
            return label
    return "0"
