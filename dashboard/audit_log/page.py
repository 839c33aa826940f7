"""Audit log (admins): who did what, when, in which role, with which outcome.

The log is append-only in PostgreSQL and kept at least a year (docs/access.md). Search by
user, action, outcome and date; the CSV export of a search is itself audited.
"""

from datetime import timedelta

import streamlit as st

from dashboard import audit, auth
from dashboard.audit_log import data
from program import clock

user = auth.require_user()
st.caption(
    "Sign-ins (good and refused), sign-outs, page views, exports, imports, account and "
    "setting changes. Rows can be added but never changed or deleted, by anyone. "
    "Times are Baltimore time."
)
pairs = data.choices(user)
today = clock.today()
left, middle, right = st.columns([2, 2, 3])
with left:
    start = st.date_input("From", value=today - timedelta(days=29), key="audit_from")
    end = st.date_input("To", value=today, key="audit_to")
with middle:
    actor = st.text_input("User name contains", key="audit_user", max_chars=254)
    outcomes = st.multiselect(
        "Outcome", sorted(pairs.outcome.unique()), key="audit_outcomes", placeholder="All"
    )
with right:
    actions = st.multiselect(
        "Action", sorted(pairs.action.unique()), key="audit_actions", placeholder="All"
    )

if end < start:
    st.warning("The end date is before the start date: nothing to show.")
    st.stop()
rows = data.search(
    user, start=start, end=end, actor=actor, actions=tuple(actions), outcomes=tuple(outcomes)
)
matched = int(rows.matched.iloc[0]) if len(rows) else 0
period = f"{start:%d %b %Y} – {end:%d %b %Y}"
shown = f"the newest {len(rows):,}" if matched > len(rows) else "all"
st.markdown(f"**{matched:,} audit rows** match, {period}; {shown} shown.")
table = rows.drop(columns="matched")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm:ss"),
        "actor": "User",
        "role": "Role",
        "action": "Action",
        "target": "What",
        "outcome": "Outcome",
        "detail": "Detail",
    },
)
st.caption(
    f"Counts: audit rows · Period: {period} (Baltimore dates) · "
    f"at most {data.SEARCH_LIMIT:,} rows are listed; narrow the search to see older ones."
)
audit.csv_download(user, table, what="Audit log", period=period, key="audit_csv")
