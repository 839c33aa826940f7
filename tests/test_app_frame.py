"""The app frame: sign-in gate, every page renders for every role allowed to open it,
the demo banner, the database-down banner and recovery."""

import pytest
from streamlit.testing.v1 import AppTest

from accounts.demo import DEMO_PASSWORD
from dashboard.pagelist import PAGE_SPECS
from tests.support.pages import ROOT

PAGE_ROLES = [(file, role) for file, _title, roles in PAGE_SPECS for role in sorted(roles)]


@pytest.mark.parametrize(("page", "role"), PAGE_ROLES)
def test_every_page_renders_for_every_role_allowed(app, page, role):
    at = app(role, page)
    at.run()
    assert not at.exception, at.exception
    assert any("Data as of" in c.value for c in at.caption)


def test_without_sign_in_only_the_form_is_shown(app):
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    assert [t.label for t in at.text_input] == ["User name", "Password"]
    assert not at.metric


def test_signing_in_with_the_right_password_opens_the_overview(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="sign_in_username").input("leadership")
    at.text_input(key="sign_in_password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    user = at.session_state["user"]
    assert (user["username"], user["role"]) == ("leadership", "leadership")
    assert any(m.label == "Active participants" for m in at.metric)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="sign_in_username").input("command")
    at.text_input(key="sign_in_password").input("not the password")
    at.button[0].click().run()
    assert "user" not in at.session_state
    assert [e.value for e in at.error] == ["User name or password is wrong."]


def test_demo_data_shows_a_banner_on_every_page(app):
    at = app("command")
    at.run()
    assert any("Demo data" in w.value for w in at.warning)


def test_a_down_database_gives_a_clear_banner_and_the_app_recovers(app, demo_url, monkeypatch):
    at = app("command")
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:9/none")
    at.run()
    assert not at.exception
    banner = " ".join(e.value for e in at.error)
    assert "The database cannot be reached" in banner
    assert "make db-start" in banner
    monkeypatch.setenv("DATABASE_URL", demo_url)
    at.run()
    assert not at.exception
    assert not at.error
    assert any(m.label == "Active participants" for m in at.metric)
