"""LEAD Ops: the router and frame every page shares.

Owns what is common to all pages: the page list, sign-in, the shared sidebar filters,
the demo-data banner, the database-health banner, each page's title and as-of line.
A page file only draws. No page runs while the database is down or nobody is signed
in: both screens stand between the router and ``page.run()``.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` from anywhere

from dashboard import audit, auth, database, filters  # noqa: E402
from dashboard.components import as_of_line, page_style  # noqa: E402
from dashboard.coverage import catchment_gap_banner  # noqa: E402
from dashboard.health import database_down_banner  # noqa: E402
from dashboard.pagelist import pages_for  # noqa: E402
from dashboard.run_slots import page_run_slot  # noqa: E402

st.set_page_config(page_title="LEAD Ops", layout="wide")
page_style()

with page_run_slot():  # a bounded number at once: the server keeps answering
    problem = database.health()
    user = None if problem else auth.session_user()
    page = st.navigation(pages_for(user), position="sidebar" if user else "hidden")
    if problem:
        database_down_banner(problem)
        st.stop()
    if user is None:
        auth.sign_in_form()  # stops; a good sign-in reruns the app
    st.sidebar.markdown(f"**{user.username}** · {user.label}")
    if st.sidebar.button("Sign out", key="sign_out"):
        auth.sign_out(user)
        st.rerun()
    span = database.query(user.role, "session/data_span").iloc[0]
    period = filters.sidebar(as_of=span.as_of, first=span.first_day)
    with st.container(key="frame_banners"):  # a page may shrink them (Review presenting)
        if database.query(user.role, "session/demo_flag").iloc[0].demo:
            st.warning(
                "**Demo data.** Every figure on this page comes from generated records, not "
                "from BPD or BHSB. Load real data with `python -m ingest` (see the README).",
            )
        catchment_gap_banner(user.role, period.start, period.end)
    audit.record_page_view(user, page.title)  # audited before the page draws
    with st.container(key="frame_title"):  # the Review's presentation says it in one line
        st.title(f"LEAD Ops · {page.title}", anchor=False)
        as_of_line(span.as_of, user.label)
    page.run()
