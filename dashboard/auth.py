"""Who is signed in. (Sign-in itself: see issue #7; this module is its home.)

The signed-in user lives in ``st.session_state["user"]`` as a plain dict
``{"username": ..., "role": ...}``, role one of command, leadership, case_manager, admin.
"""

from dataclasses import dataclass

import streamlit as st

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
    if user is None:
        st.title("LEAD Ops")
        st.warning("Sign in to continue.")
        st.stop()
    return user
