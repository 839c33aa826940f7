"""Empty states (issue 16): no chart draws an empty or all-zero axis. Every page, as case
manager, police command and BHSB leadership, on the demo, on a period before the pilot
(police contacts, no participant yet) and on an emptied database: each figure either
draws something or says in plain words what is missing and why.

What a chart draws is read back from the page itself (the data sets AppTest receives),
and the periods are chosen from the data: the demo's first intake and first service
referral come after 4 November 2023 (checked below with SQL, not with the code under
test).
"""

import io
import json
import math
from datetime import date

import pandas as pd
import pyarrow as pa
import pytest

import accounts
from dashboard.components import hidden_note, missing_reason
from db.connect import connect
from tests.support.pages import DEMO_USERS, dashboard

PAGES = (
    "home/page.py",
    "contacts/page.py",
    "capacity/page.py",
    "training/page.py",
    "outcomes/page.py",
    "review/page.py",
)
ROLES = ("case_manager", "command", "leadership")
BEFORE_PILOT = (date(2023, 11, 1), date(2023, 11, 4))


def test_a_figure_is_missing_when_it_holds_no_count_other_than_zero():
    assert missing_reason([0, 3, float("nan")], "none", 10) is None
    assert missing_reason(pd.DataFrame({"a": [0, 0], "b": [0, 0]}), "none", 10) == "none"
    assert missing_reason([], "none") == "none"


def test_a_figure_whose_counts_are_all_hidden_says_so_in_plain_words():
    assert missing_reason([float("nan"), 0], "none", 10) == hidden_note(10)
    assert hidden_note(10).startswith("Hidden: fewer than 11 people")
    # for case managers (no threshold) a missing share is a share of nobody, not hidden
    assert missing_reason([float("nan"), 0], "none", 0) == "none"


def drawn(at) -> list[tuple[str, float]]:
    """Each chart on the page: its title and the largest absolute number it was sent."""
    found = []
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        title = spec.get("title") or [layer.get("title") for layer in spec.get("layer", [])]
        largest = 0.0
        for dataset in element.proto.datasets:
            frame = pa.ipc.open_stream(io.BytesIO(dataset.data.data)).read_all().to_pandas()
            numbers = frame.select_dtypes("number").abs().to_numpy().ravel()
            numbers = [n for n in numbers if not math.isnan(n)]
            largest = max([largest, *numbers])
        found.append((str(title), largest))
    return found


def walk(at_of, role: str, period: tuple[date, date] | None = None) -> dict:
    """Run every page as ``role`` (on the custom ``period``); returns, per page, the
    charts drawn and the plain-words notes shown instead."""
    seen = {}
    for page in PAGES:
        at = at_of(role, page)
        if period:
            at.session_state["filter_preset"] = "Custom"
            at.session_state["filter_custom_range"] = period
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        charts = drawn(at)
        empty = [title for title, largest in charts if largest == 0]
        assert not empty, f"{role} {page}: charts with nothing to draw: {empty}"
        seen[page] = (charts, [i.value for i in at.info])
    return seen


def test_the_demo_period_before_the_pilot_has_no_participant(released):
    with connect(released) as conn, conn.cursor() as cur:
        cur.execute("SELECT min(referred_on) FROM enrollment")
        assert cur.fetchone()[0] > BEFORE_PILOT[1]
        cur.execute("SELECT min(referred_on) FROM service_referral")
        assert cur.fetchone()[0] > BEFORE_PILOT[1]
        cur.execute(
            "SELECT count(*) FROM contact WHERE occurred_at::date BETWEEN %s AND %s",
            BEFORE_PILOT,
        )
        assert cur.fetchone()[0] > 0


@pytest.mark.parametrize("role", ROLES)
def test_every_page_draws_or_says_why_on_the_demo(app, released, role):
    seen = walk(app, role)
    assert any(charts for charts, _ in seen.values())


def test_before_the_pilot_the_case_manager_reads_what_is_missing(app, released):
    seen = walk(app, "case_manager", BEFORE_PILOT)
    charts, notes = seen["outcomes/page.py"]
    assert "No referral reached engagement in this period." in notes
    assert "No service referral was made in this period." in notes
    assert not any("referral to engagement" in title for title, _ in charts)
    charts, _ = seen["contacts/page.py"]  # police contacts there were: they draw
    assert any("Contacts by hour and weekday" in title for title, _ in charts)


@pytest.mark.parametrize("role", ("command", "leadership"))
def test_before_the_pilot_release_roles_see_no_empty_chart(app, released, role):
    walk(app, role, BEFORE_PILOT)


@pytest.fixture
def emptied(db, database_url, monkeypatch):
    """The scratch database with empty data tables and one account per role."""
    from tests.conftest import app_login

    for role in ROLES:
        accounts.add(db, DEMO_USERS[role], role, "empty states password", actor="test")
    db.commit()
    monkeypatch.setenv("DATABASE_URL", app_login(database_url))
    return lambda role, page: dashboard({"username": DEMO_USERS[role], "role": role}, page)


@pytest.mark.parametrize("role", ROLES)
def test_an_emptied_database_says_what_is_missing_on_every_page(emptied, role):
    seen = walk(emptied, role)
    if role == "case_manager":
        charts, notes = seen["capacity/page.py"]
        assert "No participant was active or waiting for intake on these days." in notes
        assert (
            "No police contact matches the filters in this period." in seen["contacts/page.py"][1]
        )
        # the Review's map image says so instead of drawing an empty map
        notes = seen["review/page.py"][1]
        assert (
            "No police contact matches the filters in this period: there is nothing to map."
            in notes
        )


# --- in Chromium, at a laptop's and a projector's size -------------------------------------

SIZES = [(1440, 900), (1024, 768)]
BEFORE_PILOT_URL = "outcomes?period=custom&from=2023-11-01&to=2023-11-04"


def settled(page) -> None:
    page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=90_000)
    page.wait_for_timeout(1000)


def signed_in(page, size, url: str = "") -> tuple[int, int]:
    """A case manager at ``size`` (its width and height), after the served dashboard's
    first answer (slow on a loaded machine), on ``url`` or the default page."""
    from tests.support.pages import sign_in

    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(page.base_url)
    page.get_by_label("User name").wait_for(timeout=180_000)
    sign_in(page, "case_manager", url)
    return size


def visible_in(locator) -> bool:
    return any(element.is_visible() for element in locator.all())


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=["laptop", "projector"])
def test_chromium_says_what_is_missing_and_explains_on_request(browser_page, size):
    from tests.support.pages import nav_link, screenshot

    page = browser_page
    width, height = signed_in(page, size, BEFORE_PILOT_URL)
    page.get_by_text("No service referral was made in this period.").first.wait_for(timeout=90_000)
    settled(page)
    page.get_by_role("tab", name="Time to engagement").click()
    note = page.get_by_text("No referral reached engagement in this period.")
    note.wait_for(timeout=30_000)
    panel = page.get_by_role("tabpanel", name="Time to engagement")
    assert not visible_in(panel.get_by_test_id("stVegaLiteChart"))  # no empty axes
    screenshot(page, f"empty-outcomes-timing-{width}x{height}")
    method = page.get_by_text("Wilson score interval")
    assert not method.is_visible()  # plain words first
    page.get_by_text("How is this calculated?").first.click()  # the page's (a tab has one)
    method.wait_for(state="visible", timeout=30_000)
    screenshot(page, f"outcomes-how-calculated-{width}x{height}")

    nav_link(page, "Program capacity").click()
    page.get_by_label("What-if: extra referrals per month").wait_for(timeout=90_000)
    settled(page)
    poisson = page.get_by_text("at random (Poisson)")
    assert not poisson.is_visible()
    page.get_by_text("How is this calculated?").click()
    poisson.wait_for(state="visible", timeout=30_000)
    poisson.scroll_into_view_if_needed()
    screenshot(page, f"capacity-how-calculated-{width}x{height}")


@pytest.mark.browser
@pytest.mark.parametrize("size", SIZES, ids=["laptop", "projector"])
def test_chromium_prints_the_review_without_its_controls(browser_page, size):
    from tests.support.pages import nav_link, screenshot

    page = browser_page
    width, height = signed_in(page, size)
    nav_link(page, "Review").click()
    page.get_by_role("button", name="PDF for print").wait_for(timeout=90_000)
    settled(page)
    controls = [
        page.locator(".st-key-review_kind"),
        page.locator(".st-key-review_anchor"),
        page.get_by_text("Export", exact=True),
        page.get_by_text("How is this calculated?"),
    ]
    assert all(visible_in(control) for control in controls)
    page.emulate_media(media="print")
    hidden = [not visible_in(control) for control in controls]
    screenshot(page, f"review-print-controls-{width}x{height}")
    assert visible_in(page.get_by_text("What changed"))  # the figures still print
    page.emulate_media(media="screen")
    assert all(hidden), hidden
