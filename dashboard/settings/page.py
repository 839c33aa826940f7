"""Settings (admins): program rules and review targets, each with an effective date.

A change never rewrites history: it adds the value in force from a date on, so figures for
earlier days keep the rule that applied then. Every change is audited.
"""

import streamlit as st

from dashboard import auth
from dashboard.settings import data
from program import clock
from program import settings as rules

user = auth.require_user()
settings = data.in_force(user)
st.dataframe(
    settings.assign(
        setting=settings.key.map(rules.label),
        shown=[rules.shown_value(k, v) for k, v in zip(settings.key, settings.value, strict=True)],
        since=settings.effective_from.map(rules.since),
    ),
    hide_index=True,
    column_order=("setting", "shown", "since", "note"),
    column_config={
        "setting": "Setting",
        "shown": "Value in force today",
        "since": "In force",
        "note": "Meaning",
    },
)
st.caption(
    "Values in force today. Capacity, the intake window and the targets change "
    "figures only from their effective date on."
)

with st.form("change_setting"):
    key = st.selectbox("Setting", settings.key.tolist(), format_func=rules.label, key="setting_key")
    current = float(settings.set_index("key").value.get(key, 0))
    value = st.number_input(
        "New value", min_value=0.0, max_value=100000.0, value=current, key="setting_value"
    )
    effective = st.date_input("In force from", value=clock.today(), key="setting_from")
    if st.form_submit_button("Save", type="primary"):
        data.change(user, key, value, effective)
        st.success(
            f"{rules.label(key)} is {rules.shown_value(key, value)} from {effective:%d %b %Y}."
        )
