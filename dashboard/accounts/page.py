"""Accounts (admins): who may sign in, in which role, and the state of each account.

Read-only: accounts are managed with ``python -m accounts`` on the server (docs/access.md).
"""

import streamlit as st

from dashboard import auth
from dashboard.accounts import data
from program.access import ROLE_LABELS

user = auth.require_user()
accounts = data.accounts(user)
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
    "Manage accounts on the server: `python -m accounts add <user> --role <role>`, "
    "`reset`, `disable`, `enable`, `unlock`, `list` (see docs/access.md). "
    "Every change is written to the audit log."
)
