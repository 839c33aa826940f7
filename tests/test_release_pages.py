"""Pages for police command and BHSB leadership read releases (issue 15): the picker
lists the stored releases, every protected figure a page shows is the stored label or
value, no page run asks for a windowed treatment figure, and the Review's PDF and CSV
say '<11' and 'suppressed' as the page does.

Expected values are read straight from ``release_figure`` / ``release_statistic`` with
plain SQL as the schema owner, independently of the dashboard's release layer."""

import io

import pandas as pd
import psycopg2
import pytest

import queries
from dashboard import doors
from program.cost import PHASES

RELEASE_ROLES = ("command", "leadership")
KIND_ORDER = ("month", "quarter", "year", "pilot")
# Query files that compute figures about participants or service records over an
# arbitrary window: release roles must never run them (they lack EXECUTE on them).
WINDOWED_TREATMENT = {
    "outcomes/referrals",
    "outcomes/engagement_bins",
    "outcomes/engagement_quantiles",
    "outcomes/cohorts",
    "outcomes/recontact",
    "outcomes/equity_engagement",
    "capacity/census",
    "capacity/weekly_flow",
    "capacity/caseloads",
    "capacity/window",
    "capacity/intake_delays",
    "capacity/pending_ages",
    "home/census_on",
    "review/figures",
    "review/census_daily",
    "review/referral_outcomes",
}


@pytest.fixture
def sql(released):
    conn = psycopg2.connect(released)

    def rows(statement: str, *params) -> list[tuple]:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            return cur.fetchall()

    yield rows
    conn.close()


@pytest.fixture
def page(app, released, monkeypatch):
    """Run a page as a role, recording the name of every query it runs."""
    ran: list[str] = []
    fetch = queries.fetch_df

    def recording(conn, name, **params):
        ran.append(name)
        return fetch(conn, name, **params)

    monkeypatch.setattr(queries, "fetch_df", recording)

    def make(role: str, path: str):
        at = app(role, path)
        at.run()
        assert not at.exception, at.exception
        at.ran = ran
        return at

    return make


def release_of(sql, at, key: str) -> tuple:
    """(release_id, label) of the release a page's picker shows."""
    kind = at.segmented_control(key=f"{key}_kind").value
    release_id = at.selectbox(key=f"{key}_{kind}").value
    return release_id, sql("SELECT label FROM release WHERE release_id = %s", release_id)[0][0]


def with_published(sql, at, key: str, figure: str) -> tuple:
    """Switch the page's picker to the latest release it offers that publishes ``figure``
    (which periods publish a table depends on the demo's counts); its (release_id, label)."""
    kind, release_id = sql(
        "SELECT r.period_kind, r.release_id FROM release r WHERE EXISTS (SELECT 1"
        " FROM release_figure f WHERE f.release_id = r.release_id AND f.figure = %s)"
        " ORDER BY r.last_day DESC, r.first_day DESC LIMIT 1",
        figure,
    )[0]
    at.segmented_control(key=f"{key}_kind").set_value(kind).run()
    at.selectbox(key=f"{key}_{kind}").set_value(release_id).run()
    assert not at.exception
    return release_of(sql, at, key)


# the column that tells a page's table of each stored figure
TABLE_COLUMN = {"referrals": "Pending", "caseloads": "Case manager"}


def released_table(page, sql, role: str, feature: str, figure: str) -> tuple:
    """Run ``feature``'s page as ``role``: the page, the release its picker shows, the
    stored labels of ``figure`` in it and the page's table of that figure."""
    at = page(role, f"{feature}/page.py")
    release_id, _ = with_published(sql, at, f"{feature}_release", figure)
    stored = stored_labels(sql, release_id, figure)
    table = next(f.value for f in at.dataframe if TABLE_COLUMN[figure] in f.value.columns)
    return at, release_id, stored, table


def stored_labels(sql, release_id: int, figure: str) -> dict:
    return {
        (r, c): label
        for r, c, label in sql(
            "SELECT row_key, col_key, label FROM release_figure"
            " WHERE release_id = %s AND figure = %s",
            release_id,
            figure,
        )
    }


@pytest.mark.parametrize("path", ["outcomes/page.py", "capacity/page.py", "review/page.py"])
def test_the_picker_lists_exactly_the_stored_releases(page, sql, path):
    key = {"outcomes": "outcomes_release", "capacity": "capacity_release"}.get(
        path.split("/")[0], "review_release"
    )
    at = page("leadership", path)
    stored = [k for (k,) in sql("SELECT DISTINCT period_kind FROM release")]
    kinds = [k for k in KIND_ORDER if k in stored and (k != "pilot" or path != "review/page.py")]
    labels = {"month": "Month", "quarter": "Quarter", "year": "Year", "pilot": "Pilot to date"}
    assert at.segmented_control(key=f"{key}_kind").options == [labels[k] for k in kinds]
    for kind in kinds:
        at.segmented_control(key=f"{key}_kind").set_value(kind).run()
        box = at.selectbox(key=f"{key}_{kind}")
        expected = sql(
            "SELECT label FROM release WHERE period_kind = %s ORDER BY first_day DESC, last_day"
            " DESC",
            kind,
        )
        assert [o.split(" (")[0] for o in box.options] == [label for (label,) in expected]


def test_the_default_release_is_the_month_of_the_sidebar_periods_end(page, sql):
    at = page("command", "outcomes/page.py")
    as_of = sql("SELECT max(occurred_at)::date FROM contact")[0][0]
    release_id, label = release_of(sql, at, "outcomes_release")
    first, last, kind = sql(
        "SELECT first_day, last_day, period_kind FROM release WHERE release_id = %s", release_id
    )[0]
    assert (
        kind == "month"
        and first <= as_of <= last
        or last
        == max(d for (d,) in sql("SELECT last_day FROM release WHERE period_kind = 'month'"))
    )
    captions = " ".join(c.value for c in at.caption)
    assert f"Release: **{label} (" in captions
    assert "counts 1–10 show as <11, others hidden to protect them show as 'suppressed'" in captions


@pytest.mark.parametrize("role", RELEASE_ROLES)
def test_outcome_tables_are_the_stored_labels(page, sql, role):
    _at, _release_id, stored, table = released_table(page, sql, role, "outcomes", "referrals")
    names = {"Drug treatment": "drug_treatment", "Mental health": "mental_health"}
    names |= {"Housing": "housing", "Other": "other", "Total": "Total"}
    outcomes = {"Pending": "pending", "Engaged": "engaged", "Completed": "completed"}
    outcomes |= {"Declined": "declined", "No-show": "no_show", "Total": "Total"}
    shown = {
        (names[row["Service"]], outcomes[c]): row[c]
        for row in table.to_dict("records")
        for c in outcomes
    }
    assert shown == stored
    assert set(stored.values()) & {"<11", "suppressed"}, "the demo month has hidden cells"


@pytest.mark.parametrize("role", RELEASE_ROLES)
def test_capacity_caseloads_and_medians_are_the_stored_ones(page, sql, role):
    at, release_id, stored, table = released_table(page, sql, role, "capacity", "caseloads")
    shown = dict(zip(table["Case manager"], table["Active participants"], strict=True))
    assert shown == {r: label for (r, c), label in stored.items() if r != "Total" and c == "active"}
    wind = dict(zip(table["Case manager"], table["In the wind"], strict=True))
    assert wind == {r: stored.get((r, "in_the_wind"), "–") for r in shown}
    assert not any(name.startswith("demo-") for name in shown)  # numbered, never named
    medians = dict(
        sql(
            "SELECT statistic, label FROM release_statistic WHERE release_id = %s"
            " AND statistic IN ('median_stay', 'median_wait')",
            release_id,
        )
    )
    values = {m.label: m.value for m in at.metric}
    for label, name in (
        ("Median length of stay", "median_stay"),
        ("Median days referral → intake", "median_wait"),
    ):
        expected = medians[name]
        assert values[label] in (expected, f"{expected} days")


@pytest.mark.parametrize(
    "path", ["home/page.py", "outcomes/page.py", "capacity/page.py", "review/page.py"]
)
@pytest.mark.parametrize("role", RELEASE_ROLES)
def test_no_release_page_runs_a_windowed_treatment_query(page, role, path):
    at = page(role, path)
    assert set(at.ran) & WINDOWED_TREATMENT == set()
    assert any(name.startswith("releases_read/") for name in at.ran)


def test_the_review_pdf_and_csv_say_less_than_11_and_suppressed(page, sql, released, tmp_path):
    from dashboard.audit import export_csv
    from dashboard.review.data import load_release_review
    from program.access import User
    from reports.tables import review_csv_tables
    from tests.support.pdf import review_pdf_words

    at = page("leadership", "review/page.py")
    release_id, label = release_of(sql, at, "review_release")
    from dashboard import releases

    user = User("leadership", "leadership")
    release = next(r for r in releases.stored("leadership") if r.release_id == release_id)
    review = load_release_review(user, release, release.data_as_of, ("drug",), "drug offences")
    # The demo's months publish no referral table (too few referrals to protect); their
    # referrals by door carry both labels.
    table = review.tables["Referrals by door"]
    stored = stored_labels(sql, release_id, "doors")
    hidden = {v for v in stored.values() if v in ("<11", "suppressed")}
    assert hidden == {"<11", "suppressed"}, "the demo month hides door counts"
    assert hidden <= set(table.to_numpy().ravel().astype(str))

    spreadsheet = review_csv_tables(review)["Referrals by door"]
    body = export_csv(spreadsheet, user=user, period=label, note=review.release_note).decode()
    assert f"Release: {label} (" in body
    assert all(v in body for v in hidden)
    read = pd.read_csv(io.StringIO(body))  # a spreadsheet: counts are numbers
    counts = [c for c in read.columns if f"{c} status" in read.columns]
    assert counts
    for column in counts:
        assert pd.api.types.is_numeric_dtype(read[column])
        status = read[f"{column} status"].fillna("")
        assert (read[column].isna() == (status != "")).all()  # empty exactly where hidden

    words = review_pdf_words(review, tmp_path)
    assert all(v in words for v in hidden)
    assert f"Release: {label} (" in words
    assert "others hidden to protect them show as 'suppressed'" in words


@pytest.mark.browser
def test_outcomes_page_as_leadership_in_chromium(browser_page, released):
    from tests.support.pages import open_page, screenshot

    open_page(browser_page, "leadership", "Referral outcomes", height=2400)
    browser_page.get_by_text("Release:", exact=False).first.wait_for(timeout=60_000)
    # The demo's months publish no referral tables; the pilot to date does, with the cells
    # it had before service referrals by door joined the releases (the secondary figure
    # never costs it a cell): its chart draws.
    browser_page.get_by_text("Pilot to date", exact=True).first.click()
    browser_page.get_by_text("Release: Pilot to date", exact=False).first.wait_for(timeout=60_000)
    browser_page.locator("[data-testid='stVegaLiteChart'] .marks").first.wait_for(timeout=60_000)
    browser_page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=60_000)
    browser_page.wait_for_timeout(2000)
    assert browser_page.get_by_text("suppressed", exact=False).count() >= 1
    screenshot(browser_page, "outcomes-release-leadership")


@pytest.mark.parametrize(
    ("label", "note", "columns"),
    [
        ("March 2026", doors.COLLAPSED, ["Door", "Total (referrals)"]),
        ("September 2026", doors.WITHDRAWN, None),
    ],
)
def test_service_referrals_by_door_say_why_they_are_collapsed_or_withdrawn(
    page, sql, label, note, columns
):
    """On the demo, March 2026's door table could not be protected by outcome beside the
    referral table's pattern (door totals only), September 2026's not even so."""
    at = page("leadership", "outcomes/page.py")
    release_id = sql("SELECT release_id FROM release WHERE label = %s", label)[0][0]
    at.segmented_control(key="outcomes_release_kind").set_value("month").run()
    at.selectbox(key="outcomes_release_month").set_value(release_id).run()
    assert not at.exception
    assert note in [i.value for i in at.info]
    by_door = [list(f.value.columns) for f in at.dataframe if "Door" in f.value.columns]
    # the door table by outcome, or its totals only (plain names, as on the Review)
    outcome_tables = [
        c for c in by_door if c == ["Door", "Total (referrals)"] or "Pending (referrals)" in c
    ]
    assert outcome_tables == ([columns] if columns else []), by_door


def test_the_review_shows_cost_avoided_from_the_release(app, sql, released, tmp_path):
    """Leadership's Review of October 2026: the cost cohorts' counts
    are the stored labels (2023's hidden, 2024's shown), a sum beside a hidden count is
    withheld, and the PDF prints the table with the unit costs and the caveat."""
    from dashboard import releases
    from dashboard.review.data import load_release_review
    from program.access import User
    from tests.support.pdf import review_pdf_words

    user = User("leadership", "leadership")
    release = next(
        r
        for r in releases.stored("leadership")
        if r.kind == "month" and r.last_day.isoformat() == "2026-10-31"
    )
    review = load_release_review(user, release, release.data_as_of, ("drug",), "drug offences")
    table = review.tables["Cost avoided"].set_index("Intake year")
    columns = {"participants": "Participants"}
    columns |= {f"booked_{p}": f"{label}: people booked or held" for p, label in PHASES.items()}
    stored = stored_labels(sql, release.release_id, "cost")
    assert {(y, columns[c]): label for (y, c), label in stored.items()} == {
        (y, c): table.loc[y, c] for y in table.index for c in columns.values()
    }
    assert table.loc["2023", "After intake: people booked or held"] == "<11"
    assert table.loc["2023", "After intake: bed-days"] == "withheld"
    assert table.loc["2024", "Participants"] == "106"
    words = review_pdf_words(review, tmp_path)
    assert "Cost avoided, by 31 Oct 2026" in words and "Descriptive, not causal" in words
    assert "Cost per jail bed-day (default: Maryland DOC FY2023): $163 (since the start)" in words
    assert "withheld" in words and "106" in words
