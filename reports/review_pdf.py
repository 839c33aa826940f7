"""The review-meeting PDF (reportlab, US Letter): tiles, narrative, map, charts, tables.

It draws a :class:`program.review.Review`, the same object the Review page draws, so the
PDF's figures are the page's figures; suppression has already been applied for the role.
Every page's footer names the as-of date, the data sources, the role and the time.
"""

import io
from datetime import datetime
from pathlib import Path

import matplotlib
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Image,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from program import clock
from program.review import Review
from reports import charts
from reports.tables import plain


def _register_fonts() -> None:
    """DejaVu Sans (shipped with matplotlib): the base-14 PDF fonts lack →, ≥ and ≤."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("DejaVu", folder / "DejaVuSans.ttf"))
    pdfmetrics.registerFont(TTFont("DejaVu-Bold", folder / "DejaVuSans-Bold.ttf"))
    pdfmetrics.registerFontFamily("DejaVu", normal="DejaVu", bold="DejaVu-Bold")


_register_fonts()
SOURCES = (
    "BPD contacts (police records); BCRI enrollments and service referrals "
    "(treatment records, 42 CFR Part 2); LEAD training roster"
)
WIDTH = LETTER[0] - 1.5 * inch
STYLES = getSampleStyleSheet()
for _style in STYLES.byName.values():
    _style.fontName = "DejaVu-Bold" if _style.name.startswith(("Title", "Heading")) else "DejaVu"
REFERRALS = "Service referrals by outcome"
SMALL = ParagraphStyle("small", parent=STYLES["Normal"], fontSize=8, leading=10)


def build_pdf(review: Review, generated_at: datetime | None = None) -> bytes:
    generated_at = generated_at or clock.now()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=LETTER,
        leftMargin=0.75 * inch,
        rightMargin=0.75 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.8 * inch,
        title=f"LEAD Ops review {review.period.label}",
        author="LEAD Ops",
    )
    footer = _footer(review, generated_at)
    document.build(_story(review), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _story(review: Review) -> list:
    period = review.period.label
    story = [
        Paragraph(f"LEAD Ops · {review.kind} review · {period}", STYLES["Title"]),
        Paragraph(
            f"Data as of {review.as_of:%d %B %Y}. Compared with the previous period "
            f"({review.previous.label}) and a year earlier ({review.year_ago.label}).",
            STYLES["Normal"],
        ),
        Spacer(1, 8),
        _table(review.tables["Review figures"]),
        Spacer(1, 10),
        Paragraph("What changed", STYLES["Heading2"]),
        *[Paragraph("• " + sentence, STYLES["Normal"]) for sentence in review.narrative],
        Spacer(1, 8),
        Paragraph(
            "Counts: participants are people; contacts are police stops and arrests. "
            "Eligible contacts: drug or prostitution contacts inside the catchment. "
            "Capacity use: average daily active participants over average capacity. "
            + (
                review.release_note
                if review.suppressed
                else "Counts are not suppressed (person-level role)."
            ),
            SMALL,
        ),
        PageBreak(),
        _image(charts.catchment_map(review.areas, review.cells, period), 5.2),
        Paragraph(
            "Cells are 100 m squares; program boundaries drawn from the program's "
            "geography (post boundaries are approximations where so marked).",
            SMALL,
        ),
        _image(charts.census_chart(review.tables["Daily census"], period), 2.6),
        PageBreak(),
        _image(
            charts.weekly_contacts_chart(
                review.tables["Contacts per week"], period, review.offense_label
            ),
            2.6,
        ),
        _image(
            charts.coverage_chart(
                review.tables["Training coverage by sector"], f"{review.period.end:%d %b %Y}"
            ),
            2.2,
        ),
        Paragraph(
            f"Service referrals made {review.referral_period.label}, by outcome at its end",
            STYLES["Heading3"],
        ),
        _table(plain(REFERRALS, review.tables[REFERRALS])),
        Paragraph("Action items", STYLES["Heading3"]),
        Paragraph(
            "Raised at this review, and carried: raised at an earlier review and still open "
            "when this period began; as they stood when this PDF was made.",
            SMALL,
        ),
        _table(review.tables["Action items"]),
    ]
    for title in ("Referrals by door", "Service referrals by door"):
        story += [
            Paragraph(f"{title}, {review.referral_period.label}", STYLES["Heading3"]),
            _table(review.tables[title]),
        ]
    return story


def _image(png: bytes, height_in: float) -> Image:
    image = Image(io.BytesIO(png))
    scale = min(WIDTH / image.imageWidth, height_in * inch / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    return image


def _table(frame: pd.DataFrame) -> Table:
    rows = [[str(c) for c in frame.columns]] + [
        ["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)
    ]
    cell = ParagraphStyle("cell", parent=SMALL, fontSize=7.5, leading=9)
    table = Table(
        [[Paragraph(v, cell) for v in row] for row in rows],
        repeatRows=1,
        hAlign="LEFT",
        colWidths=[WIDTH / len(rows[0])] * len(rows[0]),
    )
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e4e7eb")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9aa5b1")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _footer(review: Review, generated_at: datetime):
    def draw(canvas, document):
        canvas.saveState()
        canvas.setFont("DejaVu", 6.5)
        canvas.setFillColor(colors.HexColor("#52606d"))
        lines = [
            f"As of {review.as_of:%d %b %Y} · Role: {review.role_label} · "
            f"Generated {generated_at:%d %b %Y %H:%M} (Baltimore time) · Page {document.page}",
            f"Data sources: {SOURCES}. "
            + ("Small counts suppressed." if review.suppressed else "Not suppressed."),
            "Confidential: contains information protected by 42 CFR Part 2 and CJIS policy; "
            "do not redisclose.",
        ]
        for index, line in enumerate(lines):
            canvas.drawString(0.75 * inch, 0.5 * inch - index * 9, line)
        canvas.restoreState()

    return draw
