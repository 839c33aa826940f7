"""LEAD Ops: the router and frame every page shares.

Owns what is common to all pages: the page list, sign-in, the shared sidebar filters,
the demo-data banner and the database-health banner. A page file only draws.
"""

import sys
from pathlib import Path

import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `streamlit run` from anywhere

from dashboard import audit, auth, data, filters  # noqa: E402
from dashboard.health import database_down_banner  # noqa: E402
from dashboard.pagelist import pages_for  # noqa: E402

st.set_page_config(page_title="LEAD Ops", layout="wide")


def only_page(draw, url_path: str) -> None:
    """Show one page and nothing else. Calling st.navigation on every run, even before
    sign-in, keeps Streamlit from listing or routing to the files in dashboard/pages."""
    st.navigation([st.Page(draw, title="LEAD Ops", url_path=url_path)], position="hidden").run()
    st.stop()


def sign_in_page() -> None:
    auth.require_user()  # draws the form and stops, or returns once signed in (SSO)
    st.rerun()


problem = data.health()
if problem:
    only_page(lambda: database_down_banner(problem), "unavailable")
if auth.current_user() is None:
    only_page(sign_in_page, "sign-in")
user = auth.require_user()
st.sidebar.markdown(f"**{user.username}** · {auth.ROLE_LABELS[user.role]}")
if st.sidebar.button("Sign out", key="sign_out"):
    auth.sign_out(user)
    st.rerun()
span = data.query(user.role, "session/data_span").iloc[0]
filters.sidebar(as_of=span.as_of, first=span.first_day)
if data.query(user.role, "session/demo_flag").iloc[0].demo:
    st.warning(
        "**Demo data.** Every figure on this page comes from generated records, not from "
        "BPD or BHSB. Load real data with `python -m ingest` (see the README).",
    )
page = st.navigation(pages_for(user))
audit.record_page_view(user, page.title)  # audited before the page draws
page.run()
