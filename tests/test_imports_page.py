"""The Imports page (issue 17): on a fresh database, the real BPD export uploaded, checked
(dry run: counts and every rejected row with its reason), confirmed and seen in the batch
history; rejected rows downloadable; a batch rolled back, or refused with the reason.

Expected figures come from ``tests.test_ingest.bpd_expected`` (plain pandas over the
file) and from direct SQL, never from the code under test.
"""

import time
from pathlib import Path

import pytest

import accounts
from bench import serve
from dashboard.imports import data
from ingest.api import RollbackRefused, import_file, rollback_batch
from program.access import User
from tests.support.pages import ARTIFACTS, ROOT, dashboard, screenshot
from tests.test_ingest import BPD, bpd_expected

PASSWORD = "imports page password"
ADMIN = {"username": "ada", "role": "admin"}
EXAMPLES = ROOT / "docs" / "examples"


@pytest.fixture
def fresh(db):
    """The fresh scratch database (empty data tables) with one admin account."""
    accounts.add(db, ADMIN["username"], ADMIN["role"], PASSWORD, actor="test")
    db.commit()
    return db


@pytest.fixture(scope="module")
def expected() -> dict:
    return bpd_expected()


def one(conn, statement: str, *params):
    conn.rollback()  # see what the page committed
    with conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchone()


def upload_bpd(at) -> None:
    at.selectbox(key="imports_format").set_value("bpd-arrests")
    at.file_uploader(key="imports_file").set_value((BPD.name, BPD.read_bytes(), "text/csv"))
    at.run()


def frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_the_page_checks_then_loads_the_real_export_and_lists_the_batch(fresh, expected):
    at = dashboard(ADMIN, "imports/page.py", timeout=300)
    at.run()
    assert not at.exception and "No file has been imported yet." in [i.value for i in at.info]
    upload_bpd(at)
    started = time.perf_counter()
    at.button(key="imports_check").click().run()
    dry_run_s = time.perf_counter() - started
    assert not at.exception and not at.error
    tiles = {m.label: m.value for m in at.metric}
    rejected = expected["no coordinates"] + expected["outside Baltimore"]
    assert tiles == {
        "New": f"{expected['new']:,}",
        "Updated": "0",
        "Unchanged": "0",
        "Rejected": f"{rejected:,}",
        "Exact repeats merged": f"{expected['duplicate']:,}",
    }
    by_reason = frame_with(at, "rows").set_index("reason").rows
    assert by_reason.sum() == rejected
    assert by_reason["no coordinates"] == expected["no coordinates"]
    shown = frame_with(at, "row_as_written")
    assert len(shown) == 1000 and shown.row_number.is_monotonic_increasing
    assert shown.reason.str.len().gt(0).all()
    assert one(fresh, "SELECT count(*) FROM contact")[0] == 0
    assert one(fresh, "SELECT count(*) FROM import_batch")[0] == 0

    started = time.perf_counter()
    at.button(key="imports_confirm").click().run()
    confirm_s = time.perf_counter() - started
    print(
        f"\nImports page (AppTest), {BPD.name}: "
        f"dry run {dry_run_s:.1f} s, confirm {confirm_s:.1f} s"
    )
    assert not at.exception and at.success[0].value.startswith("Loaded: contacts:")
    assert one(fresh, "SELECT count(*) FROM contact")[0] == expected["new"]
    batch_id, imported_by, new, status = one(
        fresh, "SELECT batch_id, imported_by, rows_new, status FROM import_batch"
    )
    assert (imported_by, new, status) == ("ada", expected["new"], "loaded")
    history = frame_with(at, "rows_new")
    assert history[["batch_id", "rows_new", "status"]].values.tolist() == [
        [batch_id, expected["new"], "loaded"]
    ]
    assert one(fresh, "SELECT actor, outcome FROM audit_log WHERE action = 'import'") == (
        "ada",
        "loaded",
    )


def test_a_loaded_batch_keeps_its_rejections_for_download_and_rolls_back(fresh, expected):
    loaded = import_file(fresh, "contacts", BPD, fmt="bpd-arrests", actor="ada")
    admin = User(**ADMIN)
    kept = data.stored_rejections(admin, loaded.batch_id)
    assert kept.row_number.tolist() == [r.row_number for r in loaded.rejections]
    assert len(kept) == expected["no coordinates"] + expected["outside Baltimore"]

    at = dashboard(ADMIN, "imports/page.py", timeout=120)
    at.run()
    assert [b.label for b in at.get("download_button")] == [
        f"CSV: Rejected rows of import batch {loaded.batch_id}"
    ]
    roll = at.button(key="imports_rollback")
    assert roll.disabled  # not before the confirmation is ticked
    at.checkbox(key="imports_rollback_sure").check().run()
    at.button(key="imports_rollback").click().run()
    assert not at.exception
    assert at.success[0].value == (
        f"Batch {loaded.batch_id} rolled back: {expected['new']:,} rows deleted."
    )
    assert one(fresh, "SELECT count(*) FROM contact")[0] == 0
    assert one(fresh, "SELECT status, rolled_back_by FROM import_batch") == ("rolled_back", "ada")
    assert one(
        fresh, "SELECT actor, outcome, detail->>'deleted' FROM audit_log "
        "WHERE action = 'import_rollback'",
    ) == ("ada", "ok", str(expected["new"]))  # fmt: skip
    assert frame_with(at, "rows_new").status.tolist() == ["rolled_back"]


def example(name: str) -> Path:
    return EXAMPLES / name


def test_a_batch_that_updated_rows_or_is_not_the_latest_is_not_rolled_back(fresh, tmp_path):
    first = import_file(fresh, "contacts", example("contacts.csv"), actor="ada")
    lines = example("contacts.csv").read_text().splitlines()
    lines[1] = lines[1].replace(",34,", ",35,")  # one contact corrected: an update
    corrected = tmp_path / "contacts.csv"
    corrected.write_text("\n".join(lines) + "\n")
    second = import_file(fresh, "contacts", corrected, actor="ada")
    assert (second.new, second.updated) == (0, 1)
    with pytest.raises(RollbackRefused, match="updated 1 rows whose earlier values"):
        rollback_batch(fresh, second.batch_id, actor="ada")
    with pytest.raises(RollbackRefused, match=f"batch {second.batch_id} of contacts came later"):
        rollback_batch(fresh, first.batch_id, actor="ada")
    with pytest.raises(RollbackRefused, match="there is no import batch 999"):
        data.rollback(User(**ADMIN), 999)  # through the page: the refusal is audited
    assert one(fresh, "SELECT count(*) FROM contact")[0] == len(lines) - 1
    refused = one(
        fresh,
        "SELECT actor, role, target, detail->>'reason' FROM audit_log "
        "WHERE action = 'import_rollback' AND outcome = 'refused'",
    )
    assert refused == ("ada", "admin", "batch 999", "there is no import batch 999")


def test_rows_that_later_imports_refer_to_block_the_rollback(fresh):
    contacts = import_file(fresh, "contacts", example("contacts.csv"), actor="ada")
    import_file(fresh, "case-managers", example("case-managers.csv"), actor="ada")
    enrollments = import_file(fresh, "enrollments", example("enrollments.csv"), actor="ada")
    assert enrollments.new > 0
    with pytest.raises(RollbackRefused, match="rows imported later refer to its rows"):
        rollback_batch(fresh, contacts.batch_id, actor="ada")
    assert one(fresh, "SELECT count(*) FROM contact")[0] == contacts.new
    assert rollback_batch(fresh, enrollments.batch_id, actor="ada") == enrollments.new
    assert rollback_batch(fresh, contacts.batch_id, actor="ada") == contacts.new
    assert one(fresh, "SELECT count(*) FROM contact")[0] == 0


def test_a_second_import_of_the_same_file_rolls_back_to_the_first(fresh):
    first = import_file(fresh, "contacts", example("contacts.csv"), actor="ada")
    again = import_file(fresh, "contacts", example("contacts.csv"), actor="ada")
    assert rollback_batch(fresh, again.batch_id, actor="ada") == 0  # it added nothing
    assert one(fresh, "SELECT count(*) FROM contact")[0] == first.new
    assert rollback_batch(fresh, first.batch_id, actor="ada") == first.new


def test_only_admins_import_or_roll_back_through_the_page_data(fresh):
    upload = data.Upload("contacts.csv", example("contacts.csv").read_bytes())
    with pytest.raises(PermissionError):
        data.run_import(User("cy", "command"), upload, data.Request("contacts"), dry_run=True)
    with pytest.raises(PermissionError):
        data.rollback(User("cy", "case_manager"), 1)


def test_an_unusable_upload_is_explained_and_loads_nothing(fresh):
    at = dashboard(ADMIN, "imports/page.py", timeout=120)
    at.run()
    at.file_uploader(key="imports_file").set_value(("notes.csv", b"\x00\x01binary", "text/csv"))
    at.run()
    at.button(key="imports_check").click().run()
    assert not at.exception
    assert at.error[0].value.startswith("The file cannot be used: ")
    assert "Nothing was loaded." in at.error[0].value
    assert not [b for b in at.button if b.key == "imports_confirm"]


# --- in Chromium: the real file through the browser ----------------------------------------


@pytest.fixture
def served_fresh(fresh, database_url):
    with serve.served(
        database_url, basemap=None, log_path=ARTIFACTS / "streamlit-imports.log"
    ) as server:
        yield server.base


def test_chromium_uploads_the_real_export_confirms_and_sees_the_batch(
    chromium, served_fresh, fresh, expected
):
    context = chromium.new_context(viewport={"width": 1440, "height": 1200})
    page = context.new_page()
    page.goto(f"{served_fresh}/imports")
    page.get_by_label("User name").fill(ADMIN["username"])
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("File to import").wait_for(timeout=60_000)
    page.get_by_test_id("stSelectbox").filter(has_text="Format").click()
    page.get_by_role("option", name="bpd-arrests").click()
    page.locator("input[type=file]").set_input_files(str(BPD))
    page.get_by_text(BPD.name).first.wait_for(timeout=30_000)
    started = time.perf_counter()
    page.get_by_role("button", name="Check the file (dry run)").click()
    confirm = page.get_by_role("button", name=f"Confirm: load {BPD.name}")
    confirm.wait_for(timeout=300_000)
    dry_run_s = time.perf_counter() - started
    page.get_by_test_id("stDataFrame").first.wait_for()
    page.wait_for_timeout(3000)  # the tables draw their canvas
    screenshot(page, "imports_page_bpd_checked")
    started = time.perf_counter()
    confirm.click()
    page.get_by_text("Loaded: contacts:").wait_for(timeout=300_000)
    confirm_s = time.perf_counter() - started
    print(
        f"\nImports page (Chromium), {BPD.name}: "
        f"dry run {dry_run_s:.1f} s, confirm {confirm_s:.1f} s"
    )
    page.get_by_text("Import history").first.wait_for()
    page.get_by_text(f"Delete the {expected['new']:,} rows batch").wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # the run's last elements settle
    shot = screenshot(page, "imports_page_bpd_loaded")
    assert shot.stat().st_size > 10_000
    context.close()
    assert one(fresh, "SELECT rows_new, status, imported_by FROM import_batch") == (
        expected["new"],
        "loaded",
        "ada",
    )
