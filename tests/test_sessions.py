"""Sessions that survive a reload: the signed cookie and its server-side row. A forged,
tampered or expired cookie is refused before the database; an ended, idle or expired
session, or a disabled or locked account, opens nothing; the role comes from the account
on every run, never from the cookie."""

import pytest
from streamlit.testing.v1 import AppTest

from accounts import sessions
from accounts.store import add_or_reset
from db.connect import connect
from tests.conftest import app_login
from tests.support.pages import ROOT

SECRET = b"k" * 32
PASSWORD = "a session password"
USER = "uxa.session"


def test_a_genuine_cookie_names_its_session():
    cookie, token = sessions.new_cookie(SECRET)
    assert sessions.read_cookie(cookie, SECRET) == token
    assert USER not in cookie and "admin" not in cookie  # no name, no role


def test_forged_tampered_or_expired_cookies_are_refused():
    cookie, _token = sessions.new_cookie(SECRET)
    session_id, expires, mac = cookie.split(".")
    later = int(expires) + 3600
    forged_mac = "0" * len(mac)
    assert sessions.read_cookie(cookie, b"another secret, 32 bytes long!!!") is None
    assert sessions.read_cookie(f"{session_id}.{expires}.{forged_mac}", SECRET) is None
    assert sessions.read_cookie(f"{session_id}.{later}.{mac}", SECRET) is None  # extended
    assert sessions.read_cookie(f"x{session_id}.{expires}.{mac}", SECRET) is None
    assert sessions.read_cookie(cookie, SECRET, now=int(expires)) is None  # expired
    for junk in ("", "a.b", "a.b.c.d", "a.-1.c", "x" * 5000, "ä.1.ö"):
        assert sessions.read_cookie(junk, SECRET) is None


def test_the_secret_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "var" / "session_secret"
    first = sessions.load_secret(None, path)
    assert len(first) == 64 and sessions.load_secret(None, path) == first
    assert path.stat().st_mode & 0o077 == 0
    assert sessions.load_secret("c" * 40, path) == b"c" * 40
    with pytest.raises(ValueError):
        sessions.load_secret("short", path)


@pytest.fixture
def owner(demo_url):
    """An owner's connection to the demo database with a fresh case-manager account."""
    conn = connect(demo_url)
    add_or_reset(conn, USER, "case_manager", PASSWORD)
    conn.commit()
    yield conn
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("DELETE FROM app_account WHERE username = %s", (USER,))
    conn.commit()
    conn.close()


def sql(conn, statement: str, *params) -> None:
    with conn.cursor() as cur:
        cur.execute(statement, params)
    conn.commit()


def open_one(conn) -> str:
    _cookie, token = sessions.new_cookie(SECRET)
    sessions.open_session(conn, token, USER, "password")
    conn.commit()
    return token


def touched(conn, token: str, idle: int = 30) -> tuple:
    result = sessions.touch(conn, token, idle)
    conn.commit()
    return result.outcome, result.role


def test_a_session_follows_the_account_and_ends(owner):
    token = open_one(owner)
    assert touched(owner, token) == ("ok", "case_manager")
    sql(owner, "UPDATE app_account SET role = 'command' WHERE username = %s", USER)
    assert touched(owner, token) == ("ok", "command")  # the role now, not at sign-in
    sql(owner, "UPDATE app_account SET disabled = true WHERE username = %s", USER)
    assert touched(owner, token)[0] == "disabled"
    sql(owner, "UPDATE app_account SET disabled = false WHERE username = %s", USER)
    assert touched(owner, token)[0] == "ended"  # refused once: ended for good
    assert touched(owner, sessions.token_hash("never issued"))[0] == "unknown"


def test_a_locked_account_or_an_ended_session_opens_nothing(owner):
    token = open_one(owner)
    sql(
        owner,
        "UPDATE app_account SET locked_until = now() + interval '5 min' WHERE username = %s",
        USER,
    )
    assert touched(owner, token)[0] == "locked"
    sql(owner, "UPDATE app_account SET locked_until = NULL WHERE username = %s", USER)
    other = open_one(owner)
    sessions.end(owner, other, "sign_out")
    owner.commit()
    assert touched(owner, other)[0] == "ended"


def test_idle_and_expired_sessions_end(owner):
    idle, expired = open_one(owner), open_one(owner)
    sql(
        owner,
        "UPDATE app_session SET last_seen = now() - interval '31 min' WHERE token_hash = %s",
        idle,
    )
    sql(owner, "UPDATE app_session SET expires_at = now() WHERE token_hash = %s", expired)
    assert touched(owner, idle)[0] == "idle"
    assert touched(owner, expired)[0] == "expired"
    with owner.cursor() as cur:
        cur.execute(
            "SELECT end_reason FROM app_session WHERE token_hash IN (%s, %s)", (idle, expired)
        )
        assert sorted(r[0] for r in cur.fetchall()) == ["expired", "idle"]


def test_the_dashboard_login_reaches_sessions_only_through_the_functions(owner, demo_url):
    conn = connect(app_login(demo_url))
    with conn.cursor() as cur:
        cur.execute("SET ROLE lead_signin")
        with pytest.raises(Exception, match="permission denied"):
            cur.execute("SELECT * FROM app_session")
    conn.close()


def signed_in(demo_url, monkeypatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=90)
    at.run()
    at.text_input(key="sign_in_username").input(USER)
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click().run()
    assert at.session_state["user"]["role"] == "case_manager"
    return at


def session_rows(conn) -> list[tuple]:
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute(
            "SELECT method, ended_at IS NOT NULL, end_reason, "
            "expires_at - created_at FROM app_session WHERE username = %s",
            (USER,),
        )
        return cur.fetchall()


def test_sign_in_opens_a_session_and_sign_out_ends_it(owner, demo_url, monkeypatch):
    at = signed_in(demo_url, monkeypatch)
    [(method, ended, _reason, lifetime)] = session_rows(owner)
    assert (method, ended) == ("password", False)
    assert lifetime.total_seconds() == sessions.LIFETIME_HOURS * 3600
    at.button(key="sign_out").click().run()
    assert "user" not in at.session_state
    assert [r[1:3] for r in session_rows(owner)] == [(True, "sign_out")]


def test_every_run_rechecks_the_account(owner, demo_url, monkeypatch):
    at = signed_in(demo_url, monkeypatch)
    sql(owner, "UPDATE app_account SET role = 'leadership' WHERE username = %s", USER)
    at.run()
    assert at.session_state["user"]["role"] == "leadership"
    assert "leadership" in " ".join(c.value for c in at.caption).lower()
    sql(owner, "UPDATE app_account SET disabled = true WHERE username = %s", USER)
    at.run()
    assert "user" not in at.session_state
    assert any("disabled or locked" in i.value for i in at.info)
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    with owner.cursor() as cur:
        cur.execute(
            "SELECT outcome FROM audit_log WHERE actor = %s "
            "AND action = 'sign_out' ORDER BY audit_id DESC LIMIT 1",
            (USER,),
        )
        assert cur.fetchone()[0] == "disabled"
