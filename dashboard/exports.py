"""The Review page's downloads: its PDF and a CSV of every table, each audited.

The file is generated only when the user clicks (Streamlit calls the data function then),
and the same call writes the audit row, so every export is recorded when it happens.
CSVs go through ``dashboard.audit`` (labelled with role, period, time and suppression).
"""

from dashboard import audit
from program import clock
from program.access import User
from program.review import Review
from reports.review_pdf import build_pdf
from reports.tables import review_csv_tables


def csv_downloads(user: User, review: Review) -> None:
    """A CSV of every Review table as a spreadsheet reads it (``reports.tables``)."""
    for title, table in review_csv_tables(review).items():
        audit.csv_download(
            user,
            table,
            what=title,
            period=review.period.label,
            key=f"csv_{title.lower().replace(' ', '-')}",
            note=review.release_note or None,
        )


def pdf_download(user: User, review: Review) -> None:
    audit.file_download(
        user,
        lambda: build_pdf(review, clock.now()),
        what="Review PDF",
        period=review.period.label,
        label="PDF for print (US Letter)",
        file_name=f"lead-ops-review-{review.period.start:%Y-%m-%d}.pdf",
        key="review_pdf",
        type="primary",
    )
