"""The daily census (running sums) equals the definition computed day by day."""

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
