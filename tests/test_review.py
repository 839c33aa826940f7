"""Review-meeting mode: periods, comparisons, targets, narrative, PDF and CSV exports."""

import itertools
import re
import subprocess
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from program import review as rv
from tests.conftest import app_login

# --- periods -----------------------------------------------------------------------


def test_a_month_review_compares_with_the_month_before_and_a_year_earlier():
    period = rv.month_of(date(2026, 3, 17))
    assert period == rv.Period(date(2026, 3, 1), date(2026, 3, 31))
    assert rv.previous(period, "Month") == rv.Period(date(2026, 2, 1), date(2026, 2, 28))
    assert rv.year_earlier(period) == rv.Period(date(2025, 3, 1), date(2025, 3, 31))


def test_a_quarter_review_compares_with_the_quarter_before():
    period = rv.quarter_of(date(2026, 1, 5))
    assert period == rv.Period(date(2026, 1, 1), date(2026, 3, 31))
    assert rv.previous(period, "Quarter") == rv.Period(date(2025, 10, 1), date(2025, 12, 31))


def test_a_custom_period_compares_with_the_same_length_just_before():
    period = rv.Period(date(2026, 5, 11), date(2026, 5, 20))
    assert rv.previous(period, "Custom") == rv.Period(date(2026, 5, 1), date(2026, 5, 10))


def test_a_year_earlier_than_29_february_is_28_february():
    assert rv.year_earlier(rv.Period(date(2028, 2, 29), date(2028, 2, 29))).start == date(
        2027, 2, 28
    )


def test_the_default_review_is_the_last_complete_month():
    assert rv.last_complete_month(date(2026, 12, 7)) == rv.month_of(date(2026, 11, 1))
    assert rv.last_complete_month(date(2026, 11, 30)) == rv.month_of(date(2026, 11, 1))
    assert rv.last_complete_month(date(2026, 3, 1)) == rv.month_of(date(2026, 2, 1))


def test_a_period_never_runs_past_the_as_of_date_and_is_then_labelled_partial():
    as_of = date(2026, 12, 7)
    december = rv.clipped(rv.month_of(as_of), as_of)
    assert december == rv.Period(date(2026, 12, 1), as_of, partial=True)
    assert december.label == "1–7 Dec 2026, partial" and december.days == 7
    quarter = rv.clipped(rv.quarter_of(as_of), as_of)
    assert (quarter.end, quarter.label) == (as_of, "01 Oct – 07 Dec 2026, partial")
    november = rv.month_of(date(2026, 11, 1))
    assert rv.clipped(november, as_of) == november and not november.partial


def test_a_partial_period_is_compared_like_for_like():
    december = rv.Period(date(2026, 12, 1), date(2026, 12, 7), partial=True)
    assert rv.previous(december, "Month") == rv.Period(
        date(2026, 11, 1), date(2026, 11, 7), partial=True
    )
    assert rv.year_earlier(december) == rv.Period(
        date(2025, 12, 1), date(2025, 12, 7), partial=True
    )
    quarter = rv.Period(date(2026, 10, 1), date(2026, 12, 7), partial=True)
    before = rv.previous(quarter, "Quarter")
    assert before == rv.Period(date(2026, 7, 1), date(2026, 9, 6), partial=True)
    assert before.days == quarter.days == 68
    # a partial March of 30 days against all 28 days of February: never longer
    march = rv.Period(date(2027, 3, 1), date(2027, 3, 30), partial=True)
    assert rv.previous(march, "Month") == rv.month_of(date(2027, 2, 1))


def test_the_sidebar_period_stops_at_the_as_of_date_with_a_note():
    from dashboard.filters import until_as_of

    as_of = date(2026, 12, 7)
    assert until_as_of(date(2026, 11, 1), date(2026, 11, 30), as_of) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "",
    )
    start, end, note = until_as_of(date(2026, 12, 1), date(2026, 12, 31), as_of)
    assert (start, end) == (date(2026, 12, 1), as_of) and "as-of" in note


# --- KPIs and narrative --------------------------------------------------------------

FIGURES = {
    "avg_active": 57.0,
    "avg_capacity": 60.0,
    "days_at_capacity": 12,
    "days": 31,
    "active_end": 57,
    "capacity_end": 60,
    "pending_end": 4,
    "overdue_end": 1,
    "contacts": 410,
    "diverted": 22,
    "eligible": 40,
    "eligible_diverted": 20,
    "active_officers": 200,
    "trained_officers": 131,
    "intakes": 9,
    "exits": 6,
    "median_days_to_intake": 8.0,
    "referrals": 30,
    "referrals_engaged": 15,
}
BEFORE = {**FIGURES, "active_end": 48, "diverted": 22, "trained_officers": 125}
TARGETS = {
    "target_capacity_use_pct": 90,
    "target_referral_to_intake_days": 7,
    "target_training_coverage_pct": 80,
    "target_referral_engagement_pct": 60,
    "target_eligible_diverted_pct": 50,
}


def test_kpis_are_computed_from_the_figures_and_judged_against_targets():
    kpis = {k.key: k for k in rv.kpis(FIGURES, BEFORE, FIGURES, TARGETS)}
    assert kpis["capacity_use"].value == pytest.approx(95.0)
    assert kpis["capacity_use"].meets_target is True
    assert kpis["days_to_intake"].value == 8.0
    assert kpis["days_to_intake"].meets_target is False  # lower is better, target 7
    assert kpis["capacity_use"].change == "±0 pts"
    assert kpis["training_coverage"].value == pytest.approx(65.5)
    assert kpis["referral_engagement"].value == pytest.approx(50.0)
    assert kpis["eligible_diverted"].value == pytest.approx(50.0)
    assert kpis["eligible_diverted"].meets_target is True


def test_a_kpi_without_a_denominator_has_no_value_and_no_verdict():
    empty = {**FIGURES, "referrals": 0, "referrals_engaged": 0}
    kpi = {k.key: k for k in rv.kpis(empty, empty, empty, TARGETS)}["referral_engagement"]
    assert kpi.value is None and kpi.meets_target is None and kpi.show(kpi.value) == "–"


def test_the_narrative_says_what_changed_in_plain_sentences_from_the_figures():
    kpis = rv.kpis(FIGURES, BEFORE, FIGURES, TARGETS)
    sentences = rv.narrative(FIGURES, BEFORE, kpis)
    assert sentences[0] == (
        "Active participants rose from 48 to 57 (+9); the program was at capacity on 12 of 31 days."
    )
    assert sentences[1] == "Diversions held at 22; 410 police contacts were recorded."
    assert sentences[2] == (
        "9 people started the program and 6 left it; 4 referrals were "
        "waiting for intake at the end of the period, 1 of them overdue."
    )
    assert sentences[3] == "LEAD-trained officers rose from 125 to 131 (+6)."
    assert sentences[4] == "Targets met: capacity use, eligible contacts diverted."
    assert sentences[5].startswith("Targets missed: days to intake (median)")


# --- CSV: what a spreadsheet reads ----------------------------------------------------------


def test_hidden_counts_become_empty_numbers_with_a_status_beside_them():
    from reports.tables import for_spreadsheet, plain

    shown = pd.DataFrame(
        {
            "service": ["Housing", "Drug treatment", "Total"],
            "engaged": ["<11", "14", "1,204"],
            "declined": ["suppressed", "<11", "31"],
            "pending": ["0", "2", "2"],
        }
    )
    sheet = for_spreadsheet(plain("Service referrals by outcome", shown))
    assert list(sheet.columns) == [
        "Service",
        "Engaged (referrals)",
        "Engaged (referrals) status",
        "Declined (referrals)",
        "Declined (referrals) status",
        "Pending (referrals)",
    ]
    assert sheet["Engaged (referrals)"].tolist() == [pd.NA, 14, 1204]
    assert sheet["Engaged (referrals) status"].tolist() == ["<11", "", ""]
    assert sheet["Declined (referrals) status"].tolist() == ["suppressed", "<11", ""]
    assert sheet["Pending (referrals)"].dtype == "Int64"  # no hidden cell: no status column
    assert sheet["Service"].tolist() == shown["service"].tolist()


def test_review_csvs_have_units_in_their_headers_and_numbers_in_their_cells():
    from reports.tables import PLAIN_NAMES, kpi_numbers

    for names in PLAIN_NAMES.values():
        counts = [n for n in names.values() if n not in ("Day", "Sector", "Service")]
        assert all(n.endswith(")") or n.endswith("officers") for n in counts), counts
    period = rv.Period(date(2026, 12, 1), date(2026, 12, 7), partial=True)
    kpis = rv.kpis(FIGURES, BEFORE, {**FIGURES, "referrals": 0}, TARGETS)
    review = SimpleNamespace(
        kpis=kpis, period=period, previous=rv.previous(period, "Month"),
        year_ago=rv.year_earlier(period),
    )  # fmt: skip
    table = kpi_numbers(review)
    assert table.columns[2] == "This period (1–7 Dec 2026, partial)"
    row = table.set_index("Figure").loc["Capacity use"]
    assert (row["Unit"], row.iloc[1], row["Target"], row["Target is"]) == (
        "%",
        95.0,
        90,
        "at least",
    )
    engagement = table.set_index("Figure").loc["Referral engagement"]
    assert pd.isna(engagement.iloc[3])  # a year earlier without referrals: empty, not "–"


def test_a_csv_file_is_named_after_its_table_and_period():
    from dashboard.audit import csv_file_name

    assert csv_file_name("Daily census", "1–7 Dec 2026, partial") == (
        "lead-ops-daily-census-1-7-dec-2026-partial.csv"
    )


# --- figures against the database ------------------------------------------------------


def test_review_figures_equal_a_hand_built_scenario(db):
    import queries

    with db.cursor() as cur:
        cur.execute("""
            INSERT INTO case_manager VALUES ('cm1', 'A. Case', 'BCRI', NULL, 'h');
            INSERT INTO enrollment (enrollment_id, person_key, referred_on, intake_on,
                                    exited_on, case_manager_id, row_hash) VALUES
              ('e1', 'p1', '2026-02-20', '2026-03-02', NULL, 'cm1', 'h'),
              ('e2', 'p2', '2026-03-01', '2026-03-11', '2026-03-20', 'cm1', 'h'),
              ('e3', 'p3', '2026-03-25', NULL, NULL, 'cm1', 'h');
            INSERT INTO service_referral VALUES
              ('r1', 'e1', 'housing', '2026-03-03', 'engaged', '2026-03-10', NULL, 'h'),
              ('r2', 'e1', 'drug_treatment', '2026-03-04', 'engaged', '2026-04-02', NULL, 'h'),
              ('r3', 'e2', 'mental_health', '2026-03-12', 'declined', '2026-03-13', NULL, 'h');
        """)
    row = queries.fetch_df(
        db, "review/figures", start=date(2026, 3, 1), end=date(2026, 3, 31)
    ).iloc[0]
    assert (row.intakes, row.exits, float(row.median_days_to_intake)) == (2, 1, 10.0)
    assert (row.referrals, row.referrals_engaged) == (3, 1)  # r2 engaged after the period
    assert (row.active_end, row.pending_end, row.days) == (1, 1, 31)
    assert row.days_at_capacity == 0 and row.avg_capacity == 60


# --- periods on a page: a month that is not over -----------------------------------------

AS_OF = date(2026, 12, 7)
CASE_MANAGER = {"username": "period.cm", "role": "case_manager"}


@pytest.fixture
def december(db, database_url, monkeypatch):
    """Data up to Monday 7 Dec 2026 (the as-of date). Capacity 1 and one participant
    since 1 Nov: at capacity every day. One referral of 15 Nov waits for intake: 22 days
    on 7 Dec (the intake window is 30 days: not overdue), 46 days on 31 Dec (overdue).
    Diversions: 3 in 1-7 Nov, 5 more later in November, 2 in 1-7 Dec."""
    diverted = ["2026-11-02", "2026-11-04", "2026-11-06"] + ["2026-11-20"] * 5
    diverted += ["2026-12-02", "2026-12-07"]
    with db.cursor() as cur:
        cur.execute(  # a dated row: the next test's reset removes it (not the default's)
            "INSERT INTO program_setting (key, effective_from, value)"
            " VALUES ('capacity', DATE '2025-01-01', 1)"
        )
        cur.execute("""
            INSERT INTO enrollment (enrollment_id, person_key, referred_on, intake_on,
                                    row_hash) VALUES
              ('in', 'p1', '2026-10-20', '2026-11-01', 'h'),
              ('waits', 'p2', '2026-11-15', NULL, 'h')
        """)
        for n, day in enumerate(["2026-01-05", *diverted]):
            cur.execute(
                "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, "
                "decision, row_hash) VALUES (%s, %s::date + time '12:00', "
                "ST_SetSRID(ST_MakePoint(-76.62175, 39.29189), 4326), 'drug', 'arrest', "
                "%s, 'h')",
                (f"c{n}", day, "arrested" if n == 0 else "diverted"),
            )
    db.commit()
    monkeypatch.setenv("DATABASE_URL", app_login(database_url))
    return db


def review_page(**state):
    from tests.support.pages import dashboard

    at = dashboard(CASE_MANAGER, "review/page.py")
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_review_opens_on_the_last_complete_month(december):
    at = review_page()
    assert [h.value for h in at.subheader][0] == "Month review · 01 Nov 2026 – 30 Nov 2026"
    changed = " ".join(m.value for m in at.markdown)
    assert "at capacity on 30 of 30 days" in changed


def test_a_month_not_over_is_partial_and_compared_like_for_like(december):
    at = review_page(review_anchor=AS_OF)
    assert [h.value for h in at.subheader][0] == "Month review · 1–7 Dec 2026, partial"
    assert any("not over" in c.value for c in at.caption)
    changed = " ".join(m.value for m in at.markdown)
    assert "at capacity on 7 of 7 days" in changed  # not "7 of 31"
    assert "Diversions fell from 3 to 2" in changed  # 1-7 Nov, not all of November (8)
    assert "overdue" not in changed  # the referral is overdue only after 7 Dec


def test_overdue_is_one_figure_on_overview_capacity_and_review(december):
    from dashboard.review.data import choose_period, load_review
    from program.access import User
    from tests.support.pages import dashboard

    def overdue_tile(page):
        at = dashboard(CASE_MANAGER, page)
        at.session_state["filter_preset"] = "This month"
        at.run()
        assert not at.exception, at.exception
        (value,) = [m.value for m in at.metric if m.label == "Overdue intakes"]
        return int(value)

    period = choose_period("Month", AS_OF, None, AS_OF)
    review = load_review(User("period.cm", "case_manager"), "Month", period, AS_OF, ("drug",), "")
    # independent: the referral waited 22 days on the as-of date, the window is 30
    assert overdue_tile("home/page.py") == overdue_tile("capacity/page.py") == 0
    assert review.figures["current"]["overdue_end"] == 0
    assert review.tables["Daily census"].day.max() == AS_OF  # the census stops on 7 Dec


# --- the page, its PDF and its exports on the demo data ---------------------------------


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_review_page_shows_each_kpi_against_its_target(app, released):
    at = app("leadership", "review/page.py")
    at.run()
    assert not at.exception
    values = metric_values(at)
    assert set(values) == {label for _k, label, *_ in rv.KPI_DEFINITIONS}
    references = " ".join(c.value for c in at.caption)
    assert references.count("Target") >= len(values)
    assert any(item.value.startswith("- Active participants") for item in at.markdown)


def test_quarter_and_presentation_mode(app, released):
    at = app("leadership", "review/page.py")
    at.run()
    at.segmented_control(key="review_release_kind").set_value("quarter").run()
    assert any("Quarter review" in h.value for h in at.subheader)
    at.toggle(key="review_presenting").set_value(True).run()
    assert not at.exception
    at.segmented_control(key="review_topic").set_value("What changed").run()
    assert not at.metric  # one topic per screen
    assert any(item.value.startswith("- Active participants") for item in at.markdown)


def load_demo_review(demo_url, monkeypatch, role, pilot=False):
    """The Review object the page draws, for the demo's last full month (or, ``pilot``,
    for a person-level role, the pilot to date): computed for person-level roles, the
    month's release for the others."""
    from dashboard import database, releases
    from dashboard.review.data import choose_period, load_release_review, load_review
    from program.access import User
    from tests.support.pages import DEMO_END

    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    offenses, label = ("drug", "prostitution"), "drug and prostitution offences"
    user = User(role, role)
    if not user.sees_person_level:
        month = [r for r in releases.stored(role) if r.kind == "month"]
        release = releases.snap(month, DEMO_END)
        return load_release_review(user, release, DEMO_END, offenses, label)
    if pilot:
        first = database.query(role, "session/data_span").iloc[0]["first_day"]
        period = choose_period("Custom", DEMO_END, (first, DEMO_END), DEMO_END)
        return load_review(user, "Custom", period, DEMO_END, offenses, label)
    period = choose_period("Month", DEMO_END, None, DEMO_END)
    return load_review(user, "Month", period, DEMO_END, offenses, label)


def test_the_pdf_prints_on_letter_pages_with_the_pages_figures(released, monkeypatch, tmp_path):
    from reports.review_pdf import build_pdf
    from tests.support.pages import ARTIFACTS

    review = load_demo_review(released, monkeypatch, "leadership")
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(build_pdf(review))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / "review-pdf")], check=True
    )
    pages = sorted(ARTIFACTS.glob("review-pdf-*.png"))
    assert len(pages) == 4  # the last one: the work group's action items
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.split())
    for kpi in review.kpis:
        assert " ".join(kpi.label.split()[:2]) in words and kpi.show(kpi.value) in words
    for sentence in review.narrative:
        assert sentence in words
    assert "Role: BHSB leadership" in text and "As of 31 Oct 2026" in text
    assert "Small counts suppressed" in text
    assert "Release: October 2026 (1 Oct – 31 Oct 2026)" in words


def page_fill(png) -> float:
    """How far down a rendered page's body its content reaches (0 at the top margin, 1 at
    the bottom margin); the footer below the bottom margin is not counted."""
    import numpy as np
    from PIL import Image

    image = np.asarray(Image.open(png).convert("L"))
    top, bottom = round(len(image) * 0.7 / 11), round(len(image) * (1 - 0.8 / 11))
    inked = np.nonzero((image[top:bottom] < 200).any(axis=1))[0]
    return (inked[-1] + 1) / (bottom - top) if len(inked) else 0.0


@pytest.mark.parametrize("which", ["month", "pilot"])
def test_the_pdf_flows_without_half_empty_pages_in_plain_words(
    released, monkeypatch, tmp_path, which
):
    """The demo's last complete month (leadership, its release) and the pilot to date
    (case manager): every page but the last is filled, every page carries text, tables
    go on across pages under their repeated header, no column name is a code."""
    from reports.review_pdf import build_pdf
    from tests.support.pages import ARTIFACTS

    if which == "month":
        review = load_demo_review(released, monkeypatch, "leadership")
    else:
        review = load_demo_review(released, monkeypatch, "case_manager", pilot=True)
    pdf = tmp_path / "review.pdf"
    pdf.write_bytes(build_pdf(review))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"review-flow-{which}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"review-flow-{which}")],
        check=True,
    )
    pages = sorted(ARTIFACTS.glob(f"review-flow-{which}-*.png"))
    assert 2 <= len(pages) <= 5
    fills = [page_fill(png) for png in pages]
    assert all(fill > 0.8 for fill in fills[:-1]), fills  # a gap of at most a fifth
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(pdf), "-"],
            capture_output=True, text=True, check=True,
        ).stdout
        for n in range(1, len(pages) + 1)
    ]  # fmt: skip
    for text in texts:  # more than the footer's three lines on every page (charts are images)
        assert len([line for line in text.splitlines() if line.strip()]) > 3, text
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    words = " ".join(raw.stdout.split())  # cells in reading order: wrapped headers joined
    assert not re.findall(r"\b[a-z]+_[a-z_]+\b", words)  # no snake_case column name
    for header in ("No-show (referrals)", "Pending (referrals)", "Referrals (people)"):
        assert header in words
    split = [n for n in range(1, len(texts)) if texts[n].lstrip().startswith(("Door", "Action"))]
    for n in split:  # a table continued at the top of a page starts with its header row
        assert re.match(r"\s*(Door|Action item)\s+\S", texts[n])


def test_date_axes_have_few_readable_labels_that_do_not_overlap():
    import matplotlib.pyplot as plt

    from reports import charts

    for days in (35, 92, 365, 1035):
        when = pd.date_range("2024-01-01", periods=days // 7, freq="W-MON")
        fig, ax = plt.subplots(figsize=(7.0, 2.6))
        ax.bar(when, range(len(when)), width=5)
        charts.date_axis(ax, pd.Series(when))
        fig.canvas.draw()
        labels = [t for t in ax.get_xticklabels() if t.get_text() and t.get_visible()]
        shown = [t for t in labels if when.min() - pd.Timedelta(days=8) <= pd.Timestamp(
            plt.matplotlib.dates.num2date(t.get_position()[0]).replace(tzinfo=None)
        ) <= when.max() + pd.Timedelta(days=8)]  # fmt: skip
        assert 2 <= len(shown) <= charts.MAX_DATE_TICKS, (days, [t.get_text() for t in labels])
        pattern = r"\d{1,2} [A-Z][a-z]{2}" if days <= 200 else r"[A-Z][a-z]{2} \d{4}"
        assert all(re.fullmatch(pattern, t.get_text()) for t in shown), [
            t.get_text() for t in shown
        ]
        boxes = sorted((t.get_window_extent() for t in shown), key=lambda b: b.x0)
        assert all(a.x1 < b.x0 for a, b in itertools.pairwise(boxes))  # no overlap
        plt.close(fig)


def test_the_pdf_figures_equal_the_page_figures(app, released, monkeypatch):
    review = load_demo_review(released, monkeypatch, "leadership")
    at = app("leadership", "review/page.py")
    at.run()  # the default release: the month of the sidebar period's end
    assert metric_values(at) == {k.label: k.show(k.value) for k in review.kpis}


def test_exports_respect_the_roles_suppression(released, monkeypatch):
    shown = load_demo_review(released, monkeypatch, "leadership")
    raw = load_demo_review(released, monkeypatch, "case_manager")
    suppressed = shown.tables["Service referrals by outcome"]
    full = raw.tables["Service referrals by outcome"]
    small = [
        (r, c)
        for r in full.index
        for c in full.columns[1:]
        if str(full.at[r, c]).replace(",", "").isdigit()
        and 1 <= int(str(full.at[r, c]).replace(",", "")) <= 10
    ]
    assert small, "the demo month should have small referral cells"
    for r, c in small:
        assert suppressed.at[r, c] in ("<11", "suppressed", "–")
    assert "contacts" not in shown.cells.columns  # density classes only


@pytest.mark.browser
def test_the_review_page_in_chromium_normal_and_presentation(browser_page):
    from tests.support.pages import nav_link, screenshot, sign_in

    sign_in(browser_page, "leadership")
    nav_link(browser_page, "Review").click()
    browser_page.get_by_text("What changed", exact=False).first.wait_for(timeout=60_000)
    browser_page.get_by_role("img").first.wait_for(timeout=60_000)
    assert browser_page.get_by_text("Capacity use").count() >= 1
    browser_page.get_by_role("button", name="PDF for print").wait_for(timeout=60_000)
    screenshot(browser_page, "review-normal")
    browser_page.get_by_text("Presentation mode").click()
    browser_page.locator(".st-key-review_topic").wait_for(timeout=30_000)
    # one topic per screen: the export section goes (stale elements linger briefly)
    browser_page.get_by_role("button", name="PDF for print").wait_for(state="detached")
    screenshot(browser_page, "review-presentation")


def test_release_roles_get_referral_outcomes_of_the_release_period(released, monkeypatch):
    shown = load_demo_review(released, monkeypatch, "leadership")
    raw = load_demo_review(released, monkeypatch, "case_manager")
    october = rv.Period(date(2026, 10, 1), date(2026, 10, 31))
    assert shown.referral_period == shown.period == october
    assert raw.referral_period == raw.period == october
    assert shown.release_note.startswith("Release: October 2026 (1 Oct – 31 Oct 2026)")


# --- projector, presentation and print in Chromium -----------------------------------------

CLIPPED = """() => {
  const width = document.documentElement.clientWidth, found = [];
  const main = document.querySelector('[data-testid="stMain"]');
  for (const el of main.querySelectorAll(
      '[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] *')) {
    if (el.scrollWidth > el.clientWidth + 1) found.push('tile text: ' + el.textContent);
  }
  const controls = ['stButtonGroup', 'stDateInput', 'stSelectbox', 'stCheckbox', 'stButton',
    'stDownloadButton', 'stNumberInput', 'stMultiSelect'].map(id => `[data-testid="${id}"]`);
  for (const el of main.querySelectorAll(controls.join(', '))) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;  // not drawn (hidden)
    if (box.left < 0 || box.right > width + 1 || el.scrollWidth > el.clientWidth + 1)
      found.push('control: ' + el.dataset.testid + ' ' + el.textContent.slice(0, 40));
    for (const part of el.querySelectorAll('button')) {  // an option drawn past its control
      if (part.getBoundingClientRect().right > box.right + 1)
        found.push('option past its control: ' + part.textContent.slice(0, 40));
    }
    for (const part of el.querySelectorAll('*')) {  // a label cut short with an ellipsis
      if (getComputedStyle(part).textOverflow === 'ellipsis'
          && part.scrollWidth > part.clientWidth + 1)
        found.push('control label: ' + part.textContent.slice(0, 40));
    }
  }
  return found;
}"""


def visible(page, test_id: str) -> bool:
    return any(el.is_visible() for el in page.get_by_test_id(test_id).all())


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1440, 900), (1024, 768)], ids=["laptop", "projector"])
def test_the_review_fits_a_projector_presents_and_prints(browser_page, size):
    from tests.support.pages import nav_link, screenshot, sign_in

    page, (width, height) = browser_page, size
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, "case_manager")
    nav_link(page, "Overview").click()
    page.get_by_text("Overdue intakes").first.wait_for(timeout=60_000)
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    assert page.evaluate(CLIPPED) == []
    screenshot(page, f"overview-{width}x{height}")

    nav_link(page, "Review").click()
    page.get_by_role("button", name="PDF for print").wait_for(timeout=60_000)
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    assert page.get_by_text("Month review · 01 Oct 2026 – 31 Oct 2026").count() == 1
    assert page.evaluate(CLIPPED) == []
    screenshot(page, f"review-{width}x{height}")

    page.emulate_media(media="print")
    assert not visible(page, "stSidebar") and not visible(page, "stDownloadButton")
    screenshot(page, f"review-print-{width}x{height}")
    page.emulate_media(media="screen")

    page.get_by_text("Presentation mode").click()
    page.get_by_role("button", name="PDF for print").wait_for(state="detached", timeout=60_000)
    page.locator(".st-key-review_topic").wait_for(timeout=30_000)
    assert not visible(page, "stSidebar")
    assert not page.locator(".st-key-review_kind").is_visible()  # controls hidden
    assert page.get_by_text("Presentation mode").is_visible()  # the way back stays
    assert page.evaluate(CLIPPED) == []
    screenshot(page, f"review-presentation-{width}x{height}")
    page.locator(".st-key-review_topic").get_by_text("Census", exact=True).click()
    page.get_by_test_id("stImage").first.wait_for(timeout=30_000)
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    screenshot(page, f"review-presentation-census-{width}x{height}")
    image = page.get_by_test_id("stImage").locator("img").first.bounding_box()
    main = page.get_by_test_id("stMain").bounding_box()
    # the chart as wide as the page allows, up to its drawn width (900 px and more)
    assert image["width"] >= min(0.8 * main["width"], 900)


# what a topic shows: tiles, an image, a plain table, a note instead of a figure
SHOWN = (
    '[data-testid="stMetric"], [data-testid="stImage"] img, [data-testid="stTable"], '
    '.stMainBlockContainer [data-testid="stAlert"]:not(.st-key-frame_banners *)'
)
FILLS = """() => {
  const main = document.querySelector('.stMainBlockContainer');
  const style = getComputedStyle(main);
  const inner = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const box = el => el.getBoundingClientRect();
  return {
    inner, viewport: [innerWidth, innerHeight],
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    images: [...main.querySelectorAll('[data-testid="stImage"] img')].map(el => {
      const b = box(el); return {width: b.width, height: b.height, right: b.right};
    }),
    tables: [...main.querySelectorAll('[data-testid="stTable"] table')].map(el => ({
      width: box(el).width, right: box(el).right,
      font: parseFloat(getComputedStyle(el.querySelector('td')).fontSize),
    })),
    grids: main.querySelectorAll('[data-testid="stDataFrame"]').length,
    first: Math.min(...[...main.querySelectorAll(SHOWN)].map(el => box(el).top)),
  };
}""".replace("SHOWN", repr(SHOWN))


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1440, 900), (1024, 768)], ids=["laptop", "projector"])
def test_presentation_fills_the_screen_topic_by_topic(browser_page, size):
    """Each topic opened from its address (?present=on&topic=...): the first figure starts
    within the top 200 pixels, charts as wide as the screen allows (or as tall), tables
    across the width in large type, nothing wider than the window."""
    from dashboard.review.controls import TOPICS
    from tests.support.pages import screenshot, sign_in

    page, (width, height) = browser_page, size
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(120_000)
    sign_in(page, "case_manager")
    for topic in TOPICS:
        page.goto(f"{page.base_url}/review?present=on&topic={topic.lower().replace(' ', '+')}")
        page.get_by_text("Presentation mode").first.wait_for()
        page.locator(".st-key-review_topic").wait_for()
        if topic in ("Map", "Census", "Contacts", "Training"):
            page.get_by_test_id("stImage").locator("img").first.wait_for()
        page.locator('[data-test-script-state="notRunning"]').wait_for()
        page.wait_for_timeout(500)
        name = f"review-present-{topic.lower().replace(' ', '-')}-{width}x{height}"
        screenshot(page, name)
        found = page.evaluate(FILLS)
        assert found["overflow"] <= 1, (topic, found)
        assert page.evaluate(CLIPPED) == [], topic  # every topic can be picked
        assert not page.get_by_role("button", name="PDF for print").count()
        if topic not in ("What changed", "Action items"):  # text first; figures below it
            # the first figure near the top: the banner one line, no title nor controls
            # (the referral and cost tables under their own title lines)
            limit = 240 if topic in ("Referrals", "Cost avoided") else 200
            assert found["first"] <= limit, (topic, found["first"])
        for image in found["images"]:
            assert image["right"] <= width, (topic, image)
            wide = image["width"] >= 0.9 * found["inner"]
            assert wide or image["height"] >= 0.7 * height, (topic, image, found["inner"])
        for table in found["tables"]:
            assert table["width"] >= 0.9 * found["inner"] and table["right"] <= width
            assert table["font"] >= 20, (topic, table)
        if topic in ("Referrals", "Action items"):
            assert found["tables"] and not found["grids"], (topic, found)
