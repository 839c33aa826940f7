"""The operational work group's action items (issue 20): which items a review lists
(raised at it, or carried open from earlier ones), who may add and change them, each
change audited in the same transaction, the Review page's forms and the PDF."""

import subprocess
from datetime import date

import pytest
from psycopg2 import errors

from dashboard.review import data
from program import clock
from program.access import User
from program.actions import problems
from program.review import Period
from tests.support.sql import fetch

OCT = Period(date(2026, 10, 1), date(2026, 10, 31))
NOV = Period(date(2026, 11, 1), date(2026, 11, 30))
LEADERSHIP, CASE_MANAGER = User("chair", "leadership"), User("cm", "case_manager")


def add(user, raised_on, title, due=date(2026, 12, 1), owner="BPD Central", notes=""):
    return data.add_action_item(user, raised_on, title=title, owner=owner, due_on=due, notes=notes)


def change(user, item_id, status, owner="BPD Central", due=date(2026, 12, 1), notes=""):
    return data.change_action_item(
        user, item_id, owner=owner, due_on=due, status=status, notes=notes
    )


def titles(role, period):
    items = data.action_items(role, period)
    return list(zip(items.title, items.status, items.carried, strict=True))


def test_a_review_lists_its_own_items_and_carries_the_open_ones(db):
    a = add(LEADERSHIP, OCT.end, "Train sector 3 officers")
    b = add(CASE_MANAGER, OCT.end, "Second outreach van")
    c = add(LEADERSHIP, OCT.end, "Replace the intake form")
    add(LEADERSHIP, NOV.end, "Publish the quarterly report", due=date(2027, 1, 15))
    assert change(CASE_MANAGER, b, "done")
    assert change(LEADERSHIP, c, "dropped")
    # closed today (7 Dec or later): still open on 1 Nov, so carried into November
    assert titles("command", OCT) == [
        ("Train sector 3 officers", "open", False),
        ("Second outreach van", "done", False),
        ("Replace the intake form", "dropped", False),
    ]
    assert titles("command", NOV) == [
        ("Train sector 3 officers", "open", True),
        ("Second outreach van", "done", True),
        ("Replace the intake form", "dropped", True),
        ("Publish the quarterly report", "open", False),
    ]
    # a month after they were closed, only the open one is carried
    jan = Period(date(2027, 1, 1), date(2027, 1, 31))
    closed = fetch_one(db, "SELECT closed_on FROM action_item WHERE item_id = %s", (b,))
    assert closed == clock.today()
    assert [t[0] for t in titles("case_manager", jan)] == [
        "Train sector 3 officers", "Publish the quarterly report",
    ]  # fmt: skip
    assert change(LEADERSHIP, c, "open")  # reopened: no closing day, carried again
    assert fetch_one(db, "SELECT closed_on FROM action_item WHERE item_id = %s", (c,)) is None
    assert "Replace the intake form" in [t[0] for t in titles("leadership", jan)]
    assert a and not change(LEADERSHIP, 999, "done")


def fetch_one(db, statement, params):
    with db.cursor() as cur:
        cur.execute(statement, params)
        (value,) = cur.fetchone()
    db.rollback()
    return value


def test_every_change_is_audited_with_the_values_before_and_after(db):
    item = add(LEADERSHIP, OCT.end, "Train sector 3 officers", notes="ask the major")
    change(CASE_MANAGER, item, "done", owner="BCRI", notes="done at roll call")
    with db.cursor() as cur:
        cur.execute("SELECT actor, role, action, target, detail FROM audit_log ORDER BY audit_id")
        rows = cur.fetchall()
    assert [r[:4] for r in rows] == [
        ("chair", "leadership", "add_action_item", str(item)),
        ("cm", "case_manager", "change_action_item", str(item)),
    ]
    assert rows[0][4]["title"] == "Train sector 3 officers"
    assert rows[1][4]["before"] == {
        "owner": "BPD Central", "due_on": "2026-12-01", "status": "open", "notes": "ask the major",
    }  # fmt: skip
    assert rows[1][4]["after"]["status"] == "done" and rows[1][4]["after"]["owner"] == "BCRI"
    with db.cursor() as cur:
        cur.execute("SELECT created_by, updated_by, owner FROM action_item")
        assert cur.fetchall() == [("chair", "cm", "BCRI")]


def test_police_command_reads_but_may_not_write_and_leaves_no_audit_row(db):
    add(LEADERSHIP, OCT.end, "Train sector 3 officers")
    command = User("major", "command")
    with pytest.raises(errors.InsufficientPrivilege):
        add(command, OCT.end, "Anything")
    with pytest.raises(errors.InsufficientPrivilege):
        change(command, 1, "done")
    assert [t[0] for t in titles("command", OCT)] == ["Train sector 3 officers"]
    with db.cursor() as cur:
        cur.execute("SELECT count(*), count(*) FILTER (WHERE actor = 'major') FROM audit_log")
        assert cur.fetchone() == (1, 0)
    assert not command.edits_action_items
    assert LEADERSHIP.edits_action_items and CASE_MANAGER.edits_action_items


def test_an_item_needs_a_title_and_an_owner():
    assert problems("Train sector 3", "BPD", "") == []
    assert len(problems(" ", "", "x" * 2001, "closed")) == 4


# --- the Review page and its PDF (demo data) ---------------------------------------------


def test_leadership_adds_and_closes_an_item_on_the_review_page(app, released):
    from tests.support.pages import DEMO_USERS

    at = app("leadership", "review/page.py")
    at.run()
    assert not at.exception, at.exception
    at.text_input(key="action_title").input("Outreach at the Lexington Market east gate")
    at.text_input(key="action_owner").input("BCRI outreach lead")
    at.text_area(key="action_notes").input("two evenings a week")
    at.button(key="FormSubmitter:action_item_add-Add action item").click().run()
    assert not at.exception, at.exception
    (row,) = fetch(
        released,
        "SELECT item_id, title, owner, status, raised_on FROM action_item WHERE created_by = %s",
        (DEMO_USERS["leadership"],),
    )
    assert row[1:4] == ("Outreach at the Lexington Market east gate", "BCRI outreach lead", "open")
    shown = [frame.value for frame in at.table if "Action item" in frame.value.columns]
    assert "Outreach at the Lexington Market east gate" in list(shown[0]["Action item"])
    at.selectbox(key="action_pick").set_value(row[0]).run()
    at.selectbox(key=f"action_status_{row[0]}").set_value("done")
    at.button(key="FormSubmitter:action_item_change-Save the item").click().run()
    assert not at.exception, at.exception
    audit = fetch(
        released,
        "SELECT actor, action FROM audit_log WHERE action LIKE '%%action_item' ORDER BY audit_id",
    )
    user = DEMO_USERS["leadership"]
    assert audit == [(user, "add_action_item"), (user, "change_action_item")]
    assert fetch(released, "SELECT status FROM action_item WHERE item_id = %s", (row[0],)) == [
        ("done",)
    ]

    command = app("command", "review/page.py")
    command.run()
    assert not command.exception
    shown = [frame.value for frame in command.table if "Action item" in frame.value.columns]
    mine = shown[0][shown[0]["Action item"].str.startswith("Outreach at the Lexington")]
    assert list(mine.Status) == ["Done"]
    assert not [e for e in command.text_input if e.key == "action_title"]


def test_the_pdf_prints_the_reviews_action_items(released, tmp_path):
    from tests.support.pages import ARTIFACTS
    from tests.support.pdf import review_pdf_words
    from tests.test_review import load_demo_review

    with pytest.MonkeyPatch.context() as monkeypatch:
        review = load_demo_review(released, monkeypatch, "case_manager")
    items = review.tables["Action items"]
    demo = items[~items["Action item"].str.startswith("Outreach at the Lexington")]
    assert list(demo.Carried) == ["carried", "carried", ""]  # two from September
    words = review_pdf_words(review, tmp_path)
    assert "Action items" in words
    for title in items["Action item"]:
        assert " ".join(title.split()[:3]) in words
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "60",
            "-png",
            str(tmp_path / "review.pdf"),
            str(ARTIFACTS / "action-items-pdf"),
        ],  # fmt: skip
        check=True,
    )


def test_the_demo_has_the_work_groups_items_of_its_last_two_reviews(demo_url):
    rows = fetch(
        demo_url,
        "SELECT raised_on, status, created_by FROM action_item ORDER BY raised_on, item_id",
    )
    assert [r[:2] for r in rows if r[2] == "demo"] == [
        (date(2026, 9, 30), "done"), (date(2026, 9, 30), "open"), (date(2026, 10, 31), "open"),
    ]  # fmt: skip


@pytest.mark.browser
def test_the_review_pages_action_items_in_chromium(browser_page):
    from tests.support.pages import open_page, screenshot

    open_page(browser_page, "leadership", "Review", 2600)
    browser_page.get_by_role("heading", name="Action items").wait_for(timeout=90_000)
    browser_page.locator('[data-test-script-state="notRunning"]').wait_for(timeout=60_000)
    browser_page.get_by_text("Add or update an action item").click()
    browser_page.wait_for_timeout(2000)
    text = browser_page.locator("body").inner_text()
    assert "never about a participant" in text  # the table's cells are drawn on a canvas
    screenshot(browser_page, "review-action-items")
