"""Imports (admins): upload a CSV, GeoJSON or zipped shapefile, check it (a dry run that
lists every rejected row with its reason), confirm to load it, and look after the batches:
history, rejected rows as CSV, rollback. The file goes through the same
``ingest.api.import_file`` as ``python -m ingest``; every load and rollback is audited.
"""

import psycopg2
import streamlit as st

from dashboard import auth
from dashboard.imports import data, sections
from ingest.readers import UnusableFile

CHECKED = "imports_checked"  # (what was checked, its dry-run result)

user = auth.require_user()
if done := st.session_state.pop("imports_done", None):
    st.success(done)
uploaded = st.file_uploader(
    "File to import (CSV, GeoJSON or zipped shapefile)",
    type=["csv", "geojson", "json", "zip"],
    key="imports_file",
)
request = sections.request_controls()


def attempt(what: str, run):
    """``run()``, or None after saying why the file could not be used."""
    try:
        with st.status(what, expanded=False) as status:
            result = run(status.write)
            status.update(label=f"{what} done", state="complete")
        return result
    except UnusableFile as error:
        st.error(f"The file cannot be used: {error}. Nothing was loaded.")
    except psycopg2.Error as error:
        reason = str(error).strip().splitlines()[0]
        st.error(f"The database refused the import ({reason}); nothing was loaded.")
    return None


if uploaded is None:
    st.info("Choose a file, say what it holds, then check it: nothing loads before you confirm.")
else:
    upload = data.Upload(uploaded.name, uploaded.getvalue())
    what = (upload.sha256, request)
    if st.button("Check the file (dry run)", type="primary", key="imports_check"):
        st.session_state.pop(CHECKED, None)
        result = attempt(
            f"Checking {upload.name}",
            lambda say: data.run_import(user, upload, request, dry_run=True, progress=say),
        )
        if result is not None:
            st.session_state[CHECKED] = (what, result)
    checked = st.session_state.get(CHECKED)
    if checked is not None and checked[0] == what:
        sections.checked_file(user, checked[1])
        rows = checked[1].new + checked[1].updated
        if st.button(f"Confirm: load {upload.name} ({rows:,} rows)", key="imports_confirm"):
            loaded = attempt(
                f"Loading {upload.name}",
                lambda say: data.run_import(user, upload, request, dry_run=False, progress=say),
            )
            if loaded is not None:
                st.session_state.pop(CHECKED)
                st.session_state["imports_done"] = f"Loaded: {loaded.summary()}."
                st.rerun()
    elif checked is not None:
        st.caption("The file or its options changed since the last check: check it again.")

sections.history(user)
