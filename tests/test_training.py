"""Officer training coverage: who can divert, where, and what is missed.

Scenario tests build officers, trainings, contacts and the catchment by hand; the expected
figures are counted by hand from the scenario below, not by the code under test.
"""

import re
from datetime import date

import psycopg2
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import queries
from tests.conftest import app_login
from tests.support.pages import dashboard, nav_link, screenshot, sign_in

DISTRICT = "POLYGON((-76.64 39.28, -76.60 39.28, -76.60 39.31, -76.64 39.31, -76.64 39.28))"
CATCHMENT = "POLYGON((-76.63 39.285, -76.615 39.285, -76.615 39.30, -76.63 39.30, -76.63 39.285))"
POST_111 = "POLYGON((-76.64 39.28, -76.62 39.28, -76.62 39.31, -76.64 39.31, -76.64 39.28))"
POST_112 = "POLYGON((-76.62 39.28, -76.60 39.28, -76.60 39.31, -76.62 39.31, -76.62 39.28))"
INSIDE = "POINT(-76.62 39.29)"  # inside the catchment
OUTSIDE = "POINT(-76.635 39.305)"  # in the district, outside the catchment

# officer, district, sector, post, shift, active
OFFICERS = [
    ("o1", "Central", "11", "111", "day", True),  # trained mid-March
    ("o2", "Central", "11", "111", "night", True),  # training expired on 10 March
    ("o3", "Central", "12", "112", "day", True),  # never trained
    ("o4", "Central", "12", "112", "night", True),  # trained 1 Feb, no expiry
    ("o5", "Central", "11", "111", "day", False),  # left the district, was trained
    ("o6", "Northern", "41", "411", "day", True),  # another district
    ("o7", "Central", "12", "112", "day", True),  # expires 15 May
    ("o8", "Central", "12", "112", "day", True),  # renewed before expiry
    ("o10", "Central", "11", "113", "evening", True),  # expires on day + 90
    ("o11", "CENTRAL", "11", "113", "evening", True),  # expires on day + 91
]
# officer, completed_on, expires_on
TRAININGS = [
    ("o1", "2026-03-15", "2028-03-14"),
    ("o2", "2024-03-11", "2026-03-10"),
    ("o4", "2026-02-01", None),
    ("o5", "2025-06-01", "2026-04-30"),
    ("o6", "2025-01-01", "2026-04-15"),
    ("o7", "2024-05-16", "2026-05-15"),
    ("o8", "2024-04-21", "2026-04-20"),
    ("o8", "2026-03-20", "2028-03-19"),
    ("o10", "2024-06-30", "2026-06-29"),
    ("o11", "2024-07-01", "2026-06-30"),
]
# contact, local time, offence, place, decision, officer, post
CONTACTS = [
    ("c1", "2026-03-10 10:00", "drug", INSIDE, "arrested", "o1", "111"),  # o1 not yet trained
    ("c2", "2026-03-20 10:00", "drug", INSIDE, "diverted", "o1", "111"),
    ("c3", "2026-03-15 09:00", "prostitution", INSIDE, "arrested", "o1", "111"),  # trained that day
    ("c4", "2026-03-10 23:30", "drug", INSIDE, "arrested", "o2", "111"),  # expiry day: trained
    ("c5", "2026-03-11 08:00", "drug", INSIDE, "arrested", "o2", "111"),  # expired
    ("c6", "2026-03-12 14:00", "drug", INSIDE, "arrested", None, "111"),  # no officer id
    ("c7", "2026-03-13 14:00", "prostitution", INSIDE, "declined", "X999", "111"),  # unknown
    ("c8", "2026-03-14 14:00", "drug", OUTSIDE, "arrested", "o3", "111"),  # not eligible
    ("c9", "2026-03-14 15:00", "other", INSIDE, "arrested", "o3", "112"),  # not eligible
    ("c10", "2026-03-16 14:00", "drug", INSIDE, "diverted", "o5", "111"),  # left since
    ("c11", "2026-02-28 14:00", "drug", INSIDE, "arrested", "o3", "112"),  # before the period
    ("c12", "2026-03-25 14:00", "drug", INSIDE, "arrested", "o3", "112"),
    ("c13", "2026-03-26 14:00", "drug", INSIDE, "arrested", "o4", "112"),
]
MARCH = {"start": date(2026, 3, 1), "end": date(2026, 3, 31)}
ALL_OFFENSES = ["drug", "prostitution", "other"]
ALL = {"sector": None, "shift": None}


def add_area(cur, kind, name, wkt, valid_from="1900-01-01", valid_to=None):
    cur.execute(
        "INSERT INTO program_area (kind, name, valid_from, valid_to, source,"
        " is_approximation, geom, row_hash) VALUES (%s, %s, %s, %s, 'test', true,"
        " ST_Multi(ST_GeomFromText(%s, 4326)), 'h')",
        (kind, name, valid_from, valid_to, wkt),
    )


def add_contact(cur, contact_id, local_time, offense, wkt, decision, officer, post):
    cur.execute(
        "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
        " officer_id, district, post, row_hash) VALUES (%s,"
        " (%s::timestamp AT TIME ZONE 'America/New_York'), ST_GeomFromText(%s, 4326),"
        " %s, 'arrest', %s, %s, 'Central', %s, 'h')",
        (contact_id, local_time, wkt, offense, decision, officer, post),
    )


@pytest.fixture
def scenario(db):
    with db.cursor() as cur:
        add_area(cur, "district", "Central", DISTRICT)
        add_area(cur, "catchment", "LEAD catchment", CATCHMENT)
        add_area(cur, "post", "111", POST_111)
        add_area(cur, "post", "112", POST_112)
        for officer in OFFICERS:
            cur.execute(
                "INSERT INTO officer (officer_id, district, sector, post, shift, active,"
                " row_hash) VALUES (%s, %s, %s, %s, %s, %s, 'h')",
                officer,
            )
        for officer, completed, expires in TRAININGS:
            cur.execute(
                "INSERT INTO training (officer_id, course, completed_on, expires_on, row_hash)"
                " VALUES (%s, 'LEAD core', %s, %s, 'h')",
                (officer, completed, expires),
            )
        for contact in CONTACTS:
            add_contact(cur, *contact)
    db.commit()
    return db


def cells(conn, day):
    return queries.fetch_df(conn, "training/coverage_cells", day=day)


def totals(frame, by):
    grouped = frame.groupby(by)[["trained_officers", "active_officers"]].sum()
    return {key: (int(r.trained_officers), int(r.active_officers)) for key, r in grouped.iterrows()}


# --- coverage of active district officers ---------------------------------------------


def test_coverage_counts_active_district_officers_with_current_training(scenario):
    frame = cells(scenario, date(2026, 3, 31))
    assert (frame.trained_officers.sum(), frame.active_officers.sum()) == (6, 8)
    assert totals(frame, "sector") == {"11": (3, 4), "12": (3, 4)}
    assert totals(frame, "post") == {"111": (1, 2), "112": (3, 4), "113": (2, 2)}
    assert totals(frame, "shift") == {"day": (3, 4), "evening": (2, 2), "night": (1, 2)}


def test_a_training_is_current_through_its_expiry_day(scenario):
    on_expiry_day = cells(scenario, date(2026, 3, 10))
    day_after = cells(scenario, date(2026, 3, 11))
    assert totals(on_expiry_day, "post")["111"] == (1, 2)  # o2 still trained, o1 not yet
    assert totals(day_after, "post")["111"] == (0, 2)


def test_monthly_trend_measures_each_month_end(scenario):
    trend = queries.fetch_df(
        scenario, "training/coverage_monthly", start=date(2026, 1, 15), end=MARCH["end"], **ALL
    )
    assert [d.isoformat() for d in trend.day] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert list(trend.trained_officers) == [5, 6, 6]
    assert list(trend.active_officers) == [8, 8, 8]


def test_monthly_trend_by_shift(scenario):
    trend = queries.fetch_df(
        scenario,
        "training/coverage_monthly",
        start=date(2026, 1, 1),
        end=date(2026, 3, 20),
        sector=None,
        shift="night",
    )
    assert trend.day.iloc[-1] == date(2026, 3, 20)  # the last month ends on the end day
    assert list(zip(trend.trained_officers, trend.active_officers, strict=True)) == [
        (1, 2),  # o2 trained, o4 not yet
        (2, 2),  # o4 trained on 1 February
        (1, 2),  # o2 expired on 10 March
    ]


# --- contacts: training at the time of the contact -------------------------------------


def outcomes(conn, offenses=ALL_OFFENSES, **scope):
    return queries.fetch_df(
        conn, "training/contact_outcomes", offenses=offenses, **MARCH, **{**ALL, **scope}
    )


def test_training_is_evaluated_at_each_contact_time(scenario):
    frame = outcomes(scenario)
    by_training = frame.groupby("trained")[["eligible", "diverted", "arrested"]].sum()
    # trained: c2, c3 (completion day), c4 (expiry day, 23:30 local), c10, c13
    assert by_training.loc[True].tolist() == [5, 2, 3]
    # untrained: c1 (before o1's course), c5 (after o2's expiry), c6, c7, c12
    assert by_training.loc[False].tolist() == [5, 0, 4]


def test_missed_opportunities_by_post_and_shift(scenario):
    frame = outcomes(scenario)
    missed = frame[~frame.trained & (frame.arrested > 0)]
    assert {(r.post, r.officer_shift): r.arrested for r in missed.itertuples()} == {
        ("111", "day"): 1,  # c1
        ("111", "night"): 1,  # c5
        ("111", "not on roster"): 1,  # c6, no officer id
        ("112", "day"): 1,  # c12
    }


def test_offence_and_officer_filters_narrow_the_contacts(scenario):
    drug = outcomes(scenario, offenses=["drug"])
    assert drug.eligible.sum() == 8  # c3 and c7 are prostitution contacts
    other = outcomes(scenario, offenses=["other"])
    assert other.empty  # only drug and prostitution contacts are eligible
    sector_11 = outcomes(scenario, sector="11")
    assert sector_11.groupby("trained").eligible.sum().to_dict() == {False: 2, True: 4}
    night = outcomes(scenario, shift="night")
    assert night.groupby("trained").arrested.sum().to_dict() == {False: 1, True: 2}


def test_eligibility_uses_the_catchment_in_force_on_the_contact_day(scenario):
    with scenario.cursor() as cur:
        cur.execute("UPDATE program_area SET valid_to = '2026-03-20' WHERE kind = 'catchment'")
        add_area(
            cur,
            "catchment",
            "LEAD catchment",
            POST_111.replace("-76.62", "-76.625"),
            valid_from="2026-03-20",
        )
    scenario.commit()
    frame = outcomes(scenario)
    # c12 and c13 (25 and 26 March, at -76.62) fall outside the new catchment; c2 too
    assert frame.eligible.sum() == 7
    assert frame[~frame.trained].arrested.sum() == 3


def test_leadership_reads_contact_outcomes_without_person_keys(scenario):
    with scenario.cursor() as cur:
        cur.execute("SET LOCAL ROLE lead_leadership")
    assert outcomes(scenario).eligible.sum() == 10
    scenario.rollback()


# --- expiring trainings ----------------------------------------------------------------


def test_expiring_trainings_within_the_warning_window(scenario):
    rows = queries.fetch_df(scenario, "training/expiring", day=MARCH["end"], days=90, **ALL)
    # o7 and o10; not o8 (renewed), o11 (91 days), o2 (already lapsed), o5, o6, o4
    assert list(zip(rows.officer_id, rows.days_left, strict=True)) == [("o7", 45), ("o10", 90)]
    counts = queries.fetch_df(
        scenario, "training/expiring_by_sector", day=MARCH["end"], days=90, **ALL
    )
    assert dict(zip(counts.sector, counts.expiring_officers, strict=True)) == {"11": 1, "12": 1}


def test_settings_in_force_drive_the_page(scenario):
    row = queries.fetch_df(scenario, "training/settings_on", day=MARCH["end"]).iloc[0]
    assert (row.warning_days, row.small_cell_threshold, row.target) == (90, 10, 120)


# --- the page over the scenario --------------------------------------------------------


@pytest.fixture
def page(scenario, database_url, monkeypatch):
    """The Training page over the scenario, signed in as a role, period "This month"
    (1 to 26 March 2026: the last contact is on the 26th)."""
    monkeypatch.setenv("DATABASE_URL", app_login(database_url))
    st.cache_data.clear()

    def make(role: str) -> AppTest:
        at = dashboard({"username": role, "role": role}, "training/page.py", timeout=60)
        at.run()
        assert not at.exception, at.exception
        at.selectbox(key="filter_preset").select("This month").run()
        assert not at.exception
        return at

    return make


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


def test_page_shows_exact_scenario_figures(page):
    at = page("admin")
    assert metric(at, "Officers with current LEAD training").value == "6 of 8"
    assert metric(at, "Diverted by trained officers").value == "40%"
    assert metric(at, "Missed opportunities").value == "4"
    assert metric(at, "Trainings expiring within 90 days").value == "1"
    posts = at.dataframe[0].value.set_index("Post")
    assert posts.loc["111"].tolist() == [1, 2, "50%"]
    missed = at.dataframe[2].value.set_index("Post")
    assert missed.loc["111", "not on roster"] == "1"
    assert missed.loc["Total", "Total"] == "4"
    expiring = at.dataframe[3].value
    assert expiring.Officer.tolist() == ["o7"]
    assert expiring["Days left"].tolist() == [50]  # 15 May, from 26 March


def test_sector_and_shift_filters_narrow_the_page(page):
    at = page("admin")
    at.selectbox(key="training_shift").select("night").run()
    assert metric(at, "Officers with current LEAD training").value == "1 of 2"
    assert metric(at, "Missed opportunities").value == "1"  # c5
    at.selectbox(key="training_shift").select("All").run()
    at.selectbox(key="training_sector").select("12").run()
    assert metric(at, "Officers with current LEAD training").value == "3 of 4"
    assert metric(at, "Missed opportunities").value == "1"  # c12


def test_contact_counts_are_suppressed_outside_person_level_roles(page):
    at = page("command")
    assert metric(at, "Officers with current LEAD training").value == "6 of 8"  # staff
    assert metric(at, "Missed opportunities").value == "<11"
    rates = at.dataframe[1].value
    assert set(rates["Eligible contacts"]) == {"<11"}
    assert metric(at, "Diverted by trained officers").value == "–"


def test_no_eligible_contacts_when_only_other_offences_are_chosen(page):
    at = page("admin")
    at.multiselect(key="filter_offenses").set_value(["other"]).run()
    assert not at.exception
    assert metric(at, "Missed opportunities").value == "0"
    assert metric(at, "Diverted by trained officers").value == "–"
    assert metric(at, "Officers with current LEAD training").value == "6 of 8"


def test_page_renders_on_an_empty_database(db, database_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_login(database_url))
    st.cache_data.clear()
    at = dashboard({"username": "command", "role": "command"}, "training/page.py", timeout=60)
    at.run()
    assert not at.exception, at.exception
    assert metric(at, "Officers with current LEAD training").value == "0 of 0"


def page_text(at) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "metric") for e in at.get(kind)]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(parts)


def test_officer_rows_are_for_command_and_admin_only(page):
    command = page("command")
    assert command.dataframe[3].value.Officer.tolist() == ["o7"]
    for role in ("leadership", "case_manager"):
        at = page(role)
        columns = {c for frame in at.dataframe for c in frame.value.columns}
        assert not columns & {"Officer", "officer_id"}
        words = set(re.findall(r"[\w-]+", page_text(at)))
        assert not words & {officer for officer, *_ in OFFICERS}
        assert metric(at, "Trainings expiring within 90 days").value == "1"
        assert at.dataframe[3].value.to_dict("list") == {"Sector": ["12"], "Officers": [1]}


# --- the page over the demo data -------------------------------------------------------

DEMO_MISSED = """
    WITH d AS (SELECT max(occurred_at)::date AS as_of FROM contact),
    spells AS (SELECT officer_id, completed_on, coalesce(expires_on, 'infinity') AS until
               FROM training),
    eligible AS (
        SELECT c.contact_id, c.officer_id, c.decision, (c.occurred_at)::date AS day
        FROM contact c, d, program_area a
        WHERE a.kind = 'catchment' AND ST_Contains(a.geom, c.geom)
          AND (c.occurred_at)::date BETWEEN a.valid_from AND coalesce(a.valid_to - 1, 'infinity')
          AND c.offense IN ('drug', 'prostitution')
          AND (c.occurred_at)::date BETWEEN d.as_of - 29 AND d.as_of)
    SELECT count(*) FILTER (WHERE s.officer_id IS NULL AND e.decision = 'arrested'),
           count(*) FILTER (WHERE s.officer_id IS NOT NULL),
           count(*) FILTER (WHERE s.officer_id IS NOT NULL AND e.decision = 'diverted')
    FROM eligible e
    LEFT JOIN LATERAL (SELECT DISTINCT officer_id FROM spells
                       WHERE spells.officer_id = e.officer_id
                         AND e.day BETWEEN spells.completed_on AND spells.until) s ON true
"""
DEMO_COVERAGE = """
    SELECT count(DISTINCT o.officer_id) FILTER (WHERE t.officer_id IS NOT NULL),
           count(DISTINCT o.officer_id)
    FROM officer o
    CROSS JOIN (SELECT max(occurred_at)::date AS as_of FROM contact) d
    LEFT JOIN training t ON t.officer_id = o.officer_id
         AND d.as_of BETWEEN t.completed_on AND coalesce(t.expires_on, 'infinity')
    WHERE o.active AND o.district = 'Central'
"""


def test_demo_page_figures_equal_independent_counts(app, demo_conn):
    at = app("admin", "training/page.py")
    at.run()
    assert not at.exception
    ((missed, trained_contacts, trained_diverted),) = fetch(demo_conn, DEMO_MISSED)
    ((trained, active),) = fetch(demo_conn, DEMO_COVERAGE)
    assert metric(at, "Officers with current LEAD training").value == f"{trained} of {active}"
    assert metric(at, "Missed opportunities").value == f"{missed:,}"
    share = f"{100 * trained_diverted / trained_contacts:.0f}%"
    assert metric(at, "Diverted by trained officers").value == share
    assert trained >= 120 and missed > 0


def test_demo_page_for_leadership_shows_no_officer_ids(app):
    at = app("leadership", "training/page.py")
    at.run()
    assert not at.exception
    assert "demo-o" not in page_text(at)
    assert "Officers" in at.dataframe[3].value.columns


# --- in Chromium, over the demo data, on a closed network ------------------------------

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
MAP_LAYERS = """el => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const names = [];
    map.eachLayer(l => { if (l.feature) names.push([l.feature.properties.post || null,
                                                    l.feature.properties.name || null]); });
    return names;
}"""
CONTAINER_POINT = """(el, latlng) => {
    const map = Object.values(window).find(v => v instanceof L.Map);
    const point = map.latLngToContainerPoint(latlng);
    return [point.x, point.y];
}"""


def open_training(page, role):
    """Sign in at the front door, then follow the navigation to the Training page."""
    sign_in(page, role)
    nav_link(page, "Officer training").click()
    page.get_by_role("heading", name="LEAD Ops · Officer training").wait_for()
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let the map fit its bounds


@pytest.fixture
def demo_conn(demo_url):
    conn = psycopg2.connect(demo_url, options="-c timezone=America/New_York")
    yield conn
    conn.close()


def fetch(conn, sql, *params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


POINT_IN_POST = """
    SELECT ST_Y(ST_PointOnSurface(a.geom)), ST_X(ST_PointOnSurface(a.geom))
    FROM program_area a, (SELECT max(occurred_at)::date AS day FROM contact) d
    WHERE a.kind = 'post' AND a.name = %s
      AND a.valid_from <= d.day AND (a.valid_to IS NULL OR a.valid_to > d.day)
"""
AREAS_ON_AS_OF = """
    SELECT a.name FROM program_area a, (SELECT max(occurred_at)::date AS day FROM contact) d
    WHERE a.kind = %s AND a.valid_from <= d.day AND (a.valid_to IS NULL OR a.valid_to > d.day)
"""


@pytest.mark.browser
def test_map_draws_posts_and_catchment_from_local_leaflet(browser_page, demo_conn):
    open_training(browser_page, "command")
    container = browser_page.frame_locator(MAP_FRAME).locator(".leaflet-container")
    layers = container.evaluate(MAP_LAYERS)
    posts = fetch(demo_conn, AREAS_ON_AS_OF, "post")
    catchments = fetch(demo_conn, AREAS_ON_AS_OF, "catchment")
    assert sorted(post for post, _ in layers if post) == sorted(name for (name,) in posts)
    assert [name for post, name in layers if not post] == [name for (name,) in catchments]
    assert not [
        u for u in browser_page.refused_requests if u.split("?")[0].endswith((".js", ".css"))
    ]
    screenshot(browser_page, "training_command")


@pytest.mark.browser
def test_post_tooltip_gives_trained_of_active_officers(browser_page, demo_conn):
    open_training(browser_page, "command")
    frame = browser_page.frame_locator(MAP_FRAME)
    container = frame.locator(".leaflet-container")
    container.scroll_into_view_if_needed()
    ((lat, lon),) = fetch(demo_conn, POINT_IN_POST, "111")
    x, y = container.evaluate(CONTAINER_POINT, [lat, lon])
    box = container.bounding_box()
    for dx in (0, 1):  # Leaflet throttles canvas hover: a second move settles it
        browser_page.mouse.move(box["x"] + x + dx, box["y"] + y)
        browser_page.wait_for_timeout(200)
    tooltip = frame.locator(".leaflet-tooltip")
    tooltip.wait_for()
    ((trained, active),) = fetch(
        demo_conn,
        "SELECT count(*) FILTER (WHERE EXISTS (SELECT 1 FROM training t"
        " WHERE t.officer_id = o.officer_id AND t.completed_on <= d.day"
        " AND coalesce(t.expires_on, 'infinity') >= d.day)), count(*)"
        " FROM officer o, (SELECT max(occurred_at)::date AS day FROM contact) d"
        " WHERE o.active AND o.post = '111'",
    )
    text = tooltip.inner_text()
    assert re.search(r"Post\s+111\s", text) and f"{trained} of {active} active" in text
    assert "approximate" in text


@pytest.mark.browser
def test_leadership_page_has_no_officer_ids(browser_page):
    open_training(browser_page, "leadership")
    browser_page.get_by_text("Trainings expiring within").first.scroll_into_view_if_needed()
    browser_page.wait_for_timeout(1000)
    assert "demo-o" not in browser_page.content()
    screenshot(browser_page, "training_leadership")


@pytest.mark.browser
def test_command_page_lists_expiring_officers(browser_page):
    open_training(browser_page, "command")
    browser_page.get_by_text("Trainings expiring within").first.scroll_into_view_if_needed()
    browser_page.wait_for_timeout(1000)
    assert "demo-o" in browser_page.content()  # the same check can see officer ids
