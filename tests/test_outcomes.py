"""Referral outcomes: exact figures on a hand-built scenario, aggregates only for command
and leadership, small cells hidden so that nothing can be subtracted back, on the page
itself for every role, and in Chromium."""

from datetime import date

import pandas as pd
import psycopg2
import pytest
import streamlit as st
from psycopg2 import sql
from streamlit.testing.v1 import AppTest

import queries
from dashboard import access
from dashboard.outcomes import data as oc
from program import equity as eq
from program import outcomes as rules
from program.access import DB_ROLES, User
from program.stats import wilson
from tests.conftest import app_login
from tests.support.pages import nav_link, screenshot, sign_in
from tests.test_privacy import assert_nothing_recoverable

CATCHMENT = "POLYGON((-76.63 39.28, -76.61 39.28, -76.61 39.30, -76.63 39.30, -76.63 39.28))"
INSIDE = "POINT(-76.62 39.29)"
OUTSIDE = "POINT(-76.60 39.31)"

# (contact, local time, offence, where, decision, person, race, sex, age)
CONTACTS = [
    ("c01", "2025-12-30 10:00", "drug", INSIDE, "diverted", "p1", "Black", "M", 30),
    ("c02", "2026-01-08 11:00", "drug", INSIDE, "diverted", "p2", "White", "F", 44),
    ("c03", "2026-01-25 12:00", "drug", INSIDE, "declined", "p3", "Black", "F", 19),
    ("c04", "2026-01-30 12:00", "drug", INSIDE, "diverted", "p3", "Black", "F", 19),
    ("c05", "2026-02-03 10:00", "drug", INSIDE, "arrested", "p3", "Black", "F", 19),  # intake day
    ("c06", "2026-03-01 09:00", "other", INSIDE, "arrested", "p1", "Black", "M", 30),
    ("c07", "2026-03-10 09:00", "prostitution", INSIDE, "declined", "p5", "Black", "F", 52),
    ("c08", "2026-03-10 18:00", "drug", INSIDE, "released", "p5", "Black", "F", 52),  # same day
    ("c09", "2026-03-15 23:30", "drug", INSIDE, "declined", "p6", "Hispanic", "M", 60),
    ("c10", "2026-04-01 10:00", "drug", OUTSIDE, "arrested", "p7", "White", "M", 35),
    ("c11", "2026-09-01 10:00", "drug", OUTSIDE, "arrested", "p2", None, None, None),
    ("c12", "2026-09-15 23:30", "drug", OUTSIDE, "arrested", "p6", "Hispanic", "M", 60),
]
# (enrollment, person, contact, referred, intake, exited)
ENROLLMENTS = [
    ("e1", "p1", "c01", "2026-01-02", "2026-01-05", None),
    ("e2", "p2", "c02", "2026-01-10", "2026-01-20", "2026-03-01"),
    ("e3", "p2", None, "2026-03-20", "2026-04-01", None),  # p2 returns (social contact)
    ("e4", "p3", "c04", "2026-02-01", "2026-02-03", "2026-02-28"),
    ("e5", "p4", None, "2026-05-01", None, None),  # still waiting for intake
]
# (referral, enrollment, service, referred, outcome, outcome day)
REFERRALS = [
    ("r01", "e1", "drug_treatment", "2026-01-06", "engaged", "2026-01-16"),  # 10 days
    ("r02", "e1", "housing", "2026-01-06", "completed", "2026-03-01"),
    ("r03", "e2", "drug_treatment", "2026-01-21", "engaged", "2026-02-20"),  # 30 days
    ("r04", "e2", "mental_health", "2026-02-01", "declined", "2026-02-10"),
    ("r05", "e4", "drug_treatment", "2026-02-05", "no_show", "2026-02-20"),
    ("r06", "e3", "drug_treatment", "2026-04-02", "engaged", "2026-07-15"),  # after the window
    ("r07", "e3", "mental_health", "2026-04-03", "pending", None),
    ("r08", "e3", "housing", "2026-07-02", "pending", None),  # referred after the window
    ("r09", "e1", "drug_treatment", "2025-12-20", "engaged", "2026-01-05"),  # before it
    ("r10", "e4", "drug_treatment", "2026-02-06", "engaged", "2026-04-07"),  # 60 days
]
FIRST, LAST = date(2026, 1, 1), date(2026, 6, 30)


@pytest.fixture
def scenario(db):
    with db.cursor() as cur:
        cur.execute(
            "INSERT INTO program_area (kind, name, source, geom, row_hash) VALUES"
            " ('catchment', 'LEAD', 'test', ST_Multi(ST_GeomFromText(%s, 4326)), 'h')",
            (CATCHMENT,),
        )
        for c in CONTACTS:
            cur.execute(
                "INSERT INTO contact (contact_id, occurred_at, offense, geom, pathway, decision,"
                " person_key, race, sex, age, row_hash) VALUES (%s,"
                " %s::timestamp AT TIME ZONE 'America/New_York', %s,"
                " ST_GeomFromText(%s, 4326), 'arrest', %s, %s, %s, %s, %s, 'h')",
                c,
            )
        for e in ENROLLMENTS:
            cur.execute(
                "INSERT INTO enrollment (enrollment_id, person_key, contact_id, referred_on,"
                " intake_on, exited_on, row_hash) VALUES (%s, %s, %s, %s, %s, %s, 'h')",
                e,
            )
        for r in REFERRALS:
            cur.execute(
                "INSERT INTO service_referral (referral_id, enrollment_id, service,"
                " referred_on, outcome, outcome_on, row_hash) VALUES (%s, %s, %s, %s, %s, %s,"
                " 'h')",
                r,
            )
    db.commit()
    return db


def as_role(conn, role: str, name: str, **params) -> pd.DataFrame:
    """A query's rows as the database role of a dashboard role (transaction undone)."""
    try:
        queries.execute(conn, "session/set_role", db_role=DB_ROLES[role])
        return queries.fetch_df(conn, name, **params)
    finally:
        conn.rollback()


def windowed(conn, name: str, **params) -> pd.DataFrame:
    """A windowed outcome query over FIRST..LAST as a case manager."""
    return as_role(conn, "case_manager", name, start=FIRST, end=LAST, **params)


def rows(frame: pd.DataFrame) -> set[tuple]:
    return {tuple(r) for r in frame.itertuples(index=False)}


# --- exact figures on the scenario ----------------------------------------------------


def test_referrals_by_month_service_and_outcome_as_known_at_the_period_end(scenario):
    cube = windowed(scenario, "outcomes/referrals")
    assert rows(cube) == {
        (date(2026, 1, 1), "drug_treatment", "engaged", 2),
        (date(2026, 1, 1), "housing", "completed", 1),
        (date(2026, 2, 1), "drug_treatment", "engaged", 1),
        (date(2026, 2, 1), "drug_treatment", "no_show", 1),
        (date(2026, 2, 1), "mental_health", "declined", 1),
        (date(2026, 4, 1), "drug_treatment", "pending", 1),  # engaged only on 15 July
        (date(2026, 4, 1), "mental_health", "pending", 1),
    }


def test_days_to_engagement_quartiles_and_bins(scenario):
    quantiles = windowed(scenario, "outcomes/engagement_quantiles")
    # drug treatment: 10, 30 and 60 days; housing's only referral completed (no day)
    assert rows(quantiles) == {("drug_treatment", 3, 20, 30, 45)}
    bins = windowed(scenario, "outcomes/engagement_bins")
    assert rows(bins) == {
        ("drug_treatment", 8, 14, 1),
        ("drug_treatment", 15, 30, 1),
        ("drug_treatment", 31, 60, 1),
    }


def test_cohorts_active_returned_exited_at_3_and_6_months(scenario):
    cohorts = windowed(scenario, "outcomes/cohorts", as_of=date(2026, 12, 31))
    # January: e1 stays; e2 exits on 1 March and p2 is back (e3) on 1 April, before 20 April.
    # February: e4 exits on 28 February. April: e3 stays. No cohort is 12 months old yet.
    assert rows(cohorts) == {
        (date(2026, 1, 1), 3, 2, 1, 1, 0),
        (date(2026, 1, 1), 6, 2, 1, 1, 0),
        (date(2026, 2, 1), 3, 1, 0, 0, 1),
        (date(2026, 2, 1), 6, 1, 0, 0, 1),
        (date(2026, 4, 1), 3, 1, 1, 0, 0),
        (date(2026, 4, 1), 6, 1, 1, 0, 0),
    }


def test_a_cohort_horizon_waits_until_every_member_has_reached_it(scenario):
    cohorts = windowed(scenario, "outcomes/cohorts", as_of=date(2026, 7, 30))
    due = {(m, k) for m, k in zip(cohorts.intake_month, cohorts.months, strict=True)}
    # April + 3 months: 30 July is due; January + 6 months needs 31 July
    assert (date(2026, 4, 1), 3) in due
    assert (date(2026, 1, 1), 6) not in due


def test_recontact_after_diversion_beside_people_who_declined(scenario):
    recontact = windowed(scenario, "outcomes/recontact", as_of=date(2027, 3, 31))
    # participants p1 (1 March: within 6), p2 (1 September: within 12), p3 (only on the
    # intake day itself). Decliners p5 (same-day contact only) and p6 (15 September at
    # 23:30 Baltimore time: the last day of 6 months); p3 declined too but took part.
    assert rows(recontact) == {
        ("participants", 6, 3, 1),
        ("participants", 12, 3, 2),
        ("declined", 6, 2, 1),
        ("declined", 12, 2, 1),
    }


def test_equity_of_diversion_over_eligible_contacts(scenario):
    diversion = windowed(
        scenario, "outcomes/equity_diversion", offenses=["drug", "prostitution", "other"]
    )
    race = diversion[diversion.dimension == "race"].drop(columns="dimension")
    # c06 is an 'other' offence, c10 lies outside the catchment, c01 before the period
    assert rows(race) == {("Black", 5, 1, 2), ("Hispanic", 1, 0, 1), ("White", 1, 1, 0)}
    age = diversion[diversion.dimension == "age"].drop(columns="dimension")
    assert rows(age) == {("Under 25", 3, 1, 1), ("35–44", 1, 1, 0), ("45–54", 2, 0, 1),
                         ("55 and over", 1, 0, 1)}  # fmt: skip


def test_equity_of_engagement_by_group_from_the_referring_contact(scenario):
    engagement = windowed(scenario, "outcomes/equity_engagement")
    # e1, e2, e4 reached engagement by 30 June; e3 (p2's return, group from c02, the
    # latest contact before its referral) did not: r06 engaged only in July.
    assert rows(engagement) == {
        ("race", "Black", 2, 2),
        ("race", "White", 2, 1),
        ("sex", "M", 1, 1),
        ("sex", "F", 3, 2),
        ("age", "25–34", 1, 1),
        ("age", "35–44", 2, 1),
        ("age", "Under 25", 1, 1),
    }


def test_command_and_leadership_get_aggregates_and_never_a_person(scenario):
    for role in ("command", "leadership"):
        for table in ("enrollment", "service_referral"):
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                queries.execute(scenario, "session/set_role", db_role=DB_ROLES[role])
                with scenario.cursor() as cur:
                    cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            scenario.rollback()
    for role in ("command", "leadership"):  # windowed treatment figures: releases only
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            as_role(scenario, role, "outcomes/referrals", start=FIRST, end=LAST)
        scenario.rollback()
    for name in queries.names():
        if name.startswith("outcomes/"):
            params = {"start": FIRST, "end": LAST, "as_of": LAST, "day": LAST,
                      "offenses": ["drug"]}  # fmt: skip
            frame = as_role(scenario, "case_manager", name, **params)
            assert not {"person_key", "enrollment_id", "referral_id"} & set(frame.columns)


# --- the page's shaping, on the scenario ----------------------------------------------


@pytest.fixture
def live(scenario, database_url, monkeypatch):
    """The dashboard's data layer over the scenario."""
    monkeypatch.setenv("DATABASE_URL", app_login(database_url))
    st.cache_data.clear()
    return scenario


def test_the_threshold_is_the_setting_in_force(live):
    with live.cursor() as cur:
        cur.execute(
            "INSERT INTO program_setting (key, effective_from, value) VALUES"
            " ('small_cell_threshold', '2026-06-01', 4)"
        )
    live.commit()
    assert access.threshold(User("command", "command"), date(2026, 5, 31)) == 10
    assert access.threshold(User("command", "command"), LAST) == 4
    tables = oc.referral_tables("case_manager", FIRST, LAST, 4, suppress=True)
    funnel = rules.funnel_table(tables["funnel"]).set_index("Service")
    assert funnel.loc["Drug treatment", "Referred"] == "5"
    assert funnel.loc["Housing", "Referred"] == "<5"


def test_funnel_per_service_for_case_managers(live):
    tables = oc.referral_tables("case_manager", FIRST, LAST, 10, suppress=False)
    funnel = rules.funnel_table(tables["funnel"]).set_index("Service")
    assert funnel.loc["Drug treatment", ["Referred", "Reached engagement", "Completed"]].tolist() \
        == ["5", "3", "0"]  # fmt: skip
    assert funnel.loc["Housing", "Completed %"] == "100%"
    assert funnel.loc["Total", "Referred"] == "8"
    monthly = tables["by_service"].shown().set_index("Month")
    assert monthly.loc["Feb 2026", "Drug treatment"] == "2"
    assert monthly.loc["Apr 2026", "Total"] == "2"


def test_funnel_and_timing_are_hidden_for_command(live):
    tables = oc.referral_tables("case_manager", FIRST, LAST, 10, suppress=True)
    funnel = rules.funnel_table(tables["funnel"]).set_index("Service")
    assert funnel.Referred.tolist() == ["<11", "<11", "<11", "0", "<11"]  # Other: none
    assert set(funnel["Reached engagement %"]) == {"–"}
    summary = oc.timing_summary("case_manager", FIRST, LAST, tables["timing"])
    assert set(summary["Median days"]) == {"–"}
    quarterly = tables["by_service"].shown()
    assert quarterly.Quarter.tolist() == ["Q1 2026", "Q2 2026", "Total"]


def test_timing_summary_shows_quartiles_to_case_managers(live):
    tables = oc.referral_tables("case_manager", FIRST, LAST, 10, suppress=False)
    summary = oc.timing_summary("case_manager", FIRST, LAST, tables["timing"]).set_index("Service")
    assert summary.loc["Drug treatment"].tolist() == ["3", "30", "20–45"]


def test_rates_carry_wilson_intervals(live):
    out = oc.recontact("case_manager", FIRST, LAST, date(2027, 3, 31), 10, suppress=False)
    row = out[(out.grp == "participants") & (out.months == 12)].iloc[0]
    low, high = wilson(2, 3)
    assert (row.low, row.high) == (low, high)
    assert row["95% CI"] == f"{100 * low:.0f}–{100 * high:.0f}%"


def test_outcome_windows_are_whole_quarters_of_at_least_a_year_without_a_database():
    """Twelve calendar months ending in May 2026 begin in June 2025, whose quarter begins
    on 1 April; a chosen period reaching further back wins; suppressed roles count by
    quarter, person-level roles by month."""
    end = date(2026, 5, 20)
    assert rules.window(date(2026, 5, 10), end) == (date(2025, 4, 1), end)
    assert rules.window(date(2024, 11, 15), end) == (date(2024, 10, 1), end)
    assert rules.window(date(2026, 5, 10), end, months=24)[0] == date(2024, 4, 1)
    assert (rules.granularity(True), rules.granularity(False)) == ("quarter", "month")
    quarters = rules.buckets(date(2025, 4, 1), end, "quarter")
    assert [rules.bucket_label(q, "quarter") for q in quarters] == [
        "Q2 2025", "Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026",
    ]  # fmt: skip
    assert len(rules.buckets(date(2025, 4, 1), end, "month")) == 14  # April 2025 - May 2026
    assert rules.bucket_end(date(2026, 4, 1), "quarter") == date(2026, 6, 30)
    assert rules.bucket_of(date(2026, 2, 28), "quarter") == date(2026, 1, 1)


def test_wilson_interval_matches_published_values():
    # Newcombe (1998), Table I: 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775
    assert wilson(81, 263) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    assert wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=5e-5)
    assert wilson(5, 0) is None


# --- no hidden figure can be recovered, on the page's own tables (demo data) ----------


def referral_links(tables: dict) -> list:
    """Figures the referral tables share, from what they count: a period's referrals (by
    service, by outcome), a service's (by period, funnel), an outcome's (by period,
    funnel), a service's engaged referrals (funnel, timing) and the grand totals."""
    m = len(tables["by_service"].labels)
    s, o, b = len(rules.SERVICES), len(rules.OUTCOMES), len(rules.BINS)
    engaged = rules.OUTCOMES.index("engaged")
    return (
        [[("by_service", i, s), ("by_outcome", i, o)] for i in range(m)]
        + [[("by_service", m, j), ("funnel", j, o)] for j in range(s)]
        + [[("by_outcome", m, j), ("funnel", s, j)] for j in range(o)]
        + [[("timing", j, b), ("funnel", j, engaged)] for j in range(s + 1)]
        + [[("by_service", m, s), ("by_outcome", m, o), ("funnel", s, o)]]
    )


def matrices(tables: dict) -> dict:
    return {name: (table.values, table.hidden) for name, table in tables.items()}


@pytest.fixture
def demo_live(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    st.cache_data.clear()
    conn = psycopg2.connect(demo_url, options="-c timezone=America/New_York")
    with conn.cursor() as cur:
        cur.execute("SELECT max(occurred_at)::date FROM contact")
        as_of = cur.fetchone()[0]
    conn.close()
    return as_of


@pytest.mark.parametrize("role", ["case_manager"])
def test_page_tables_hide_small_cells_so_none_can_be_subtracted_back(demo_live, role):
    as_of = demo_live
    start, end = rules.window(as_of, as_of)
    tables = oc.referral_tables(role, start, end, 10, suppress=True)
    for table in tables.values():
        small = (table.values >= 1) & (table.values <= 10)
        assert table.hidden[small].all()
    assert any(t.hidden.any() for t in tables.values()), "the demo has small cells"
    assert_nothing_recoverable(matrices(tables), referral_links(tables))

    long_start, _ = rules.window(as_of, as_of, months=24)
    cohorts = oc.cohort_tables(role, long_start, end, as_of, 10, suppress=True)
    labels = {k: cohorts[k].labels for k in rules.HORIZONS}
    size = len(rules.STATUSES)
    cohort_links = [
        [(k, labels[k].index(c), size) for k in rules.HORIZONS if c in labels[k]] for c in labels[3]
    ]
    assert_nothing_recoverable(matrices(cohorts), [link for link in cohort_links if len(link) > 1])


def test_equity_and_recontact_tables_hide_small_counts_and_their_shares(demo_live):
    as_of = demo_live
    start, end = rules.window(as_of, as_of)
    for diversion, engagement in oc.equity(
        "case_manager", start, end, ("drug", "prostitution"), 10, True
    ).values():
        for table, parts, total in (
            (diversion, ["diverted", "declined", "not_offered"], "eligible"),
            (engagement, ["engaged"], "participants"),
        ):
            groups = table[table.grp != "All"]
            for column in [*parts, total]:
                hidden = groups[column] == "<11"
                assert hidden.sum() != 1 or (groups[column] == "0").sum() + 1 == len(groups)
                for text in groups[column]:
                    assert text == "<11" or not 1 <= int(text.replace(",", "")) <= 10
            gone = (groups[parts[0]] == "<11") | (groups[total] == "<11")
            assert (groups.Share[gone] == "–").all() and (groups["95% CI"][gone] == "–").all()
    recontact = oc.recontact("case_manager", *rules.window(as_of, as_of, 24), as_of, 10, True)
    for people, shown_people, shown_recontacted, share in zip(
        recontact.people,
        recontact.People,
        recontact["With a new contact"],
        recontact.Share,
        strict=True,
    ):
        shown = "<11" not in (shown_people, shown_recontacted)
        assert (share != "–") == (shown and people > 0)


# --- the page in AppTest, every role --------------------------------------------------


@pytest.fixture
def outcomes_page(app, released):
    def make(role: str) -> AppTest:
        at = app(role, "outcomes/page.py")
        at.run()
        assert not at.exception, at.exception
        return at

    return make


def count_cells(at, people_only: bool = False) -> list[str]:
    """Every table cell that is a count ('12', '1,204', '12 (40%)' or '<11'); only of
    tables counting people with ``people_only`` (not the police contacts by group, nor a
    cohort's intakes: the month's intakes are a public total, docs/access.md "Releases")."""
    cells = []
    for frame in at.dataframe:
        table = frame.value
        if people_only and "Eligible contacts" in table.columns:
            continue
        if people_only and "Intake month" in table.columns:
            table = table.drop(columns="Intakes")
        for value in table.astype(str).to_numpy().ravel():
            head = value.split(" (")[0].replace(",", "")
            if head == "<11" or head.isdigit():
                cells.append(head)
    return cells


def table_with(at, column: str) -> pd.DataFrame:
    return next(f.value for f in at.dataframe if column in f.value.columns)


def quartile_columns(at) -> set[str]:
    timing = table_with(at, "Median days")
    return set(timing["Median days"]) | set(timing["Middle half (days)"])


@pytest.mark.parametrize("role", ["command", "leadership"])
def test_command_and_leadership_see_less_than_11_and_never_a_small_count(outcomes_page, role):
    # The demo's months are too small to publish referral tables; the pilot to date does.
    at = outcomes_page(role)
    at.segmented_control(key="outcomes_release_kind").set_value("pilot").run()
    cells = count_cells(at, people_only=True)
    assert "<11" in cells
    medians = quartile_columns(at) if any("Median days" in f.value for f in at.dataframe) else set()
    small = [c for c in cells if c != "<11" and 1 <= int(c) <= 10 and c not in medians]
    assert small == []
    text = " ".join(c.value for c in at.caption)
    assert "Release: **" in text and "counts 1–10 show as <11" in text


@pytest.mark.parametrize("role", ["case_manager", "admin"])
def test_case_managers_see_exact_counts_equal_to_an_independent_count(
    outcomes_page, demo_url, role
):
    at = outcomes_page(role)
    assert "<11" not in count_cells(at)
    assert any(1 <= int(c) <= 10 for c in count_cells(at))
    conn = psycopg2.connect(demo_url, options="-c timezone=America/New_York")
    with conn.cursor() as cur:
        cur.execute("SELECT max(occurred_at)::date FROM contact")
        as_of = cur.fetchone()[0]
        start, end = rules.window(as_of, as_of)
        cur.execute(
            "SELECT service, count(*), count(*) FILTER (WHERE outcome = 'completed'"
            " AND outcome_on <= %s) FROM service_referral WHERE referred_on BETWEEN %s AND %s"
            " GROUP BY service",
            (end, start, end),
        )
        expected = {s: (n, done) for s, n, done in cur.fetchall()}
    conn.close()
    funnel = table_with(at, "Reached engagement %").set_index("Service")
    for service, (referred, completed) in expected.items():
        label = rules.SERVICE_LABELS[service]
        assert funnel.loc[label, "Referred"] == f"{referred:,}"
        assert funnel.loc[label, "Completed"] == f"{completed:,}"


def test_cohort_horizon_and_equity_dimension_switch(outcomes_page):
    at = outcomes_page("leadership")
    at.segmented_control(key="outcomes_release_kind").set_value("pilot").run()
    at.segmented_control(key="cohort_months").set_value(12).run()
    assert not at.exception
    assert "12 months later" in " ".join(c.value for c in at.caption)
    at.selectbox(key="equity_dim").select("age").run()
    groups = table_with(at, "Eligible contacts").Group.tolist()
    assert groups[-1] == "All" and set(groups[:-1]) <= set(eq.AGE_ORDER)


def test_the_recontact_comparison_is_labelled_descriptive_with_the_seattle_caveat(outcomes_page):
    at = outcomes_page("leadership")
    warning = " ".join(w.value for w in at.warning)
    assert "Descriptive, not causal" in warning
    assert "58% lower odds" in warning and "Collins, Lonczak & Clifasefi 2017" in warning


# --- Chromium ---------------------------------------------------------------------------


def open_outcomes(page, role: str, first_text: str = "Service referrals per") -> None:
    sign_in(page, role)
    nav_link(page, "Referral outcomes").click()
    page.get_by_role("heading", name="LEAD Ops · Referral outcomes").wait_for()
    page.get_by_text(first_text).first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)


@pytest.mark.browser
def test_command_sees_a_release_and_hidden_cells_in_chromium(browser_page, released):
    open_outcomes(browser_page, "command", "Release:")
    assert browser_page.locator("canvas, svg").count() > 0
    assert browser_page.get_by_text("Service referrals per").count() == 0  # no windowed charts
    screenshot(browser_page, "outcomes_command")
    browser_page.get_by_role("tab", name="After diversion").click()
    after = browser_page.get_by_role("tabpanel", name="After diversion")
    after.get_by_text("Descriptive, not causal").wait_for()
    screenshot(browser_page, "outcomes_command_after_diversion")
    # nothing the page needs comes from outside (icon SVGs of the navigation aside)
    assert not [u for u in browser_page.refused_requests if not u.endswith(".svg")]


@pytest.mark.browser
def test_case_manager_sees_monthly_charts_in_chromium(browser_page):
    open_outcomes(browser_page, "case_manager")
    assert browser_page.get_by_text("Service referrals per month by service").count() == 1
    browser_page.get_by_role("tab", name="Equity").click()
    browser_page.get_by_text("Eligible contacts diverted, by race").wait_for()
    screenshot(browser_page, "outcomes_case_manager_equity")
