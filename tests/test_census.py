"""The daily census (running sums) equals the definition computed day by day."""

from datetime import timedelta

import psycopg2

NAIVE = """
SELECT d::date,
       count(*) FILTER (WHERE e.intake_on <= d AND coalesce(e.exited_on, 'infinity') > d),
       count(*) FILTER (WHERE e.referred_on <= d AND coalesce(e.intake_on, 'infinity') > d
                          AND coalesce(e.exited_on, 'infinity') > d),
       count(*) FILTER (WHERE e.referred_on <= d AND coalesce(e.intake_on, 'infinity') > d
                          AND coalesce(e.exited_on, 'infinity') > d
                          AND d::date - e.referred_on > 30),
       count(*) FILTER (WHERE e.referred_on = d),
       count(*) FILTER (WHERE e.intake_on = d),
       count(*) FILTER (WHERE e.exited_on = d AND e.intake_on IS NOT NULL)
FROM generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS d
CROSS JOIN enrollment AS e
GROUP BY d ORDER BY d
"""


def test_census_daily_equals_the_definition_on_every_day_of_the_demo_pilot(demo_url):
    conn = psycopg2.connect(demo_url)
    with conn.cursor() as cur:
        cur.execute("SELECT min(referred_on) - 10, max(referred_on) + 10 FROM enrollment")
        first, last = cur.fetchone()
        cur.execute(NAIVE, {"first": first, "last": last})
        expected = cur.fetchall()
        cur.execute(
            "SELECT day, active, pending, overdue, referrals, intakes, exits"
            " FROM census_daily(%(first)s, %(last)s)",
            {"first": first, "last": last},
        )
        actual = cur.fetchall()
    conn.close()
    assert len(actual) == len(expected) > 1000
    assert actual == expected
    assert any(row[3] for row in actual)  # the demo has overdue days to compare


CENSUS = (
    "SELECT day, active, pending, overdue, referrals, intakes, exits"
    " FROM census_daily(%(first)s, %(last)s)"
)
STATE = "SELECT current, first_day, last_day FROM census_store_state"


def test_census_store_is_refreshed_by_imports_and_outdated_by_any_enrollment_write(demo_url):
    """The demo is loaded through the importer, which stores the census; an enrollment
    written afterwards makes census_daily compute again in that same transaction (it
    never answers from a stored census older than the enrollments), and a refresh stores
    the new census. Both paths equal the definition computed day by day."""
    conn = psycopg2.connect(demo_url)
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT max(referred_on) - 60, max(referred_on) FROM enrollment")
            first, last = cur.fetchone()
            span = {"first": first, "last": last}
            cur.execute(STATE)
            current, low, high = cur.fetchone()
            assert current and low < first and high > last
            cur.execute(
                "SELECT count(*) FROM census_store WHERE day BETWEEN %s AND %s", (first, last)
            )
            assert cur.fetchone()[0] == 61
            cur.execute(
                "INSERT INTO enrollment (enrollment_id, person_key, referred_on, intake_on,"
                " row_hash) VALUES ('T-store-1', 'P-store', %s, %s, 'x')",
                (first, first + timedelta(days=40)),
            )
            cur.execute(STATE)
            assert cur.fetchone()[0] is False
            cur.execute(NAIVE, span)
            expected = cur.fetchall()
            cur.execute(CENSUS, span)
            assert cur.fetchall() == expected
            cur.execute("SELECT census_store_refresh()")
            assert cur.fetchone()[0] > 1000
            cur.execute(STATE)
            assert cur.fetchone()[0] is True
            cur.execute(CENSUS, span)
            assert cur.fetchall() == expected
            # the new person: pending for 40 days (overdue after 30), then active
            assert expected[0][2] >= 1 and expected[-1][1] >= 1
            cur.execute("SELECT census_store_refresh()")
            assert cur.fetchone()[0] == 0  # current: nothing to do
    finally:
        conn.rollback()
        conn.close()
