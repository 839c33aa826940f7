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


# --- each page's own choices --------------------------------------------------------------

MAP_VIEW = {"layers": "cells,heat", "colour": "rate", "shift": "day,evening", "cell": "250"}


def test_the_address_sets_the_maps_layers_colour_shift_and_cells(app):
    at = app("command", "contacts/page.py")
    at.query_params.update(MAP_VIEW | {"cells": "square", "officer": "yes"})
    at.run()
    assert not at.exception
    assert list(at.button_group(key="contacts_layers").value) == ["cells", "heat"]
    assert at.button_group(key="contacts_colour_by").value == "rate"
    assert at.button_group(key="contacts_shape").value == "square"
    assert at.multiselect(key="contacts_shifts").value == ["day", "evening"]
    assert at.selectbox(key="contacts_cell_m").value == 250
    assert at.selectbox(key="contacts_trained").value == "yes"
    # the widgets lead after the first run, and what they show is written back
    at.button_group(key="contacts_colour_by").set_value("count").run()
    assert at.query_params["colour"] == "count"
    assert at.query_params["layers"] == "cells,heat" and at.query_params["shift"] == "day,evening"


@pytest.mark.parametrize(
    "params",
    [
        {"layers": "points,cells", "colour": "<img src=x onerror=alert(1)>"},  # no points
        {"layers": "cells;DROP TABLE contact", "shift": "day,midnight", "cell": "99999"},
        {"layers": ",,,", "colour": "RATE" * 100, "cells": "circle", "officer": "maybe"},
        {"neighbourhood": "-1", "shift": "x" * 5000, "pathway": "arrest,elsewhere"},
    ],
)
def test_hostile_map_choices_fall_back_to_the_defaults(app, params):
    at = app("leadership", "contacts/page.py")  # leadership sees no points
    at.query_params.update(params)
    at.run()
    assert not at.exception
    assert "points" not in at.button_group(key="contacts_layers").options
    assert "points" not in list(at.button_group(key="contacts_layers").value)
    assert at.button_group(key="contacts_colour_by").value == "count"
    assert at.button_group(key="contacts_shape").value == "hexagon"
    assert at.selectbox(key="contacts_cell_m").value == 100
    assert at.selectbox(key="contacts_gi_order").value == 1
    assert at.selectbox(key="contacts_trained").value == "any"
    assert at.multiselect(key="contacts_shifts").value == []
    assert at.multiselect(key="contacts_pathways").value == []


def test_the_address_sets_the_review_period_and_presentation(app):
    at = app("case_manager", "review/page.py")
    at.query_params.update(review="quarter", containing="2026-08-15", present="on", topic="map")
    at.run()
    assert not at.exception
    assert any("Quarter review · 01 Jul 2026 – 30 Sep 2026" in h.value for h in at.subheader)
    assert at.toggle(key="review_presenting").value is True
    assert at.button_group(key="review_topic").value == "Map"
    assert (at.query_params["review"], at.query_params["topic"]) == ("quarter", "map")
    assert at.query_params["containing"] == "2026-08-15"


@pytest.mark.parametrize(
    "params",
    [
        {"review": "decade", "containing": "2026-02-30", "present": "yes", "topic": "Secrets"},
        {"review": "<script>", "containing": "1999-01-01", "present": "1" * 999},
        {"containing": "2999-01-01", "topic": "map,census"},
    ],
)
def test_hostile_review_choices_fall_back_to_the_defaults(app, params):
    at = app("case_manager", "review/page.py")
    at.query_params.update(params)
    at.run()
    assert not at.exception
    assert any("Month review · 01 Oct 2026 – 31 Oct 2026" in h.value for h in at.subheader)
    assert at.toggle(key="review_presenting").value is False


def test_the_address_names_the_release_shown(app, released):
    from dashboard import releases

    quarter = next(r for r in releases.stored("leadership") if r.kind == "quarter")
    at = app("leadership", "review/page.py")
    at.query_params["release"] = str(quarter.release_id)
    at.run()
    assert not at.exception
    label = f"{quarter.first_day:%d %b %Y} – {quarter.last_day:%d %b %Y}"
    assert any(f"Quarter review · {label}" in h.value for h in at.subheader)
    assert at.query_params["release"] == str(quarter.release_id)
    hostile = app("leadership", "review/page.py")
    hostile.query_params["release"] = "1 OR 1=1"
    hostile.run()
    assert not hostile.exception
    assert any("Month review · 01 Oct 2026 – 31 Oct 2026" in h.value for h in hostile.subheader)


def test_the_address_sets_capacity_and_outcomes_choices(app):
    at = app("case_manager", "capacity/page.py")
    at.query_params.update(day="2026-10-15", rates="365", extra="5")
    at.run()
    assert not at.exception
    assert at.date_input(key="capacity_as_of").value == date(2026, 10, 15)
    assert at.selectbox(key="capacity_lookback").value == 365
    assert at.number_input(key="capacity_extra").value == 5
    bad = app("case_manager", "capacity/page.py")
    bad.query_params.update(day="2026-11-31", rates="7", extra="-3")
    bad.run()
    assert not bad.exception
    assert bad.date_input(key="capacity_as_of").value == DEMO_END
    assert bad.selectbox(key="capacity_lookback").value == 180
    assert bad.number_input(key="capacity_extra").value == 0
    outcomes = app("case_manager", "outcomes/page.py")
    outcomes.query_params.update(months="12", compare="sex")
    outcomes.run()
    assert not outcomes.exception
    assert outcomes.button_group(key="cohort_months").value == 12
    assert outcomes.selectbox(key="equity_dim").value == "sex"


@pytest.mark.browser
@pytest.mark.parametrize("size", [(1440, 900), (1024, 768)], ids=["laptop", "projector"])
def test_a_copied_map_address_opens_the_same_view_after_sign_in(browser_page, size):
    from tests.support.pages import ARTIFACTS, screenshot, sign_in

    page, (width, height) = browser_page, size
    page.set_viewport_size({"width": width, "height": height})
    page.set_default_timeout(120_000)
    query = "&".join(f"{k}={v}" for k, v in MAP_VIEW.items())
    sign_in(page, "command", f"contacts_map?period=pilot-to-date&{query}")
    page.locator("iframe").first.wait_for()
    page.locator('[data-test-script-state="notRunning"]').wait_for()
    for part in ("layers=cells%2Cheat", "colour=rate", "shift=day%2Cevening", "cell=250"):
        assert part in page.url, page.url
    shifts = page.locator(".st-key-contacts_shifts").inner_text()
    assert "Day" in shifts and "Evening" in shifts, shifts
    size_box = page.locator(".st-key-contacts_cell_m")
    chosen = size_box.inner_text() + " ".join(
        i.input_value() for i in size_box.locator("input").all()
    )
    assert "250 m" in chosen, chosen
    legend = page.frame_locator("iframe").first.get_by_test_id("map-legend")
    legend.get_by_text("Share of contacts diverted").wait_for()
    assert legend.get_by_text("Heat").count() == 1
    screenshot(page, f"url_map_view_{width}x{height}")
    # the heat alone over the last 30 days, as command sees it (issue 16: no longer uniform)
    page.goto(f"{page.base_url}/contacts_map?layers=heat")
    page.locator('[data-test-script-state="notRunning"]').wait_for()
    heat = page.frame_locator("iframe").first.locator("canvas.leaflet-heatmap-layer")
    heat.wait_for(state="attached")
    page.wait_for_timeout(1000)
    page.locator("iframe").first.screenshot(path=ARTIFACTS / f"url_map_heat_{width}x{height}.png")
