"""The legal clock (issue 20): deadlines and statuses of arrest diversions against hand-made
records, the consent and case reference through the import contract, and the
prosecutor liaison, who may read only whether consenting people's intake happened by the
deadline: the attacker lists everything that role can read or call and finds nothing
else."""

from datetime import date, timedelta

import psycopg2
import pytest
from psycopg2 import errors
from psycopg2 import sql as pgsql

import queries
from ingest.api import import_file
from program import clock
from program.legal_clock import due_counts
from tests.support.pages import ROOT
from tests.support.sql import fetch

LIAISON = "lead_prosecutor_liaison"


def add_contact(cur, contact_id, day, pathway="arrest"):
    """A contact at noon, Baltimore time, on ``day``."""
    cur.execute(
        "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
        " person_key, row_hash) VALUES (%s, (%s::date + time '12:00') AT TIME ZONE"
        " 'America/New_York', ST_SetSRID(ST_MakePoint(-76.62175, 39.29189), 4326), 'drug',"
        " %s, 'diverted', %s, 'h')",
        (contact_id, day, pathway, f"p-{contact_id}"),
    )


def enroll(cur, eid, contact_id, referred, intake=None, consent=None, reference=None, door=None):
    """An enrollment by ``door`` (default: arrest with a contact, community without)."""
    door = door or ("arrest" if contact_id else "community")
    cur.execute(
        "INSERT INTO enrollment (enrollment_id, person_key, contact_id, referred_on, intake_on,"
        " sao_consent_on, case_reference, door, row_hash)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'h')",
        (eid, f"p-{eid}", contact_id, referred, intake, consent, reference, door),
    )


def diversion(cur, n, day, intake=None, consent=None, reference=None, pathway="arrest"):
    add_contact(cur, f"c{n}", day, pathway)
    enroll(cur, f"e{n}", f"c{n}", day, intake, consent, reference, door=pathway)


@pytest.fixture
def clocks(db):
    """Arrest diversions around a change of legal_clock_days from 30 to 14 on 1 March."""
    d = date.fromisoformat
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO program_setting (key, effective_from, value)"
            " VALUES ('legal_clock_days', '2026-03-01', 14)"
        )
        diversion(cur, 0, d("2025-12-01"), d("2025-12-05"), reference="R0")  # before
        diversion(cur, 1, d("2026-01-10"), d("2026-02-09"), d("2026-01-11"), "R1")  # on the day
        diversion(cur, 2, d("2026-01-20"), d("2026-02-20"), d("2026-01-21"), "R2")  # a day late
        diversion(cur, 3, d("2026-03-05"), reference="R3")  # none, 14 days
        diversion(cur, 4, d("2026-03-25"), consent=d("2026-03-26"), reference="R4")
        diversion(cur, 5, d("2026-03-20"), d("2026-03-30"), d("2026-04-15"), "R5")
        diversion(cur, 6, d("2026-03-10"), pathway="social_contact")  # no clock
        enroll(cur, "e7", None, d("2026-03-10"))  # community referral: no clock
    db.commit()
    return db


def due(db, start, end):
    with db.cursor() as cur:
        cur.execute("SET LOCAL ROLE lead_case_manager")
    frame = queries.fetch_df(db, "legal_clock/due_list", start=start, end=end)
    db.rollback()
    return [
        (r.enrollment_id, r.deadline, r.status, r.days_left, r.case_reference)
        for r in frame.itertuples()
    ]


def test_deadlines_and_statuses_at_the_end_of_the_period(clocks):
    d = date.fromisoformat
    assert due(clocks, d("2026-02-01"), d("2026-03-31")) == [
        ("e1", d("2026-02-09"), "met", -50, "R1"),
        ("e2", d("2026-02-19"), "overdue", -40, "R2"),
        ("e3", d("2026-03-19"), "overdue", -12, "R3"),
        ("e5", d("2026-04-03"), "met", 3, "R5"),
        ("e4", d("2026-04-08"), "pending", 8, "R4"),
    ]


def test_a_clock_is_pending_until_intake_or_its_deadline(clocks):
    d = date.fromisoformat
    assert due(clocks, d("2026-02-05"), d("2026-02-05")) == [
        ("e1", d("2026-02-09"), "pending", 4, "R1"),
        ("e2", d("2026-02-19"), "pending", 14, "R2"),
    ]
    # the deadline day itself is still in time; the day after it is not
    on_the_day = due(clocks, d("2026-02-19"), d("2026-02-19"))
    assert on_the_day == [("e2", d("2026-02-19"), "pending", 0, "R2")]
    assert due(clocks, d("2026-02-15"), d("2026-02-20")) == [
        ("e2", d("2026-02-19"), "overdue", -1, "R2")
    ]


def test_an_overdue_person_without_intake_stays_on_the_list_until_closed(clocks):
    d = date.fromisoformat
    assert [r[:3] for r in due(clocks, d("2026-06-01"), d("2026-06-30"))] == [
        ("e3", d("2026-03-19"), "overdue"),
        ("e4", d("2026-04-08"), "overdue"),
    ]
    with clocks.cursor() as cur:
        cur.execute("UPDATE enrollment SET exited_on = '2026-06-10' WHERE enrollment_id = 'e3'")
    clocks.commit()
    assert [r[0] for r in due(clocks, d("2026-06-01"), d("2026-06-30"))] == ["e4"]


def test_the_due_list_counts():
    counts = due_counts(["met", "overdue", "pending", "pending", "pending"], [-3, -1, 0, 7, 8])
    assert counts == {"pending": 3, "due_soon": 2, "overdue": 1, "met": 1}


def test_command_and_leadership_may_not_run_the_due_list(clocks):
    for role in ("lead_command", "lead_leadership", LIAISON):
        with pytest.raises(errors.InsufficientPrivilege), clocks.cursor() as cur:
            cur.execute(pgsql.SQL("SET LOCAL ROLE {}").format(pgsql.Identifier(role)))
            cur.execute("SELECT * FROM legal_clock('2026-01-01', '2026-03-31')")
        clocks.rollback()


# --- the import contract -----------------------------------------------------------------


def test_consent_and_case_reference_come_through_the_import(db, tmp_path):
    with db.cursor() as cur:
        add_contact(cur, "c-0001", date(2017, 3, 1))
        add_contact(cur, "c-0002", date(2017, 3, 2))
        add_contact(cur, "c-0004", date(2017, 3, 2), "social_contact")
    db.commit()
    managers = tmp_path / "managers.csv"
    managers.write_text("case_manager_id,name,organization\ncm-01,A,BCRI\ncm-02,B,BCRI\n")
    import_file(db, "case-managers", managers)
    path = tmp_path / "enrollments.csv"
    path.write_text((ROOT / "docs" / "examples" / "enrollments.csv").read_text())
    result = import_file(db, "enrollments", path)
    assert (result.new, result.rejected) == (4, 0)
    stored = fetch_rows(db, "SELECT enrollment_id, sao_consent_on, case_reference FROM enrollment")
    assert sorted(stored) == [
        ("e-0001", date(2017, 3, 2), "6B00123456"),
        ("e-0002", None, None),
        ("e-0003", None, "6B00123470"),
        ("e-0004", None, None),
    ]
    assert import_file(db, "enrollments", path).unchanged == 4
    # consent withdrawn: the same row with the column empty
    path.write_text(path.read_text().replace(",2017-03-02,6B00123456", ",,6B00123456"))
    assert import_file(db, "enrollments", path).updated == 1
    # the columns are optional; a date is checked like any other
    older = tmp_path / "older.csv"
    older.write_text(
        "enrollment_id,person_key,contact_id,referred_on,intake_on,exited_on,exit_reason,"
        "case_manager_id,sao_consent_on\n"
        "e-0008,p-1,,2017-03-01,,,,,\n"
        "e-0009,p-1,,2017-03-01,,,,,03/02/2017\n"
    )
    result = import_file(db, "enrollments", older)
    assert (result.new, result.rejected) == (1, 1)
    assert "sao_consent_on" in result.rejections[0].reason
    consent = "SELECT sao_consent_on FROM enrollment WHERE enrollment_id = 'e-0001'"
    assert fetch_rows(db, consent) == [(None,)]


def fetch_rows(db, statement):
    with db.cursor() as cur:
        cur.execute(statement)
        return cur.fetchall()


# --- the prosecutor liaison --------------------------------------------------------------


@pytest.fixture
def liaison_case(db):
    """Clocks relative to today (the liaison's slice is as of today)."""
    t = clock.today()
    ago, ahead = (lambda n: t - timedelta(days=n)), (lambda n: t + timedelta(days=n))
    with db.cursor() as cur:
        diversion(cur, 1, ago(40), ago(12), ago(39), "A")  # intake by the deadline
        diversion(cur, 2, ago(40), None, ago(39), "B")  # none by the deadline
        diversion(cur, 3, ago(40), ago(9), ago(39), "B2")  # a day after the deadline
        diversion(cur, 4, ago(5), None, ago(4), "C")  # pending
        diversion(cur, 5, ago(5), None, None, "D")  # no consent
        diversion(cur, 6, ago(5), None, ahead(1), "E")  # consent not yet
        diversion(cur, 7, ago(5), None, ago(4), "F", pathway="social_contact")
        cur.execute(
            "INSERT INTO service_referral (referral_id, enrollment_id, service, referred_on,"
            " outcome, row_hash) VALUES ('r1', 'e1', 'drug_treatment', %s, 'engaged', 'h')",
            (ago(11),),
        )
        cur.execute(
            "INSERT INTO dataset_meta (key, value) VALUES ('demo_data', 'true')"
        )  # fmt: skip
    db.commit()
    return db, t


def as_liaison(db, work):
    try:
        with db.cursor() as cur:
            cur.execute(pgsql.SQL("SET LOCAL ROLE {}").format(pgsql.Identifier(LIAISON)))
            return work(cur)
    finally:
        db.rollback()


def _select(statement, params=None):
    def work(cur):
        cur.execute(statement, params)
        return cur.fetchall()

    return work


def test_the_liaison_sees_consenting_peoples_answers_only(liaison_case):
    db, t = liaison_case
    rows = as_liaison(db, _select("SELECT * FROM legal_clock_liaison()"))
    assert rows == [
        ("C", t + timedelta(days=25), "pending"),
        ("A", t - timedelta(days=10), "yes"),
        ("B", t - timedelta(days=10), "no"),
        ("B2", t - timedelta(days=10), "no"),
    ]
    columns = as_liaison(db, lambda cur: (cur.execute("SELECT * FROM legal_clock_liaison()"),
                                          [c.name for c in cur.description])[1])  # fmt: skip
    assert columns == ["case_reference", "deadline", "intake_by_deadline"]


# What lead_prosecutor_liaison may read (relation -> columns) and call: nothing else.
LIAISON_RELATIONS = {
    "program_area", "dataset_meta", "data_version", "spatial_ref_sys",
    "geometry_columns", "geography_columns",
}  # fmt: skip
LIAISON_FUNCTIONS = {"legal_clock_liaison()", "data_span()"}
RELATIONS = """
    SELECT c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
      AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                  AND NOT a.attisdropped AND has_column_privilege(c.oid, a.attnum, 'SELECT'))
"""
WRITABLE = """
    SELECT c.relname, p.privilege
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
         unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS p (privilege)
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v')
      AND (has_table_privilege(c.oid, p.privilege)
           OR (p.privilege IN ('INSERT', 'UPDATE')
               AND has_any_column_privilege(c.oid, p.privilege)))
"""
# The project's functions (not PostGIS's) the role may call, trigger functions aside.
FUNCTIONS = """
    SELECT p.oid::regprocedure::text
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND has_function_privilege(p.oid, 'EXECUTE')
      AND p.prorettype <> 'trigger'::regtype
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""
EVERY_FUNCTION = """
    SELECT p.oid::regprocedure::text, p.proname, array(SELECT t::regtype::text
                                                       FROM unnest(p.proargtypes) AS t)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.prorettype <> 'trigger'::regtype
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


ARGUMENTS = {
    "date": date(2026, 1, 1), "text": "capacity", "integer": 1, "bigint": 1,
    "double precision": 1.0, "text[]": ["drug"], "integer[]": [1],
    "geometry": "SRID=4326;POINT(-76.6 39.3)",
}  # fmt: skip


def test_the_attacker_as_the_liaison_finds_nothing_else(liaison_case):
    """Every relation and function of the schema is tried as lead_prosecutor_liaison:
    it reads the geography, the dataset facts and the data version, writes only its own
    audit rows, calls only data_span() and legal_clock_liaison(); all it reads holds no
    person key, enrollment, contact or referral id, no intake date, no case reference of
    a person who did not consent."""
    db, t = liaison_case
    readable = {r[0] for r in as_liaison(db, _select(RELATIONS))}
    assert readable == LIAISON_RELATIONS
    assert as_liaison(db, _select(WRITABLE)) == [("audit_log", "INSERT")]
    callable_ = {r[0] for r in as_liaison(db, _select(FUNCTIONS))}
    assert callable_ == LIAISON_FUNCTIONS

    seen = []
    for name in sorted(readable):
        every_row = pgsql.SQL("SELECT * FROM {}").format(pgsql.Identifier(name))
        seen += as_liaison(db, _select(every_row))
    for signature in sorted(LIAISON_FUNCTIONS):  # each takes no argument
        every_row = pgsql.SQL("SELECT * FROM {}()").format(
            pgsql.Identifier(signature.removesuffix("()"))
        )
        seen += as_liaison(db, _select(every_row))
    text = repr(seen)
    forbidden = fetch_rows(
        db,
        "SELECT person_key FROM enrollment UNION SELECT enrollment_id FROM enrollment"
        " UNION SELECT contact_id FROM contact UNION SELECT person_key FROM contact"
        " UNION SELECT referral_id FROM service_referral UNION SELECT case_reference"
        " FROM enrollment WHERE case_reference NOT IN ('A', 'B', 'B2', 'C')",
    )
    assert len(forbidden) == 7 * 2 + 7 + 7 + 1 + 3
    leaked = [value for (value,) in forbidden if repr(value) in text]
    assert leaked == []
    intakes = {t - timedelta(days=n) for n in (12, 9)}
    assert not [row for row in seen if intakes & set(row)]

    for signature, name, types in fetch_rows(db, EVERY_FUNCTION):
        if signature in LIAISON_FUNCTIONS:
            continue
        args = [ARGUMENTS[k] for k in types]  # no NULL: a strict function is then not called
        typed = [pgsql.SQL("%s::{}").format(pgsql.SQL(k)) for k in types]  # catalog names
        statement = pgsql.SQL("SELECT * FROM {}({})").format(
            pgsql.Identifier(name), pgsql.SQL(", ").join(typed)
        )
        with pytest.raises(errors.InsufficientPrivilege):
            as_liaison(db, _select(statement, args))


def test_the_liaison_appends_audit_rows_in_its_own_name_only(db):
    insert = "INSERT INTO audit_log (actor, role, action, outcome) VALUES ('u', %s, 'x', 'ok')"
    own = as_liaison(db, lambda cur: (cur.execute(insert, ("prosecutor_liaison",)), cur.rowcount))
    assert own[1] == 1
    for other in ("command", "case_manager", "admin"):
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            as_liaison(db, lambda cur, o=other: cur.execute(insert, (o,)))
    for statement in ("SELECT * FROM audit_log", "UPDATE audit_log SET outcome = 'x'"):
        with pytest.raises(errors.InsufficientPrivilege):
            as_liaison(db, _select(statement))


def test_the_dashboards_login_may_become_the_liaison(database_url):
    from tests.conftest import app_login

    conn = psycopg2.connect(app_login(database_url))
    try:
        with conn.cursor() as cur:
            cur.execute(pgsql.SQL("SET ROLE {}").format(pgsql.Identifier(LIAISON)))
            cur.execute("SELECT current_user")
            assert cur.fetchone() == (LIAISON,)
    finally:
        conn.close()


# --- the demo data -----------------------------------------------------------------------


def test_the_demo_records_consent_and_case_references_for_arrest_diversions(demo_url):
    (row,) = fetch(
        demo_url,
        "SELECT count(*) FILTER (WHERE c.pathway = 'arrest'),"
        " count(*) FILTER (WHERE c.pathway = 'arrest' AND e.case_reference IS NOT NULL),"
        " count(*) FILTER (WHERE e.sao_consent_on IS NOT NULL),"
        " count(*) FILTER (WHERE e.sao_consent_on IS NOT NULL AND c.pathway IS DISTINCT FROM"
        " 'arrest')"
        " FROM enrollment e LEFT JOIN contact c USING (contact_id)",
    )
    arrests, referenced, consented, consented_elsewhere = row
    assert arrests > 100 and referenced == arrests and consented_elsewhere == 0
    assert 0.6 * arrests < consented < 0.8 * arrests


# --- the page ----------------------------------------------------------------------------


def _shown_text(at) -> str:
    tables = [frame.value.to_csv() for frame in at.dataframe]
    texts = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.header)]
    return "\n".join(tables + texts + [str(m.value) for m in at.metric])


def test_the_liaison_page_shows_the_consented_slice_and_nothing_else(app, demo_url):
    at = app("prosecutor_liaison", "legal_clock/page.py")
    at.run()
    assert not at.exception, at.exception
    (table,) = [frame.value for frame in at.dataframe]
    assert list(table.columns) == ["case_reference", "deadline", "intake_by_deadline"]
    # the same answers worked out from the tables, written differently (as the owner)
    expected = fetch(
        demo_url,
        """
        WITH today AS (SELECT (now() AT TIME ZONE 'America/New_York')::date AS t),
        clocks AS (
            SELECT e.case_reference, e.intake_on,
                   (c.occurred_at AT TIME ZONE 'America/New_York')::date
                   + (SELECT value FROM program_setting WHERE key = 'legal_clock_days'
                        AND effective_from <= (c.occurred_at AT TIME ZONE 'America/New_York')::date
                      ORDER BY effective_from DESC LIMIT 1)::int AS deadline
            FROM enrollment e JOIN contact c USING (contact_id), today
            WHERE c.pathway = 'arrest' AND e.sao_consent_on <= today.t
        )
        SELECT case_reference, deadline,
               CASE WHEN intake_on <= deadline AND intake_on <= t THEN 'Yes'
                    WHEN deadline >= t THEN 'Pending' ELSE 'No' END
        FROM clocks, today ORDER BY deadline DESC, case_reference
        """,
    )
    shown = [(r.case_reference, r.deadline, r.intake_by_deadline) for r in table.itertuples()]
    assert shown == expected and len(shown) > 50
    assert [m.label for m in at.metric] == ["Yes", "No", "Pending"]
    assert not [m.delta for m in at.metric if m.delta]  # counts, not changes
    counts = {answer: sum(1 for row in expected if row[2] == answer) for answer in ("Yes", "No")}
    assert [m.value for m in at.metric][:2] == [str(counts["Yes"]), str(counts["No"])]
    forbidden = fetch(
        demo_url,
        "SELECT person_key FROM enrollment UNION SELECT enrollment_id FROM enrollment"
        " UNION SELECT case_reference FROM enrollment WHERE sao_consent_on IS NULL",
    )
    text = _shown_text(at)
    assert not [v for (v,) in forbidden if v and v in text]


def test_the_due_list_page_for_a_case_manager(app, demo_url):
    at = app("case_manager", "legal_clock/page.py")
    at.run()
    assert not at.exception, at.exception
    (table,) = [frame.value for frame in at.dataframe]
    statuses = list(table.status)
    assert statuses == sorted(statuses, key=["Overdue", "Pending", "Intake by deadline"].index)
    assert [m.label for m in at.metric] == [
        "Pending", "Due within 7 days", "Overdue", "Intake by deadline",
    ]  # fmt: skip
    assert [m.value for m in at.metric][2:] == [
        str(statuses.count("Overdue")), str(statuses.count("Intake by deadline")),
    ]  # fmt: skip
    assert "person_key" in table.columns and table.sao_consent.any()


def test_only_case_managers_admins_and_the_liaison_open_the_page():
    from dashboard.pagelist import PAGE_SPECS

    (roles,) = [roles for file, _title, roles in PAGE_SPECS if file == "legal_clock/page.py"]
    assert set(roles) == {"case_manager", "admin", "prosecutor_liaison"}
    assert [file for file, _t, roles in PAGE_SPECS if "prosecutor_liaison" in roles] == [
        "legal_clock/page.py"
    ]


@pytest.mark.browser
def test_the_liaison_in_chromium_finds_only_the_legal_clock(browser_page, demo_url):
    from accounts.demo import DEMO_PASSWORD
    from tests.support.pages import DEMO_USERS, screenshot

    browser_page.set_viewport_size({"width": 1440, "height": 1100})
    browser_page.goto(browser_page.base_url)
    browser_page.get_by_label("User name").fill(DEMO_USERS["prosecutor_liaison"])
    browser_page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    browser_page.get_by_role("button", name="Sign in").click()
    browser_page.get_by_text("Data as of").first.wait_for(timeout=60_000)
    # one page: Streamlit draws no navigation at all
    assert browser_page.get_by_test_id("stSidebarNavLink").count() == 0
    browser_page.get_by_role("heading", name="LEAD Ops · Legal clock").wait_for(timeout=60_000)
    browser_page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    browser_page.wait_for_timeout(1500)
    text = "\n".join(frame.locator("body").inner_text() for frame in browser_page.frames)
    assert "nothing else about a participant is shared" in text  # the table: a canvas
    people = {v for (v,) in fetch(demo_url, "SELECT person_key FROM enrollment")}
    assert not [v for v in people if v in text]
    screenshot(browser_page, "legal-clock-liaison")
    browser_page.goto(f"{browser_page.base_url}/review")  # not among its pages
    browser_page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    browser_page.wait_for_timeout(1500)
    assert "Action items" not in browser_page.locator("body").inner_text()


@pytest.mark.browser
def test_the_due_list_in_chromium(browser_page):
    from tests.support.pages import open_page, screenshot

    open_page(browser_page, "case_manager", "Legal clock", 1200)
    browser_page.get_by_role("heading", name="LEAD Ops · Legal clock").wait_for(timeout=60_000)
    browser_page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    browser_page.wait_for_timeout(1500)
    assert "Due within 7 days" in browser_page.locator("body").inner_text()
    screenshot(browser_page, "legal-clock-case-manager")
