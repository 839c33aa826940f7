"""Sessions that survive a reload: the signed cookie and its server-side row. A forged,
tampered or expired cookie is refused before the database; an ended, idle or expired
session, or a disabled or locked account, opens nothing; the role comes from the account
on every run, never from the cookie. A sign-in's one-time nonce gives its cookie once,
within its lifetime; a password reset, a new role, disabling or locking an account ends
its sessions, audited."""

import time

import pytest
from streamlit.testing.v1 import AppTest

import accounts
from accounts import sessions
from accounts.store import MAX_FAILURES, add_or_reset
from db.connect import connect
from tests.conftest import app_login
from tests.support.pages import ROOT

SECRET = b"k" * 32
PASSWORD = "a session password"
USER = "uxa.session"


def new_cookie(secret: bytes = SECRET, expires: float | None = None) -> tuple[str, str]:
    """(cookie, token hash) of a new session, as the launcher's route would make it."""
    nonce, token = sessions.new_session(secret)
    expires = int(time.time() + 3600 if expires is None else expires)
    return sessions.cookie_for(secret, nonce, expires), token


def test_a_genuine_cookie_names_its_session():
    cookie, token = new_cookie()
    assert sessions.read_cookie(cookie, SECRET) == token
    assert USER not in cookie and "admin" not in cookie  # no name, no role


def test_the_nonce_alone_makes_no_cookie():
    nonce, token = sessions.new_session(SECRET)
    assert nonce not in sessions.cookie_for(SECRET, nonce, int(time.time()) + 60)
    assert token not in (nonce, sessions.token_hash(nonce))
    other = sessions.cookie_for(b"another secret, 32 bytes long!!!", nonce, int(time.time()) + 60)
    assert sessions.read_cookie(other, SECRET) is None


def test_forged_tampered_or_expired_cookies_are_refused():
    cookie, _token = new_cookie()
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


def open_with_nonce(conn) -> tuple[str, str]:
    nonce, token = sessions.new_session(SECRET)
    sessions.open_session(conn, token, nonce, USER, "password")
    conn.commit()
    return nonce, token


def open_one(conn) -> str:
    return open_with_nonce(conn)[1]


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


def claimed(conn, nonce: str) -> sessions.Claimed:
    result = sessions.claim(conn, nonce, SECRET)
    conn.commit()
    return result


def end_reason(conn, token: str) -> str | None:
    with conn.cursor() as cur:
        cur.execute("SELECT end_reason FROM app_session WHERE token_hash = %s", (token,))
        return cur.fetchone()[0]


def test_a_nonce_gives_its_cookie_once_and_a_second_claim_ends_the_session(owner):
    nonce, token = open_with_nonce(owner)
    first = claimed(owner, nonce)
    assert (first.username, first.outcome) == (USER, "ok")
    assert sessions.read_cookie(first.cookie, SECRET) == token
    assert sessions.LIFETIME_HOURS * 3600 - 60 < first.max_age <= sessions.LIFETIME_HOURS * 3600
    assert touched(owner, token)[0] == "ok"
    again = claimed(owner, nonce)  # a copy of the nonce, replayed
    assert (again.outcome, again.cookie) == ("used", None)
    assert end_reason(owner, token) == "nonce_replayed"
    assert touched(owner, token)[0] == "ended"  # the first cookie dies with it


def test_an_expired_unknown_or_ended_sessions_nonce_gives_no_cookie(owner):
    nonce, token = open_with_nonce(owner)
    sql(owner, "UPDATE app_session SET nonce_expires_at = now() WHERE token_hash = %s", token)
    assert claimed(owner, nonce).outcome == "expired"
    assert touched(owner, token)[0] == "ok"  # the tab that signed in keeps its session
    nonce, token = open_with_nonce(owner)
    sessions.end(owner, token, "sign_out")
    owner.commit()
    assert claimed(owner, nonce).outcome == "ended"
    for junk in ("never issued", "", "x" * 500, "ä"):
        assert claimed(owner, junk) == sessions.Claimed(None, "unknown")


def open_count(conn) -> int:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM app_session WHERE username = %s AND ended_at IS NULL", (USER,)
        )
        return cur.fetchone()[0]


def last_audit(conn, action: str) -> tuple:
    with conn.cursor() as cur:
        cur.execute(
            "SELECT actor, outcome, detail->>'sessions_ended' FROM audit_log "
            "WHERE target = %s AND action = %s ORDER BY audit_id DESC LIMIT 1",
            (USER, action),
        )
        return cur.fetchone()


@pytest.mark.parametrize(
    ("change", "action", "reason"),
    [
        (lambda c: accounts.reset_password(c, USER, "another long password", actor="t.admin"),
         "account_reset", "password_reset"),
        (lambda c: accounts.change_role(c, USER, "command", actor="t.admin"),
         "account_role", "role_change"),
        (lambda c: accounts.set_disabled(c, USER, True, actor="t.admin"),
         "account_disable", "disabled"),
    ],
)  # fmt: skip
def test_an_account_change_ends_its_open_sessions_audited(owner, change, action, reason):
    tokens = [open_one(owner) for _ in range(3)]
    sessions.end(owner, tokens[0], "sign_out")
    owner.commit()
    assert open_count(owner) == 2
    change(owner)
    owner.commit()
    assert open_count(owner) == 0
    assert [end_reason(owner, t) for t in tokens] == ["sign_out", reason, reason]
    assert all(touched(owner, t)[0] == "ended" for t in tokens)
    assert last_audit(owner, action) == ("t.admin", "ok", "2")


def test_the_same_role_or_enabling_ends_nothing(owner):
    token = open_one(owner)
    accounts.change_role(owner, USER, "case_manager", actor="t.admin")
    accounts.set_disabled(owner, USER, False, actor="t.admin")
    owner.commit()
    assert touched(owner, token) == ("ok", "case_manager")


def test_locking_after_failed_sign_ins_ends_the_accounts_sessions(owner):
    token = open_one(owner)
    for _ in range(MAX_FAILURES):
        result = accounts.verify(owner, USER, "a wrong password!")
    assert result.reason == "locked"
    assert end_reason(owner, token) == "locked"
    assert last_audit(owner, "sign_out") == (USER, "locked", "1")
