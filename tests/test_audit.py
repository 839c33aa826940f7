"""The audit trail: a row for every audited action (sign-in good and refused, sign-out,
idle sign-out, page view, export, import) with user, role, time, what and outcome; the
admin page that searches and exports it; exports labelled with role, period and time."""

from datetime import datetime, timedelta

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from accounts.demo import DEMO_PASSWORD
from dashboard import audit, database
from dashboard.auth import IDLE_MINUTES
from dashboard.pagelist import PAGE_SPECS
from ingest import import_file
from program import clock
from program.access import User
from tests.conftest import app_login
from tests.support.pages import ARTIFACTS, ROOT, nav_link, open_page, screenshot
from tests.support.sql import fetch

WHEN = datetime(2026, 10, 31, 16, 5, tzinfo=clock.BALTIMORE)


def last_id(url: str) -> int:
    return fetch(url, "SELECT coalesce(max(audit_id), 0) FROM audit_log")[0][0]


def rows_since(url: str, audit_id: int) -> list[tuple]:
    """(actor, role, action, target, outcome) of the rows written after ``audit_id``."""
    return fetch(
        url,
        "SELECT actor, role, action, target, outcome FROM audit_log "
        "WHERE audit_id > %s ORDER BY audit_id",
        (audit_id,),
    )


@pytest.fixture
def frame(demo_url, monkeypatch):
    """The dashboard (AppTest) over the demo database, nobody signed in yet."""
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))

    def make() -> AppTest:
        return AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)

    return make


def sign_in_form(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="sign_in_username").input(username)
    at.text_input(key="sign_in_password").input(password)
    return at.button[0].click().run()


# --- sign-in, sign-out, idle timeout ------------------------------------------------------


def test_sign_ins_good_and_refused_are_audited(frame, demo_url):
    start = last_id(demo_url)
    at = frame().run()
    sign_in_form(at, "leadership", "not the password")
    sign_in_form(at, "no-such-user", DEMO_PASSWORD)
    sign_in_form(at, "leadership", DEMO_PASSWORD)
    assert rows_since(demo_url, start)[:3] == [
        ("leadership", "leadership", "sign_in", None, "bad_credentials"),
        ("no-such-user", None, "sign_in", None, "bad_credentials"),
        ("leadership", "leadership", "sign_in", None, "ok"),
    ]
    (method,) = fetch(
        demo_url,
        "SELECT DISTINCT detail->>'method' FROM audit_log WHERE audit_id > %s "
        "AND action = 'sign_in'",
        (start,),
    )
    assert method == ("password",)


def test_signing_out_is_audited_and_shows_the_form(app, demo_url):
    at = app("command")
    at.run()
    start = last_id(demo_url)
    at.button(key="sign_out").click().run()
    assert rows_since(demo_url, start) == [("command", "command", "sign_out", None, "sign_out")]
    assert "user" not in at.session_state
    assert [t.label for t in at.text_input] == ["User name", "Password"]


def test_a_session_idle_for_31_minutes_ends_with_an_audited_sign_out(app, demo_url):
    at = app("leadership")
    at.run()
    assert at.metric
    start = last_id(demo_url)
    at.session_state["last_seen"] = at.session_state["last_seen"] - (IDLE_MINUTES + 1) * 60
    at.run()
    assert rows_since(demo_url, start) == [("leadership", "leadership", "sign_out", None, "idle")]
    assert "user" not in at.session_state
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert not at.metric
    assert [i.value for i in at.info] == [
        f"You were signed out after {IDLE_MINUTES} minutes without activity."
    ]


def test_a_session_active_29_minutes_ago_goes_on(app, demo_url):
    at = app("leadership")
    at.run()
    at.session_state["last_seen"] = at.session_state["last_seen"] - (IDLE_MINUTES - 1) * 60
    at.run()
    assert at.session_state["user"]["username"] == "leadership"
    assert at.metric


# --- page views ---------------------------------------------------------------------------


def test_opening_a_page_is_audited_once_per_visit(app, demo_url):
    start = last_id(demo_url)
    at = app("leadership", "review/page.py")
    at.run()
    at.run()  # a rerun on the same page (a filter changed) is not a new view
    at.switch_page("outcomes/page.py").run()
    at.switch_page("review/page.py").run()
    views = [r for r in rows_since(demo_url, start) if r[2] == "page_view"]
    assert views == [
        ("leadership", "leadership", "page_view", "Review", "ok"),
        ("leadership", "leadership", "page_view", "Referral outcomes", "ok"),
        ("leadership", "leadership", "page_view", "Review", "ok"),
    ]


# --- exports ------------------------------------------------------------------------------


def test_an_export_is_audited_under_the_users_own_role(database_url, db):
    user = User("casey", "case_manager")
    audit.record_export(user, "Referral outcomes table", "01 Oct 2026 – 31 Oct 2026", "csv")
    assert fetch(
        database_url, "SELECT actor, role, action, target, outcome, detail FROM audit_log"
    ) == [
        (
            "casey",
            "case_manager",
            "export",
            "Referral outcomes table",
            "ok",
            {"period": "01 Oct 2026 – 31 Oct 2026", "format": "csv"},
        )
    ]


def test_exports_carry_role_period_time_and_the_suppression_note_on_every_row():
    table_csv = audit.export_csv(
        pd.DataFrame(
            {"service": ["Housing", "Total"], "referrals": pd.array([None, 40], dtype="Int64")}
        ),
        user=User("command", "command"),
        period="01 Oct 2026 – 31 Oct 2026",
        generated_at=WHEN,
        threshold=10,
    ).decode()
    notice = (
        "Counts of people from 1 to 10 are hidden (status <11); other counts hidden to "
        "protect them have the status 'suppressed'."
    )
    exported = "2026-10-31 16:05 EDT by Police command (command)"
    provenance = f"01 Oct 2026 – 31 Oct 2026,{exported},{notice}"
    assert table_csv.splitlines() == [
        "service,referrals,Export period,Exported,Notice",
        f"Housing,,{provenance}",
        f"Total,40,{provenance}",
    ]
    assert not any(line.startswith("#") for line in table_csv.splitlines())


def test_a_person_level_export_says_it_is_not_suppressed():
    text = audit.export_csv(
        pd.DataFrame({"n": [3]}),
        user=User("casemanager", "case_manager"),
        period="October 2026",
        generated_at=WHEN,
    ).decode()
    assert text.splitlines()[1].endswith(
        ",Not suppressed (person-level role). Do not redisclose (42 CFR Part 2)."
    )


def test_the_suppression_note_follows_the_threshold_setting(database_url, db):
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO program_setting (key, effective_from, value) "
            "VALUES ('small_cell_threshold', current_date - 1, 5)"
        )
    db.commit()
    database.clear_cache()
    text = audit.export_csv(
        pd.DataFrame({"n": [None]}),
        user=User("leadership", "leadership"),
        period="October 2026",
    ).decode()
    assert "Counts of people from 1 to 5 are hidden (status <6)" in text
    database.clear_cache()


# --- imports ------------------------------------------------------------------------------


def test_an_import_is_audited_with_its_counts(database_url, db, tmp_path):
    path = tmp_path / "officers.csv"
    path.write_text(
        "officer_id,district,sector,post,shift,active\nB1,Central,11,111,day,yes\n"
        "B2,Central,11,112,night,maybe\n"
    )
    result = import_file(db, "officers", path, actor="records.clerk")
    assert fetch(
        database_url,
        "SELECT actor, action, target, outcome, (detail->>'new')::int, "
        "(detail->>'rejected')::int, (detail->>'batch')::int FROM audit_log",
    ) == [("records.clerk", "import", "officers: officers.csv", "loaded", 1, 1, result.batch_id)]


# --- the admin page -----------------------------------------------------------------------


def test_only_admins_have_the_audit_log_and_accounts_pages():
    for role in ("command", "leadership", "case_manager", "admin"):
        titles = {title for _file, title, roles in PAGE_SPECS if role in roles}
        assert ("Audit log" in titles, "Accounts" in titles) == (role == "admin",) * 2


def test_the_audit_page_finds_what_an_independent_count_finds(app, demo_url):
    app("leadership", "review/page.py").run()  # at least one page view to find
    at = app("admin", "audit_log/page.py")
    at.run()
    assert not at.exception
    at.text_input(key="audit_user").input("leadership")
    at.multiselect(key="audit_actions").select("page_view").run()
    today = clock.today()
    ((expected,),) = fetch(
        demo_url,
        "SELECT count(*) FROM audit_log WHERE actor LIKE '%%leadership%%' "
        "AND action = 'page_view' AND at::date BETWEEN %s AND %s",
        (today - timedelta(days=29), today),
    )
    assert expected >= 1
    table = at.dataframe[0].value
    assert len(table) == expected
    assert set(table.actor) == {"leadership"} and set(table.action) == {"page_view"}
    assert any(f"**{expected:,} audit rows** match" in m.value for m in at.markdown)


FINGERPRINT = (
    "SELECT count(*), md5(string_agg(audit_log::text, '|' ORDER BY audit_id)) FROM audit_log"
)


@pytest.mark.parametrize(
    "text", ["' OR 1=1 --", "%", "_", "\\", "x" * 254, "ädmin 🚓", "'); DELETE FROM audit_log;--"]
)
def test_hostile_search_text_is_matched_literally_and_changes_nothing(app, demo_url, text):
    """Whatever is typed is a plain substring of the user name: no wildcard, no SQL."""
    at = app("admin", "audit_log/page.py")
    at.run()
    fingerprint = fetch(demo_url, FINGERPRINT)
    at.text_input(key="audit_user").input(text).run()
    assert not at.exception
    today = clock.today()
    actors = fetch(
        demo_url,
        "SELECT actor FROM audit_log WHERE at::date BETWEEN %s AND %s",
        (today - timedelta(days=29), today),
    )
    expected = sum(text.lower() in actor.lower() for (actor,) in actors)
    assert any(f"**{expected:,} audit rows** match" in m.value for m in at.markdown)
    assert fetch(demo_url, FINGERPRINT) == fingerprint


def test_the_accounts_page_lists_accounts_without_password_hashes(app):
    at = app("admin", "accounts/page.py")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    assert {"command", "leadership", "casemanager", "admin"} <= set(table.username)
    assert "password_hash" not in table.columns
    assert not table.astype(str).apply(lambda c: c.str.contains(r"\$argon2")).any().any()


@pytest.mark.browser
def test_admin_searches_and_exports_the_audit_log_and_the_export_is_audited(browser_page, demo_url):
    page = browser_page
    open_page(page, "admin", "Audit log", height=1400)
    page.get_by_role("heading", name="LEAD Ops · Audit log").wait_for(timeout=60_000)
    page.get_by_text("audit rows").first.wait_for(timeout=60_000)
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)  # let the grid paint
    screenshot(page, "audit-log-admin")
    start = last_id(demo_url)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="CSV: Audit log").click()
    path = ARTIFACTS / "audit-log-export.csv"
    download.value.save_as(path)
    assert download.value.suggested_filename.startswith("lead-ops-audit-log-")
    lines = path.read_text().splitlines()
    assert lines[0] == "at,actor,role,action,target,outcome,detail,Export period,Exported,Notice"
    assert f",{clock.today():%Y-%m-%d}" in lines[1] and "by Administrator (admin)," in lines[1]
    assert any(",admin,admin,sign_in,,ok," in line for line in lines[1:])
    exports = [r for r in rows_since(demo_url, start) if r[2] == "export"]
    assert exports == [("admin", "admin", "export", "Audit log", "ok")]
    nav_link(page, "Accounts").click()
    page.get_by_role("heading", name="LEAD Ops · Accounts").wait_for(timeout=60_000)
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    page.locator('[data-testid="stDataFrame"] canvas').first.wait_for(timeout=60_000)
    page.wait_for_timeout(1000)
    screenshot(page, "accounts-admin")
