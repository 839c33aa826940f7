"""The session cookie: a password sign-in survives a reload, a typed address or a bookmark.

``accounts.sessions`` makes and checks the cookie and its ``app_session`` row; this module
is the browser's side. Streamlit reads cookies (``st.context.cookies``, those sent when
the tab connected) but sets none, so the cookie comes from the launcher's own routes
(``dashboard/serve.py``), whose HTTP answers can make it HttpOnly: after a sign-in a
one-line script (``st.html``) posts the session's one-time nonce to ``CLAIM_PATH`` and
the answer sets the cookie (``HttpOnly; SameSite=Strict``, its path the app's, ``Secure`` over
HTTPS); at sign-out, or when a cookie is refused, it posts to ``SIGN_OUT_PATH``, which
ends the cookie's session and clears it. No script of the page can read the cookie; it
names a server-side session and nothing else, so even a copy dies with the sign-out, the
30-minute idle timeout or the 12-hour expiry, and is worth no role (each run reads the
account's role from the database).

Sign-in and resume are audited like the password form (action ``sign_in``, method
``session``), and each claim of a nonce (method ``session_cookie``); a refused cookie is
audited once per tab and cleared.
"""

import json

import streamlit as st
from streamlit import config
from streamlit.url_util import make_url_path

import accounts
from accounts import sessions
from dashboard import database
from program.access import User

COOKIE = "leadops_session"
CLAIM_PATH = "/leadops/session"  # POST the nonce: the answer sets the cookie
SIGN_OUT_PATH = "/leadops/signout"  # POST: the cookie's session ends, the cookie is cleared
TOKEN = "session_token"  # session key: the token hash of this tab's session
PENDING = "cookie_script"  # session key: (path, body) to post on the next run
REFUSED = "cookie_refused"  # session key: the cookie value this tab has refused


def route(path: str = "") -> str:
    """The address of ``path`` (``CLAIM_PATH``, ``SIGN_OUT_PATH``; "" the app's root, the
    cookie's path) under the server's ``server.baseUrlPath``: ``/leadops/session``, or
    ``/dash/leadops/session`` behind a proxy serving the dashboard at ``/dash/``."""
    return make_url_path(config.get_option("server.baseUrlPath") or "", path)


@st.cache_resource(show_spinner=False)
def secret() -> bytes:
    """The MAC key of the cookies (``session_secret`` in secrets.toml, else var/)."""
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


def _clear() -> None:
    st.session_state[PENDING] = (SIGN_OUT_PATH, "")


def write_pending() -> None:
    """Have the browser fetch or clear its cookie if a sign-in or sign-out asked to."""
    pending = st.session_state.pop(PENDING, None)
    if pending is not None:
        path, body = pending
        st.html(
            f"<script>fetch({json.dumps(route(path))}, {{method: 'POST', body: {json.dumps(body)}, "
            "credentials: 'same-origin', headers: {'Content-Type': 'text/plain'}});</script>",
            unsafe_allow_javascript=True,
        )


def start(username: str, method: str) -> None:
    """After a good sign-in: a new session, and the page claims its cookie."""
    nonce, token = sessions.new_session(secret())
    database.for_sign_in(lambda conn: sessions.open_session(conn, token, nonce, username, method))
    st.session_state[TOKEN] = token
    st.session_state[PENDING] = (CLAIM_PATH, nonce)


def forget(conn, reason: str) -> None:
    """At sign-out (in its transaction): end this tab's session and clear the cookie; the
    cookie this tab was opened with is never taken again."""
    if token := st.session_state.pop(TOKEN, None):
        sessions.end(conn, token, reason)
    if sent := _cookie_sent():
        st.session_state[REFUSED] = sent
    _clear()


def resume(idle_minutes: int) -> dict | None:
    """The signed-in user's session state from the cookie this tab was opened with, if it
    is genuine, unexpired and names an open session of an enabled, unlocked account;
    else None (a refused cookie is audited, cleared and not tried again)."""
    sent = _untried_cookie()
    if sent is None:
        return None
    token = sessions.read_cookie(sent, secret())

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
        _clear()
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


# --- the launcher's routes (dashboard/serve.py): outside any page run ---------------------


def claim(nonce: str) -> sessions.Claimed:
    """Exchange a nonce for its session's cookie (once); audited either way."""

    def work(conn) -> sessions.Claimed:
        claimed = sessions.claim(conn, nonce, secret())
        actor = claimed.username or "(session nonce)"
        accounts.audit(conn, actor, None, "sign_in", None, claimed.outcome, method="session_cookie")
        return claimed

    return database.for_sign_in(work)


def end_cookie(value: str | None) -> None:
    """End the session a genuine cookie names (sign-out; anything else is ignored)."""
    token = sessions.read_cookie(value, secret()) if value else None
    if token is not None:
        database.for_sign_in(lambda conn: sessions.end(conn, token, "sign_out"))
