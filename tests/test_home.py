"""The overview's figures equal independent counts over the demo database."""

from datetime import timedelta

import psycopg2
import pytest


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
