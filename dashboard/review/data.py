"""Load a Review (program/review.py) for the signed-in role: the same figures feed the
Review page, its CSV exports and its PDF."""

from datetime import date, timedelta

import pandas as pd

import accounts
import queries
from dashboard import database, doors, releases
from dashboard.outcomes import data as outcomes_data
from geo.privacy import suppress_table
from program import cost as cost_rules
from program import review as rv
from program.access import User
from program.actions import STATUS_LABELS
from program.outcomes import OUTCOMES, SERVICE_LABELS
from reports import charts

FIGURE_NAMES = ("current", "previous", "year_ago")  # the periods a review compares
DENSITY_CLASSES = [(1, 10, "1–10"), (11, 25, "11–25"), (26, 50, "26–50"), (51, None, "51+")]

# The page's four figures are the PDF's matplotlib PNGs: seconds to draw at every rerun,
# and a function of their arguments alone, so each is drawn once per data version and
# arguments (the arguments are the key: no role reads another role's figures).
catchment_map = database.cached(max_entries=16)(charts.catchment_map)
census_chart = database.cached(max_entries=16)(charts.census_chart)
weekly_contacts_chart = database.cached(max_entries=16)(charts.weekly_contacts_chart)
coverage_chart = database.cached(max_entries=16)(charts.coverage_chart)


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


def _police(role: str, period: rv.Period, offenses: tuple[str, ...]) -> dict:
    """Contacts and diversions of the chosen offences (as on the Overview) and trained
    officers: police records, the same for every role."""
    row = database.query(
        role, "review/police", start=period.start, end=period.end, offenses=offenses
    ).iloc[0]
    return row.to_dict()


def _figures(role: str, period: rv.Period, offenses: tuple[str, ...]) -> dict:
    row = database.query(role, "review/figures", start=period.start, end=period.end).iloc[0]
    return _police(role, period, offenses) | row.to_dict()


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
    periods = (period, rv.previous(period, kind), rv.year_earlier(period))
    named = zip(FIGURE_NAMES, periods, strict=True)
    figures = {name: _figures(user.role, p, offenses) for name, p in named}
    census = database.query(user.role, "review/census_daily", start=period.start, end=period.end)
    tables = {
        "Daily census": census,
        "Service referrals by outcome": _outcomes(user.role, period),
        **_by_door(user, period),
        **_cost(user, period.end),
    }
    return _review(user, kind, periods, figures, tables, (as_of, offenses, offense_label))


def _review(
    user: User,
    kind: str,
    periods: tuple[rv.Period, rv.Period, rv.Period],
    figures: dict,
    own_tables: dict,
    context: tuple[date, tuple[str, ...], str],
    release_note: str = "",
) -> rv.Review:
    """What both reviews share: KPIs against the targets in force at the period's end, the
    police tables and map. ``own_tables`` are the daily census, the referrals by outcome
    and the tables by referral door (exact, or public and released); ``context`` is
    (as_of, offenses, offense label). A review with a ``release_note`` is suppressed: its
    narrative comes only from published figures and its map cells show density classes
    without counts. The work group's action items are the same for every role."""
    (period, before, year_ago), (as_of, offenses, offense_label) = periods, context
    suppressed = bool(release_note)
    targets = database.query(user.role, "review/targets", day=period.end)
    current, previous = figures["current"], figures["previous"]
    kpis = rv.kpis(
        current, previous, figures["year_ago"], dict(zip(targets.key, targets.value, strict=True))
    )
    weekly = database.query(
        user.role, "review/contacts_weekly", start=period.start, end=period.end, offenses=offenses
    )
    tables = {
        "Review figures": rv.kpi_table(kpis, period, before, year_ago),
        "Daily census": own_tables["Daily census"],
        "Contacts per week": weekly,
        "Training coverage by sector": _coverage(user.role, period.end),
        "Service referrals by outcome": own_tables["Service referrals by outcome"],
        **{title: own_tables[title] for title in DOOR_TABLES},
        COST: own_tables[COST],
        "Action items": action_items_table(action_items(user.role, period)),
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
        narrative=release_narrative(figures, kpis)
        if suppressed
        else rv.narrative(current, previous, kpis),
        tables=tables,
        cells=_cells(user.role, period, offenses, suppressed),
        areas=database.query(user.role, "review/areas", day=period.end),
        suppressed=suppressed,
        referral_period=period,
        release_note=release_note,
        cost_note=own_tables[COST_NOTE],
    )


DOOR_TABLES = ("Referrals by door", "Service referrals by door")


def _by_door(user: User, period: rv.Period, release=None) -> dict[str, pd.DataFrame]:
    """Referrals, handoffs and service-referral outcomes by referral door (issue 20): exact,
    or the release's stored figures."""
    tables = (
        doors.flow_table(user, period.start, period.end, release),
        doors.outcomes_table(user, period.start, period.end, release),
    )
    return dict(zip(DOOR_TABLES, tables, strict=True))


COST, COST_NOTE = "Cost avoided", "cost note"


def _cost(user: User, day: date, release=None) -> dict:
    """Cost avoided (issue 20) by ``day``: exact (``cost_avoided()``) for person-level
    roles; the release's intake-year cohorts for the others, a hidden count as its label
    and a withheld sum as 'withheld'. With its caption (window, unit costs, caveat)."""
    window = outcomes_data.cost_settings(user.role, day)[0]
    note = cost_rules.review_note(
        window, day, database.query(user.role, "settings/in_force", day=day)
    )
    if release is None:
        figures = outcomes_data.cost(user.role, day)
        table = (
            cost_rules.exact_table(figures)
            if figures.participants.sum()
            else pd.DataFrame({COST: [cost_rules.none_followed(window)]})
        )
    else:
        table = outcomes_data.release_cost(user.role, release)
        table = pd.DataFrame({COST: [cost_rules.NOT_YET]}) if table.empty else table
    return {COST: table, COST_NOTE: note}


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


def _release_figures(role: str, period: rv.Period, release, offenses: tuple[str, ...]) -> dict:
    """A period's review figures: police figures (of ``offenses``) and the public census
    for any period, referrals and waits from its release (None without one, or where
    hidden)."""
    census = _public_census(role, period)
    end = census.iloc[-1]
    figures = _police(role, period, offenses) | {
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
    periods = (period, previous_period(period, release.kind), rv.year_earlier(period))
    figures = {
        name: _release_figures(user.role, p, _release_of(stored, release.kind, p), offenses)
        for name, p in zip(FIGURE_NAMES, periods, strict=True)
    }
    referrals = releases.grid(
        releases.figure(user.role, release, "referrals"),
        [*SERVICE_LABELS, releases.TOTAL],
        [*OUTCOMES, releases.TOTAL],
    )
    census = _public_census(user.role, period)
    tables = {
        "Daily census": census[["day", "active", "pending", "capacity"]],
        "Service referrals by outcome": referrals.table("service", SERVICE_LABELS),
        **_by_door(user, period, release),
        **_cost(user, period.end, release),
    }
    note = releases.caption(release, releases.release_threshold(user, release)).replace("**", "")
    context = (as_of, offenses, offense_label)
    return _review(user, RELEASE_KINDS[release.kind], periods, figures, tables, context, note)


def release_narrative(figures: dict, kpis: list) -> list[str]:
    """The review narrative from the release's figures (intakes and exits are public)."""
    current = figures["current"]
    missing = {k: "–" for k in ("intakes", "exits") if current[k] is None}
    return rv.narrative(current | missing, figures["previous"], kpis)


# --- the work group's action items (migration 0022) --------------------------------------


def action_items(role: str, period: rv.Period) -> pd.DataFrame:
    """The items of ``period``'s review, as they stand: raised at it, or carried (raised
    earlier and still open when it began)."""
    return database.query(role, "review/action_items", start=period.start, end=period.end)


def action_items_table(items: pd.DataFrame) -> pd.DataFrame:
    """The items as the page, its CSV and the PDF show them."""
    return pd.DataFrame(
        {
            "Action item": items.title,
            "Owner": items.owner,
            "Due": items.due_on,
            "Status": items.status.map(STATUS_LABELS),
            "Closed": items.closed_on,
            "Raised at the review ending": items.raised_on,
            "Carried": items.carried.map({True: "carried", False: ""}),
            "Notes": items.notes,
        }
    )


def add_action_item(user: User, raised_on: date, **item) -> int:
    """Add an item (``title``, ``owner``, ``due_on``, ``notes``) raised at the review of
    the period ending ``raised_on``, and its audit row, in one transaction under the
    user's role; returns its id."""

    def write(conn) -> int:
        item_id = int(
            queries.fetch_value(
                conn, "review/action_item_add", raised_on=raised_on, actor=user.username, **item
            )
        )
        accounts.audit(
            conn, user.username, user.role, "add_action_item", str(item_id), "ok",
            raised_on=raised_on, **item,
        )  # fmt: skip
        return item_id

    return database.run_as(user.role, write)


def change_action_item(user: User, item_id: int, **item) -> bool:
    """Change an item's ``owner``, ``due_on``, ``status`` and ``notes``, and audit it with
    the values before and after, in one transaction; False when the item is unknown."""

    def write(conn) -> bool:
        before = queries.fetch_df(
            conn, "review/action_item_change", item_id=item_id, actor=user.username, **item
        )
        if before.empty:
            return False
        accounts.audit(
            conn, user.username, user.role, "change_action_item", str(item_id), "ok",
            before=before.iloc[0].to_dict(), after=item,
        )  # fmt: skip
        return True

    return database.run_as(user.role, write)
