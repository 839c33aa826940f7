"""Accounts: the ``python -m accounts`` command, lockout after failed sign-ins, and single
sign-on identities mapped to accounts (a provider identity without an account gets no
access)."""

import io
import os
import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

import accounts
from accounts.__main__ import read_password
from accounts.store import add_or_reset, verify, verify_sso
from db.connect import connect
from tests.support.pages import ROOT

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
    cli("disable", "kim")
    assert "no administrator account yet" in cli("first-run-hint").stdout


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


def test_an_unknown_user_gets_the_same_answer_as_a_wrong_password(db):
    add_or_reset(db, "nina", "command", PASSWORD)
    db.commit()
    unknown, wrong = verify(db, "nobody", PASSWORD), verify(db, "nina", "wrong password")
    assert unknown.message == wrong.message == "User name or password is wrong."


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
    monkeypatch.setenv("DATABASE_URL", demo_url)
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
