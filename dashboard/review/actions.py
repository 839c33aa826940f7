"""The Review page's action items: the work group's follow-up, listed for everyone who
opens the review, added and updated by leadership, case managers and admins
(``User.edits_action_items``), each change audited in its own transaction
(``dashboard.review.data``)."""

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.review import data
from dashboard.review.presentation import plain_table
from program import clock
from program.access import User
from program.actions import STATUS_LABELS, STATUSES, problems
from program.review import Period

NOT_ABOUT_PEOPLE = (
    "Action items are about the program's operation, never about a participant: no names, "
    "person keys or treatment facts (police command reads them)."
)


def action_items_section(
    user: User, period: Period, table: pd.DataFrame, presenting: bool = False
) -> None:
    """The items of ``period``'s review (``table``, as the CSV and PDF show them: a plain
    table, whose long titles and notes wrap instead of scrolling sideways) and, for
    editors and unless ``presenting``, the forms to add one and to update one."""
    st.markdown("#### Action items")
    if table.empty:
        st.caption("No action items raised at this review or carried from earlier ones.")
    else:
        plain_table(table)
        st.caption(
            "Items raised at this period's review, and items raised earlier that were still "
            "open when it began ('carried'), as they stand now."
        )
    if not user.edits_action_items or presenting:
        return
    with st.expander("Add or update an action item"):
        st.caption(NOT_ABOUT_PEOPLE)
        _add_form(user, period)
        items = data.action_items(user.role, period)
        if not items.empty:
            _change_form(user, items)


def _add_form(user: User, period: Period) -> None:
    with st.form("action_item_add", clear_on_submit=True):
        title = st.text_input("New action item", key="action_title")
        owner = st.text_input("Owner", key="action_owner")
        due = st.date_input("Due", value=clock.today() + timedelta(days=30), key="action_due")
        notes = st.text_area("Notes", key="action_notes")
        if st.form_submit_button("Add action item"):
            _save(
                problems(title, owner, notes),
                lambda: data.add_action_item(
                    user,
                    period.end,
                    title=title.strip(),
                    owner=owner.strip(),
                    due_on=due,
                    notes=notes,
                ),  # fmt: skip
                f"Added '{title.strip()}'.",
            )


def _change_form(user: User, items: pd.DataFrame) -> None:
    chosen = st.selectbox(
        "Update the item",
        items.item_id.tolist(),
        format_func=dict(zip(items.item_id, items.title, strict=True)).get,
        key="action_pick",
    )
    item = items.set_index("item_id").loc[chosen]
    with st.form("action_item_change"):
        owner = st.text_input("Owner", value=item.owner, key=f"action_owner_{chosen}")
        due = st.date_input("Due", value=item.due_on, key=f"action_due_{chosen}")
        status = st.selectbox(
            "Status",
            STATUSES,
            index=STATUSES.index(item.status),
            format_func=STATUS_LABELS.get,
            key=f"action_status_{chosen}",
        )
        notes = st.text_area("Notes", value=item.notes, key=f"action_notes_{chosen}")
        if st.form_submit_button("Save the item"):
            _save(
                problems(item.title, owner, notes, status),
                lambda: data.change_action_item(
                    user,
                    int(chosen),
                    owner=owner.strip(),
                    due_on=due,
                    status=status,
                    notes=notes,
                ),  # fmt: skip
                f"Saved '{item.title}'.",
            )


def _save(found: list[str], write, done: str) -> None:
    if found:
        st.error(" ".join(found))
        return
    write()
    st.toast(done)
    st.rerun()
