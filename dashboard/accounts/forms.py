"""The Accounts page's forms: one per change, each reporting what it did (kept for the
next run, which lists the accounts again) or why it was refused."""

import streamlit as st

import accounts
from dashboard.accounts import data
from program.access import ROLE_LABELS, ROLES, User

DONE = "accounts_done"


def _role_picker(key: str, index: int = 0) -> str:
    return st.selectbox("Role", ROLES, index=index, format_func=ROLE_LABELS.get, key=key)


def _apply(change, done: str) -> None:
    """Run ``change()``; on success keep ``done`` and rerun, else say why not."""
    try:
        change()
    except accounts.AccountError as refusal:
        st.error(f"Not changed: {refusal}.")
        return
    st.session_state[DONE] = done
    st.rerun()


def add_form(user: User) -> None:
    with st.form("account_add", clear_on_submit=True):
        username = st.text_input("User name (or e-mail for single sign-on)", key="add_name")
        role = _role_picker("add_role")
        sso_only = st.checkbox("Single sign-on only (no local password)", key="add_sso")
        password = st.text_input(
            f"Password (at least {accounts.MIN_PASSWORD_LENGTH} characters)",
            type="password",
            key="add_password",
        )
        if st.form_submit_button("Add account", key="add_submit"):
            secret = None if sso_only else password
            _apply(
                lambda: data.add(user, username, role, secret),
                f"Added {accounts.normalize(username)} ({ROLE_LABELS[role]}).",
            )


def role_form(user: User, names: list[str]) -> None:
    with st.form("account_role"):
        username = st.selectbox("Account", names, key="role_name")
        role = _role_picker("role_role")
        if st.form_submit_button("Change role", key="role_submit"):
            _apply(
                lambda: data.change_role(user, username, role),
                f"{username} is now {ROLE_LABELS[role]}.",
            )


def state_form(user: User, names: list[str]) -> None:
    with st.form("account_state"):
        username = st.selectbox("Account", names, key="state_name")
        left, middle, right = st.columns(3)
        if left.form_submit_button("Disable", key="state_disable"):
            _apply(lambda: data.set_disabled(user, username, True), f"{username} disabled.")
        if middle.form_submit_button("Enable", key="state_enable"):
            _apply(lambda: data.set_disabled(user, username, False), f"{username} enabled.")
        if right.form_submit_button("Unlock", key="state_unlock"):
            _apply(lambda: data.unlock(user, username), f"{username} unlocked.")


def reset_form(user: User, names: list[str]) -> None:
    with st.form("account_reset", clear_on_submit=True):
        username = st.selectbox("Account", names, key="reset_name")
        password = st.text_input("New password", type="password", key="reset_password")
        if st.form_submit_button("Set the new password (and unlock)", key="reset_submit"):
            _apply(
                lambda: data.reset_password(user, username, password),
                f"New password set for {username}; the account is unlocked.",
            )
