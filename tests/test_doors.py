"""Referral doors, the warm handoff and caseloads with participants in the wind (issue 20).

A hand-made scenario (contacts, enrollments through the three doors, handoff times,
case-manager meetings, service referrals) read through the queries as a case manager; the
expected figures are counted by hand in the comments. Command and leadership are refused
the functions: they read the releases (tests/test_releases.py, test_release_attack.py).
"""

from datetime import date

import pandas as pd
import psycopg2
import pytest

import queries
from tests.support.sql import dated_setting

START, END = date(2026, 3, 1), date(2026, 3, 31)

# contact id, pathway, occurred_at (UTC)
CONTACTS = [
    ("c1", "arrest", "2026-03-02T10:00Z"),
    ("c2", "social_contact", "2026-03-05T22:00Z"),
    ("c3", "arrest", "2026-03-10T09:00Z"),
    ("c4", "social_contact", "2026-03-12T12:00Z"),
]
# id, door, contact, referred, intake, exited, manager, handoff_at (UTC)
ENROLLMENTS = [
    ("e1", "arrest", "c1", "2026-03-02", "2026-03-04", None, "m1", "2026-03-02T10:20Z"),  # 20 min
    ("e2", "social_contact", "c2", "2026-03-05", "2026-03-08", None, "m1", "2026-03-05T22:45Z"),
    ("e3", "arrest", "c3", "2026-03-10", None, None, None, None),  # no handoff, no intake
    ("e4", "social_contact", "c4", "2026-03-12", "2026-03-15", None, "m2", "2026-03-12T12:30Z"),
    ("e5", "community", None, "2026-03-20", "2026-03-21", None, "m2", None),
    ("e6", "community", None, "2026-01-05", "2026-01-06", None, "m2", None),
    ("e8", "social_contact", None, "2026-01-10", "2026-01-12", None, "m1", None),
    ("e9", "social_contact", None, "2026-02-01", "2026-02-02", "2026-02-20", "m1", None),
]
MEETINGS = [("e6", "2026-01-20"), ("e8", "2026-03-15"), ("e1", "2026-03-04")]
# id, enrollment, referred, outcome, outcome_on
SERVICES = [
    ("s1", "e1", "2026-03-05", "engaged", "2026-03-10"),
    ("s2", "e2", "2026-03-09", "declined", "2026-04-02"),  # after the window: pending
    ("s3", "e5", "2026-03-22", "completed", "2026-03-30"),
    ("s4", "e6", "2026-02-10", "engaged", "2026-02-20"),  # referred before the window
]


@pytest.fixture
def doors(db):
    with db.cursor() as cur:
        for manager in ("m1", "m2"):
            cur.execute(
                "INSERT INTO case_manager VALUES (%s, %s, 'BCRI', NULL, 'h')",
                (manager, manager.upper()),
            )
        for cid, pathway, at in CONTACTS:
            cur.execute(
                "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
                " row_hash) VALUES (%s, %s, ST_SetSRID(ST_MakePoint(-76.62, 39.29), 4326),"
                " 'drug', %s, 'diverted', 'h')",
                (cid, at, pathway),
            )
        for eid, door, cid, referred, intake, exited, manager, handoff in ENROLLMENTS:
            cur.execute(
                "INSERT INTO enrollment (enrollment_id, person_key, door, contact_id, referred_on,"
                " intake_on, exited_on, case_manager_id, handoff_at, row_hash)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, 'h')",
                (eid, f"p-{eid}", door, cid, referred, intake, exited, manager, handoff),
            )
        cur.executemany(
            "INSERT INTO case_meeting (enrollment_id, met_on) VALUES (%s, %s)", MEETINGS
        )
        cur.executemany(
            "INSERT INTO service_referral (referral_id, enrollment_id, service, referred_on,"
            " outcome, outcome_on, row_hash) VALUES (%s, %s, 'housing', %s, %s, %s, 'h')",
            SERVICES,
        )
        cur.execute("SET LOCAL ROLE lead_case_manager")
    return db


def flow(db):
    frame = queries.fetch_df(db, "doors/flow", start=START, end=END)
    return {r.door: r for r in frame.itertuples(index=False)}


def test_referrals_intakes_active_and_handoffs_by_door(doors):
    got = flow(doors)
    assert list(got) == ["arrest", "social_contact", "community"]
    columns = ("referrals", "intakes", "active", "handoffs", "within_target")
    table = {door: tuple(int(getattr(row, c)) for c in columns) for door, row in got.items()}
    assert table == {
        "arrest": (2, 1, 1, 1, 1),  # e1, e3; e1; e1; e1 in 20 minutes
        "social_contact": (2, 2, 3, 2, 1),  # e2, e4; e2, e4; + e8; 45 and 30 minutes
        "community": (1, 1, 2, 0, 0),  # e5; e5; e5, e6; no officer, no handoff
    }
    assert got["arrest"].median_handoff == 20
    assert got["social_contact"].median_handoff == 37.5
    assert pd.isna(got["community"].median_handoff)


def test_the_handoff_target_is_the_setting_in_force_on_the_referral_day(doors):
    dated_setting(doors, "warm_handoff_target_minutes", "2026-03-12", 25)
    got = flow(doors)
    assert (got["arrest"].within_target, got["social_contact"].within_target) == (1, 0)


def test_service_referrals_by_door_and_outcome_known_on_the_last_day(doors):
    frame = queries.fetch_df(doors, "doors/outcomes", start=START, end=END)
    assert list(frame.itertuples(index=False, name=None)) == [
        ("arrest", "engaged", 1),
        ("community", "completed", 1),
        ("social_contact", "pending", 1),
    ]


def caseloads(db, day=END):
    frame = queries.fetch_df(db, "capacity/caseloads", day=day)
    return {r.case_manager: (r.caseload, r.in_the_wind) for r in frame.itertuples()}


def test_in_the_wind_is_no_meeting_nor_intake_in_the_last_30_days(doors):
    # m1: e1, e2 (intakes in March), e8 (met 15 March); m2: e4, e5 (March intakes), e6
    # (intake 6 January, last met 20 January: in the wind)
    assert caseloads(doors) == {"M1": (3, 0), "M2": (3, 1)}


def test_in_the_wind_days_is_a_dated_setting(doors):
    doors.cursor().execute("RESET ROLE")
    with doors.cursor() as cur:
        cur.execute(
            "INSERT INTO program_setting (key, effective_from, value)"
            " VALUES ('in_the_wind_days', %s, 10)",
            (END,),
        )
        cur.execute("SET LOCAL ROLE lead_case_manager")
    # 10 days ending on 31 March start on 22 March: nobody met or taken in since
    assert caseloads(doors) == {"M1": (3, 3), "M2": (3, 3)}
    assert caseloads(doors, date(2026, 3, 30)) == {"M1": (3, 0), "M2": (3, 1)}


@pytest.mark.parametrize("role", ["command", "leadership"])
@pytest.mark.parametrize("name", ["doors/flow", "doors/outcomes"])
def test_command_and_leadership_may_not_run_the_door_functions(doors, role, name):
    doors.cursor().execute(f"SET LOCAL ROLE lead_{role}")  # noqa: S608 (fixed role names)
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        queries.fetch_df(doors, name, start=START, end=END)
