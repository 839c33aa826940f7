"""Settings (admins): program rules and review targets, each with an effective date.

A change never rewrites history: it adds the value in force from a date on, so figures for
earlier days keep the rule that applied then. Every change is audited.
"""

import streamlit as st

from dashboard import auth
from dashboard.settings import data
from program import clock

user = auth.require_user()
settings = data.in_force(user)
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
        data.change(user, key, value, effective)
        st.success(f"{key} is {value:g} from {effective:%d %b %Y}.")
