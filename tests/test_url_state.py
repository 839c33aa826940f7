"""The shared filters live in the address: read once per session, written on every run;
what the dashboard does not know falls back to the defaults without a traceback."""

from datetime import date

import pytest

from tests.support.pages import DEMO_END


def filters_of(at):
    return at.session_state["filters"]


def test_the_address_sets_the_period_and_offences(app):
    at = app("case_manager")
    at.query_params.update(period="custom", offence="other,drug")
    at.query_params.update({"from": "2026-09-01", "to": "2026-09-30"})
    at.run()
    assert not at.exception
    f = filters_of(at)
    assert (f.start, f.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert f.offenses == ("drug", "other")
    assert at.selectbox(key="filter_preset").value == "Custom"


def test_a_preset_in_the_address(app):
    at = app("command")
    at.query_params["period"] = "Previous-Month"
    at.run()
    f = filters_of(at)
    assert (f.start, f.end) == (date(2026, 9, 1), date(2026, 9, 30))
    assert f.offenses == ("drug", "prostitution")


@pytest.mark.parametrize(
    "params",
    [
        {"period": "<script>alert(1)</script>", "offence": "drug;DROP TABLE contact"},
        {"period": "custom", "from": "2026-13-01", "to": "yesterday"},
        {"period": "custom", "from": "2026-10-31", "to": "2026-10-01"},  # reversed
        {"period": "custom", "from": "1999-01-01", "to": "2999-01-01"},  # outside the data
        {"period": "x" * 5000, "offence": ",,,"},
    ],
)
def test_unknown_or_hostile_values_fall_back_to_the_defaults(app, params):
    at = app("admin")
    at.query_params.update(params)
    at.run()
    assert not at.exception
    f = filters_of(at)
    assert f.end == DEMO_END
    assert f.offenses == ("drug", "prostitution")
    if params["period"] != "custom":
        assert at.selectbox(key="filter_preset").value == "Last 30 days"
    else:  # a custom period with bad dates: the whole pilot, as the form's default
        assert f.start == f.first


def test_the_filters_in_force_are_written_back(app):
    at = app("admin")
    at.run()
    assert at.query_params["period"] == "last-30-days"
    assert at.query_params["offence"] == "drug,prostitution"
    at.selectbox(key="filter_preset").select("Custom").run()
    at.multiselect(key="filter_offenses").set_value(["prostitution"]).run()
    assert at.query_params["period"] == "custom"
    assert at.query_params["offence"] == "prostitution"
    assert at.query_params["to"] == DEMO_END.isoformat()
    at.selectbox(key="filter_preset").select("Pilot to date").run()
    assert "from" not in at.query_params and "to" not in at.query_params
