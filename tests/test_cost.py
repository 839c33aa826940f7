"""Cost avoided (issue 20): jail bookings and bed-days before vs after enrollment.

A hand-made scenario of participants and jail bookings read through the query as a case
manager; every expected figure is counted by hand in the comments. The window is set to
30 days (a dated setting) so the days can be counted on a calendar. Command and
leadership are refused the function: they read the releases (test_releases.py,
test_release_attack.py).
"""

from datetime import date, timedelta

import psycopg2
import pytest

import queries
from db.connect import connect
from tests.support.pages import open_page, screenshot
from tests.support.sql import dated_setting

AS_OF = date(2026, 6, 30)
# enrollment id, person, referred, intake
ENROLLMENTS = [
    ("e1", "p1", "2026-02-20", "2026-03-01"),  # before Jan 30..Feb 28, after Mar 1..Mar 30
    ("e2", "p2", "2026-04-01", "2026-04-10"),  # before Mar 11..Apr 9, after Apr 10..May 9
    ("e2b", "p2", "2026-05-15", "2026-05-20"),  # a second intake: p2's windows stay at Apr 10
    ("e3", "p3", "2026-06-10", "2026-06-15"),  # after-window ends Jul 14 > as-of: left out
    ("e4", "p4", "2026-04-25", "2026-05-01"),  # before Apr 1..Apr 30, after May 1..May 30
    ("e5", "p5", "2026-05-01", None),  # never took in: not a participant
    ("e6", "p6", "2026-05-20", "2026-05-25"),  # before Apr 25..May 24, after May 25..Jun 23
]
# booking id, person, booked_at, released_at (Baltimore time unless an offset says UTC)
BOOKINGS = [
    # Jan 25..Feb 2: Jan 30..Feb 2 in p1's before-window (4 bed-days), booked outside it
    ("b1", "p1", "2026-01-25T22:00-05:00", "2026-02-02T09:00-05:00"),
    # Feb 27..Mar 2: 2 bed-days before (Feb 27, 28), 2 after (Mar 1, 2); a booking before
    ("b2", "p1", "2026-02-27T20:00-05:00", "2026-03-02T10:00-05:00"),
    # Feb 27..28 again: a second booking before, its days already counted
    ("b3", "p1", "2026-02-27T12:00-05:00", "2026-02-28T08:00-05:00"),
    ("b4", "p2", "2026-05-05T01:00-04:00", "2026-05-05T18:00-04:00"),  # after: 1, 1 day
    ("b5", "p2", "2026-03-01T01:00-05:00", "2026-03-05T18:00-05:00"),  # before its window
    ("b6", "p3", "2026-06-01T01:00-04:00", "2026-06-02T18:00-04:00"),  # not followed up
    ("b7", "p5", "2026-06-01T01:00-04:00", "2026-06-02T18:00-04:00"),  # not a participant
    ("b8", "p6", "2026-06-20T15:00-04:00", None),  # still held: Jun 20..23 in the window
    # 02:30 UTC on May 1 is 22:30 on Apr 30 in Baltimore: before, 1 booking, 1 bed-day
    ("b9", "p4", "2026-05-01T02:30Z", "2026-05-01T03:00Z"),
]
SETTINGS = [
    ("cost_window_days", "2026-01-01", 30),
    ("cost_per_bed_day", "2026-03-01", 200),  # 163 (the default) before March
    ("cost_per_booking", "2026-01-01", 50),
]
COLUMNS = ("participants", "people_booked", "bookings", "bed_days", "cost")


def insert_scenario(conn) -> None:
    """The enrollments, bookings and dated settings above (not committed)."""
    with conn.cursor() as cur:
        for eid, person, referred, intake in ENROLLMENTS:
            cur.execute(
                "INSERT INTO enrollment (enrollment_id, person_key, door, referred_on,"
                " intake_on, row_hash) VALUES (%s, %s, 'community', %s, %s, 'h')",
                (eid, person, referred, intake),
            )
        cur.executemany(
            "INSERT INTO jail_booking (booking_id, person_key, booked_at, released_at)"
            " VALUES (%s, %s, %s, %s)",
            BOOKINGS,
        )
        cur.executemany(
            "INSERT INTO program_setting (key, effective_from, value) VALUES (%s, %s, %s)",
            SETTINGS,
        )


@pytest.fixture
def bookings(db):
    insert_scenario(db)
    with db.cursor() as cur:
        cur.execute("SET LOCAL ROLE lead_case_manager")
    return db


def figures(db, start=date(2020, 1, 1), end=AS_OF):
    frame = queries.fetch_df(db, "outcomes/cost", start=start, end=end, as_of=AS_OF)
    return {r.phase: r for r in frame.itertuples(index=False)}


def test_bookings_bed_days_and_cost_before_and_after_intake(bookings):
    got = figures(bookings)
    assert list(got) == ["before", "after"]
    table = {phase: tuple(getattr(row, c) for c in COLUMNS) for phase, row in got.items()}
    assert table == {
        # p1, p2, p4, p6; booked or held: p1, p4; bookings b2, b3, b9; days 4 + 2 + 1;
        # cost: p1's 6 days at 163 (before March), p4's Apr 30 at 200, 3 bookings at 50
        "before": (4, 2, 3, 7, 6 * 163 + 200 + 3 * 50),
        # held: p1 (Mar 1, 2), p2 (May 5), p6 (Jun 20..23); bookings b4, b8; 7 days at 200
        "after": (4, 3, 2, 7, 7 * 200 + 2 * 50),
    }
    # per participant (p1, p2, p4, p6): before days 6, 0, 1, 0 and bookings 2, 0, 1, 0;
    # after days 2, 1, 0, 4 and bookings 0, 1, 0, 1
    assert (got["before"].median_bed_days, got["before"].median_bookings) == (0.5, 0.5)
    assert (got["after"].median_bed_days, got["after"].median_bookings) == (1.5, 0.5)


def test_a_cohort_is_the_people_whose_first_intake_falls_in_it(bookings):
    got = figures(bookings, start=date(2026, 4, 1), end=date(2026, 12, 31))
    table = {phase: tuple(getattr(row, c) for c in COLUMNS[:4]) for phase, row in got.items()}
    # p2, p4, p6: before only p4 (b9, 1 day); after p2 (b4, 1 day) and p6 (b8, 4 days)
    assert table == {"before": (3, 1, 1, 1), "after": (3, 2, 2, 5)}


def test_the_window_is_the_setting_in_force_on_the_as_of_day(bookings):
    dated_setting(bookings, "cost_window_days", "2026-06-30", 60)
    got = figures(bookings)
    # 60 days: p1 (after-window Mar 1..Apr 29), p2 (Apr 10..Jun 8), p4 (May 1..Jun 29)
    assert (got["before"].participants, got["after"].participants) == (3, 3)
    # before: p1 Dec 31..Feb 28 holds b1 (Jan 25..Feb 2, 9 days), b2 and b3 (Feb 27, 28);
    # p2 Feb 9..Apr 9 holds b5 (Mar 1..5); p4 b9 (Apr 30)
    assert (got["before"].bookings, got["before"].bed_days) == (5, 9 + 2 + 5 + 1)
    # after: p1 Mar 1, 2 (no booking); p2 b4 (May 5)
    assert (got["after"].bookings, got["after"].bed_days) == (1, 3)


@pytest.mark.parametrize("role", ["lead_command", "lead_leadership"])
def test_command_and_leadership_are_refused_bookings_and_the_function(db, role):
    for statement in (
        "SELECT count(*) FROM jail_booking",
        "SELECT * FROM cost_avoided('2026-01-01', '2026-12-31', '2026-12-31')",
    ):
        with db.cursor() as cur:
            cur.execute("SAVEPOINT attempt")
            cur.execute(f"SET LOCAL ROLE {role}")
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute(statement)
            cur.execute("ROLLBACK TO SAVEPOINT attempt")


# --- the Review: its section and PDF on the hand-made pilot, committed ------------------


@pytest.fixture
def cost_pilot(database_url, monkeypatch):
    """The scenario above committed, with contacts on the pilot's first day and on the
    as-of date (the last contact); the dashboard's login pointed at it."""
    from tests.conftest import app_login, reset_data

    conn = connect(database_url)
    reset_data(conn)
    with conn.cursor() as cur:
        for cid, day in (("c0", "2026-01-05"), ("c1", AS_OF.isoformat())):
            cur.execute(
                "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
                " row_hash) VALUES (%s, %s::date + time '12:00',"
                " ST_SetSRID(ST_MakePoint(-76.62175, 39.29189), 4326), 'drug', 'arrest',"
                " 'arrested', 'h')",
                (cid, day),
            )
    insert_scenario(conn)
    conn.commit()
    conn.close()
    monkeypatch.setenv("DATABASE_URL", app_login(database_url))
    return database_url


# The Review of June 2026 as a case manager: the figures counted by hand above
REVIEW_COST = {
    "Before intake": ["4", "2", "3", "7", f"{6 * 163 + 200 + 3 * 50:,}", "0.5", "0.5"],
    "After intake": ["4", "3", "2", "7", f"{7 * 200 + 2 * 50:,}", "0.5", "1.5"],
}
UNIT_COSTS = (
    "Cost per jail bed-day (default: Maryland DOC FY2023): $200 (since 01 Mar 2026); "
    "Cost per jail booking (site to set: 0 is a placeholder): $50 (since 01 Jan 2026)"
)


def test_the_review_shows_cost_avoided_with_its_unit_costs_and_caveat(cost_pilot, tmp_path):
    from dashboard.review.data import load_review
    from program import review as rv
    from program.access import User
    from tests.support.pages import dashboard
    from tests.support.pdf import review_pdf_words

    at = dashboard({"username": "t-cm", "role": "case_manager"}, "review/page.py")
    at.session_state["review_kind"] = "Month"
    at.session_state["review_anchor"] = AS_OF
    at.run()
    assert not at.exception, at.exception
    table = next(f.value for f in at.dataframe if "Bed-days" in f.value.columns)
    rows = table.set_index(table.columns[0])
    columns = ["Participants", "People booked or held", "Bookings", "Bed-days", "Cost ($)"]
    columns += ["Median bookings per participant", "Median bed-days per participant"]
    for phase, expected in REVIEW_COST.items():
        assert list(rows.loc[phase, columns]) == expected
    change = rows.loc["Change (after − before)", ["Bookings", "Bed-days", "Cost ($)"]]
    assert list(change) == ["-1", "+0", f"{1500 - 1328:+,}"]
    captions = " ".join(c.value for c in at.caption)
    assert UNIT_COSTS in captions and "30 days before vs after" in captions
    assert "Descriptive, not causal" in captions and "by 30 Jun 2026" in captions

    user = User("t-cm", "case_manager")
    period = rv.month_of(AS_OF)
    review = load_review(user, "Month", period, AS_OF, ("drug",), "drug offences")
    words = review_pdf_words(review, tmp_path)
    assert "Cost avoided, by 30 Jun 2026" in words
    assert UNIT_COSTS in words and "regression to the mean" in words
    assert all(v in words for v in ("1,328", "1,500", "+172"))


# --- the demo: the page for each role and the releases -------------------------------


def independent(url: str, first: date, last: date) -> tuple[date, dict]:
    """(as-of, phase -> (participants, people booked or held, bookings, bed-days)) over the
    demo, counted in Python from the rows: sets of held days per person and window."""
    conn = psycopg2.connect(url, options="-c timezone=America/New_York")
    with conn.cursor() as cur:
        cur.execute("SELECT max(occurred_at)::date FROM contact")
        (as_of,) = cur.fetchone()
        cur.execute("SELECT person_key, intake_on FROM enrollment WHERE intake_on IS NOT NULL")
        intakes = {}
        for person, day in cur.fetchall():
            intakes[person] = min(day, intakes.get(person, day))
        cur.execute(
            "SELECT person_key, booked_at::date, coalesce(released_at::date, %s) FROM jail_booking",
            (as_of,),
        )
        stays = cur.fetchall()
    conn.close()
    window = timedelta(days=365)
    people = {p: d for p, d in intakes.items() if first <= d <= last and d + window <= as_of + ONE}
    out = {}
    for phase in ("before", "after"):
        booked, bookings, days = set(), 0, 0
        for person, intake in people.items():
            low = intake - window if phase == "before" else intake
            high = low + window - ONE
            held = set()
            for who, booked_on, released_on in stays:
                if who != person:
                    continue
                bookings += low <= booked_on <= high
                day = max(booked_on, low)
                while day <= min(released_on, high):
                    held.add(day)
                    day += ONE
                if low <= booked_on <= high or held:
                    booked.add(person)
            days += len(held)
        out[phase] = (len(people), len(booked), bookings, days)
    return as_of, out


ONE = timedelta(days=1)


def test_case_managers_see_exact_figures_equal_to_an_independent_count(app, demo_url):
    at = app("case_manager", "outcomes/page.py")
    at.run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "Bed-days" in f.value.columns)
    table = table.set_index(table.columns[0])
    _, expected = independent(demo_url, date(1900, 1, 1), date(2100, 1, 1))
    columns = ["Participants", "People booked or held", "Bookings", "Bed-days"]
    for phase, label in (("before", "Before intake"), ("after", "After intake")):
        assert [int(table.loc[label, c].replace(",", "")) for c in columns] == list(expected[phase])
    before, after = expected["before"][3], expected["after"][3]
    assert table.loc["Change (after − before)", "Bed-days"] == f"{after - before:+,}"
    assert expected["before"][0] > 100 and after < before  # the demo's story
    warnings = " ".join(w.value for w in at.warning)
    assert "regression to the mean" in warnings and "Descriptive, not causal" in warnings
    assert any(e.label == "How is this calculated?" for e in at.expander)
    method = " ".join(m.value for m in at.markdown)
    assert "365 days" in method and "$163" in method


@pytest.mark.parametrize("role", ["command", "leadership"])
def test_command_and_leadership_read_intake_year_cohorts_from_the_release(app, released, role):
    at = app(role, "outcomes/page.py")
    at.run()
    at.segmented_control(key="outcomes_release_kind").set_value("pilot").run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "Intake year" in f.value.columns)
    row = table.set_index("Intake year").loc["2024"]
    _, expected = independent(released, date(2024, 1, 1), date(2024, 12, 31))
    assert row["Participants"] == f"{expected['before'][0]:,}"
    for phase, label in (("before", "Before intake"), ("after", "After intake")):
        booked = row[f"{label}: people booked or held"]
        assert booked in ("<11", "suppressed") or int(booked) == expected[phase][1]
        days = row[f"{label}: bed-days"]
        if booked in ("<11", "suppressed"):
            assert days == "withheld"
        else:
            assert days == f"{expected[phase][3]:,}"
    assert "regression to the mean" in " ".join(w.value for w in at.warning)


def test_release_sums_are_shown_only_over_more_than_ten_people(released):
    conn = psycopg2.connect(released)
    with conn.cursor() as cur:
        cur.execute(
            "SELECT r.label, f.row_key, f.col_key, f.value, f.label FROM release_figure f"
            " JOIN release r USING (release_id) WHERE f.figure = 'cost'"
        )
        cells = {(r, y, c): (v, label) for r, y, c, v, label in cur.fetchall()}
        cur.execute(
            "SELECT r.label, s.row_key, s.col_key, s.value FROM release_statistic s"
            " JOIN release r USING (release_id) WHERE s.statistic = 'cost'"
        )
        stats = cur.fetchall()
        cur.execute("SELECT period_kind, count(*) FROM release GROUP BY 1")
        kinds = dict(cur.fetchall())
    conn.close()
    assert {y for _, y, _ in cells} >= {"2024"}
    # one cell wherever shown: every release shows a cohort the same
    by_cohort = {}
    for (_, year, col), seen in cells.items():
        assert by_cohort.setdefault((year, col), seen) == seen
    shown = 0
    for release, year, col, value in stats:
        if value is None:
            continue
        shown += 1
        phase = col.rsplit("_", 1)[1]
        group = "participants" if col.startswith("median") else f"booked_{phase}"
        count, _ = cells[release, year, group]
        assert count is not None and count > 10, (release, year, col)
    assert shown and kinds


@pytest.mark.browser
@pytest.mark.parametrize("role", ["case_manager", "command"])
def test_the_cost_tab_in_chromium(browser_page, released, role):
    open_page(browser_page, role, "Referral outcomes", 1000)
    browser_page.get_by_role("heading", name="LEAD Ops · Referral outcomes").wait_for()
    browser_page.get_by_role("tab", name="Cost avoided").click()
    browser_page.get_by_text("regression to the mean").first.wait_for(timeout=60_000)
    browser_page.get_by_text("How is this calculated?").last.click()  # the tab's own
    browser_page.get_by_text("Before and after.").first.wait_for()
    browser_page.get_by_test_id("stDataFrame").last.wait_for(timeout=60_000)  # the tab's table
    browser_page.wait_for_timeout(3000)
    caption = "first intakes followed up" if role == "case_manager" else "followed up in full"
    assert browser_page.get_by_text(caption).count() >= 1
    screenshot(browser_page, f"cost_{role}")
