"""In Chromium, at a desktop and a projector's size: a reload keeps the user, the page
and its filters; a shared address opens the same view after sign-in; a forged, expired
or signed-out cookie opens nothing (the sign-in form is shown). As an attacker with a
script in the page: the session cookie is HttpOnly (not in ``document.cookie``); a stolen
one-time nonce gives no cookie a second time (and ends the session) nor after its expiry;
after a password reset the old browser is signed out at its next action."""

import time
import urllib.error
import urllib.request

import pytest

import accounts
from accounts import sessions
from dashboard.auth_cookie import CLAIM_PATH, COOKIE, SIGN_OUT_PATH
from db.connect import connect
from tests.support.pages import ARTIFACTS, nav_link, screenshot, sign_in

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


def cookies_named(context) -> list[dict]:
    return [c for c in context.cookies() if c["name"] == COOKIE]


def session_cookie(page, path: str = "/") -> dict:
    """The session cookie the launcher's route set for ``path`` (waits for it); no script
    sees it."""
    deadline = time.monotonic() + 60
    while not cookies_named(page.context) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    [cookie] = cookies_named(page.context)
    assert cookie["httpOnly"] and cookie["path"] == path and cookie["sameSite"] == "Strict"
    assert not cookie["secure"]  # served over plain http here
    assert COOKIE not in page.evaluate("document.cookie")
    return cookie


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
    assert "casemanager" not in cookie["value"]
    page.reload()
    showing_page(page, "Program capacity")
    assert_custom_view(page)
    assert page.get_by_text("casemanager").count()  # the same user, in the sidebar
    screenshot(page, f"session_after_reload_{name}")


BASE_PATH = "leadops-base"


@pytest.fixture(scope="module")
def served_at_base(demo_url):
    """The dashboard served under /leadops-base/ (``server.baseUrlPath``), as behind a
    proxy that forwards that path."""
    from bench import serve
    from tests.conftest import app_login

    log = ARTIFACTS / "streamlit-base-path.log"
    with serve.served(app_login(demo_url), basemap=None, log_path=log, base_path=BASE_PATH) as s:
        yield s.base


@pytest.mark.parametrize("size", SIZES)
def test_under_a_base_path_a_reload_keeps_the_user_and_sign_out_clears_the_cookie(
    browser_page, served_at_base, size
):
    """The cookie's routes and the page's script follow ``server.baseUrlPath``: the
    nonce is claimed at /leadops-base/leadops/session, the cookie's path is the app's, a
    reload keeps the user, page and filters, and sign-out clears the cookie."""
    page = browser_page
    page.base_url = served_at_base
    claims = []
    page.on("request", lambda r: r.method == "POST" and claims.append(r.url))
    name = signed_in_on(page, size, "case_manager", VIEW, "Program capacity")
    cookie = session_cookie(page, path=f"/{BASE_PATH}/")
    assert f"{served_at_base}{CLAIM_PATH}" in claims, claims
    page.reload()
    showing_page(page, "Program capacity")
    assert f"/{BASE_PATH}/capacity" in page.url
    assert_custom_view(page)
    assert page.get_by_text("casemanager").count()  # the same user, in the sidebar
    screenshot(page, f"session_base_path_after_reload_{name}")
    page.get_by_role("button", name="Sign out").click()
    showing_sign_in(page)
    deadline = time.monotonic() + 30
    while cookies_named(page.context) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert not cookies_named(page.context)  # cleared by /leadops-base/leadops/signout
    page.context.add_cookies([cookie])  # replayed after sign-out: the session is over
    page.reload()
    showing_sign_in(page)


@pytest.mark.parametrize("size", SIZES)
def test_sign_out_then_reload_shows_the_form_and_the_old_cookie_opens_nothing(browser_page, size):
    page = browser_page
    name = signed_in_on(page, size, "command", "training?period=last-90-days", "Officer training")
    cookie = session_cookie(page)
    page.get_by_role("button", name="Sign out").click()
    showing_sign_in(page)
    deadline = time.monotonic() + 30
    while cookies_named(page.context) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    assert not cookies_named(page.context)  # cleared by the sign-out route
    page.reload()
    showing_sign_in(page)
    page.context.add_cookies([cookie])  # replayed after sign-out
    page.reload()
    showing_sign_in(page)
    screenshot(page, f"session_replayed_after_sign_out_{name}")


def forged_cookies(base: str) -> list[str]:
    secret = sessions.load_secret()
    nonce, _token = sessions.new_session(secret)  # genuine MAC, no session stored
    genuine = sessions.cookie_for(secret, nonce, int(time.time()) + 3600)
    session_id, expires, mac = genuine.split(".")
    expired = sessions.cookie_for(secret, nonce, int(time.time()) - 60)
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


ACCOUNT = ("uxc.browser", "a browser test password")


@pytest.fixture
def owner(demo_url):
    """An owner's connection with the test's own case-manager account ``ACCOUNT``."""
    conn = connect(demo_url)
    accounts.add_or_reset(conn, ACCOUNT[0], "case_manager", ACCOUNT[1])
    conn.commit()
    yield conn
    conn.rollback()
    with conn.cursor() as cur:
        cur.execute("DELETE FROM app_account WHERE username = %s", (ACCOUNT[0],))
    conn.commit()
    conn.close()


def post_nonce(page, nonce: str) -> int:
    """What a script in ``page`` gets for posting ``nonce`` to the claim route."""
    script = "([path, n]) => fetch(path, {method: 'POST', body: n}).then(r => r.status)"
    return page.evaluate(script, [CLAIM_PATH, nonce])


def seen_nonces(page) -> list[str]:
    """The nonces the page posts to the claim route from now on (a sniffed copy)."""
    nonces: list[str] = []
    page.on("request", lambda r: r.url.endswith(CLAIM_PATH) and nonces.append(r.post_data))
    return nonces


def attacker_page(chromium, base: str):
    """Another browser, with no cookie, on the dashboard's sign-in form."""
    page = chromium.new_context(viewport={"width": 1440, "height": 900}).new_page()
    page.set_default_timeout(120_000)
    page.goto(base)
    showing_sign_in(page)
    return page


def test_a_stolen_nonce_gives_no_cookie_a_second_time_and_ends_the_session(
    browser_page, chromium, owner
):
    page = browser_page
    sized(page, SIZES[0])
    nonces = seen_nonces(page)
    sign_in(page, "case_manager", account=ACCOUNT)
    session_cookie(page)  # the page's own claim succeeded
    [nonce] = nonces
    thief = attacker_page(chromium, page.base_url)
    assert post_nonce(thief, nonce) == 403
    assert not cookies_named(thief.context)
    thief.reload()
    showing_sign_in(thief)
    thief.context.close()
    nav_link(page, "Officer training").click()  # the victim's next action
    showing_sign_in(page)  # a copy of the nonce exists: the session ended
    page.get_by_text("Your session has ended").wait_for()
    screenshot(page, "session_nonce_replayed_1440x900")


def test_a_stolen_nonce_gives_no_cookie_after_its_expiry(browser_page, chromium, owner):
    page = browser_page
    sized(page, SIZES[0])
    held: list[str] = []

    def hold(route):  # the page's own claim never arrives: the nonce stays unused
        held.append(route.request.post_data)
        route.abort()

    page.route(f"**{CLAIM_PATH}", hold)
    sign_in(page, "case_manager", account=ACCOUNT)
    deadline = time.monotonic() + 30
    while not held and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    [nonce] = held
    with owner.cursor() as cur:  # NONCE_SECONDS have passed
        cur.execute(
            "UPDATE app_session SET nonce_expires_at = now() WHERE username = %s", (ACCOUNT[0],)
        )
    owner.commit()
    thief = attacker_page(chromium, page.base_url)
    assert post_nonce(thief, nonce) == 403
    assert not cookies_named(thief.context)
    thief.context.close()
    assert not cookies_named(page.context)


@pytest.mark.parametrize("size", SIZES)
def test_after_a_password_reset_the_old_browser_is_signed_out_at_its_next_action(
    browser_page, owner, size
):
    page = browser_page
    name = sized(page, size)
    sign_in(page, "case_manager", "capacity", account=ACCOUNT)
    showing_page(page, "Program capacity")
    session_cookie(page)
    accounts.reset_password(owner, ACCOUNT[0], "a new password, elsewhere", actor="t.admin")
    owner.commit()
    nav_link(page, "Officer training").click()
    showing_sign_in(page)
    page.get_by_text("Your session has ended").wait_for()
    screenshot(page, f"session_after_password_reset_{name}")
    page.reload()  # the cookie names an ended session
    showing_sign_in(page)


def post(base: str, path: str, body: str, **headers) -> tuple[int, str | None]:
    """(status, Set-Cookie) of a POST to the served dashboard."""
    request = urllib.request.Request(base + path, body.encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers.get("Set-Cookie")
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("Set-Cookie")


def test_the_claim_route_sets_a_secure_httponly_cookie_once_and_refuses_other_sites(
    served_app, owner
):
    secret = sessions.load_secret()  # the served dashboard's (var/session_secret)
    opened = []
    for _ in range(2):
        nonce, token = sessions.new_session(secret)
        sessions.open_session(owner, token, nonce, ACCOUNT[0], "password")
        opened.append((nonce, token))
    owner.commit()
    (nonce, token), (other_nonce, other_token) = opened
    evil = {"Origin": "http://evil.example"}
    assert post(served_app, CLAIM_PATH, nonce, **evil) == (403, None)
    status, cookie = post(served_app, CLAIM_PATH, nonce, **{"X-Forwarded-Proto": "https"})
    assert status == 204, status
    name_value, *attributes = [part.strip() for part in cookie.split(";")]
    assert sessions.read_cookie(name_value.removeprefix(f"{COOKIE}="), secret) == token
    lowered = {a.lower().split("=")[0] for a in attributes}
    assert {"httponly", "secure", "path", "max-age"} <= lowered, cookie
    assert "SameSite=strict" in attributes and "Path=/" in attributes, cookie
    assert post(served_app, CLAIM_PATH, nonce) == (403, None)  # once only
    status, plain = post(served_app, CLAIM_PATH, other_nonce)  # plain http: not Secure
    assert status == 204 and "secure" not in plain.lower() and "httponly" in plain.lower()
    other_cookie = plain.split(";")[0]
    status, cleared = post(served_app, SIGN_OUT_PATH, "", Cookie=other_cookie)
    assert status == 204 and "Max-Age=0" in cleared and "httponly" in cleared.lower()
    with owner.cursor() as cur:
        cur.execute(
            "SELECT token_hash, end_reason FROM app_session WHERE token_hash IN (%s, %s)",
            (token, other_token),
        )
        ended = dict(cur.fetchall())
    assert ended == {token: "nonce_replayed", other_token: "sign_out"}
