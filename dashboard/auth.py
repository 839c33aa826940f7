"""Sign-in, sign-out and the idle timeout.

The signed-in user lives in ``st.session_state["user"]`` as a plain dict
``{"username": ..., "role": ...}``, role one of command, leadership, case_manager, admin;
``st.session_state["last_seen"]`` holds the time of the user's last action. A session idle
for ``IDLE_MINUTES`` ends (CJIS Security Policy 5.5.5).
"""

import time
from dataclasses import dataclass

import streamlit as st

import accounts
from dashboard import data

IDLE_MINUTES = 30

ROLES = ("command", "leadership", "case_manager", "admin")
ROLE_LABELS = {
    "command": "Police command",
    "leadership": "BHSB leadership",
    "case_manager": "Case manager",
    "admin": "Administrator",
}


@dataclass(frozen=True)
class User:
    username: str
    role: str

    @property
    def sees_person_level(self) -> bool:
        """Case managers (and admins) may see person-level rows and unsuppressed counts."""
        return self.role in ("case_manager", "admin")


def current_user() -> User | None:
    state = st.session_state.get("user")
    return User(state["username"], state["role"]) if state else None


def require_user() -> User:
    """The signed-in user; without one, the sign-in form is drawn and the run stops."""
    user = current_user()
    if user is not None and _idle_too_long():
        sign_out(user, reason="idle")
        st.session_state["signed_out_reason"] = (
            f"You were signed out after {IDLE_MINUTES} minutes without activity."
        )
        user = None
    if user is None:
        _sign_in_form()
        st.stop()
    st.session_state["last_seen"] = time.time()
    return user


def _idle_too_long() -> bool:
    last_seen = st.session_state.get("last_seen")
    return last_seen is not None and time.time() - last_seen > IDLE_MINUTES * 60


def _sign_in_form() -> None:
    st.title("LEAD Ops")
    st.caption("Law Enforcement Assisted Diversion · Baltimore · Central District")
    if reason := st.session_state.pop("signed_out_reason", None):
        st.info(reason)
    with st.form("sign_in"):
        username = st.text_input("User name", key="sign_in_username")
        password = st.text_input("Password", type="password", key="sign_in_password")
        submitted = st.form_submit_button("Sign in", type="primary")
    st.caption(
        "Use of this system is logged. Records here include police and "
        "substance-use treatment information protected by 42 CFR Part 2."
    )
    if submitted:
        result = data.with_owner(
            lambda conn: accounts.verify(conn, username.strip().lower(), password)
        )
        if result.ok:
            st.session_state["user"] = {"username": username.strip().lower(), "role": result.role}
            st.session_state["last_seen"] = time.time()
            st.rerun()
        st.error(result.message)


def sign_out(user: User, reason: str = "sign_out") -> None:
    data.with_owner(
        lambda conn: accounts.audit(conn, user.username, user.role, "sign_out", None, reason)
    )
    for key in ("user", "last_seen"):
        st.session_state.pop(key, None)
