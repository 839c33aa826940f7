"""The database-health banner: a clear message, and recovery without a reload."""

import streamlit as st

from dashboard import database

RETRY_EVERY_S = 10


def database_down_banner(problem: str) -> None:
    """Say the database is unreachable, what to do, and retry until it answers."""
    st.title("LEAD Ops")
    st.error(
        "**The database cannot be reached**, so no figures can be shown right now.\n\n"
        f"Reason: `{problem}`\n\n"
        "Nothing has been lost. If you run LEAD Ops locally, start the database with "
        "`make db-start` (or `make run`); otherwise tell your administrator. "
        f"This page checks again every {RETRY_EVERY_S} seconds and recovers by itself.",
    )
    _retry()


@st.fragment(run_every=RETRY_EVERY_S)
def _retry() -> None:
    if database.health() is None:
        st.rerun(scope="app")
    st.caption("Still waiting for the database…")
