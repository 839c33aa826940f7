"""The overview's figures equal independent counts over the demo database."""

from datetime import date, timedelta

import psycopg2
import pytest
from dateutil.relativedelta import relativedelta


@pytest.fixture
def demo_conn(demo_url):
    conn = psycopg2.connect(demo_url, options="-c timezone=America/New_York")
    yield conn
    conn.close()


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def scalar(conn, sql, *params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def test_overview_figures_match_independent_counts(app, demo_conn):
    at = app("admin")
    at.run()
    as_of = scalar(demo_conn, "SELECT max(occurred_at)::date FROM contact")
    start = as_of - timedelta(days=29)
    contacts = scalar(
        demo_conn,
        "SELECT count(*) FROM contact WHERE occurred_at::date BETWEEN %s AND %s"
        " AND offense IN ('drug', 'prostitution')",
        start,
        as_of,
    )
    diverted = scalar(
        demo_conn,
        "SELECT count(*) FROM contact WHERE occurred_at::date BETWEEN %s AND %s"
        " AND offense IN ('drug', 'prostitution') AND decision = 'diverted'",
        start,
        as_of,
    )
    active = scalar(
        demo_conn,
        "SELECT count(*) FROM enrollment WHERE intake_on <= %s"
        " AND coalesce(exited_on, 'infinity') > %s",
        as_of,
        as_of,
    )
    trained = scalar(
        demo_conn,
        "SELECT count(*) FROM officer o WHERE active AND EXISTS (SELECT 1 FROM training t"
        " WHERE t.officer_id = o.officer_id AND t.completed_on <= %s"
        " AND coalesce(t.expires_on, 'infinity') >= %s)",
        as_of,
        as_of,
    )
    assert metric(at, "Contacts").value == f"{contacts:,}"
    assert metric(at, "Diversions").value == f"{diverted:,}"
    assert metric(at, "Active participants").value == f"{active} of 60"
    assert metric(at, "LEAD-trained officers").value == str(trained)
    assert contacts > 0 and active > 0 and trained >= 120


def test_offence_filter_changes_the_contact_count(app, demo_conn, released):
    at = app("command")
    at.run()
    at.multiselect(key="filter_offenses").set_value(["other"]).run()
    as_of = scalar(demo_conn, "SELECT max(occurred_at)::date FROM contact")
    other = scalar(
        demo_conn,
        "SELECT count(*) FROM contact WHERE occurred_at::date BETWEEN %s AND %s"
        " AND offense = 'other'",
        as_of - timedelta(days=29),
        as_of,
    )
    assert metric(at, "Contacts").value == f"{other:,}"


def test_every_tile_shows_its_reference(app, released):
    at = app("leadership")
    at.run()
    references = [c.value for c in at.caption]
    assert any(r.startswith("Capacity 60") for r in references)
    assert any(r.startswith("Target 120") for r in references)


# DEMO_END is 31 Oct 2026: the 12 complete months are Nov 2025 - Oct 2026.
MONTHS = [date(2025, 11, 1) + relativedelta(months=n) for n in range(12)]


def month_end(month: date) -> date:
    return month + relativedelta(months=1, days=-1)


def monthly_contacts(conn, diverted_only: bool = False) -> list[int]:
    """Drug and prostitution contacts per month, counted one month at a time."""
    return [
        scalar(
            conn,
            "SELECT count(*) FROM contact WHERE occurred_at >= %s AND occurred_at < %s"
            " AND offense IN ('drug', 'prostitution') AND (NOT %s OR decision = 'diverted')",
            month,
            month + relativedelta(months=1),
            diverted_only,
        )
        for month in MONTHS
    ]


def trends_of(at) -> dict[str, list[float]]:
    return {m.label: list(m.proto.chart_data) for m in at.metric}


def test_each_tile_has_a_12_month_trend_and_a_link_to_the_page_behind_it(app, demo_conn):
    at = app("admin")
    at.run()
    assert not at.exception
    trends = trends_of(at)
    assert all(len(t) == 12 for t in trends.values()), trends
    assert trends["Contacts"] == monthly_contacts(demo_conn)
    assert trends["Diversions"] == monthly_contacts(demo_conn, diverted_only=True)
    active = [
        scalar(
            demo_conn,
            "SELECT count(*) FROM enrollment WHERE intake_on <= %s"
            " AND coalesce(exited_on, 'infinity') > %s",
            month_end(m),
            month_end(m),
        )
        for m in MONTHS
    ]
    assert trends["Active participants"] == active
    links = at.get("page_link")
    assert len(links) == 7
    assert {link.proto.page.rsplit("/", 1)[-1] for link in links} == {
        "capacity",
        "contacts_map",
        "training",
    }
    assert all("period=last-30-days" in link.proto.query_string for link in links)


def test_command_trends_of_participants_come_from_the_releases(app, demo_conn, released):
    at = app("command")
    at.run()
    assert not at.exception
    with demo_conn.cursor() as cur:
        cur.execute(
            "SELECT active FROM census_day WHERE day = ANY(%s) ORDER BY day",
            ([month_end(m) for m in MONTHS],),
        )
        stored = [row[0] for row in cur.fetchall()]
    assert len(stored) > 1
    assert trends_of(at)["Active participants"] == stored
