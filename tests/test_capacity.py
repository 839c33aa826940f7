"""Program capacity: the census against the cap, intake flow, caseloads and the forecast.

Scenario tests insert enrollments and case managers by hand and read the figures through
the capacity queries as a case manager (``lead_case_manager``); police command and BHSB
leadership read only the public census and releases (tests/test_release_pages.py); the
expected figures are counted by hand from each scenario. Forecast tests run
the queue simulation on inputs whose answer follows from arithmetic. Page tests run over
the demo data set and compare with independent SQL counts.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import psycopg2
import pytest

import queries
from dashboard.capacity import tiles
from program import capacity as cap
from program import forecast
from tests.support.pages import open_page, screenshot

D = date(2026, 3, 31)


def enroll(cur, eid, referred, intake=None, exited=None, manager=None):
    cur.execute(
        "INSERT INTO enrollment (enrollment_id, person_key, referred_on, intake_on, exited_on,"
        " case_manager_id, row_hash) VALUES (%s, %s, %s, %s, %s, %s, 'h')",
        (eid, f"p-{eid}", referred, intake, exited, manager),
    )


def add_manager(cur, manager_id, name):
    cur.execute(
        "INSERT INTO case_manager (case_manager_id, name, organization, row_hash)"
        " VALUES (%s, %s, 'BCRI', 'h')",
        (manager_id, name),
    )


def set_setting(cur, key, effective_from, value):
    cur.execute(
        "INSERT INTO program_setting (key, effective_from, value) VALUES (%s, %s, %s)",
        (key, effective_from, value),
    )


def as_role(db, role="case_manager"):
    """Further statements of this transaction run as the dashboard role's database user."""
    with db.cursor() as cur:
        cur.execute(f"SET LOCAL ROLE lead_{role}")  # noqa: S608 (fixed role names)
    return db


def census_on(db, day):
    return queries.fetch_df(db, "capacity/census", start=day, end=day).iloc[0]


def window(db, start, end):
    return queries.fetch_df(db, "capacity/window", start=start, end=end).iloc[0]


# --- scenarios, as command ----------------------------------------------------------------


@pytest.fixture
def full_program(db):
    """60 active (26 + 21 + 13 per case manager, a fourth with none) and 3 pending."""
    with db.cursor() as cur:
        for manager_id, name in [("m1", "Ann"), ("m2", "Ben"), ("m3", "Cal"), ("m4", "Dee")]:
            add_manager(cur, manager_id, name)
        managers = ["m1"] * 26 + ["m2"] * 21 + ["m3"] * 13
        for n, manager in enumerate(managers):
            enroll(cur, f"a{n}", date(2026, 1, 2), date(2026, 1, 10), None, manager)
        for n, referred in enumerate([date(2026, 3, 20), date(2026, 3, 25), D]):
            enroll(cur, f"w{n}", referred)
    return as_role(db)


@pytest.mark.parametrize("role", ["case_manager", "admin"])
def test_full_program_sixty_active_three_pending_no_open_slot(full_program, role):
    with full_program.cursor() as cur:
        cur.execute(f"SET LOCAL ROLE lead_{role}")  # noqa: S608 (fixed role names)
    now = census_on(full_program, D)
    assert (now.active, now.pending, now.overdue, now.capacity) == (60, 3, 0, 60)
    assert cap.open_slots(now.active, now.capacity) == 0
    census = queries.fetch_df(full_program, "capacity/census", start=D - timedelta(days=9), end=D)
    headline = tiles.headline(census, D - timedelta(days=9), window(full_program, D, D), 30)
    assert [t.value for t in headline] == ["0", "3", "0", "1 of 1"]
    assert headline[1].change == 2  # 22 March: one waiting


@pytest.mark.parametrize("name", ["capacity/census", "capacity/caseloads"])
def test_command_reads_neither_enrollments_nor_windowed_capacity_figures(full_program, name):
    as_role(full_program, "command")
    with pytest.raises(psycopg2.errors.InsufficientPrivilege), full_program.cursor() as cur:
        cur.execute("SELECT * FROM enrollment")
    full_program.rollback()
    as_role(full_program, "command")
    params = {"start": D, "end": D} if name.endswith("census") else {"day": D}
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        queries.fetch_df(full_program, name, **params)


def test_caseloads_flag_above_20_and_breach_above_25(full_program):
    caseloads = queries.fetch_df(full_program, "capacity/caseloads", day=D)
    assert list(zip(caseloads.case_manager, caseloads.caseload, strict=True)) == [
        ("Ann", 26),
        ("Ben", 21),
        ("Cal", 13),
        ("Dee", 0),
    ]
    table, _ = cap.caseload_view(caseloads, flag=20, breach=25, threshold=10)
    assert list(table.Status) == ["Breach", "Flagged", "Within guidance", "Within guidance"]
    assert list(table["Active participants"]) == ["26", "21", "13", "0"]


def test_small_caseloads_are_hidden_outside_person_level_roles(db):
    with db.cursor() as cur:
        for manager_id, name in [("m1", "Ann"), ("m2", "Ben"), ("m3", "Cal")]:
            add_manager(cur, manager_id, name)
        managers = ["m1"] * 22 + ["m2"] * 4 + ["m3"] * 12 + [None] * 3
        for n, manager in enumerate(managers):
            enroll(cur, f"a{n}", date(2026, 1, 2), date(2026, 1, 10), None, manager)
    caseloads = queries.fetch_df(as_role(db), "capacity/caseloads", day=D)
    table, bars = cap.caseload_view(caseloads, flag=20, breach=25, threshold=10)
    assert list(table["Case manager"]) == ["Ann", "Cal", "Ben", cap.NOT_ASSIGNED]
    assert list(table["Active participants"]) == ["22", "12", "<11", "<11"]
    assert list(table.Status) == ["Flagged", "Within guidance", "Within guidance", ""]
    assert bars.caseload.isna().tolist() == [False, False, True, True]
    shown, _ = cap.caseload_view(caseloads, flag=20, breach=25, threshold=0)
    assert list(shown["Active participants"]) == ["22", "12", "4", "3"]


def test_rules_of_the_page_without_a_database():
    """The period ends on the as-of day and never starts before the pilot; a median of
    as few people as the threshold is hidden; a caseload above the flag is flagged,
    above the breach level a breach."""
    first = date(2026, 3, 20)
    assert cap.period_of(D, 30, date(2025, 1, 1)) == (date(2026, 3, 2), D)
    assert cap.period_of(D, 30, first) == (first, D)
    assert [cap.median_text(12.0, n, 10) for n in (0, 10, 11)] == ["–", cap.HIDDEN, "12 days"]
    assert cap.median_text(12.5, 3, 0) == "12.5 days"  # person-level roles: threshold 0
    assert [cap.caseload_status(n, 20, 25) for n in (20, 21, 25, 26)] == [
        "Within guidance",
        "Flagged",
        "Flagged",
        "Breach",
    ]
    assert [cap.open_slots(active, 60) for active in (0, 59, 60, 61)] == [60, 1, 0, 0]


def test_exits_and_intakes_on_the_boundary_day(db):
    with db.cursor() as cur:
        enroll(cur, "e1", date(2026, 2, 25), date(2026, 3, 1), D)  # leaves on D
        enroll(cur, "e2", date(2026, 3, 25), D)  # taken in on D
        enroll(cur, "e3", D)  # referred on D
        enroll(cur, "e4", date(2026, 3, 28), D, D)  # in and out on D: never active
        enroll(cur, "e5", date(2026, 3, 10), None, D)  # closed before intake on D
    as_role(db)
    before = census_on(db, D - timedelta(days=1))
    assert (before.active, before.pending) == (1, 3)  # e1; e2, e4, e5
    now = census_on(db, D)
    assert (now.active, now.pending) == (1, 1)  # e2; e3
    assert (now.referrals, now.intakes, now.exits) == (1, 2, 2)
    flow = window(db, D, D)
    assert (flow.referrals, flow.intakes, flow.exits, flow.closures) == (1, 2, 2, 1)
    assert flow.median_stay == 15  # stays of 30 and 0 days
    assert flow.median_wait == 4.5  # waits of 6 and 3 days
    weekly = queries.fetch_df(db, "capacity/weekly_flow", start=date(2026, 3, 23), end=D)
    assert weekly.to_dict("records") == [
        {"week": date(2026, 3, 23), "days": 7, "referrals": 2, "intakes": 0, "exits": 0},
        {"week": date(2026, 3, 30), "days": 2, "referrals": 1, "intakes": 2, "exits": 2},
    ]


def test_capacity_change_mid_period(db):
    with db.cursor() as cur:
        set_setting(cur, "capacity", date(2026, 3, 16), 62)
        set_setting(cur, "capacity", date(2026, 5, 1), 65)
        for n in range(61):
            enroll(cur, f"a{n}", date(2026, 1, 20), date(2026, 2, 1))
    as_role(db)
    census = queries.fetch_df(db, "capacity/census", start=date(2026, 3, 1), end=D)
    assert set(census.capacity[census.day <= date(2026, 3, 15)]) == {60}
    assert set(census.capacity[census.day >= date(2026, 3, 16)]) == {62}
    assert window(db, date(2026, 3, 1), D).days_at_capacity == 15  # 61 >= 60 until 15 March
    assert cap.open_slots(census.active.iloc[-1], census.capacity.iloc[-1]) == 1
    ahead = queries.fetch_df(
        db, "capacity/capacity_ahead", start=date(2026, 4, 29), end=date(2026, 5, 2)
    )
    assert list(ahead.capacity) == [62, 62, 65, 65]


def test_overdue_after_the_intake_window_in_force(db):
    with db.cursor() as cur:
        set_setting(cur, "intake_window_days", D + timedelta(days=1), 45)
        enroll(cur, "on_time", date(2026, 3, 1))  # 30 days on D: not yet overdue
        enroll(cur, "late", date(2026, 2, 28))  # 31 days on D: overdue
        enroll(cur, "taken_in", date(2026, 2, 1), date(2026, 3, 15))
        enroll(cur, "closed", date(2026, 1, 1), None, date(2026, 3, 1))
    as_role(db)
    now = census_on(db, D)
    assert (now.pending, now.overdue) == (2, 1)
    assert census_on(db, D + timedelta(days=1)).overdue == 0  # window now 45 days
    ages = queries.fetch_df(db, "capacity/pending_ages", day=D)
    assert list(zip(ages.age_days, ages.pending, strict=True)) == [(30, 1), (31, 1)]


def test_intake_delays_say_who_waited_at_a_full_program(db):
    with db.cursor() as cur:
        set_setting(cur, "capacity", date(2026, 1, 1), 1)
        enroll(cur, "first", date(2026, 2, 20), date(2026, 2, 25), date(2026, 3, 5))
        enroll(cur, "waited", date(2026, 3, 1), date(2026, 3, 5))  # full 1-4 March
        enroll(cur, "free", date(2026, 2, 10), date(2026, 2, 12), date(2026, 2, 15))  # empty
    as_role(db)
    delays = queries.fetch_df(db, "capacity/intake_delays", start=date(2026, 2, 1), end=D)
    assert list(delays.itertuples(index=False, name=None)) == [
        (2, False, 1),
        (4, True, 1),
        (5, False, 1),
    ]
    first_only = queries.fetch_df(
        db, "capacity/intake_delays", start=date(2026, 2, 25), end=date(2026, 2, 25)
    )
    assert list(first_only.itertuples(index=False, name=None)) == [(5, False, 1)]


def test_forecast_inputs_from_the_database(db):
    """Recent rates over 2-31 March: referrals per day, exits per active person-day, and
    the referral → intake delays to draw from."""
    with db.cursor() as cur:
        enroll(cur, "a", date(2026, 2, 1), date(2026, 2, 3), date(2026, 3, 21))
        enroll(cur, "b", date(2026, 2, 1), date(2026, 2, 11))
        for n in range(30):
            enroll(cur, f"r{n}", date(2026, 3, 2) + timedelta(days=n))
    as_role(db)
    first = date(2026, 3, 2)
    figures = window(db, first, D)
    delays = queries.fetch_df(db, "capacity/intake_delays", start=date(2026, 2, 1), end=D)
    rates = forecast.estimate(figures, delays)
    assert rates.referrals_per_day == 1.0
    # a: active 2-20 March (19 days); b: all 30 days; one exit in 49 active person-days
    assert (figures.active_days, figures.exits) == (49, 1)
    assert rates.exit_rate == pytest.approx(1 / 49)
    assert sorted(rates.delays) == [2, 10]
    assert rates.closure_rate == 0
    assert not rates.delays_exclude_full  # fewer than 20 delays without a full program


# --- the queue simulation ---------------------------------------------------------------


WINDOW = {
    "days": 30,
    "referrals": 15,
    "exits": 3,
    "active_days": 1500,
    "closures": 0,
    "pending_days": 0,
}


def test_delays_of_people_who_waited_at_a_full_program_are_left_out_when_enough_others():
    delays = pd.DataFrame(
        {"delay_days": [4, 30], "waited_at_capacity": [False, True], "intakes": [20, 5]}
    )
    rates = forecast.estimate(WINDOW, delays)
    assert rates.delays_exclude_full and sorted(set(rates.delays)) == [4]
    assert (rates.referrals_per_day, rates.exit_rate, rates.mean_stay_days) == (0.5, 0.002, 500)
    fewer = delays.assign(intakes=[19, 5])
    assert sorted(set(forecast.estimate(WINDOW, fewer).delays)) == [4, 30]


def test_no_intake_no_forecast():
    none = pd.DataFrame({"delay_days": [], "waited_at_capacity": [], "intakes": []})
    assert forecast.estimate(WINDOW, none) is None


def start(active=40, capacity=60, ages=(), horizon=120, day=D):
    return forecast.Start(day, active, np.array(ages, dtype=int), np.full(horizon, capacity))


def rates(per_day=0.5, exit_rate=0.0, closure_rate=0.0, delays=(0,)):
    return forecast.Rates(per_day, exit_rate, closure_rate, np.array(delays), True)


def test_forecast_is_reproducible_with_its_seed():
    one = forecast.simulate(start(), rates(exit_rate=0.01, delays=(0, 5, 9)), seed=7)
    two = forecast.simulate(start(), rates(exit_rate=0.01, delays=(0, 5, 9)), seed=7)
    other = forecast.simulate(start(), rates(exit_rate=0.01, delays=(0, 5, 9)), seed=8)
    assert np.array_equal(one.active, two.active) and np.array_equal(one.pending, two.pending)
    assert not np.array_equal(one.active, other.active)


def test_steady_intake_without_exits_reaches_capacity_on_the_expected_day():
    """20 open slots at 0.5 referrals a day, taken in at once, nobody leaves: full after
    20 / 0.5 = 40 days (the 20th arrival of a Poisson process: mean 40, sd 8.9 days)."""
    result = forecast.simulate(start(), rates())
    share, median, low, high = result.reaches_capacity()
    assert share == 1.0
    assert abs((median - D).days - 40) <= 2
    assert 26 <= (low - D).days <= 32 and 48 <= (high - D).days <= 54
    assert (result.active <= 60).all()
    assert result.band().active_median.iloc[-1] == 60


def test_what_if_referrals_bring_the_cap_forward():
    """No referrals of its own; 30 extra a month = 0.986 a day: 20 slots in about 20 days."""
    result = forecast.simulate(start(), rates(per_day=0), extra_per_month=30)
    _, median, _, _ = result.reaches_capacity()
    assert abs((median - D).days - 20) <= 2


def test_no_referrals_never_reach_capacity():
    result = forecast.simulate(start(horizon=60), rates(per_day=0))
    assert result.reaches_capacity() == (0.0, None, None, None)


def test_full_program_takes_in_the_waiting_list_when_capacity_rises():
    """Full, five referrals ready and waiting, capacity 60 → 63 on day 10: three are taken
    in on day 10, two keep waiting, in every run."""
    capacity = np.array([60] * 9 + [63] * 21)
    begin = forecast.Start(D, 60, np.array([40, 40, 40, 40, 40]), capacity)
    result = forecast.simulate(begin, rates(per_day=0, delays=(3,)), runs=20)
    assert (result.active[:, :9] == 60).all() and (result.active[:, 9:] == 63).all()
    assert (result.pending[:, :9] == 5).all() and (result.pending[:, 9:] == 2).all()


def test_waiting_referrals_keep_their_remaining_delay():
    """Referred 4 days ago, delays of 10 days: ready on day 6, with open slots."""
    begin = start(active=0, ages=[4], horizon=10)
    result = forecast.simulate(begin, rates(per_day=0, delays=(10,)), runs=5)
    assert (result.pending[:, :5] == 1).all() and (result.active[:, 5:] == 1).all()


def test_exits_open_slots_for_the_queue_and_waits_are_measured():
    """Full with exits at 1 in 60 a day and 2 referrals a day: the queue grows and waits
    lengthen; every simulated wait is at least the intake delay."""
    result = forecast.simulate(
        start(active=60, horizon=365), rates(per_day=2, exit_rate=1 / 60, delays=(3,))
    )
    band = result.band()
    assert band.pending_median.iloc[89] > band.pending_median.iloc[29] > 10
    assert result.waits.min() >= 3
    assert result.wait_days()[0] > 3


def test_program_over_capacity_all_horizon_keeps_its_census_and_queue():
    """400 active for 60 places, 1 in 500 leave a day: never under the cap in 200 days, so
    nobody is taken in. The waiting list is then the 50 waiting and 2 new a day, each
    closed at 2% a day: expected 50 q^d + 2 (1 - q^d) / (1 - q), q = 0.98."""
    begin = start(active=400, ages=[5] * 50, horizon=200)
    result = forecast.simulate(begin, rates(per_day=2, exit_rate=1 / 500, closure_rate=0.02))
    q, days = 0.98, np.arange(1, 201)
    expected = 50 * q**days + 2 * (1 - q**days) / (1 - q)
    assert np.allclose(result.pending.mean(axis=0), expected, rtol=0.04)
    assert np.allclose(result.active.mean(axis=0), 400 * (1 - 1 / 500) ** days, rtol=0.01)
    assert (np.diff(result.active, axis=1) <= 0).all()  # nobody taken in
    assert result.wait_days() is None and result.reaches_capacity()[0] == 1.0
    # of those referred in days 1..90, the share closed by day 200
    share = np.mean([1 - q ** (200 - t) for t in range(1, 91)])
    assert abs(result.closed_share - share) < 0.01


# --- the page, over the demo data ---------------------------------------------------------


@pytest.fixture
def demo_conn(demo_url):
    conn = psycopg2.connect(demo_url)
    yield conn
    conn.close()


def scalar(conn, sql, *params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone()[0]


def metric(at, label):
    return next(m for m in at.metric if m.label == label)


PENDING = (
    "SELECT count(*) FROM enrollment WHERE referred_on <= %s"
    " AND coalesce(intake_on, 'infinity') > %s AND coalesce(exited_on, 'infinity') > %s"
)
ACTIVE = (
    "SELECT count(*) FROM enrollment WHERE intake_on <= %s AND coalesce(exited_on, 'infinity') > %s"
)


CASELOADS = (
    "SELECT m.name, count(e.*) FROM case_manager m LEFT JOIN enrollment e"
    " ON e.case_manager_id = m.case_manager_id AND e.intake_on <= %(d)s"
    " AND coalesce(e.exited_on, 'infinity') > %(d)s GROUP BY m.name"
)


def census_tiles_and_caseloads(at, conn, day) -> list[tuple]:
    """Check the Open slots and Pending intakes tiles against independent counts on
    ``day``; return the true caseloads (name, active participants) on it."""
    active = scalar(conn, ACTIVE, day, day)
    pending = scalar(conn, PENDING, day, day, day)
    assert metric(at, "Open slots").value == str(max(60 - active, 0))
    assert metric(at, "Pending intakes").value == str(pending)
    with conn.cursor() as cur:
        cur.execute(CASELOADS, {"d": day})
        return cur.fetchall()


def page_text(at) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize("role", ["case_manager", "admin"])
def test_page_figures_equal_independent_counts(app, demo_conn, role):
    at = app(role, "capacity/page.py")
    at.run()
    assert not at.exception
    day = scalar(demo_conn, "SELECT max(occurred_at)::date FROM contact")
    assert at.date_input(key="capacity_as_of").value == day
    caseloads = census_tiles_and_caseloads(at, demo_conn, day)
    caseload_table = next(f.value for f in at.dataframe if "Case manager" in f.value.columns)
    table = caseload_table.set_index("Case manager")["Active participants"]
    assert len(table) == len(caseloads) == 5
    for name, n in caseloads:
        assert table[name] == str(n)
    assert "Definitions" in page_text(at)
    assert "Poisson" in page_text(at)


DOORS = """
    SELECT e.door, count(*) FILTER (WHERE e.referred_on BETWEEN %(first)s AND %(day)s),
           count(*) FILTER (WHERE e.intake_on BETWEEN %(first)s AND %(day)s),
           count(*) FILTER (WHERE e.intake_on <= %(day)s
                              AND coalesce(e.exited_on, 'infinity') > %(day)s),
           count(*) FILTER (WHERE e.referred_on BETWEEN %(first)s AND %(day)s
                              AND e.handoff_at - c.occurred_at <= interval '30 minutes')
    FROM enrollment e LEFT JOIN contact c USING (contact_id)
    GROUP BY e.door
"""
WIND = """
    SELECT count(*) FROM enrollment e
    WHERE e.intake_on <= %(day)s AND coalesce(e.exited_on, 'infinity') > %(day)s
      AND e.intake_on <= %(day)s - 30
      AND NOT EXISTS (SELECT 1 FROM case_meeting m WHERE m.enrollment_id = e.enrollment_id
                      AND m.met_on BETWEEN %(day)s - 29 AND %(day)s)
"""


def test_referral_doors_and_in_the_wind_equal_independent_counts(app, demo_conn):
    at = app("case_manager", "capacity/page.py")
    at.run()
    assert not at.exception
    day = at.date_input(key="capacity_as_of").value
    first = day - timedelta(days=29)  # the sidebar's default period: 30 days
    with demo_conn.cursor() as cur:
        cur.execute(DOORS, {"first": first, "day": day})
        counted = {door: rest for door, *rest in cur.fetchall()}
        cur.execute(WIND, {"day": day})
        wind = cur.fetchone()[0]
    table = next(f.value for f in at.dataframe if "Door" in f.value.columns).set_index("Door")
    for door, label in (("arrest", "Arrest diversion"), ("social_contact", "Social contact")):
        referrals, intakes, active, within = counted.get(door, (0, 0, 0, 0))
        row = table.loc[label]
        assert (row["Referrals"], row["Intakes"], row["Active at end"]) == (
            referrals, intakes, active,
        )  # fmt: skip
        expected = f"{within} of {referrals} (" if referrals else "–"
        assert row["Within target"].startswith(expected)
    assert table.loc["Total", "Active at end"] == sum(c[2] for c in counted.values())
    assert pd.isna(table.loc["Community referral", "Warm handoffs"])  # no handoff: "n/a"
    caseloads = next(f.value for f in at.dataframe if "In the wind" in f.value.columns)
    assert caseloads["In the wind"].astype(int).sum() == wind
    assert "of active participants" in page_text(at)


@pytest.mark.parametrize("role", ["command", "leadership"])
def test_release_roles_see_the_census_and_numbered_protected_caseloads(
    app, demo_conn, released, role
):
    at = app(role, "capacity/page.py")
    at.run()
    assert not at.exception
    day = scalar(demo_conn, "SELECT max(occurred_at)::date FROM contact")
    kind = at.segmented_control(key="capacity_release_kind").value
    release_id = at.selectbox(key=f"capacity_release_{kind}").value
    last = scalar(demo_conn, "SELECT last_day FROM release WHERE release_id = %s", release_id)
    assert last == day  # the demo ends on a month's last day: the default month ends then
    true = sorted(n for _name, n in census_tiles_and_caseloads(at, demo_conn, day))
    table = next(f.value for f in at.dataframe if "Case manager" in f.value.columns)
    shown = [v for v in table["Active participants"] if v.isdigit()]
    assert all(int(v) in true for v in shown) and all(int(v) > 10 for v in shown)
    hidden = [v for v in table["Active participants"] if not v.isdigit()]
    assert set(hidden) <= {"<11", "suppressed"}
    assert len([n for n in true if 1 <= n <= 10]) <= hidden.count("<11")
    assert "Poisson" not in page_text(at)  # the forecast needs person-level waits


def test_as_of_date_moves_every_figure(app, demo_conn):
    at = app("case_manager", "capacity/page.py")
    at.run()
    day = date(2024, 2, 1)
    at.date_input(key="capacity_as_of").set_value(day).run()
    assert not at.exception
    active = scalar(demo_conn, ACTIVE, day, day)
    pending = scalar(demo_conn, PENDING, day, day, day)
    assert active < 60
    assert metric(at, "Open slots").value == str(60 - active)
    assert metric(at, "Pending intakes").value == str(pending)
    assert "reaches capacity" in page_text(at) or "not expected to bind" in page_text(at)
    assert "is **full**" not in page_text(at)


def test_what_if_referrals_move_the_projection(app):
    at = app("case_manager", "capacity/page.py")
    at.run()
    at.date_input(key="capacity_as_of").set_value(date(2024, 2, 1)).run()
    before = page_text(at)
    at.number_input(key="capacity_extra").set_value(15).run()
    assert not at.exception
    after = page_text(at)
    assert after != before
    assert "+15" in at.dataframe[-1].value.Value.tolist()
    assert "reaches capacity around" in after


FULL_WITH_A_QUEUE = """
    SELECT max(d)::date FROM generate_series(
        (SELECT max(occurred_at)::date - 180 FROM contact),
        (SELECT max(occurred_at)::date FROM contact), '1 day') AS d
    WHERE (SELECT count(*) FROM enrollment WHERE intake_on <= d
             AND coalesce(exited_on, 'infinity') > d) = 60
      AND (SELECT count(*) FROM enrollment WHERE referred_on <= d
             AND coalesce(intake_on, 'infinity') > d AND coalesce(exited_on, 'infinity') > d) > 0
"""


def test_full_program_forecasts_the_waiting_list(app, demo_conn):
    """On the demo's last day in the last six months with a full program and a queue."""
    day = scalar(demo_conn, FULL_WITH_A_QUEUE)
    assert day is not None and scalar(demo_conn, ACTIVE, day, day) == 60
    at = app("case_manager", "capacity/page.py")
    at.run()
    at.date_input(key="capacity_as_of").set_value(day).run()
    assert not at.exception
    assert "is **full**" in page_text(at)
    assert "waits a median" in page_text(at)


@pytest.mark.browser
def test_page_in_chromium(browser_page):
    page = browser_page
    open_page(page, "case_manager", "Program capacity", height=4600)  # the whole page in one view
    page.get_by_role("heading", name="LEAD Ops · Program capacity").wait_for()
    page.get_by_text("How is this calculated?").wait_for(timeout=60_000)
    extra = page.get_by_label("What-if: extra referrals per month")
    extra.fill("10")
    extra.press("Enter")
    page.get_by_text("Projected census with +10 referrals a month").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    charts = page.locator("[data-testid='stVegaLiteChart']")
    assert charts.count() == 5
    assert all(chart.locator(".marks").count() for chart in charts.all())  # each drawn
    screenshot(page, "capacity_case_manager")
    assert not [u for u in page.refused_requests if u.split("?")[0].endswith((".js", ".css"))]
