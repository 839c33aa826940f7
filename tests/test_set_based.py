"""The set-based rewrites of issue 18 give exactly the rows of the per-row definitions.

legal_clock and door_flow join the dated settings once (setting_spans) instead of calling
setting_on per enrollment; outcome_cohorts and outcome_recontact find each person's next
intake or contact in one grouped join instead of an EXISTS per person and horizon. Each
is compared here, on the demo data set with dated settings added mid-pilot, with the
definition it replaced, kept below as the independent, differently written query (a
lookup per row). The hand-made known answers stay in test_legal_clock, test_doors and
test_outcomes.
"""

from datetime import date, timedelta

import pytest

from db.connect import connect
from tests.support.pages import DEMO_END

# The replaced definitions (a lookup per row), their unchanged parts written another way.
LEGAL_CLOCK = """
    SELECT enrollment_id, person_key, manager, case_reference, sao_consent_on, clock_start,
           deadline, intake_on,
           CASE WHEN intake_on <= least(deadline, %(last_day)s) THEN 'met'
                WHEN deadline < %(last_day)s THEN 'overdue' ELSE 'pending' END,
           deadline - %(last_day)s
    FROM (SELECT clocks.*,
                 clock_start + setting_on('legal_clock_days', clock_start)::integer AS deadline
          FROM (SELECT enr.enrollment_id, enr.person_key, cm.name AS manager,
                       enr.case_reference, enr.sao_consent_on, enr.intake_on, enr.exited_on,
                       coalesce((con.occurred_at AT TIME ZONE 'America/New_York')::date,
                                enr.referred_on) AS clock_start
                FROM enrollment enr
                LEFT JOIN contact con ON con.contact_id = enr.contact_id
                LEFT JOIN case_manager cm ON cm.case_manager_id = enr.case_manager_id
                WHERE enr.door = 'arrest') AS clocks
          WHERE clock_start <= %(last_day)s) AS dated
    WHERE deadline >= %(first_day)s
       OR (coalesce(intake_on > %(last_day)s, true) AND coalesce(exited_on > %(last_day)s, true))
    ORDER BY deadline, enrollment_id
"""

DOOR_FLOW = """
    WITH doors (door, position) AS (
        VALUES ('arrest', 1), ('social_contact', 2), ('community', 3)
    ),
    referred AS (
        SELECT e.door,
               extract(epoch FROM e.handoff_at - c.occurred_at) / 60 AS minutes,
               setting_on('warm_handoff_target_minutes', e.referred_on) AS target
        FROM enrollment AS e
        LEFT JOIN contact AS c ON c.contact_id = e.contact_id
        WHERE e.referred_on BETWEEN %(first_day)s AND %(last_day)s
    )
    SELECT d.door,
           (SELECT count(*) FROM referred AS r WHERE r.door = d.door)::integer,
           (SELECT count(*) FROM enrollment AS e
            WHERE e.door = d.door AND e.intake_on BETWEEN %(first_day)s AND %(last_day)s)::integer,
           (SELECT count(*) FROM enrollment AS e
            WHERE e.door = d.door AND e.intake_on <= %(last_day)s
              AND (e.exited_on IS NULL OR e.exited_on > %(last_day)s))::integer,
           (SELECT count(r.minutes) FROM referred AS r WHERE r.door = d.door)::integer,
           (SELECT count(*) FROM referred AS r
            WHERE r.door = d.door AND r.minutes <= r.target)::integer,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY r.minutes)
            FROM referred AS r WHERE r.door = d.door)::numeric
    FROM doors AS d
    ORDER BY d.position
"""

COHORTS = """
    WITH horizons (months) AS (VALUES (3), (6), (12)),
    status AS (
        SELECT date_trunc('month', e.intake_on)::date AS intake_month,
               h.months,
               CASE
                   WHEN e.exited_on IS NULL
                        OR e.exited_on > e.intake_on + make_interval(months => h.months)
                       THEN 'active'
                   WHEN EXISTS (
                       SELECT 1 FROM enrollment AS later
                       WHERE later.person_key = e.person_key
                         AND later.enrollment_id <> e.enrollment_id
                         AND later.intake_on >= e.exited_on
                         AND later.intake_on <= e.intake_on + make_interval(months => h.months))
                       THEN 'returned'
                   ELSE 'exited'
               END AS status
        FROM enrollment AS e
        CROSS JOIN horizons AS h
        WHERE e.intake_on BETWEEN %(first_day)s AND %(last_day)s
          AND (date_trunc('month', e.intake_on) + interval '1 month' - interval '1 day'
               + make_interval(months => h.months))::date <= %(as_of)s
    )
    SELECT intake_month, months, count(*)::integer,
           sum((status = 'active')::integer)::integer,
           sum((status = 'returned')::integer)::integer,
           sum((status = 'exited')::integer)::integer
    FROM status GROUP BY 1, 2 ORDER BY 1, 2
"""

RECONTACT = """
    SELECT p.grp, h.months,
           count(*)::integer,
           count(*) FILTER (WHERE EXISTS (
               SELECT 1 FROM contact AS c
               WHERE c.person_key = p.person_key
                 AND c.occurred_at >= (p.index_day + 1)::timestamp AT TIME ZONE 'America/New_York'
                 AND c.occurred_at < ((p.index_day + make_interval(months => h.months))::date + 1)
                                     ::timestamp AT TIME ZONE 'America/New_York'
           ))::integer
    FROM (SELECT 'participants' AS grp, en.person_key, min(en.intake_on) AS index_day
          FROM enrollment en
          WHERE en.intake_on BETWEEN %(first_day)s AND %(last_day)s
          GROUP BY en.person_key
          UNION ALL
          SELECT 'declined', co.person_key,
                 min((co.occurred_at AT TIME ZONE 'America/New_York')::date)
          FROM contact co
          WHERE co.decision = 'declined' AND co.person_key IS NOT NULL
            AND (co.occurred_at AT TIME ZONE 'America/New_York')::date
                BETWEEN %(first_day)s AND %(last_day)s
            AND co.person_key NOT IN (
                SELECT en.person_key FROM enrollment en
                WHERE en.intake_on BETWEEN %(first_day)s AND %(last_day)s)
          GROUP BY co.person_key) AS p
    CROSS JOIN (VALUES (6), (12)) AS h (months)
    WHERE (p.index_day + make_interval(months => h.months))::date <= %(as_of)s
    GROUP BY p.grp, h.months
    ORDER BY p.grp, h.months
"""

CASES = {
    "legal_clock": (
        "SELECT * FROM legal_clock(%(first_day)s, %(last_day)s)",
        LEGAL_CLOCK,
    ),
    "door_flow": ("SELECT * FROM door_flow(%(first_day)s, %(last_day)s)", DOOR_FLOW),
    "outcome_cohorts": (
        "SELECT * FROM outcome_cohorts(%(first_day)s, %(last_day)s, %(as_of)s)"
        " ORDER BY intake_month, months",
        COHORTS,
    ),
    "outcome_recontact": (
        "SELECT * FROM outcome_recontact(%(first_day)s, %(last_day)s, %(as_of)s)"
        " ORDER BY grp, months",
        RECONTACT,
    ),
}

# Dated values added mid-pilot, so a window straddles a change (and a value is in force
# for only part of it); the demo holds one value of each from 1900.
DATED = [
    ("legal_clock_days", "2025-06-01", 14),
    ("legal_clock_days", "2026-02-15", 45),
    ("warm_handoff_target_minutes", "2025-09-01", 20),
    ("warm_handoff_target_minutes", "2026-08-10", 90),
]


def windows(first: date) -> dict[str, dict]:
    """Pilot to date, the last 30 days and a middle quarter, as of the demo's last day."""
    return {
        "pilot": {"first_day": first, "last_day": DEMO_END},
        "last 30 days": {"first_day": DEMO_END - timedelta(days=29), "last_day": DEMO_END},
        "a quarter": {"first_day": date(2025, 7, 1), "last_day": date(2025, 9, 30)},
    }


@pytest.fixture
def demo(demo_url):
    """The demo database (as its owner) with DATED added inside a rolled-back transaction."""
    conn = connect(demo_url)
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO program_setting (key, effective_from, value) VALUES (%s, %s, %s)",
            DATED,
        )
        cur.execute("SELECT min(referred_on) FROM enrollment")
        first = cur.fetchone()[0]
    yield conn, first
    conn.rollback()
    conn.close()


def rows(conn, statement: str, params: dict) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_rewrite_gives_the_rows_of_the_per_row_definition(demo, name):
    conn, first = demo
    rewritten, replaced = CASES[name]
    for window, params in windows(first).items():
        params = {**params, "as_of": DEMO_END}
        got = rows(conn, rewritten, params)
        want = rows(conn, replaced, params)
        assert got == want, f"{name}, {window}"
        if window == "pilot":  # the last 30 days have no complete follow-up
            assert any(any(value for value in row[1:]) for row in want), f"{name}: no rows"


def test_the_dated_settings_change_the_demos_deadlines_and_handoffs(demo):
    """The settings added do bite: without them the same windows give other rows."""
    conn, first = demo
    params = windows(first)["pilot"]
    with_dated = [rows(conn, CASES[name][0], params) for name in ("legal_clock", "door_flow")]
    with conn.cursor() as cur:
        cur.execute("DELETE FROM program_setting WHERE effective_from > '1900-01-01'")
    without = [rows(conn, CASES[name][0], params) for name in ("legal_clock", "door_flow")]
    assert with_dated[0] != without[0]
    assert with_dated[1] != without[1]


def test_setting_spans_agree_with_setting_on_every_day(demo):
    conn, _ = demo
    statement = """
        SELECT d::date, k.key, setting_on(k.key, d::date),
               (SELECT s.value FROM setting_spans(k.key) AS s
                WHERE d::date >= s.span_from AND d::date < s.span_to)
        FROM generate_series(DATE '1899-12-30', DATE '2027-01-01', interval '1 day') AS d
        CROSS JOIN (VALUES ('legal_clock_days'), ('warm_handoff_target_minutes'),
                           ('no_such_setting')) AS k (key)
    """
    found = rows(conn, statement, {})
    assert len(found) > 3 * 46000
    assert [r for r in found if r[2] != r[3] and (r[2], r[3]) != (None, None)] == []
    assert {r[3] for r in found if r[1] == "legal_clock_days"} >= {14, 45}
