"""Settings (admins): program rules and review targets, each with an effective date.

A change never rewrites history: it adds the value in force from a date on, so figures for
earlier days keep the rule that applied then. Every change is audited.
"""

import streamlit as st

import accounts
from dashboard import auth, data, filters
from dashboard.components import as_of_line
from program import clock

user = auth.require_user()
f = filters.current()
st.title("LEAD Ops · Settings")
as_of_line(f.as_of, auth.ROLE_LABELS[user.role])

settings = data.query(user.role, "settings/in_force", day=clock.today())
st.dataframe(
    settings,
    hide_index=True,
    column_config={
        "key": "Setting",
        "value": "Value in force today",
        "effective_from": "Since",
        "note": "Meaning",
    },
)
st.caption(
    "Values in force today. Capacity, the intake window and the targets change "
    "figures only from their effective date on."
)

with st.form("change_setting"):
    key = st.selectbox("Setting", settings.key.tolist(), key="setting_key")
    current = float(settings.set_index("key").value.get(key, 0))
    value = st.number_input(
        "New value", min_value=0.0, max_value=100000.0, value=current, key="setting_value"
    )
    effective = st.date_input("In force from", value=clock.today(), key="setting_from")
    if st.form_submit_button("Save", type="primary"):
        data.change_as(user.role, "settings/set", key=key, value=value, effective_from=effective)
        data.with_owner(
            lambda conn: accounts.audit(
                conn,
                user.username,
                user.role,
                "change_setting",
                key,
                "ok",
                value=value,
                effective_from=effective,
            )
        )
        st.success(f"{key} is {value:g} from {effective:%d %b %Y}.")
