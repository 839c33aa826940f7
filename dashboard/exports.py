"""Downloads that leave the dashboard: audited, and labelled with role, period and time.

The file is generated only when the user clicks (Streamlit calls the data function then),
and the same call writes the audit row, so every export is recorded exactly when it happens.
"""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
import streamlit as st

import accounts
from dashboard import data
from dashboard.auth import ROLE_LABELS, User
from program.review import Review
from reports.review_pdf import build_pdf

BALTIMORE = ZoneInfo("America/New_York")


def labelled_csv(
    table: pd.DataFrame,
    *,
    role: str,
    what: str,
    period: str,
    suppressed: bool,
    generated_at: datetime,
) -> bytes:
    """CSV bytes preceded by ``#`` lines naming what, period, role, time and suppression."""
    header = [
        f"# LEAD Ops export: {what}",
        f"# Period: {period}",
        f"# Role: {ROLE_LABELS[role]}",
        f"# Generated: {generated_at:%Y-%m-%d %H:%M %Z}",
        "# Counts from 1 to 10 about people are shown as <11 (complementary suppression)."
        if suppressed
        else "# Not suppressed: person-level role. Do not redisclose.",
    ]
    body = io.StringIO()
    table.to_csv(body, index=False)
    return ("\n".join(header) + "\n" + body.getvalue()).encode()


def record_export(user: User, what: str, period: str, file_format: str) -> None:
    data.with_owner(
        lambda conn: accounts.audit(
            conn, user.username, user.role, "export", what, "ok", period=period, format=file_format
        )
    )


def csv_download(user: User, review: Review, title: str, table: pd.DataFrame) -> None:
    def generate() -> bytes:
        record_export(user, title, review.period.label, "csv")
        return labelled_csv(
            table,
            role=user.role,
            what=title,
            period=review.period.label,
            suppressed=review.suppressed,
            generated_at=datetime.now(BALTIMORE),
        )

    slug = title.lower().replace(" ", "-")
    st.download_button(
        f"CSV: {title}",
        data=generate,
        mime="text/csv",
        file_name=f"lead-ops-{slug}-{review.period.start:%Y-%m-%d}.csv",
        key=f"csv_{slug}",
        on_click="ignore",
    )


def pdf_download(user: User, review: Review) -> None:
    def generate() -> bytes:
        record_export(user, "Review PDF", review.period.label, "pdf")
        return build_pdf(review, datetime.now(BALTIMORE))

    st.download_button(
        "PDF for print (US Letter)",
        data=generate,
        mime="application/pdf",
        file_name=f"lead-ops-review-{review.period.start:%Y-%m-%d}.pdf",
        key="review_pdf",
        on_click="ignore",
        type="primary",
    )
