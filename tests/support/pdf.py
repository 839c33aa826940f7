"""The review PDF as text, for tests that look for what it prints."""

import subprocess
from pathlib import Path

from reports.review_pdf import build_pdf


def review_pdf_words(review, folder: Path) -> str:
    """Build ``review``'s PDF in ``folder`` (review.pdf) and return its text with runs of
    white space as single spaces."""
    pdf = folder / "review.pdf"
    pdf.write_bytes(build_pdf(review))
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())
