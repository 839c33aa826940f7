"""The Settings page (admins): the program rules in force today, and a change that adds a
value from a date on without rewriting history, audited, dated by Baltimore's calendar."""

import time
from datetime import UTC, date, datetime

import pytest

from program import clock
from tests.support.sql import fetch

# New Year's Day three years on: after today, within the date picker's ten years.
FUTURE = date(clock.today().year + 3, 1, 1)


@pytest.fixture
def far_from_baltimore(monkeypatch):
    """The server's own zone is UTC+14, a calendar day ahead of Baltimore for most hours."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def future_change(demo_url):
    """Removes the future setting value a test adds to the shared demo database."""
    yield FUTURE
    fetch(demo_url, "DELETE FROM program_setting WHERE effective_from = %s", (FUTURE,))


def test_settings_in_force_today_are_listed_with_their_meaning(app, demo_url):
    at = app("admin", "settings/page.py")
    at.run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("key")
    expected = fetch(
        demo_url,
        "SELECT DISTINCT ON (key) key, value FROM program_setting "
        "WHERE effective_from <= %s ORDER BY key, effective_from DESC",
        (clock.today(),),
    )
    assert {key: float(table.value[key]) for key in table.index} == {
        key: float(value) for key, value in expected
    }
    assert table.note.notna().all()


def test_settings_show_labels_with_units_and_since_the_start_not_raw_keys(app, demo_url):
    from program.settings import LABELS

    at = app("admin", "settings/page.py")
    at.run()
    frame = at.dataframe[0]
    table = frame.value.set_index("key")
    assert set(table.index) <= set(LABELS)  # every stored key has a plain label
    shown = frame.proto.column_order
    assert list(shown) == ["setting", "shown", "since", "note"]  # the raw key is not shown
    assert table.setting["capacity"] == "Program capacity"
    assert table.shown["capacity"].endswith(" participants")
    assert table.shown["target_capacity_use_pct"].endswith("%")
    (started,) = fetch(
        demo_url, "SELECT effective_from FROM program_setting WHERE key = 'caseload_flag'"
    )[0]
    assert started == date(1900, 1, 1) and table.since["caseload_flag"] == "since the start"
    assert not any(
        "1900" in str(v) for v in table[["setting", "shown", "since"]].to_numpy().ravel()
    )
    labels = at.selectbox(key="setting_key").options
    assert "Program capacity" in labels and "capacity" not in labels


def test_a_new_value_starts_on_baltimores_date_whatever_the_servers_zone(app, far_from_baltimore):
    baltimore = datetime.now(UTC).astimezone(clock.BALTIMORE).date()
    at = app("admin", "settings/page.py")
    at.run()
    assert not at.exception
    assert at.date_input(key="setting_from").value == baltimore


def test_a_change_adds_a_dated_value_keeps_todays_and_is_audited(app, demo_url, future_change):
    (before,) = fetch(demo_url, "SELECT count(*) FROM program_setting")
    (last_audit,) = fetch(demo_url, "SELECT coalesce(max(audit_id), 0) FROM audit_log")[0]
    at = app("admin", "settings/page.py")
    at.run()
    today_value = float(at.dataframe[0].value.set_index("key").value["capacity"])
    at.selectbox(key="setting_key").select("capacity")
    at.number_input(key="setting_value").set_value(75)
    at.date_input(key="setting_from").set_value(future_change)
    at.button[0].click().run()
    assert not at.exception
    assert f"Program capacity is 75 participants from 01 Jan {FUTURE.year}." in [
        s.value for s in at.success
    ]
    assert fetch(demo_url, "SELECT count(*) FROM program_setting") == [(before[0] + 1,)]
    assert fetch(
        demo_url,
        "SELECT value FROM program_setting WHERE key = 'capacity' AND effective_from = %s",
        (future_change,),
    ) == [(75,)]
    assert float(at.dataframe[0].value.set_index("key").value["capacity"]) == today_value
    assert fetch(
        demo_url,
        "SELECT actor, role, action, target, outcome FROM audit_log WHERE audit_id > %s "
        "AND action = 'change_setting'",
        (last_audit,),
    ) == [("admin", "admin", "change_setting", "capacity", "ok")]
