"""The app frame: sign-in gate, every page renders for every role allowed to open it,
the demo banner, the database-down banner and recovery."""

import importlib
import pkgutil

import pytest
from streamlit.runtime.caching.cache_data_api import CachedDataFuncInfo
from streamlit.testing.v1 import AppTest

import dashboard
from accounts.demo import DEMO_PASSWORD
from accounts.store import MESSAGES
from dashboard import database
from dashboard.pagelist import PAGE_SPECS
from tests.conftest import app_login
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
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="sign_in_username").input("leadership")
    at.text_input(key="sign_in_password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    user = at.session_state["user"]
    assert (user["username"], user["role"]) == ("leadership", "leadership")
    assert any(m.label == "Active participants" for m in at.metric)


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(demo_url, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    at = AppTest.from_file(str(ROOT / "dashboard" / "app.py"), default_timeout=60)
    at.run()
    at.text_input(key="sign_in_username").input("command")
    at.text_input(key="sign_in_password").input("not the password")
    at.button[0].click().run()
    assert "user" not in at.session_state
    assert [e.value for e in at.error] == [MESSAGES["refused"]]


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
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    at.run()
    assert not at.exception
    assert not at.error
    assert any(m.label == "Active participants" for m in at.metric)


def test_every_page_is_a_page_file_of_its_feature_folder_of_at_most_150_lines():
    for file, _title, _roles in PAGE_SPECS:
        path = ROOT / "dashboard" / file
        assert path.name == "page.py" and (path.parent / "data.py").is_file(), file
        assert len(path.read_text().splitlines()) <= 150, file


def _modules_with_caches():
    """Every module of the dashboard except the scripts (app.py and the pages run)."""
    for info in pkgutil.walk_packages(dashboard.__path__, "dashboard."):
        if info.name.rpartition(".")[2] not in ("app", "page"):
            yield importlib.import_module(info.name)


def test_clear_cache_knows_every_result_cache_of_the_dashboard():
    cached = {
        f"{module.__name__}.{name}": value
        for module in _modules_with_caches()
        for name, value in vars(module).items()
        if isinstance(getattr(value, "_info", None), CachedDataFuncInfo)
    }
    assert len(cached) >= 4  # query results, forecast, two kinds of program areas
    # by identity: a cache may wrap a function of another module (review's chart images)
    registered = {id(f) for f in database._CACHED}
    assert [name for name, value in cached.items() if id(value) not in registered] == []


def test_clear_cache_forgets_what_a_registered_cache_holds(database_url):
    """(A database: results are keyed by its data version too.)"""
    calls = []

    @database.cached(max_entries=2)
    def count(value: int) -> int:
        calls.append(value)
        return value

    assert [count(1), count(1)] == [1, 1] and calls == [1]
    database.clear_cache()
    assert count(1) == 1 and calls == [1, 1]
