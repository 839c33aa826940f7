"""Load a Review (program/review.py) for the signed-in role: the same figures feed the
Review page, its CSV exports and its PDF."""

from datetime import date, timedelta

import pandas as pd

from dashboard import database, releases
from geo.privacy import suppress_table
from program import review as rv
from program.access import User
from program.outcomes import OUTCOMES, SERVICE_LABELS

DENSITY_CLASSES = [(1, 10, "1–10"), (11, 25, "11–25"), (26, 50, "26–50"), (51, None, "51+")]


def choose_period(
    kind: str, anchor: date, custom: tuple[date, date] | None, as_of: date
) -> rv.Period:
    """The month or quarter containing ``anchor`` (or the custom range), stopped at the
    as-of date: a period cut short is partial and compared like for like."""
    if kind == "Month":
        period = rv.month_of(anchor)
    elif kind == "Quarter":
        period = rv.quarter_of(anchor)
    else:
        period = rv.Period(*custom)
    return rv.clipped(period, as_of)


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
    """The Review of any period with exact figures, for person-level roles (the others
    get :func:`load_release_review`)."""
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
        "Service referrals by outcome": _outcomes(user.role, period),
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
        cells=_cells(user.role, period, offenses, False),
        areas=database.query(user.role, "review/areas", day=period.end),
        suppressed=False,
        referral_period=period,
    )


def _coverage(role: str, day: date) -> pd.DataFrame:
    coverage = database.query(role, "review/coverage_by_sector", day=day)
    coverage["coverage_pct"] = (
        100
        * coverage.trained_officers
        / coverage.active_officers.where(coverage.active_officers > 0)
    )
    return coverage.round({"coverage_pct": 0})


def _outcomes(role: str, period: rv.Period) -> pd.DataFrame:
    """Service × outcome counts with totals, exact (person-level roles; the others read
    the release's table)."""
    rows = database.query(role, "review/referral_outcomes", start=period.start, end=period.end)
    rows["service"] = rows.service.map(SERVICE_LABELS).fillna(rows.service)
    return suppress_table(
        rows,
        "service",
        "outcome",
        "referrals",
        0,
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


# --- releases: the review of roles without person-level access (dashboard.releases) -----

RELEASE_KINDS = {"month": "Month", "quarter": "Quarter", "year": "Year"}


def _public_census(role: str, period: rv.Period) -> pd.DataFrame:
    """The stored public census of every day of ``period`` (none before the pilot: 0)."""
    census = database.query(
        role, "releases_read/census_days", first_day=period.start, last_day=period.end
    )
    days = pd.DataFrame({"day": pd.date_range(period.start, period.end).date})
    census = days.merge(census, on="day", how="left")
    census["capacity"] = census.capacity.bfill().ffill().fillna(0)
    return census.fillna(0).astype({c: int for c in ("active", "pending", "overdue", "capacity")})


def _release_figures(role: str, period: rv.Period, release) -> dict:
    """A period's review figures: police figures and the public census for any period,
    referrals and waits from its release (None without one, or where hidden)."""
    census = _public_census(role, period)
    end = census.iloc[-1]
    police = database.query(role, "releases_read/review_police", start=period.start, end=period.end)
    figures = police.iloc[0].to_dict() | {
        "avg_active": census.active.mean(),
        "avg_capacity": census.capacity.mean(),
        "days_at_capacity": int((census.active >= census.capacity).sum()),
        "days": len(census),
        "active_end": int(end.active),
        "capacity_end": int(end.capacity),
        "pending_end": int(end.pending),
        "overdue_end": int(end.overdue),
    }
    flow = {"intakes": None, "exits": None, "referrals": None, "referrals_engaged": None}
    wait = None
    if release is not None:
        values = releases.grid(releases.figure(role, release, "flow")).values
        flow |= {k: None if pd.isna(v) else int(v) for k, v in values.iloc[0].items()}
        wait = releases.statistic(releases.statistics(role, release), "median_wait")[0]
    return figures | flow | {"median_days_to_intake": wait}


def _release_of(stored: list, kind: str, period: rv.Period):
    key = (kind, period.start, period.end)
    found = [r for r in stored if (r.kind, r.first_day, r.last_day) == key]
    return found[0] if found else None


def previous_period(period: rv.Period, kind: str) -> rv.Period:
    if kind == "year":
        return rv.Period(
            period.start.replace(year=period.start.year - 1), period.start - timedelta(days=1)
        )
    return rv.previous(period, RELEASE_KINDS[kind])


def load_release_review(user: User, release, as_of: date, offenses, offense_label: str):
    """The Review of a release for roles without person-level access: treatment figures
    (referrals, engagement, waits) from the releases of the period, the previous one
    and a year earlier; the narrative only from public and police figures and those."""
    stored = releases.stored(user.role)
    period = rv.Period(release.first_day, release.last_day)
    before, year_ago = previous_period(period, release.kind), rv.year_earlier(period)
    figures = {
        name: _release_figures(user.role, p, _release_of(stored, release.kind, p))
        for name, p in (("current", period), ("previous", before), ("year_ago", year_ago))
    }
    targets = database.query(user.role, "review/targets", day=period.end)
    kpis = rv.kpis(
        figures["current"],
        figures["previous"],
        figures["year_ago"],
        dict(zip(targets.key, targets.value, strict=True)),
    )
    referrals = releases.grid(
        releases.figure(user.role, release, "referrals"),
        [*SERVICE_LABELS, releases.TOTAL],
        [*OUTCOMES, releases.TOTAL],
    )
    census = _public_census(user.role, period)
    tables = {
        "Review figures": rv.kpi_table(kpis, period, before, year_ago),
        "Daily census": census[["day", "active", "pending", "capacity"]],
        "Contacts per week": database.query(
            user.role,
            "review/contacts_weekly",
            start=period.start,
            end=period.end,
            offenses=offenses,
        ),
        "Training coverage by sector": _coverage(user.role, period.end),
        "Service referrals by outcome": referrals.table("service", SERVICE_LABELS),
    }
    note = releases.caption(release, releases.release_threshold(user, release)).replace("**", "")
    return rv.Review(
        kind=RELEASE_KINDS[release.kind],
        period=period,
        previous=before,
        year_ago=year_ago,
        as_of=as_of,
        role_label=user.label,
        offense_label=offense_label,
        figures=figures,
        kpis=kpis,
        narrative=release_narrative(figures, kpis),
        tables=tables,
        cells=_cells(user.role, period, offenses, True),
        areas=database.query(user.role, "review/areas", day=period.end),
        suppressed=True,
        referral_period=period,
        release_note=note,
    )


def release_narrative(figures: dict, kpis: list) -> list[str]:
    """The review narrative from the release's figures (intakes and exits are public)."""
    current = figures["current"]
    missing = {k: "–" for k in ("intakes", "exits") if current[k] is None}
    return rv.narrative(current | missing, figures["previous"], kpis)
