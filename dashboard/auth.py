"""Sign-in (password or single sign-on), sign-out and the idle timeout.

The signed-in user lives in ``st.session_state["user"]`` as a plain dict
``{"username": ..., "role": ..., "method": "password" | "sso"}``, role one of command,
leadership, case_manager, admin; ``st.session_state["last_seen"]`` holds the time of the
user's last action. A session idle for ``IDLE_MINUTES`` ends (CJIS Security Policy 5.5.5).
A password sign-in also opens a server-side session named by a signed cookie
(``dashboard.auth_cookie``), so a reload resumes it; every run then re-reads the account's
role and state, and a session ended, idle, disabled or locked signs the tab out.

Single sign-on uses Streamlit's OpenID Connect support (``st.login``/``st.user``/
``st.logout``) when ``.streamlit/secrets.toml`` has an ``[auth]`` section. The identity's
e-mail, lowercased, must name an enabled LEAD Ops account, whose role applies: a provider
identity without an account gets no access. Optional ``[lead_ops_sso]`` settings:
``role_claim`` (an ID-token claim that must equal the account's role) and ``[labels]``
(button text per provider name, ``default`` for an unnamed provider). See docs/access.md.
"""

import time
from collections.abc import Mapping

import streamlit as st

import accounts
from dashboard import auth_cookie, database
from program.access import User

IDLE_MINUTES = 30
SSO_SETTINGS = "lead_ops_sso"
# Session keys that belong to a signed-in user and go with the sign-out.
USER_KEYS = ("user", "last_seen", "audited_page")
ENDED = {
    "idle": f"You were signed out after {IDLE_MINUTES} minutes without activity.",
    "disabled": "You were signed out: your account is disabled or locked.",
    "locked": "You were signed out: your account is disabled or locked.",
}


def current_user() -> User | None:
    state = st.session_state.get("user")
    return User(state["username"], state["role"]) if state else None


def session_user() -> User | None:
    """The signed-in user, if any, after the idle timeout (an idle session is signed out)
    and single sign-on (a provider identity with an account is signed in)."""
    user = current_user()
    if user is not None and _idle_too_long():
        _end(user, "idle")
        user = None
    if user is not None:
        user = _recheck(user)
    if user is None and (state := auth_cookie.resume(IDLE_MINUTES)) is not None:
        st.session_state["user"] = state
        user = current_user()
    if user is None:
        user = _admit_sso_identity()
    if user is not None:
        st.session_state["last_seen"] = time.time()
    auth_cookie.write_pending()
    return user


def _recheck(user: User) -> User | None:
    """The user with the account's role now, or None (signed out) when the session or
    the account no longer admits them."""
    touched = auth_cookie.recheck(user, IDLE_MINUTES)
    if touched is None or touched.outcome == "ok" and touched.role == user.role:
        return user
    if touched.outcome == "ok":  # the role changed since the last run
        st.session_state["user"] = {**st.session_state["user"], "role": touched.role}
        return current_user()
    _end(user, touched.outcome)
    return None


def _end(user: User, reason: str) -> None:
    sign_out(user, reason=reason)
    st.session_state["signed_out_reason"] = ENDED.get(
        reason, "Your session has ended. Please sign in again."
    )


def require_user() -> User:
    """The signed-in user; without one, the sign-in form is drawn and the run stops."""
    user = session_user()
    if user is None:
        sign_in_form()
    return user


def _idle_too_long() -> bool:
    last_seen = st.session_state.get("last_seen")
    return last_seen is not None and time.time() - last_seen > IDLE_MINUTES * 60


def _start_session(username: str, role: str, method: str) -> User:
    st.session_state["user"] = {"username": username, "role": role, "method": method}
    st.session_state["last_seen"] = time.time()
    return User(username, role)


# --- single sign-on ---------------------------------------------------------------------


def _secrets_section(name: str) -> Mapping:
    try:
        section = st.secrets.get(name)
    except FileNotFoundError:  # no secrets.toml at all
        return {}
    return section if isinstance(section, Mapping) else {}


def sso_providers() -> list[tuple[str | None, str]]:
    """(name for ``st.login``, button label) of each configured provider; none without
    an ``[auth]`` section. An unnamed provider (settings directly in ``[auth]``) has
    name None."""
    auth = _secrets_section("auth")
    labels = _secrets_section(SSO_SETTINGS).get("labels", {})
    providers: list[tuple[str | None, str]] = []
    if "client_id" in auth:
        providers.append((None, labels.get("default", "single sign-on")))
    for name, section in auth.items():
        if isinstance(section, Mapping) and "client_id" in section:
            providers.append((name, labels.get(name, name.replace("-", " ").title())))
    return providers


def _admit_sso_identity() -> User | None:
    """The user of the provider identity this browser signed in with, if it has an
    account; otherwise None, after explaining the refusal once."""
    if not sso_providers() or not st.user.get("is_logged_in"):
        return None
    email = str(st.user.get("email") or "")
    claim = _secrets_section(SSO_SETTINGS).get("role_claim")
    claimed_role = str(st.user.get(claim) or "") if claim else None
    refused = st.session_state.get("sso_refused")
    if refused and refused[0] == email:
        st.session_state["signed_out_reason"] = refused[1]
        return None
    result = database.for_sign_in(
        lambda conn: accounts.verify_sso(
            conn, email, claimed_role, email_verified=st.user.get("email_verified") is not False
        )
    )
    if result.ok:
        st.session_state.pop("sso_refused", None)
        return _start_session(accounts.normalize(email), result.role, "sso")
    message = f"{email or 'This identity'}: {result.message}"
    st.session_state["sso_refused"] = (email, message)
    st.session_state["signed_out_reason"] = message
    return None


# --- the sign-in form -------------------------------------------------------------------


def sign_in_form() -> None:
    """Draw the sign-in form and stop the run (a good sign-in reruns it)."""
    st.title("LEAD Ops")
    st.caption("Law Enforcement Assisted Diversion · Baltimore · Central District")
    if reason := st.session_state.pop("signed_out_reason", None):
        st.info(reason)
    _sso_buttons()
    with st.form("sign_in"):
        username = st.text_input("User name", key="sign_in_username")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    st.caption(
        "Use of this system is logged. Records here include police and "
        "substance-use treatment information protected by 42 CFR Part 2."
    )
    if submitted:
        name = accounts.normalize(username)
        result = database.for_sign_in(lambda conn: accounts.verify(conn, name, password))
        if result.ok:
            _start_session(name, result.role, "password")
            auth_cookie.start(name, "password")
            st.rerun()
        st.error(result.message)
    st.stop()


def _sso_buttons() -> None:
    providers = sso_providers()
    if not providers:
        return
    if st.user.get("is_logged_in"):
        # Signed in at the provider but refused here: offer to leave that identity.
        if st.button("Sign out of single sign-on", key="sso_logout"):
            st.session_state.pop("sso_refused", None)
            st.logout()
        return
    for name, label in providers:
        if st.button(f"Sign in with {label}", key=f"sso_{name or 'default'}", type="primary"):
            st.login(name)
    st.caption("Or with a LEAD Ops user name and password:")


def sign_out(user: User, reason: str = "sign_out") -> None:
    """End the session (audited); a single-sign-on session also leaves the provider's
    identity, so the next visitor of this browser has to sign in again."""
    method = (st.session_state.get("user") or {}).get("method", "password")

    def record(conn) -> None:
        auth_cookie.forget(conn, reason)
        accounts.audit(conn, user.username, user.role, "sign_out", None, reason, method=method)

    database.for_sign_in(record)
    for key in USER_KEYS:
        st.session_state.pop(key, None)
    if method == "sso":
        st.logout()
