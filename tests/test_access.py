"""Least privilege in PostgreSQL itself: what each dashboard role may read, refused by the
database (not the UI) otherwise; the audit log append-only for every role and the owner;
hostile input through the sign-in form; and, in Chromium, no treatment detail on any
page a police command user can open."""

import ast
import re
from datetime import date

import psycopg2
import pytest
from psycopg2 import errors
from streamlit.testing.v1 import AppTest

from accounts.demo import DEMO_PASSWORD
from accounts.store import MESSAGES, add_or_reset
from dashboard import database
from dashboard.pagelist import PAGE_SPECS
from db.connect import connect
from program import access
from program.access import DB_ROLES, PAGE_ROLES, User
from tests.conftest import app_login
from tests.support.pages import ROOT, nav_link, screenshot, sign_in
from tests.support.sql import fetch

ROLES = access.ROLES  # the prosecutor liaison too: it reads none of READS
STAFF = {"command", "leadership", "case_manager", "admin"}
PERSON_LEVEL = {"case_manager", "admin"}

# What each read is, and which roles PostgreSQL lets do it.
READS = {
    "enrollment": ("SELECT enrollment_id, person_key FROM enrollment", PERSON_LEVEL),
    "service_referral": ("SELECT referral_id, outcome FROM service_referral", PERSON_LEVEL),
    "case_manager": ("SELECT case_manager_id, name FROM case_manager", PERSON_LEVEL),
    "jail_booking": ("SELECT booking_id, person_key FROM jail_booking", PERSON_LEVEL),
    "contact.person_key": (
        "SELECT contact_id, person_key FROM contact",
        {"command", "case_manager", "admin"},
    ),
    "contact without person_key": ("SELECT contact_id, decision, age FROM contact", STAFF),
    "officer": ("SELECT officer_id FROM officer", STAFF),
    "training": ("SELECT officer_id, course FROM training", STAFF),
    "program_setting": ("SELECT value FROM program_setting WHERE key = 'capacity'", STAFF),
    "app_account": ("SELECT username, role, locked_until FROM app_account", {"admin"}),
    "app_account.password_hash": ("SELECT password_hash FROM app_account", set()),
    "audit_log": ("SELECT actor, action FROM audit_log", {"admin"}),
    "import_batch": ("SELECT batch_id, file_name FROM import_batch", {"admin"}),
    "import_rejection": ("SELECT batch_id, raw FROM import_rejection", {"admin"}),
}
MATRIX = [
    pytest.param(role, read, role in READS[read][1], id=f"{role}-{read}")
    for role in ROLES
    for read in READS
]

SCENARIO = """
    INSERT INTO import_batch (kind, format, file_name, file_sha256)
    VALUES ('contact', 'native', 'c.csv', 'x');
    INSERT INTO import_rejection (batch_id, row_number, reason, raw)
    VALUES (1, 2, 'bad date', '{}');
    INSERT INTO officer (officer_id, row_hash) VALUES ('o1', 'h');
    INSERT INTO training (officer_id, course, completed_on, row_hash)
    VALUES ('o1', 'LEAD', '2026-01-05', 'h');
    INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision, officer_id,
                         person_key, age, row_hash)
    VALUES ('c1', '2026-02-01 10:00-05', ST_SetSRID(ST_MakePoint(-76.62175, 39.29189), 4326),
            'drug', 'arrest', 'diverted', 'o1', 'p-secret', 34, 'h');
    INSERT INTO case_manager VALUES ('cm1', 'Case Manager One', 'BCRI', NULL, 'h');
    INSERT INTO enrollment (enrollment_id, person_key, contact_id, referred_on, intake_on,
                            case_manager_id, row_hash)
    VALUES ('e1', 'p-secret', 'c1', '2026-02-01', '2026-02-03', 'cm1', 'h');
    INSERT INTO service_referral (referral_id, enrollment_id, service, referred_on, outcome,
                                  row_hash)
    VALUES ('r1', 'e1', 'drug_treatment', '2026-02-04', 'engaged', 'h');
    INSERT INTO jail_booking (booking_id, person_key, booked_at)
    VALUES ('b1', 'p-secret', '2026-01-10 22:00-05');
    INSERT INTO app_account (username, role, password_hash) VALUES ('someone', 'command', 'x');
    INSERT INTO audit_log (actor, role, action, outcome)
    VALUES ('someone', 'command', 'sign_in', 'ok');
"""


@pytest.fixture
def scenario(db):
    """One row in every table, person key 'p-secret' on the contact and the enrollment."""
    with db.cursor() as cur:
        cur.execute(SCENARIO)
    db.commit()
    return db


def as_role(conn, role: str, statement: str, params=None):
    """Run one statement as ``lead_<role>`` in its own transaction; rows or the error."""
    try:
        with conn.cursor() as cur:
            cur.execute("SET LOCAL ROLE " + DB_ROLES[role])
            cur.execute(statement, params)
            return cur.fetchall() if cur.description else cur.rowcount
    finally:
        conn.rollback()


@pytest.mark.parametrize(("role", "read", "allowed"), MATRIX)
def test_each_role_reads_only_what_postgresql_grants_it(scenario, role, read, allowed):
    statement = READS[read][0]
    if allowed:
        assert len(as_role(scenario, role, statement)) == 1
    else:
        with pytest.raises(errors.InsufficientPrivilege):
            as_role(scenario, role, statement)


def test_the_dashboards_pooled_path_refuses_command_treatment_rows_and_resets_the_role(
    scenario, database_url
):
    """The same check through ``dashboard.database``, the only door pages have: the role is
    set per transaction and gone when the connection returns to the pool."""
    for table in ("enrollment", "service_referral", "case_manager"):
        with pytest.raises(errors.InsufficientPrivilege):
            database.run_as("command", lambda conn, t=table: _select_all(conn, t))
    signing_in = database.for_sign_in(lambda conn: _one(conn, "SELECT current_user"))
    assert signing_in == "lead_signin"
    login = database.run_as("command", lambda conn: _one(conn, "SELECT session_user"))
    assert login == psycopg2.extensions.parse_dsn(database_url)["user"]
    assert database.run_as("command", lambda conn: _one(conn, "SELECT current_user")) == (
        "lead_command"
    )


def _select_all(conn, table: str):
    statements = {
        "enrollment": "SELECT * FROM enrollment",
        "service_referral": "SELECT * FROM service_referral",
        "case_manager": "SELECT * FROM case_manager",
    }
    with conn.cursor() as cur:
        cur.execute(statements[table])
        return cur.fetchall()


def _one(conn, statement: str):
    with conn.cursor() as cur:
        cur.execute(statement)
        return cur.fetchone()[0]


def test_command_gets_treatment_figures_only_from_the_releases(scenario):
    """census_daily takes any window, so command may not run it (issue 15); the public
    census is stored in census_day (refreshed with the releases), never a person key."""
    with pytest.raises(errors.InsufficientPrivilege):
        as_role(scenario, "command", "SELECT * FROM census_daily('2026-02-03', '2026-02-03')")
    with scenario.cursor() as cur:
        cur.execute("INSERT INTO census_day VALUES ('2026-02-03', 1, 0, 0, 60)")
    scenario.commit()
    rows = as_role(scenario, "command", "SELECT * FROM census_day")
    assert rows[0][1] == 1  # one active participant
    assert "p-secret" not in repr(rows)


# Participant identifiers. Case managers are staff: the capacity page shows caseloads by
# case manager name to every role (0005_capacity.sql), so staff names are not listed here.
PERSON_COLUMNS = {"person_key", "enrollment_id", "referral_id"}
# The project's SECURITY DEFINER functions (not PostGIS's own), their result columns and
# who may run them.
DEFINER_FUNCTIONS = """
    SELECT p.oid::regprocedure::text,
           coalesce(p.proargnames[array_position(p.proargmodes, 't'):], '{}'),
           has_function_privilege('lead_command', p.oid, 'EXECUTE')
               OR has_function_privilege('lead_leadership', p.oid, 'EXECUTE'),
           has_function_privilege('public', p.oid, 'EXECUTE')
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public' AND p.prosecdef
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


def test_no_security_definer_function_open_to_police_or_leadership_returns_person_columns(db):
    with db.cursor() as cur:
        cur.execute(DEFINER_FUNCTIONS)
        functions = cur.fetchall()
    assert len(functions) >= 2, "census_daily and setting_on at least"
    for signature, out_columns, police_or_leadership, public in functions:
        assert not public, f"{signature} is executable by PUBLIC"
        if police_or_leadership:
            assert not PERSON_COLUMNS & set(out_columns), signature


# --- the dashboard's policy (program/access.py) ----------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboards_policy_agrees_with_what_postgresql_grants(role):
    """Who sees person-level figures and contact points, and who opens the admin pages,
    as the policy says, is what the role's database user may read (READS, which the
    matrix above checks against PostgreSQL)."""
    user = User("someone", role)
    readable = {read for read in READS if role in READS[read][1]}
    assert user.sees_person_level == ("enrollment" in readable)
    assert user.sees_points == ("contact.person_key" in readable)
    admin_pages = {page for page in ("audit_log", "accounts") if role in PAGE_ROLES[page]}
    assert bool(admin_pages) == ({"audit_log", "app_account"} <= readable)


def test_the_threshold_is_zero_for_person_level_roles_and_the_setting_of_the_day_otherwise():
    in_force = {date(2026, 5, 31): 10, date(2026, 6, 1): 4}

    def never(day):
        raise AssertionError("a person-level role's threshold reads no setting")

    for role in ROLES:
        user = User("someone", role)
        if role in PERSON_LEVEL:
            assert access.threshold(user, date(2026, 6, 1), never) == 0
        else:
            assert [access.threshold(user, day, in_force.get) for day in in_force] == [10, 4]


def test_an_unknown_role_is_refused():
    with pytest.raises(ValueError, match="unknown role 'chief'"):
        User("someone", "chief")


def test_role_names_are_spelled_out_only_in_the_policy():
    """Pages, reports and accounts ask program/access.py; none names a role itself."""
    spelled = []
    for folder in ("dashboard", "reports", "program", "accounts"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == ROOT / "program" / "access.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Constant) and node.value in ROLES:
                    spelled.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert spelled == []


# --- the audit log: append-only, own name only -------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET outcome = 'ok'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_no_role_may_change_or_delete_audit_rows(scenario, role, statement):
    with pytest.raises(errors.InsufficientPrivilege):
        as_role(scenario, role, statement)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET outcome = 'ok'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_not_even_the_owner_may_change_or_delete_audit_rows(scenario, statement):
    with pytest.raises(errors.InsufficientPrivilege, match="append-only"), scenario.cursor() as cur:
        cur.execute(statement)
    scenario.rollback()
    with scenario.cursor() as cur:
        cur.execute("SELECT actor, outcome FROM audit_log")
        assert cur.fetchall() == [("someone", "ok")]


INSERT_AUDIT = "INSERT INTO audit_log (actor, role, action, outcome) VALUES ('u', %s, 'x', 'ok')"


@pytest.mark.parametrize("role", ROLES)
def test_a_role_appends_audit_rows_in_its_own_name_only(db, role):
    assert as_role(db, role, INSERT_AUDIT, (role,)) == 1
    for other in set(ROLES) - {role}:
        with pytest.raises(errors.InsufficientPrivilege, match="row-level security"):
            as_role(db, role, INSERT_AUDIT, (other,))
    with pytest.raises(errors.InsufficientPrivilege):
        as_role(
            db,
            role,
            "INSERT INTO audit_log (at, actor, role, action, outcome) "
            "VALUES ('2001-01-01', 'u', %s, 'x', 'ok')",
            (role,),
        )


# --- hostile input through the sign-in form ----------------------------------------------

HOSTILE = [
    "' OR '1'='1",
    "admin'--",
    "x'); DELETE FROM app_account; --",
    "'; DROP TABLE audit_log; --",
    "%",
    "_",
    "admin\x00",
    "ädmin 🚓 ᚠᛇᚻ",
    "\u202eeman resu",  # right-to-left override
    "a" * 100_000,
]
COUNTS = """
    SELECT (SELECT count(*) FROM app_account), (SELECT string_agg(password_hash, '' ORDER BY
            username) FROM app_account), (SELECT count(*) FROM contact),
           (SELECT count(*) FROM enrollment), (SELECT count(*) FROM service_referral)
"""


@pytest.fixture
def hostile_target(demo_url):
    """An account of its own, so refused sign-ins lock no shared demo account."""
    conn = connect(demo_url)
    add_or_reset(conn, "hostile-target", "leadership", "target-password-1")
    conn.commit()
    conn.close()
    return "hostile-target"


def _submit(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


def test_hostile_sign_in_input_leaves_data_and_access_intact(demo_url, monkeypatch, hostile_target):
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    before = fetch(demo_url, COUNTS)
    (audit_before,) = fetch(demo_url, "SELECT count(*) FROM audit_log WHERE action = 'sign_in'")
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    attempts = [(text, DEMO_PASSWORD) for text in HOSTILE] + [
        (hostile_target, text) for text in HOSTILE[:4]
    ]
    for username, password in attempts:
        _submit(at, username, password)
        assert not at.exception, (username[:40], at.exception)
        assert "user" not in at.session_state
        assert [e.value for e in at.error] == [MESSAGES["refused"]]
    assert fetch(demo_url, COUNTS) == before
    (audit_after,) = fetch(demo_url, "SELECT count(*) FROM audit_log WHERE action = 'sign_in'")
    assert audit_after[0] - audit_before[0] == len(attempts)
    _submit(at, hostile_target, "target-password-1")
    assert at.session_state["user"]["role"] == "leadership"


def test_the_sign_in_form_keeps_what_it_stores_of_hostile_names_bounded(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    _submit(at, "b" * 100_000 + "\x00", "whatever")
    (row,) = fetch(
        demo_url,
        "SELECT length(actor), outcome FROM audit_log WHERE actor LIKE 'bbbb%%' "
        "ORDER BY audit_id DESC LIMIT 1",
    )
    assert row == (256, "bad_credentials")


# --- Chromium: police command sees no treatment detail anywhere --------------------------

COMMAND_PAGES = [title for _file, title, roles in PAGE_SPECS if "command" in roles]


def _identifiers(demo_url: str) -> dict[str, set[str]]:
    """Participant-level values that must never reach a command user, from the database."""
    rows = {
        "person keys": "SELECT DISTINCT person_key FROM enrollment",
        "enrollment ids": "SELECT enrollment_id FROM enrollment",
        "referral ids": "SELECT referral_id FROM service_referral",
    }
    return {kind: {r[0] for r in fetch(demo_url, sql)} for kind, sql in rows.items()}


def _all_text(page) -> str:
    """The text of the page and of every frame in it (maps draw in iframes)."""
    return "\n".join(frame.locator("body").inner_text() for frame in page.frames)


TREATMENT_PAGES = ("outcomes/page.py", "review/page.py")
COUNT_CELL = re.compile(r"^(\d+)( \(\d+%\))?$")  # "7" or "7 (12%)"


def _small_counts(table) -> list[str]:
    """Cells that show a count of people from 1 to 10 (columns of days excepted)."""
    cells = []
    for column in table.columns:
        if "day" in str(column).lower():
            continue
        for cell in map(str, table[column]):  # a missing value reads "None"/"nan"
            match = COUNT_CELL.match(cell)
            if match and 1 <= int(match.group(1)) <= 10:
                cells.append(f"{column}={cell}")
    return cells


@pytest.mark.parametrize("page", [f for f, _t, roles in PAGE_SPECS if "command" in roles])
def test_command_pages_show_no_person_level_values_and_only_suppressed_treatment_counts(
    app, demo_url, page
):
    """Every table and text element of each page command can open, as drawn by the app:
    no person key, enrollment or referral id; treatment tables suppressed."""
    forbidden = set().union(*_identifiers(demo_url).values())
    at = app("command", page)
    at.run()
    assert not at.exception
    tables = [frame.value for frame in at.dataframe]
    texts = [e.value for e in (*at.markdown, *at.caption, *at.title, *at.header)]
    texts += [str(e.value) for e in at.metric] + [t.to_csv() for t in tables]
    leaked = sorted(v for v in forbidden if any(v in text for text in texts))
    assert not leaked, leaked[:5]
    for table in tables:
        assert not {"person_key", "enrollment_id", "referral_id"} & set(map(str, table.columns))
        if page in TREATMENT_PAGES:
            assert not _small_counts(table), (page, _small_counts(table)[:5])


@pytest.mark.browser
def test_command_finds_no_treatment_detail_on_any_page(browser_page, demo_url):
    forbidden = _identifiers(demo_url)
    assert all(forbidden.values())
    browser_page.set_viewport_size({"width": 1440, "height": 2400})  # more of each page
    sign_in(browser_page, "command")
    links = browser_page.get_by_test_id("stSidebarNavLink").all()
    nav = [link.inner_text().splitlines()[-1] for link in links]  # after the icon's name
    assert nav == COMMAND_PAGES
    for title in COMMAND_PAGES:
        nav_link(browser_page, title).click()
        heading = browser_page.get_by_role("heading", name=f"LEAD Ops · {title}")
        heading.first.wait_for(timeout=60_000)  # a rerun's stale copy may stand beside it
        browser_page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
        browser_page.wait_for_timeout(1500)  # let maps and charts draw
        text = _all_text(browser_page)
        for kind, values in forbidden.items():
            shown = sorted(v for v in values if v in text)
            assert not shown, f"{title}: {kind} shown to command: {shown[:5]}"
        assert not re.search(r"\bdemo-[per]\d{5,6}\b", text), title
        screenshot(browser_page, f"access-command-{title.lower().replace(' ', '-')}")
