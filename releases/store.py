"""Writing a protected release set: everything replaced in the caller's transaction.

Rows go in as arrays (one ``unnest`` statement per table), so a set of tens of thousands
of figures is a handful of statements.
"""

from collections import defaultdict
from datetime import date

import queries
from releases.periods import Period


def replace_all(conn, rows: "Rows", pilot_start: date, as_of: date) -> None:
    """Delete the stored releases and public census, insert the new ones (no commit)."""
    queries.execute(conn, "releases/clear")
    span = {"first_day": pilot_start, "last_day": as_of}
    queries.execute(conn, "releases/insert_census_day", **span)
    queries.execute(conn, "releases/insert_census_week", **span)
    ids = _insert_releases(conn, rows.periods, as_of)
    for name, records in (
        ("releases/insert_figure", rows.figures),
        ("releases/insert_statistic", rows.statistics),
        ("releases/insert_audit", rows.audit),
    ):
        if records:
            queries.execute(conn, name, **_columns(records, ids))


class Rows:
    """The rows to store: per table, dicts whose ``period`` becomes ``release_id``."""

    def __init__(self, periods: list[Period]):
        self.periods = periods
        self.figures: list[dict] = []
        self.statistics: list[dict] = []
        self.audit: list[dict] = []


def _insert_releases(conn, periods: list[Period], as_of: date) -> dict[tuple, int]:
    found = queries.fetch_all(
        conn,
        "releases/insert_release",
        kind=[p.kind for p in periods],
        first_day=[p.first_day for p in periods],
        last_day=[p.last_day for p in periods],
        label=[p.label for p in periods],
        data_as_of=as_of,
    )
    return {(kind, first, last): release_id for kind, first, last, release_id in found}


def _columns(records: list[dict], ids: dict[tuple, int]) -> dict[str, list]:
    """Row dicts as one list per column, the period replaced by its release id."""
    columns: dict[str, list] = defaultdict(list)
    for record in records:
        period = record["period"]
        columns["release_id"].append(ids[(period.kind, period.first_day, period.last_day)])
        for name, value in record.items():
            if name != "period":
                columns[name].append(value)
    return dict(columns)
