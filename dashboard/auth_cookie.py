"""The session cookie: a password sign-in survives a reload, a typed address or a bookmark.

``accounts.sessions`` makes and checks the cookie and its ``app_session`` row; this module
is the browser's side. Streamlit reads cookies (``st.context.cookies``, those sent when
the tab connected) but sets none, so the cookie is written by a one-line script
(``st.html``): it is ``SameSite=Strict`` and ``Secure`` over HTTPS, but not HttpOnly,
which only an HTTP response can give. That is why it names a server-side session and
nothing else: a stolen copy dies with the sign-out, the 30-minute idle timeout or the
12-hour expiry, and is worth no role (each run reads the account's role from the
database).

Sign-in and resume are audited like the password form (action ``sign_in``, method
``session``); a refused cookie is audited once per tab and cleared.
"""

import json

import streamlit as st

import accounts
from accounts import sessions
from dashboard import database
from program.access import User

COOKIE = "leadops_session"
TOKEN = "session_token"  # session key: the token hash of this tab's session
PENDING = "cookie_script"  # session key: the cookie to write on the next run
REFUSED = "cookie_refused"  # session key: the cookie value this tab has refused


@st.cache_resource(show_spinner=False)
def _secret() -> bytes:
    try:
        configured = st.secrets.get("session_secret")
    except FileNotFoundError:  # no secrets.toml at all
        configured = None
    return sessions.load_secret(configured)


def _cookie_sent() -> str | None:
    """The cookie the tab was opened with (only text: AppTest's context is a mock)."""
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) and value else None


def _untried_cookie() -> str | None:
    value = _cookie_sent()
    return value if value != st.session_state.get(REFUSED) else None


def _queue(value: str, max_age: int) -> None:
    cookie = f"{COOKIE}={value}; Path=/; Max-Age={max_age}; SameSite=Strict"
    st.session_state[PENDING] = cookie


def write_pending() -> None:
    """Write or clear the cookie in the browser if a sign-in or sign-out asked to."""
    cookie = st.session_state.pop(PENDING, None)
    if cookie is not None:
        st.html(
            "<script>document.cookie = "
            f"{json.dumps(cookie)} + (location.protocol === 'https:' ? '; Secure' : '');"
            "</script>",
            unsafe_allow_javascript=True,
        )


def start(username: str, method: str) -> None:
    """After a good sign-in: a new session and its cookie."""
    cookie, token = sessions.new_cookie(_secret())
    database.for_sign_in(lambda conn: sessions.open_session(conn, token, username, method))
    st.session_state[TOKEN] = token
    _queue(cookie, sessions.LIFETIME_HOURS * 3600)


def forget(conn, reason: str) -> None:
    """At sign-out (in its transaction): end this tab's session and clear the cookie; the
    cookie this tab was opened with is never taken again."""
    if token := st.session_state.pop(TOKEN, None):
        sessions.end(conn, token, reason)
    if sent := _cookie_sent():
        st.session_state[REFUSED] = sent
    _queue("", 0)


def resume(idle_minutes: int) -> dict | None:
    """The signed-in user's session state from the cookie this tab was opened with, if it
    is genuine, unexpired and names an open session of an enabled, unlocked account;
    else None (a refused cookie is audited, cleared and not tried again)."""
    sent = _untried_cookie()
    if sent is None:
        return None
    token = sessions.read_cookie(sent, _secret())

    def check(conn) -> sessions.Touched:
        if token is None:
            touched = sessions.Touched(None, None, None, "forged_or_expired")
        else:
            touched = sessions.touch(conn, token, idle_minutes)
        outcome = "ok" if touched.outcome == "ok" else f"session_{touched.outcome}"
        actor = touched.username or "(session cookie)"
        accounts.audit(conn, actor, touched.role, "sign_in", None, outcome, method="session")
        return touched

    touched = database.for_sign_in(check)
    if touched.outcome != "ok":
        st.session_state[REFUSED] = sent
        _queue("", 0)
        return None
    st.session_state[TOKEN] = token
    return {"username": touched.username, "role": touched.role, "method": touched.method}


def recheck(user: User, idle_minutes: int) -> sessions.Touched | None:
    """This tab's session and its account now (None for a session without a cookie, as
    single sign-on's): the caller signs out unless the outcome is "ok"."""
    token = st.session_state.get(TOKEN)
    if token is None:
        return None
    return database.for_sign_in(lambda conn: sessions.touch(conn, token, idle_minutes))
