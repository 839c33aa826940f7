"""Accounts (admins): who may sign in, in which role, and the state of each account;
add accounts, change roles, disable, enable, unlock and reset passwords (the same rules
and audit rows as ``python -m accounts``; the last enabled admin is always kept).
"""

import streamlit as st

from dashboard import auth
from dashboard.accounts import data, forms
from program.access import ROLE_LABELS

user = auth.require_user()
if done := st.session_state.pop(forms.DONE, None):
    st.success(done)
accounts = data.accounts_list(user)
counts = accounts.groupby("role").size()
st.markdown(
    f"**{len(accounts)} accounts**, {int((~accounts.disabled).sum())} enabled: "
    + ", ".join(f"{ROLE_LABELS[r]} {n}" for r, n in counts.items())
)
st.dataframe(
    accounts.assign(role=accounts.role.map(ROLE_LABELS)),
    hide_index=True,
    width="stretch",
    column_config={
        "username": "User name",
        "role": "Role",
        "disabled": "Disabled",
        "sso_only": st.column_config.CheckboxColumn("Single sign-on only"),
        "is_demo": st.column_config.CheckboxColumn("Demo"),
        "failed_attempts": "Failed sign-ins in a row",
        "locked": st.column_config.CheckboxColumn("Locked now"),
        "locked_until": st.column_config.DatetimeColumn("Locked until", format="YYYY-MM-DD HH:mm"),
        "last_sign_in": st.column_config.DatetimeColumn("Last sign-in", format="YYYY-MM-DD HH:mm"),
        "created_at": st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD"),
        "password_set_at": st.column_config.DatetimeColumn("Password set", format="YYYY-MM-DD"),
    },
)
st.caption(
    "Every change is written to the audit log in your name. The last enabled "
    "administrator cannot be disabled or given another role. On the server: "
    "`python -m accounts add|role|reset|disable|enable|unlock|list` (docs/access.md)."
)
names = accounts.username.tolist()
add, role, state, reset = st.tabs(["Add", "Change role", "Disable, enable, unlock", "Reset"])
with add:
    forms.add_form(user)
with role:
    forms.role_form(user, names)
with state:
    forms.state_form(user, names)
with reset:
    forms.reset_form(user, names)
