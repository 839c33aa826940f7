"""The parts of the Imports page: what to import, a checked file's summary and rejected
rows, and the batch history with rejection downloads and rollback. Drawing only: every
value comes from ``dashboard.imports.data``."""

from datetime import date

import streamlit as st

from dashboard import audit
from dashboard.imports import data
from ingest.api import ALL_KINDS, FORMATS, ImportResult, RollbackRefused
from ingest.areas import AREA_KINDS, AreaOptions
from ingest.cli import reason_counts
from program.access import User

SHOWN_REJECTIONS = 1_000
ROLLBACK_RULE = (
    "A batch can be rolled back when it is the latest loaded batch of its kind and only "
    "added rows: rolling back deletes the rows it added. A batch that updated rows cannot "
    "be rolled back, because the earlier values are not kept; import a corrected file "
    "instead. Rows that later imports refer to (an enrollment naming a contact) block it."
)

WHEN = "YYYY-MM-DD HH:mm"
HISTORY_COLUMNS = {
    "batch_id": "Batch",
    "kind": "Kind",
    "format": "Format",
    "file_name": "File",
    "imported_by": "Imported by",
    "started_at": st.column_config.DatetimeColumn("Started", format=WHEN),
    "finished_at": st.column_config.DatetimeColumn("Finished", format=WHEN),
    "status": "Status",
    "rows_read": "Rows read",
    "rows_new": "New",
    "rows_updated": "Updated",
    "rows_unchanged": "Unchanged",
    "rows_duplicate": "Repeats merged",
    "rows_rejected": "Rejected",
    "rolled_back_by": "Rolled back by",
    "rolled_back_at": st.column_config.DatetimeColumn("Rolled back", format=WHEN),
}


def request_controls() -> data.Request:
    """What the file holds and how to read it."""
    left, middle, right = st.columns(3)
    kind = left.selectbox("Kind of records", ALL_KINDS, key="imports_kind")
    formats = FORMATS if kind == "contacts" else ("native",)
    fmt = middle.selectbox("Format", formats, key="imports_format", help="docs/data-formats.md")
    strict = right.checkbox("Strict: any bad row rejects the file", key="imports_strict")
    return data.Request(kind, fmt, strict, _area_options() if kind == "areas" else None)


def _area_options() -> AreaOptions:
    left, middle, right = st.columns(3)
    return AreaOptions(
        left.selectbox("Area kind", AREA_KINDS, key="imports_area_kind"),
        middle.text_input("Property naming each area", "name", key="imports_name_field"),
        right.date_input("Valid from", date(1900, 1, 1), key="imports_valid_from"),
        None,
        st.text_input("Source", key="imports_source") or None,
        st.checkbox("The boundaries are approximations", key="imports_approximation"),
    )


def checked_file(user: User, result: ImportResult) -> None:
    """A dry run's counts, its rejections by reason and row by row, and their CSV."""
    tiles = st.columns(5)
    for tile, (label, value) in zip(
        tiles,
        (
            ("New", result.new),
            ("Updated", result.updated),
            ("Unchanged", result.unchanged),
            ("Rejected", result.rejected),
            ("Exact repeats merged", result.duplicate),
        ),
        strict=True,
    ):
        tile.metric(label, f"{value:,}")
    st.caption(f"Dry run: {result.summary()}. Nothing has been loaded yet.")
    if not result.rejections:
        return
    st.markdown("**Rejected rows by reason** (values blanked)")
    counts = reason_counts(result.rejections)
    st.dataframe(
        [{"reason": reason, "rows": count} for reason, count in counts],
        hide_index=True,
        width="stretch",
        key="imports_reasons",
    )
    table = data.rejections_table(result)
    shown = f"the first {SHOWN_REJECTIONS:,} of " if len(table) > SHOWN_REJECTIONS else ""
    st.markdown(f"**Rejected rows** ({shown}{len(table):,}; the CSV has all of them)")
    st.dataframe(
        table.head(SHOWN_REJECTIONS), hide_index=True, width="stretch", key="imports_rejected"
    )
    audit.csv_download(
        user, table, what="Rejected rows (dry run)", period="dry run", key="imports_dry_csv"
    )


def history(user: User) -> None:
    """The batch history, a batch's rejected rows as CSV, and rollback with confirmation."""
    st.subheader("Import history")
    batches = data.history(user)
    if batches.empty:
        st.info("No file has been imported yet.")
        return
    st.dataframe(batches, hide_index=True, key="imports_history", column_config=HISTORY_COLUMNS)
    batch_id = st.selectbox("Batch", batches.batch_id.tolist(), key="imports_batch")
    batch = batches.set_index("batch_id").loc[batch_id]
    if batch.rows_rejected:
        audit.csv_download(
            user,
            data.stored_rejections(user, int(batch_id)),
            what=f"Rejected rows of import batch {batch_id}",
            period=f"batch {batch_id} ({batch.file_name})",
            key="imports_batch_csv",
        )
    if batch.status == "loaded":
        _rollback(user, int(batch_id), batch)


def _rollback(user: User, batch_id: int, batch) -> None:
    st.caption(ROLLBACK_RULE)
    sure = st.checkbox(
        f"Delete the {batch.rows_new:,} rows batch {batch_id} ({batch.file_name}) added",
        key="imports_rollback_sure",
    )
    if st.button(f"Roll back batch {batch_id}", disabled=not sure, key="imports_rollback"):
        try:
            deleted = data.rollback(user, batch_id)
        except RollbackRefused as refusal:
            st.error(f"Not rolled back: {refusal}.")
            return
        st.session_state["imports_done"] = (
            f"Batch {batch_id} rolled back: {deleted:,} rows deleted."
        )
        st.session_state.pop("imports_rollback_sure", None)
        st.rerun()
