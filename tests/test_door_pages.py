"""Service referrals by referral door on the Referral outcomes and Review pages, for every
role (issue 20), from a hand-made pilot with known answers.

The pilot runs from 5 Jan to 31 Mar 2026 (its first and last contacts). Eight
enrollments (three arrest diversions, three social contacts, two community referrals)
get 59 housing referrals, all made in March, with every count by door and outcome 0 or
at least 11, so that a release publishes each of them as it is:

    door            pending  engaged  completed  declined  no_show  Total
    arrest                0       12          0        11        0     23
    social contact       13       11          0         0        0     24
    community             0        0         12         0        0     12
    Total                13       23         12        11        0     59

Case managers and administrators read these exact figures for March 2026; police command
and BHSB leadership read them from the March 2026 release (computed here with
``releases.refresh``), on both pages.
"""

from datetime import date

import pandas as pd
import pytest

from db.connect import connect
from program.outcomes import OUTCOME_LABELS
from releases import refresh
from tests.support.pages import dashboard

# contact id, pathway, day (a contact at noon)
CONTACTS = [
    ("c0", "arrest", "2026-01-05"),  # the pilot's first day
    ("c1", "arrest", "2026-01-10"),
    ("c2", "arrest", "2026-02-03"),
    ("c3", "arrest", "2026-03-01"),
    ("c4", "social_contact", "2026-01-20"),
    ("c5", "social_contact", "2026-02-10"),
    ("c6", "social_contact", "2026-02-25"),
    ("c7", "arrest", "2026-03-31"),  # the as-of date
]
# id, door, contact, referred, intake
ENROLLMENTS = [
    ("a1", "arrest", "c1", "2026-01-10", "2026-01-12"),
    ("a2", "arrest", "c2", "2026-02-03", "2026-02-05"),
    ("a3", "arrest", "c3", "2026-03-01", "2026-03-02"),
    ("s1", "social_contact", "c4", "2026-01-20", "2026-01-22"),
    ("s2", "social_contact", "c5", "2026-02-10", "2026-02-11"),
    ("s3", "social_contact", "c6", "2026-02-25", "2026-02-26"),
    ("k1", "community", None, "2026-01-15", "2026-01-16"),
    ("k2", "community", None, "2026-02-15", "2026-02-16"),
]
# (enrollments taking turns, outcome, how many, referred on, outcome on): engaged
# referrals all engage 5 days after referral (one bin of days to engagement)
REFERRALS = [
    (("a1", "a2", "a3"), "engaged", 12, "2026-03-05", "2026-03-10"),
    (("a1", "a2", "a3"), "declined", 11, "2026-03-06", "2026-03-20"),
    (("s1", "s2", "s3"), "engaged", 11, "2026-03-09", "2026-03-14"),
    (("s1", "s2", "s3"), "pending", 13, "2026-03-16", None),
    (("k1", "k2"), "completed", 12, "2026-03-02", "2026-03-25"),
]
DOOR_ROWS = ["Arrest diversion", "Social contact", "Community referral", "Total"]
OUTCOME_COLUMNS = ["pending", "engaged", "completed", "declined", "no_show", "Total"]
EXPECTED = [
    [0, 12, 0, 11, 0, 23],
    [13, 11, 0, 0, 0, 24],
    [0, 0, 12, 0, 0, 12],
    [13, 23, 12, 11, 0, 59],
]
MARCH = {"filter_preset": "Custom", "filter_custom_range": (date(2026, 3, 1), date(2026, 3, 31))}
ROLES = ("command", "leadership", "case_manager", "admin")


@pytest.fixture(scope="module")
def door_pilot(database_url):
    """The hand-made pilot, committed, with its releases stored."""
    from tests.conftest import reset_data

    conn = connect(database_url)
    reset_data(conn)
    with conn.cursor() as cur:
        cur.execute("INSERT INTO case_manager VALUES ('m1', 'M1', 'BCRI', NULL, 'h')")
        for cid, pathway, day in CONTACTS:
            cur.execute(
                "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
                " row_hash) VALUES (%s, %s::date + time '12:00',"
                " ST_SetSRID(ST_MakePoint(-76.62175, 39.29189), 4326), 'drug', %s, 'diverted',"
                " 'h')",
                (cid, day, pathway),
            )
        for eid, door, cid, referred, intake in ENROLLMENTS:
            cur.execute(
                "INSERT INTO enrollment (enrollment_id, person_key, door, contact_id,"
                " referred_on, intake_on, case_manager_id, row_hash)"
                " VALUES (%s, %s, %s, %s, %s, %s, 'm1', 'h')",
                (eid, f"p-{eid}", door, cid, referred, intake),
            )
        n = 0
        for enrollments, outcome, count, referred, outcome_on in REFERRALS:
            for i in range(count):
                n += 1
                cur.execute(
                    "INSERT INTO service_referral (referral_id, enrollment_id, service,"
                    " referred_on, outcome, outcome_on, row_hash)"
                    " VALUES (%s, %s, 'housing', %s, %s, %s, 'h')",
                    (f"r{n}", enrollments[i % len(enrollments)], referred, outcome, outcome_on),
                )
    conn.commit()
    refresh(conn)
    conn.close()
    return database_url


@pytest.fixture
def page(door_pilot, monkeypatch):
    """Open a page as a role on the pilot, March 2026 in the sidebar."""
    from tests.conftest import app_login

    monkeypatch.setenv("DATABASE_URL", app_login(door_pilot))

    def make(role: str, name: str):
        at = dashboard({"username": f"t-{role}", "role": role}, name)
        for key, value in MARCH.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return make


# The Review prints its tables with plain column names ("No-show (referrals)", reports.tables)
PLAIN_NAMES = {f"{label} (referrals)": key for key, label in OUTCOME_LABELS.items()} | {
    "Total (referrals)": "Total"
}


def door_outcomes(at) -> pd.DataFrame:
    """The one table of service referrals by door and outcome on the page (by outcome key)."""
    tables = [f.value.rename(columns=PLAIN_NAMES) for f in at.dataframe]
    found = [t for t in tables if "Door" in t.columns and "no_show" in t.columns]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0]


def as_numbers(table: pd.DataFrame) -> list[list[int]]:
    assert list(table["Door"]) == DOOR_ROWS
    assert list(table.columns[1:]) == OUTCOME_COLUMNS
    return [[int(str(v).replace(",", "")) for v in row] for row in table[OUTCOME_COLUMNS].values]


@pytest.mark.parametrize("role", ROLES)
def test_referral_outcomes_shows_service_referrals_by_door(page, role):
    at = page(role, "outcomes/page.py")
    assert as_numbers(door_outcomes(at)) == EXPECTED
    if role in ("command", "leadership"):  # from the March release, not the exact query
        assert any("Release: **March 2026" in c.value for c in at.caption)


@pytest.mark.parametrize("role", ROLES)
def test_the_review_shows_service_referrals_by_door(page, role):
    at = page(role, "review/page.py")
    assert [h.value for h in at.subheader][0].startswith("Month review · 01 Mar 2026")
    assert as_numbers(door_outcomes(at)) == EXPECTED


PLAIN_OUTCOMES = [
    "Pending (referrals)", "Engaged (referrals)", "Completed (referrals)",
    "Declined (referrals)", "No-show (referrals)", "Total (referrals)",
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_both_pages_name_the_outcomes_of_the_door_table_in_plain_words(page, role):
    """The same plain column names on Referral outcomes and Review (one naming helper),
    written out here, not read from the code."""
    for name in ("outcomes/page.py", "review/page.py"):
        at = page(role, name)
        tables = [f.value for f in at.dataframe if "Door" in f.value.columns]
        found = [t for t in tables if "No-show (referrals)" in t.columns]
        assert len(found) == 1, (name, [list(t.columns) for t in tables])
        assert list(found[0].columns) == ["Door", *PLAIN_OUTCOMES], name
        for table in tables:
            assert not set(table.columns) & set(OUTCOME_LABELS), (name, list(table.columns))


@pytest.mark.parametrize("name", ["capacity/page.py", "review/page.py"])
def test_warm_handoffs_by_door_is_a_column_of_numbers_blank_for_community_referrals(page, name):
    """The exact door table's warm handoffs reach the page as numbers (a column mixing
    text with numbers would be sent as text: Arrow cannot hold both); community
    referrals have no officer's contact, so theirs is missing, shown as "n/a"."""
    at = page("case_manager", name)
    table = next(f for f in at.dataframe if any(c.startswith("Intakes") for c in f.value.columns))
    column = next(c for c in table.value.columns if c.startswith("Warm handoffs"))
    handoffs = table.value.set_index("Door")[column]
    assert pd.api.types.is_numeric_dtype(handoffs.dtype), handoffs.dtype
    assert pd.isna(handoffs["Community referral"])
    # the pilot's three arrest diversions and three social contacts, none handed off warm
    assert list(handoffs.drop("Community referral")) == [0, 0, 0]
    assert table.proto.placeholder == "n/a"
