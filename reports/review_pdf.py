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
    CondPageBreak,
    Image,
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
    """One flowing column: charts shrink a little to finish a page, a heading never ends
    one, and tables split between pages with their header row repeated."""
    period = review.period.label
    story = [
        Paragraph(f"LEAD Ops · {review.kind} review · {period}", STYLES["Title"]),
        Paragraph(
            f"Data as of {review.as_of:%d %B %Y}. Compared with the previous period "
            f"({review.previous.label}) and a year earlier ({review.year_ago.label}).",
            STYLES["Normal"],
        ),
        Spacer(1, 8),
        _table(plain("Review figures", review.tables["Review figures"])),
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
        _FitImage(charts.census_chart(review.tables["Daily census"], period), 2.4),
        _FitImage(
            charts.weekly_contacts_chart(
                review.tables["Contacts per week"], period, review.offense_label
            ),
            2.4,
        ),
        _FitImage(charts.catchment_map(review.areas, review.cells, period), 5.2),
        Paragraph(
            "Cells are 100 m squares; program boundaries drawn from the program's "
            "geography (post boundaries are approximations where so marked).",
            SMALL,
        ),
        _FitImage(
            charts.coverage_chart(
                review.tables["Training coverage by sector"], f"{review.period.end:%d %b %Y}"
            ),
            2.2,
        ),
        *_titled_table(
            f"Service referrals made {review.referral_period.label}, by outcome at its end",
            plain(REFERRALS, review.tables[REFERRALS]),
        ),
        *_titled_table(
            "Action items",
            review.tables["Action items"],
            "Raised at this review, and carried: raised at an earlier review and still open "
            "when this period began; as they stood when this PDF was made.",
        ),
    ]
    for title in ("Referrals by door", "Service referrals by door"):
        story += _titled_table(
            f"{title}, {review.referral_period.label}", plain(title, review.tables[title])
        )
    story += _titled_table(
        f"Cost avoided, by {review.period.end:%d %b %Y}",
        _by_cohort(review.tables["Cost avoided"]),
        review.cost_note,
    )
    return story


def _by_cohort(cost: pd.DataFrame) -> pd.DataFrame:
    """A release's cost table (a row per intake year, a dozen columns) turned to a column
    per intake year, so that it fits the page's width; the exact table as it is."""
    if "Intake year" not in cost.columns:
        return cost
    return cost.set_index("Intake year").T.rename_axis("Figure").reset_index()


class _FitImage(Image):
    """A chart at most ``height_in`` tall and the text's width that, rather than leave a
    gap at a page's foot, shrinks to the space left when that is at least ``SHRINK`` of
    its height (it moves to the next page otherwise)."""

    SHRINK = 0.75

    def __init__(self, png: bytes, height_in: float):
        super().__init__(io.BytesIO(png))
        scale = min(WIDTH / self.imageWidth, height_in * inch / self.imageHeight)
        self.full = (self.imageWidth * scale, self.imageHeight * scale)
        self.drawWidth, self.drawHeight = self.full

    def wrap(self, avail_width, avail_height):
        fits = self.SHRINK * self.full[1] <= avail_height < self.full[1]
        scale = avail_height / self.full[1] if fits else 1.0
        self.drawWidth, self.drawHeight = self.full[0] * scale, self.full[1] * scale
        return super().wrap(avail_width, avail_height)


def _titled_table(title: str, frame: pd.DataFrame, note: str | None = None) -> list:
    """A heading (and note) kept on the page of the table's first rows: a new page first
    only when less than about three rows' room is left; the table itself splits."""
    head = [Paragraph(title, STYLES["Heading3"])]
    if note:
        head.append(Paragraph(note, SMALL))
    return [CondPageBreak(1.1 * inch), *head, _table(frame)]


CELL_FONT, CELL_SIZE, CELL_PAD = "DejaVu", 7.5, 12  # pad: both sides' padding, points


def _column_widths(rows: list[list[str]]) -> list[float]:
    """Each column at least as wide as its longest word (no word broken mid-way), the rest
    of the width shared in proportion to how much wider each column's text would like to
    be, so a wordy column such as an action item's title is not squeezed."""

    def width(text: str) -> float:
        return pdfmetrics.stringWidth(text, CELL_FONT, CELL_SIZE) + CELL_PAD

    columns = list(zip(*rows, strict=True))
    least = [max(width(w) for v in c for w in (v.split() or [""])) for c in columns]
    wanted = [max(width(v) for v in c) for c in columns]
    spare = WIDTH - sum(least)
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    if spare <= 0 or not sum(extra):
        return [WIDTH * m / sum(least) for m in least]
    share = min(1.0, spare / sum(extra))
    widths = [m + e * share for m, e in zip(least, extra, strict=True)]
    return [w * WIDTH / sum(widths) for w in widths]


def _table(frame: pd.DataFrame) -> Table:
    rows = [[str(c) for c in frame.columns]] + [
        ["" if pd.isna(v) else str(v) for v in row] for row in frame.itertuples(index=False)
    ]
    cell = ParagraphStyle("cell", parent=SMALL, fontName=CELL_FONT, fontSize=CELL_SIZE, leading=9)
    table = Table(
        [[Paragraph(v, cell) for v in row] for row in rows],
        repeatRows=1,
        hAlign="LEFT",
        colWidths=_column_widths(rows),
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
