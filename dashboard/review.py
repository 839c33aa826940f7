"""Load a Review (program/review.py) for the signed-in role: the same figures feed the
Review page, its CSV exports and its PDF."""

from datetime import date

import pandas as pd
from geo.privacy import suppress_table

from dashboard import data
from dashboard.auth import ROLE_LABELS, User
from program import review as rv

SERVICE_LABELS = {
    "drug_treatment": "Drug treatment",
    "mental_health": "Mental health",
    "housing": "Housing",
    "other": "Other",
}
DENSITY_CLASSES = [(1, 10, "1–10"), (11, 25, "11–25"), (26, 50, "26–50"), (51, None, "51+")]


def choose_period(kind: str, anchor: date, custom: tuple[date, date] | None) -> rv.Period:
    if kind == "Month":
        return rv.month_of(anchor)
    if kind == "Quarter":
        return rv.quarter_of(anchor)
    return rv.Period(*custom)


def _figures(role: str, period: rv.Period) -> dict:
    row = data.query(role, "review/figures", start=period.start, end=period.end).iloc[0]
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
    targets = data.query(user.role, "review/targets", day=period.end)
    kpis = rv.kpis(
        figures["current"],
        figures["previous"],
        figures["year_ago"],
        dict(zip(targets.key, targets.value, strict=True)),
    )
    suppressed = not user.sees_person_level
    tables = {
        "Review figures": rv.kpi_table(kpis, period, before, year_ago),
        "Daily census": data.query(
            user.role, "review/census_daily", start=period.start, end=period.end
        ),
        "Contacts per week": data.query(
            user.role,
            "review/contacts_weekly",
            start=period.start,
            end=period.end,
            offenses=offenses,
        ),
        "Training coverage by sector": _coverage(user.role, period.end),
        "Service referrals by outcome": _outcomes(user.role, period, suppressed),
    }
    return rv.Review(
        kind=kind,
        period=period,
        previous=before,
        year_ago=year_ago,
        as_of=as_of,
        role_label=ROLE_LABELS[user.role],
        offense_label=offense_label,
        figures=figures,
        kpis=kpis,
        narrative=rv.narrative(figures["current"], figures["previous"], kpis),
        tables=tables,
        cells=_cells(user.role, period, offenses, suppressed),
        areas=data.query(user.role, "review/areas", day=period.end),
        suppressed=suppressed,
    )


def _coverage(role: str, day: date) -> pd.DataFrame:
    coverage = data.query(role, "review/coverage_by_sector", day=day)
    coverage["coverage_pct"] = (
        100
        * coverage.trained_officers
        / coverage.active_officers.where(coverage.active_officers > 0)
    )
    return coverage.round({"coverage_pct": 0})


def _outcomes(role: str, period: rv.Period, suppressed: bool) -> pd.DataFrame:
    """Service × outcome counts with margins; small cells hidden outside person-level roles."""
    rows = data.query(role, "review/referral_outcomes", start=period.start, end=period.end)
    rows["service"] = rows.service.map(SERVICE_LABELS).fillna(rows.service)
    if rows.empty:
        return pd.DataFrame(columns=["service"])
    table = rows.pivot_table(
        index="service", columns="outcome", values="referrals", aggfunc="sum", fill_value=0
    )
    if not suppressed:
        table["Total"] = table.sum(axis=1)
        return table.reset_index()
    shown, _mask = suppress_table(rows, "service", "outcome", "referrals")
    return shown


def _cells(role: str, period: rv.Period, offenses, suppressed: bool) -> pd.DataFrame:
    """Density cells; for suppressed roles the count becomes its class (1–10, 11–25...)."""
    cells = data.query(
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
