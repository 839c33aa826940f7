"""The audit trail of what users see and take away, and labelled exports.

Every audit row is appended under the user's own database role, so row-level security
(db/migrations/0009_access.sql) refuses a row in any other role's name. Sign-ins and
sign-outs are written by ``accounts`` and ``dashboard.auth``.

For pages with downloads: ``csv_download(user, table, what=..., period=..., key=...)``
draws a download button whose file is generated on click, labelled by ``export_csv``, and
recorded by ``record_export`` at that moment. A page with its own kind of file (a PDF, a
PNG) calls ``file_download(user, build, what=..., period=..., file_name=..., ...)``: the
file is built and the export recorded when the button is pressed.
"""

import io
import re
from datetime import datetime

import pandas as pd
import streamlit as st

import accounts
from dashboard import access, database
from program import clock
from program.access import ROLE_LABELS, User
from reports.csv_safe import neutralise_formulas


def _append(user: User, action: str, target: str, outcome: str = "ok", **detail) -> None:
    database.run_as(
        user.role,
        lambda conn: accounts.audit(
            conn, user.username, user.role, action, target, outcome, **detail
        ),
    )


def record_page_view(user: User, title: str) -> None:
    """Record that the user opened a page; reruns of the same page (a filter changed)
    are not new views."""
    if st.session_state.get("audited_page") == title:
        return
    _append(user, "page_view", title)
    st.session_state["audited_page"] = title


def record_export(user: User, what: str, period: str, file_format: str = "csv") -> None:
    """Record that the user took a file away: what, for which period, in which format."""
    _append(user, "export", what, period=period, format=file_format)


def export_csv(
    table: pd.DataFrame,
    *,
    user: User,
    period: str,
    generated_at: datetime | None = None,
    threshold: int | None = None,
    note: str | None = None,
) -> bytes:
    """CSV bytes a spreadsheet reads as they are: the table (already protected for the
    role: hidden counts are empty numbers with a status column, ``reports.tables``), then
    on every row the period, who exported it when, and the privacy notice (``note``: the
    release's line, for a table read from one). No comment lines. Text cells that a
    spreadsheet would run as formulas are neutralised (``reports.csv_safe``); numbers
    are written as they are."""
    generated_at = generated_at or clock.now()
    if user.sees_person_level:
        notice = "Not suppressed (person-level role). Do not redisclose (42 CFR Part 2)."
    else:
        limit = access.threshold(user, clock.today()) if threshold is None else threshold
        notice = note or (
            f"Counts of people from 1 to {limit} are hidden (status <{limit + 1}); other "
            "counts hidden to protect them have the status 'suppressed'."
        )
    labelled = table.assign(
        **{
            "Export period": period,
            "Exported": f"{generated_at:%Y-%m-%d %H:%M %Z} by {ROLE_LABELS[user.role]} "
            f"({user.username})",
            "Notice": notice,
        }
    )
    body = io.StringIO()
    neutralise_formulas(labelled).to_csv(body, index=False)
    return body.getvalue().encode()


def csv_download(
    user: User,
    table: pd.DataFrame,
    *,
    what: str,
    period: str,
    key: str,
    label: str = "",
    note: str | None = None,
) -> None:
    """A download button for ``table`` as a labelled CSV; the download is audited."""
    file_download(
        user,
        lambda: export_csv(table, user=user, period=period, note=note),
        what=what,
        period=period,
        label=label or f"CSV: {what}",
        file_name=csv_file_name(what, period),
        key=key,
    )


MIME_TYPES = {"csv": "text/csv", "pdf": "application/pdf", "png": "image/png"}


def file_download(user: User, build, *, what: str, period: str, file_name: str, **button) -> None:
    """A download button whose file ``build()`` makes only when clicked, and whose click
    writes the audit row then. The file's format and type follow its name's extension
    (``MIME_TYPES``); ``button``: label, key and any other ``st.download_button`` argument."""
    file_format = file_name.rsplit(".", 1)[-1]

    def generate() -> bytes:
        record_export(user, what, period, file_format)
        return build()

    st.download_button(
        data=generate,
        file_name=file_name,
        mime=MIME_TYPES[file_format],
        on_click="ignore",
        **button,
    )


def csv_file_name(what: str, period: str) -> str:
    """What and the period, for a file name: lead-ops-daily-census-01-oct-2026-31-oct-2026.csv"""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{what} {period}".lower()).strip("-")
    return f"lead-ops-{slug}.csv"
