"""In Chromium, at a desktop and a projector's size: a reload keeps the user, the page
and its filters; a shared address opens the same view after sign-in; a forged, expired
or signed-out cookie opens nothing (the sign-in form is shown)."""

import time

import pytest

from accounts import sessions
from dashboard.auth_cookie import COOKIE
from tests.support.pages import screenshot, sign_in

SIZES = [(1440, 900), (1024, 768)]
VIEW = "capacity?period=custom&from=2026-09-01&to=2026-09-30&offence=drug"


def sized(browser_page, size):
    width, height = size
    browser_page.set_viewport_size({"width": width, "height": height})
    browser_page.set_default_timeout(120_000)  # a machine shared by many test runs
    return f"{width}x{height}"


def signed_in_on(page, size, role: str, address: str, title: str) -> str:
    """Sign in as ``role`` through ``address`` in a window of ``size``, wait for the page
    ``title``; the size's name for screenshots."""
    name = sized(page, size)
    sign_in(page, role, address)
    showing_page(page, title)
    return name


def showing_page(page, title: str) -> None:
    page.get_by_text(f"LEAD Ops · {title}").first.wait_for()
    page.get_by_text("Data as of").first.wait_for()


def showing_sign_in(page) -> None:
    page.get_by_label("User name").wait_for()
    assert not page.get_by_text("Data as of").count()


def assert_custom_view(page) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    range_inputs = sidebar.get_by_test_id("stDateInput").locator("input")
    range_inputs.last.wait_for(state="attached")
    box = sidebar.get_by_test_id("stSelectbox").first
    period = box.inner_text() + " " + " ".join(i.input_value() for i in box.locator("input").all())
    assert "Custom" in period, period
    offences = sidebar.get_by_test_id("stMultiSelect").inner_text()
    assert "Drug" in offences and "Prostitution" not in offences, offences
    dates = [i.input_value() for i in range_inputs.all()]
    assert dates == ["2026-09-01", "2026-09-30"], dates
    for part in ("period=custom", "from=2026-09-01", "to=2026-09-30", "offence=drug"):
        assert part in page.url, page.url


def session_cookie(page) -> dict | None:
    page.wait_for_function(f"document.cookie.includes('{COOKIE}=')")  # written by the page
    found = [c for c in page.context.cookies() if c["name"] == COOKIE]
    return found[0] if found else None


@pytest.mark.parametrize("size", SIZES)
def test_a_shared_address_opens_the_same_view_after_sign_in_and_a_reload_keeps_it(
    browser_page, size
):
    page = browser_page
    name = signed_in_on(page, size, "case_manager", VIEW, "Program capacity")
    screenshot(page, f"session_shared_view_{name}")
    assert "/capacity" in page.url
    assert_custom_view(page)
    cookie = session_cookie(page)
    assert cookie and cookie["sameSite"] == "Strict"
    assert "casemanager" not in cookie["value"]
    page.reload()
    showing_page(page, "Program capacity")
    assert_custom_view(page)
    assert page.get_by_text("casemanager").count()  # the same user, in the sidebar
    screenshot(page, f"session_after_reload_{name}")


@pytest.mark.parametrize("size", SIZES)
def test_sign_out_then_reload_shows_the_form_and_the_old_cookie_opens_nothing(browser_page, size):
    page = browser_page
    name = signed_in_on(page, size, "command", "training?period=last-90-days", "Officer training")
    cookie = session_cookie(page)
    page.get_by_role("button", name="Sign out").click()
    showing_sign_in(page)
    page.wait_for_function(f"!document.cookie.includes('{COOKIE}=')", timeout=30_000)
    page.reload()
    showing_sign_in(page)
    page.context.add_cookies([cookie])  # replayed after sign-out
    page.reload()
    showing_sign_in(page)
    screenshot(page, f"session_replayed_after_sign_out_{name}")


def forged_cookies(base: str) -> list[str]:
    secret = sessions.load_secret()
    genuine, _token = sessions.new_cookie(secret)  # genuine MAC, no session stored
    session_id, expires, mac = genuine.split(".")
    expired, _ = sessions.new_cookie(secret, now=time.time() - 13 * 3600)
    return [
        f"{session_id}.{expires}.{'0' * len(mac)}",  # forged MAC
        f"{session_id}.{int(expires) + 86400}.{mac}",  # extended expiry
        expired,
        genuine,  # a well-signed id the server never issued
        "<script>alert(1)</script>",
    ]


@pytest.mark.parametrize("size", SIZES)
def test_forged_or_expired_cookies_are_refused(browser_page, size):
    name = sized(browser_page, size)
    page = browser_page
    for value in forged_cookies(page.base_url):
        page.context.clear_cookies()
        page.context.add_cookies([{"name": COOKIE, "value": value, "url": page.base_url}])
        page.goto(f"{page.base_url}/capacity")
        showing_sign_in(page)
    screenshot(page, f"session_forged_cookie_{name}")


@pytest.mark.parametrize("size", SIZES)
def test_overview_tiles_show_trends_and_open_the_page_behind_them(browser_page, size):
    page = browser_page
    name = signed_in_on(page, size, "leadership", "?period=previous-month&offence=drug", "Overview")
    metrics = page.get_by_test_id("stMetric")
    metrics.nth(6).wait_for()
    assert metrics.count() == 7
    for n in range(7):  # each tile draws its trend
        metrics.nth(n).locator("svg, canvas").first.wait_for(state="attached")
    links = page.get_by_test_id("stPageLink")
    assert links.count() == 7
    screenshot(page, f"overview_trends_{name}")
    page.get_by_role("link", name="Officer training →").click()
    showing_page(page, "Officer training")
    assert "/training" in page.url and "period=previous-month" in page.url, page.url
    assert "offence=drug" in page.url
    box = page.get_by_test_id("stSidebar").get_by_test_id("stSelectbox").first
    values = " ".join(i.input_value() for i in box.locator("input").all())
    assert "Previous month" in box.inner_text() + values
