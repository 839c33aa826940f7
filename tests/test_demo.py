"""Demo data: deterministic files, a clean import, and figures the dashboards rely on.

The database checks are written as SQL of their own (a generate_series census, a
catchment containment), not by reusing the generator's bookkeeping.
"""

from datetime import date

import pytest

from db.connect import connect
from demo.__main__ import main
from demo.generate import generate, write_csvs
from demo.load import load_demo
from tests.conftest import reset_data

END = date(2025, 6, 30)
SEED = 11


@pytest.fixture(scope="module")
def loaded(database_url):
    """One demo load shared by the read-only checks of this module."""
    conn = connect(database_url)
    reset_data(conn)
    tables = load_demo(conn, END, SEED)
    conn.autocommit = True  # reads hold no locks that would block the next reset
    yield conn, tables
    conn.rollback()
    conn.close()


def value(conn, sql: str, **params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def test_the_same_seed_and_end_date_give_identical_files(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder in (first, second, other):
        folder.mkdir()
    paths = write_csvs(generate(END, SEED), first)
    write_csvs(generate(END, SEED), second)
    write_csvs(generate(END, SEED + 1), other)
    for kind, path in paths.items():
        assert path.read_bytes() == (second / path.name).read_bytes(), kind
    assert paths["contacts"].read_bytes() != (other / "demo-contacts.csv").read_bytes()


def test_nothing_is_dated_after_the_end_date(loaded):
    _, tables = loaded  # what generate(END, SEED) gave the module's load
    end = END.isoformat()
    assert tables["contacts"]["occurred_at"].str[:10].max() <= end
    for kind, columns in {
        "trainings": ["completed_on"],
        "enrollments": ["referred_on", "intake_on", "exited_on"],
        "referrals": ["referred_on", "outcome_on"],
        "meetings": ["met_on"],
        "jail-bookings": ["booked_at", "released_at"],
    }.items():
        for column in columns:
            assert tables[kind][column].str[:10].max() <= end, (kind, column)


def test_the_import_rejects_nothing(loaded):
    conn, tables = loaded
    assert value(conn, "SELECT count(*) FROM import_rejection") == 0
    assert value(conn, "SELECT count(*) FROM contact") == len(tables["contacts"])
    assert value(conn, "SELECT count(*) FROM enrollment") == len(tables["enrollments"])


def test_active_participants_never_exceed_capacity(loaded):
    conn, _ = loaded
    busiest = value(
        conn,
        """
        SELECT max(active) FROM (
            SELECT d, count(e.enrollment_id) AS active
            FROM generate_series(DATE '2022-07-01', %(end)s::date, interval '1 day') AS d
            LEFT JOIN enrollment e
              ON e.intake_on <= d AND (e.exited_on IS NULL OR e.exited_on >= d)
            GROUP BY d
        ) census
        """,
        end=END,
    )
    capacity = value(conn, "SELECT value FROM program_setting WHERE key = 'capacity'")
    assert 55 <= busiest <= capacity


def test_at_least_120_active_officers_hold_a_current_training(loaded):
    conn, _ = loaded
    trained = value(
        conn,
        """
        SELECT count(DISTINCT o.officer_id) FROM officer o JOIN training t USING (officer_id)
        WHERE o.active AND t.completed_on <= %(end)s AND t.expires_on > %(end)s
        """,
        end=END,
    )
    assert 120 <= trained <= 140


def test_most_drug_and_prostitution_contacts_are_inside_the_catchment(loaded):
    conn, _ = loaded
    share = value(
        conn,
        """
        SELECT avg(ST_Contains(a.geom, c.geom)::int) FROM contact c, program_area a
        WHERE a.kind = 'catchment' AND c.offense IN ('drug', 'prostitution')
        """,
    )
    assert share > 0.5


def test_the_first_months_come_through_all_three_doors_mostly_social_contacts(loaded):
    """Baltimore's first months: 25 referrals, 5 arrest, 15 social contact, 5 community."""
    conn, _ = loaded
    with conn.cursor() as cur:
        cur.execute(
            "SELECT door, count(*) FROM enrollment"
            " WHERE referred_on < (SELECT min(referred_on) FROM enrollment) + 91 GROUP BY door"
        )
        doors = dict(cur.fetchall())
    assert doors["social_contact"] > 2 * doors["arrest"]
    assert doors["community"] >= 0.5 * doors["arrest"]
    community_with_contact = value(
        conn, "SELECT count(*) FROM enrollment WHERE door = 'community' AND contact_id IS NOT NULL"
    )
    assert community_with_contact == 0


def test_warm_handoffs_and_meetings_are_loaded(loaded):
    conn, tables = loaded
    assert value(conn, "SELECT count(*) FROM case_meeting") == len(tables["meetings"])
    median = value(
        conn,
        "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY"
        " extract(epoch FROM e.handoff_at - c.occurred_at) / 60)"
        " FROM enrollment e JOIN contact c USING (contact_id)",
    )
    assert 15 <= median <= 40
    # somebody active on the end date has not met their case manager for 30 days
    in_the_wind = value(
        conn,
        """
        SELECT count(*) FROM enrollment e
        WHERE e.intake_on <= %(end)s AND (e.exited_on IS NULL OR e.exited_on > %(end)s)
          AND e.intake_on < %(end)s::date - 30
          AND NOT EXISTS (SELECT 1 FROM case_meeting m WHERE m.enrollment_id = e.enrollment_id
                          AND m.met_on BETWEEN %(end)s::date - 29 AND %(end)s)
        """,
        end=END,
    )
    assert in_the_wind >= 1


def test_jail_bookings_are_loaded_around_first_intakes(loaded):
    conn, tables = loaded
    assert value(conn, "SELECT count(*) FROM jail_booking") == len(tables["jail-bookings"])
    # each person's bookings, split at their first intake: before within a year of it
    with conn.cursor() as cur:
        cur.execute(
            """
            WITH first AS (SELECT person_key, min(intake_on) AS intake_on FROM enrollment
                           WHERE intake_on IS NOT NULL GROUP BY person_key),
            booked AS (SELECT f.intake_on, (b.booked_at AT TIME ZONE 'America/New_York')::date
                              AS day
                       FROM jail_booking b JOIN first f USING (person_key))
            SELECT count(*) FILTER (WHERE day < intake_on),
                   count(*) FILTER (WHERE day >= intake_on),
                   count(*) FILTER (WHERE day < intake_on - 365)
            FROM booked
            """
        )
        before, after, too_early = cur.fetchone()
    assert before + after == len(tables["jail-bookings"]) and too_early == 0
    assert before > 100 and after > 100


def test_people_wait_for_intake_at_the_end_date(loaded):
    conn, _ = loaded
    waiting = value(
        conn,
        "SELECT count(*) FROM enrollment WHERE intake_on IS NULL AND exited_on IS NULL",
    )
    assert waiting >= 1


def test_the_demo_is_flagged_in_dataset_meta(loaded):
    conn, _ = loaded
    assert value(conn, "SELECT value FROM dataset_meta WHERE key = 'demo_data'") == "true"
    assert value(conn, "SELECT value FROM dataset_meta WHERE key = 'demo_end_date'") == (
        END.isoformat()
    )


def add_real_contact(conn) -> None:
    """A contact a real import could have written, on a day inside the demo's pilot: the
    demo is told apart by its ids, not its dates (and the releases a load refreshes span
    the demo's three years, not up to today)."""
    with conn.cursor() as cur:
        cur.execute(
            "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
            " row_hash) VALUES ('bpd-1', %s::date + time '12:00',"
            " ST_SetSRID(ST_MakePoint(-76.62, 39.29), 4326), 'drug', 'arrest', 'arrested', 'x')",
            (END,),
        )
    conn.commit()


def test_if_empty_skips_a_database_with_contacts(db, capsys):
    add_real_contact(db)
    assert main(["--if-empty", "--end-date", END.isoformat(), "--seed", str(SEED)]) == 0
    assert "not loaded" in capsys.readouterr().out
    assert value(db, "SELECT count(*) FROM contact") == 1
    assert value(db, "SELECT count(*) FROM dataset_meta WHERE key = 'demo_data'") == 0


COUNTS = """
    SELECT array[(SELECT count(*) FROM contact), (SELECT count(*) FROM enrollment),
                 (SELECT count(*) FROM program_area), (SELECT count(*) FROM officer)]
"""


def test_loading_again_replaces_the_demo_and_keeps_real_data(db):
    """The first load is the loader alone (what ``python -m demo`` runs before refreshing
    the releases); loading again is the command itself, release refresh included. One
    refresh of the demo's releases costs a minute of CPU, so the test pays for one."""
    add_real_contact(db)
    load_demo(db, END, SEED)
    counts = value(
        db, "SELECT array[(SELECT count(*) FROM contact), (SELECT count(*) FROM program_area)]"
    )
    assert main(["--end-date", END.isoformat(), "--seed", str(SEED)]) == 0
    again = value(
        db, "SELECT array[(SELECT count(*) FROM contact), (SELECT count(*) FROM program_area)]"
    )
    assert again == counts
    assert value(db, "SELECT count(*) FROM contact WHERE contact_id = 'bpd-1'") == 1
