"""Accounts: the ``python -m accounts`` command, lockout after failed sign-ins, and single
sign-on identities mapped to accounts (a provider identity without an account gets no
access)."""

import io
import os
import statistics
import subprocess
import sys
import threading
import time

import psycopg2
import pytest
from streamlit.testing.v1 import AppTest

import accounts
from accounts.__main__ import read_password
from accounts.store import add_or_reset, verify, verify_sso
from db.connect import connect
from tests.conftest import app_login
from tests.support.pages import ROOT, dashboard

PASSWORD = "correct horse battery"


def cli(*args: str, stdin: str = "", env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m accounts`` against the scratch database (DATABASE_URL)."""
    return subprocess.run(
        [sys.executable, "-m", "accounts", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def rows(conn, statement: str, *params) -> list[tuple]:
    conn.rollback()  # see what the command committed
    with conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


def account(conn, username: str):
    found = rows(
        conn,
        "SELECT role, disabled, is_demo, sso_only, password_hash FROM app_account "
        "WHERE username = %s",
        username,
    )
    return found[0] if found else None


def audit_actions(conn) -> list[tuple]:
    return rows(conn, "SELECT action, target, outcome FROM audit_log ORDER BY audit_id")


# --- the command line ---------------------------------------------------------------------


def test_add_reads_the_password_from_stdin_and_stores_only_an_argon2_hash(db):
    done = cli("add", "Alice.Smith", "--role", "admin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "accounts: added alice.smith (admin, password set)\n"
    role, disabled, is_demo, sso_only, password_hash = account(db, "alice.smith")
    assert (role, disabled, is_demo, sso_only) == ("admin", False, False, False)
    assert password_hash.startswith("$argon2id$") and PASSWORD not in password_hash
    assert verify(db, "alice.smith", PASSWORD).ok
    assert ("account_add", "alice.smith", "ok") in audit_actions(db)


def test_add_refuses_an_existing_account_a_short_password_and_an_unknown_role(db):
    assert cli("add", "bob", "--role", "command", stdin=PASSWORD).returncode == 0
    again = cli("add", "bob", "--role", "admin", stdin="another long password")
    assert again.returncode == 1
    assert "exists already" in again.stderr and "Traceback" not in again.stderr
    assert account(db, "bob")[0] == "command"
    assert verify(db, "bob", PASSWORD).ok

    short = cli("add", "carol", "--role", "command", stdin="short")
    assert short.returncode == 1
    assert "at least 12 characters" in short.stderr
    assert account(db, "carol") is None

    bad_role = cli("add", "dave", "--role", "superuser", stdin=PASSWORD)
    assert bad_role.returncode == 2
    assert "invalid choice" in bad_role.stderr and "Traceback" not in bad_role.stderr

    bad_name = cli("add", "dave; drop table app_account", "--role", "command", stdin=PASSWORD)
    assert bad_name.returncode == 1
    assert "user name" in bad_name.stderr
    assert rows(db, "SELECT count(*) FROM app_account") == [(1,)]


def test_disable_enable_reset_and_unlock(db):
    cli("add", "erin", "--role", "leadership", stdin=PASSWORD)

    assert cli("disable", "erin").returncode == 0
    assert verify(db, "erin", PASSWORD).reason == "disabled"
    assert cli("enable", "erin").returncode == 0
    assert verify(db, "erin", PASSWORD).ok

    assert cli("reset", "erin", stdin="a brand new password\n").returncode == 0
    assert verify(db, "erin", PASSWORD).reason == "bad_credentials"
    assert verify(db, "erin", "a brand new password").ok

    for _ in range(accounts.MAX_FAILURES):
        verify(db, "erin", "wrong password")
    assert verify(db, "erin", "a brand new password").reason == "locked"
    assert cli("unlock", "erin").returncode == 0
    assert verify(db, "erin", "a brand new password").ok

    assert [a for a, target, _ in audit_actions(db) if target == "erin"] == [
        "account_add",
        "account_disable",
        "account_enable",
        "account_reset",
        "sign_out",  # the lock ended erin's sessions (none open)
        "account_unlock",
    ]
    for command in ("disable", "enable", "unlock"):
        missing = cli(command, "nobody")
        assert missing.returncode == 1
        assert missing.stderr == "accounts: no account 'nobody'\n"
    assert cli("reset", "nobody", stdin=PASSWORD).returncode == 1


def test_list_shows_role_and_state_but_never_a_hash(db):
    cli("add", "frank", "--role", "case_manager", stdin=PASSWORD)
    cli("add", "grace@bpd.example.org", "--role", "command", "--sso-only")
    cli("add", "heidi", "--role", "command", stdin=PASSWORD)
    cli("disable", "heidi")
    for _ in range(accounts.MAX_FAILURES):
        verify(db, "frank", "wrong password")
    listing = cli("list")
    assert listing.returncode == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["user", "name", "role", "state", "sign-in", "last", "sign-in"]
    by_name = {line.split()[0]: line for line in lines[1:]}
    assert set(by_name) == {"frank", "grace@bpd.example.org", "heidi"}
    assert "locked until" in by_name["frank"]
    assert "single sign-on" in by_name["grace@bpd.example.org"]
    assert "disabled" in by_name["heidi"]
    assert "$argon2" not in listing.stdout


def test_an_sso_only_account_has_no_password_that_works(db):
    cli("add", "ivan@bhsb.example.org", "--role", "case_manager", "--sso-only")
    for attempt in ("!", "", PASSWORD):
        assert not verify(db, "ivan@bhsb.example.org", attempt).ok
    assert verify_sso(db, "Ivan@BHSB.example.org").role == "case_manager"


def test_demo_accounts_only_while_demo_data_is_loaded(db):
    quiet = cli("demo-accounts", "--if-demo")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    refused = cli("demo-accounts")
    assert refused.returncode == 1 and "no demo data" in refused.stderr
    assert rows(db, "SELECT count(*) FROM app_account") == [(0,)]

    with db.cursor() as cur:
        cur.execute("INSERT INTO dataset_meta (key, value) VALUES ('demo_data', 'true')")
    db.commit()
    cli("add", "judy", "--role", "admin", stdin=PASSWORD)
    made = cli("demo-accounts", "--if-demo")
    assert made.returncode == 0
    assert "lead-ops-demo" in made.stdout
    assert rows(db, "SELECT username, role FROM app_account WHERE is_demo ORDER BY 1") == [
        ("admin", "admin"),
        ("casemanager", "case_manager"),
        ("command", "command"),
        ("leadership", "leadership"),
        ("prosecutorliaison", "prosecutor_liaison"),
    ]
    assert verify(db, "casemanager", "lead-ops-demo").role == "case_manager"

    removed = cli("remove-demo")
    assert removed.returncode == 0
    assert rows(db, "SELECT username FROM app_account") == [("judy",)]
    assert cli("remove-demo").stdout == "accounts: no demo accounts\n"


def test_first_run_hint_until_an_enabled_admin_exists(db):
    hint = cli("first-run-hint")
    assert hint.returncode == 0
    assert "python -m accounts add <username> --role admin" in hint.stdout
    cli("add", "kim", "--role", "admin", stdin=PASSWORD)
    assert cli("first-run-hint").stdout == ""
    assert cli("disable", "kim").returncode == 1  # the last enabled admin stays
    assert cli("first-run-hint").stdout == ""


def test_an_unreachable_database_is_reported_without_a_traceback(db):
    done = cli("list", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    assert done.returncode == 2
    assert done.stderr.startswith("accounts: cannot reach the database:")
    assert "Traceback" not in done.stderr


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_password_is_asked_twice(monkeypatch):
    answers = iter(["first password 1", "first password 1", "one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert read_password(FakeTerminal()) == "first password 1"
    with pytest.raises(accounts.AccountError, match="differ"):
        read_password(FakeTerminal())
    assert read_password(io.StringIO("from a pipe\nsecond line\n")) == "from a pipe"


# --- lockout ------------------------------------------------------------------------------


def test_five_failures_lock_the_account_for_ten_minutes(db):
    add_or_reset(db, "louis", "command", PASSWORD)
    db.commit()
    outcomes = [verify(db, "louis", "wrong password").reason for _ in range(5)]
    assert outcomes == ["bad_credentials"] * 4 + ["locked"]
    (minutes,) = rows(
        db,
        "SELECT extract(epoch FROM locked_until - now()) / 60 FROM app_account "
        "WHERE username = 'louis'",
    )[0]
    assert 9 < minutes <= 10
    locked = verify(db, "louis", PASSWORD)
    assert (locked.ok, locked.reason) == (False, "locked")
    assert "locked" in locked.message

    with db.cursor() as cur:  # the ten minutes pass
        cur.execute(
            "UPDATE app_account SET locked_until = now() - interval '1 second' "
            "WHERE username = 'louis'"
        )
    db.commit()
    assert verify(db, "louis", PASSWORD).ok
    sign_ins = rows(db, "SELECT outcome FROM audit_log WHERE action = 'sign_in' ORDER BY audit_id")
    assert [o for (o,) in sign_ins] == ["bad_credentials"] * 4 + ["locked", "locked", "ok"]


def test_a_good_sign_in_resets_the_failure_count(db):
    add_or_reset(db, "mallory", "command", PASSWORD)
    db.commit()
    for _ in range(4):
        verify(db, "mallory", "wrong password")
    assert verify(db, "mallory", PASSWORD).ok
    for _ in range(4):
        assert verify(db, "mallory", "wrong password").reason == "bad_credentials"
    assert verify(db, "mallory", PASSWORD).ok


def test_unknown_wrong_locked_and_disabled_get_one_message_in_about_the_same_time(db):
    """No enumeration (issue 15): the password form cannot tell an unknown user name from
    a known one, locked or disabled, by its message or by the time it takes (a password
    is hashed in every case); the audit log keeps the real reason."""
    for name in ("nina", "lena", "dina"):
        add_or_reset(db, name, "command", PASSWORD)
    db.commit()
    for _ in range(accounts.MAX_FAILURES):
        verify(db, "lena", "wrong password")
    assert cli("disable", "dina").returncode == 0
    cases = {
        "unknown": ("nobody", PASSWORD),
        "wrong": ("nina", "wrong password"),
        "locked": ("lena", PASSWORD),
        "disabled": ("dina", PASSWORD),
    }
    results = {case: verify(db, *attempt) for case, attempt in cases.items()}
    assert [r.reason for r in results.values()] == [
        "bad_credentials", "bad_credentials", "locked", "disabled"
    ]  # fmt: skip
    assert len({r.message for r in results.values()}) == 1
    assert (
        "locked" in results["unknown"].message and "password is wrong" in results["wrong"].message
    )
    timings = {case: _median_seconds(verify, db, *attempt) for case, attempt in cases.items()}
    fastest, slowest = min(timings.values()), max(timings.values())
    # An argon2 hash each; without one, ~100x apart. 5x leaves room for a loaded machine.
    assert slowest < 5 * fastest, timings
    outcomes = rows(db, "SELECT outcome FROM audit_log WHERE action = 'sign_in' AND actor = 'dina'")
    assert outcomes[-1] == ("disabled",)


def _median_seconds(function, *args, runs: int = 5) -> float:
    took = []
    for _ in range(runs):
        started = time.perf_counter()
        function(*args)
        took.append(time.perf_counter() - started)
    return statistics.median(took)


# --- single sign-on -----------------------------------------------------------------------

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-enough-length",
    "microsoft": {
        "client_id": "lead-ops",
        "client_secret": "x",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration",
    },
}


@pytest.fixture
def sso_app(demo_url, monkeypatch):
    """An AppTest of the dashboard with a provider configured and a provider identity."""
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    conn = connect(demo_url)
    add_or_reset(conn, "olivia.cm@bhsb.example.org", "case_manager", PASSWORD)
    conn.commit()
    conn.close()

    def make(identity: dict | None, settings: dict | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
        at.secrets = {"auth": AUTH, **({"lead_ops_sso": settings} if settings else {})}
        at.user = {"is_logged_in": True, **identity} if identity else {"is_logged_in": False}
        return at.run()

    return make


def _last_sign_in(demo_url: str, actor: str):
    conn = connect(demo_url)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT role, outcome, detail->>'method' FROM audit_log "
            "WHERE action = 'sign_in' AND actor = %s ORDER BY audit_id DESC LIMIT 1",
            (actor,),
        )
        row = cur.fetchone()
    conn.close()
    return row


def test_the_sign_in_page_offers_the_configured_provider(sso_app):
    at = sso_app(None)
    assert [b.label for b in at.button][:1] == ["Sign in with Microsoft"]
    assert [t.label for t in at.text_input] == ["User name", "Password"]


def test_a_provider_identity_with_an_account_gets_the_accounts_role(sso_app, demo_url):
    at = sso_app({"email": "Olivia.CM@bhsb.example.org", "name": "Olivia"})
    assert not at.exception
    assert at.session_state["user"] == {
        "username": "olivia.cm@bhsb.example.org",
        "role": "case_manager",
        "method": "sso",
    }
    assert any("signed in as Case manager" in c.value for c in at.caption)
    assert _last_sign_in(demo_url, "olivia.cm@bhsb.example.org") == ("case_manager", "ok", "sso")


def test_a_provider_identity_without_an_account_gets_no_access(sso_app, demo_url):
    at = sso_app({"email": "stranger@example.org"})
    assert "user" not in at.session_state
    assert not at.metric
    assert any("no LEAD Ops account" in i.value for i in at.info)
    assert [b.label for b in at.button][:1] == ["Sign out of single sign-on"]
    assert _last_sign_in(demo_url, "stranger@example.org") == (None, "no_account", "sso")


def test_a_configured_role_claim_must_agree_with_the_account(sso_app, demo_url):
    settings = {"role_claim": "lead_role"}
    refused = sso_app(
        {"email": "olivia.cm@bhsb.example.org", "lead_role": "admin"}, settings=settings
    )
    assert "user" not in refused.session_state
    assert _last_sign_in(demo_url, "olivia.cm@bhsb.example.org")[1] == "role_mismatch"
    agreed = sso_app(
        {"email": "olivia.cm@bhsb.example.org", "lead_role": "case_manager"}, settings=settings
    )
    assert agreed.session_state["user"]["role"] == "case_manager"


def test_an_unverified_provider_email_gets_no_access(sso_app, demo_url):
    at = sso_app({"email": "olivia.cm@bhsb.example.org", "email_verified": False})
    assert "user" not in at.session_state
    assert _last_sign_in(demo_url, "olivia.cm@bhsb.example.org")[1] == "email_unverified"


# --- the last administrator, role changes ------------------------------------------------


def test_the_last_enabled_admin_cannot_be_disabled_demoted_or_deleted(db):
    assert cli("add", "root", "--role", "admin", stdin=PASSWORD).returncode == 0
    assert cli("add", "cmd", "--role", "command", stdin=PASSWORD).returncode == 0
    for command in (("disable", "root"), ("role", "root", "--role", "command")):
        refused = cli(*command)
        assert refused.returncode == 1, refused.stderr
        assert "last enabled administrator" in refused.stderr and "Traceback" not in refused.stderr
    assert account(db, "root")[:2] == ("admin", False)
    for statement in (  # the database itself refuses, whoever asks
        "UPDATE app_account SET disabled = true",
        "UPDATE app_account SET role = 'command' WHERE username = 'root'",
        "DELETE FROM app_account",
    ):
        with pytest.raises(psycopg2.Error) as refused, db.cursor() as cur:
            cur.execute(statement)
        assert refused.value.pgcode == "LA001"
        db.rollback()
    assert cli("role", "cmd", "--role", "admin").returncode == 0  # a second admin
    assert cli("disable", "root").returncode == 0  # now root may go
    assert account(db, "root")[:2] == ("admin", True)
    assert cli("role", "cmd", "--role", "leadership").returncode == 1
    audit = rows(db, "SELECT action, target, detail->>'old_role', detail->>'new_role' "
                 "FROM audit_log WHERE action = 'account_role'")  # fmt: skip
    assert audit == [("account_role", "cmd", "command", "admin")]


def test_demo_accounts_go_even_when_the_demo_admin_is_the_only_admin(db):
    add_or_reset(db, "admin", "admin", PASSWORD, demo=True)
    db.commit()
    assert cli("remove-demo").returncode == 0
    assert account(db, "admin") is None


def test_two_admins_disabling_each_other_at_once_leave_one_enabled(database_url, db):
    for name in ("ann", "bea"):
        add_or_reset(db, name, "admin", PASSWORD)
    db.commit()
    first, second = connect(database_url), connect(database_url)
    accounts.set_disabled(first, "bea", True, actor="ann")  # not committed yet
    results = []

    def other() -> None:
        try:
            accounts.set_disabled(second, "ann", True, actor="bea")
            second.commit()
            results.append("disabled")
        except accounts.AccountError:
            second.rollback()
            results.append("refused")

    waiting = threading.Thread(target=other)
    waiting.start()
    time.sleep(1.0)  # the second waits for the first's lock
    first.commit()
    waiting.join(timeout=30)
    first.close(), second.close()
    assert results == ["refused"]
    enabled = rows(db, "SELECT username FROM app_account WHERE role = 'admin' AND NOT disabled")
    assert enabled == [("ann",)]


# --- the Accounts page ---------------------------------------------------------------------


@pytest.fixture
def accounts_page(db, database_url, monkeypatch):
    """The Accounts page on the scratch database, signed in as the admin ``ada``."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    add_or_reset(db, "ada", "admin", PASSWORD)
    db.commit()
    at = dashboard({"username": "ada", "role": "admin"}, "accounts/page.py")
    return at.run()


TEXT_FIELDS = ("add_name", "add_password", "reset_password")


def submit(at, button: str, **fields):
    """Fill a form's fields (text inputs or select boxes, by key) and press its button."""
    for key, value in fields.items():
        (at.text_input if key in TEXT_FIELDS else at.selectbox)(key=key).set_value(value)
    at.button(key=button).click().run()
    assert not at.exception
    return at


def test_the_accounts_page_adds_changes_disables_unlocks_and_resets_audited(accounts_page, db):
    at = submit(
        accounts_page, "add_submit", add_name="Zoe", add_role="command", add_password=PASSWORD
    )
    assert at.success[0].value == "Added zoe (Police command)."
    assert verify(db, "zoe", PASSWORD).role == "command"
    assert "zoe" in at.dataframe[0].value.username.tolist()

    at = submit(at, "role_submit", role_name="zoe", role_role="case_manager")
    assert account(db, "zoe")[0] == "case_manager"
    at = submit(at, "state_disable", state_name="zoe")
    assert account(db, "zoe")[1] is True
    at = submit(at, "state_enable", state_name="zoe")
    assert account(db, "zoe")[1] is False
    for _ in range(accounts.MAX_FAILURES):
        verify(db, "zoe", "wrong password")
    assert verify(db, "zoe", PASSWORD).reason == "locked"
    at = submit(at, "state_unlock", state_name="zoe")
    assert verify(db, "zoe", PASSWORD).ok
    at = submit(at, "reset_submit", reset_name="zoe", reset_password="another long password")
    assert verify(db, "zoe", "another long password").ok
    assert at.success[0].value == "New password set for zoe; the account is unlocked."

    audit = rows(
        db, "SELECT actor, role, action, target FROM audit_log "
        "WHERE action LIKE 'account_%%' ORDER BY audit_id",
    )  # fmt: skip
    assert audit == [
        ("ada", "admin", action, "zoe")
        for action in (
            "account_add", "account_role", "account_disable", "account_enable",
            "account_unlock", "account_reset",
        )
    ]  # fmt: skip


def test_the_accounts_page_refuses_to_lose_the_last_admin_and_says_why(accounts_page, db):
    at = submit(accounts_page, "state_disable", state_name="ada")
    assert [e.value for e in at.error] == [
        "Not changed: this is the last enabled administrator: make another account an "
        "enabled administrator first."
    ]
    at = submit(at, "role_submit", role_name="ada", role_role="command")
    assert "last enabled administrator" in at.error[0].value
    assert account(db, "ada")[:2] == ("admin", False)
    at = submit(at, "add_submit", add_name="xavier", add_role="command", add_password="short")
    assert at.error[0].value == "Not changed: a password needs at least 12 characters."
    assert account(db, "xavier") is None
