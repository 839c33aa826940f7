"""Loading the demo data set through the importer, and removing it again.

Demo rows are those whose ids start with ``demo-``, plus the program areas written by
the batches the demo recorded in ``dataset_meta`` (``demo_batches``). Rows a real import
wrote or rewrote since are never touched.
"""

import tempfile
from datetime import date
from pathlib import Path

import queries
from demo import ID_PREFIX
from demo.actions import add_action_items
from demo.generate import KINDS, generate, write_csvs
from ingest import ImportResult, import_file
from ingest.defaults import load_default_geography

ACTOR = "demo"
META_KEYS = ("demo_data", "demo_end_date", "demo_seed", "demo_batches")

# Children before parents; the id prefix is a bound parameter.
REMOVE_DEMO_ROWS = (
    "demo/remove_case_meeting",
    "demo/remove_jail_booking",
    "demo/remove_service_referral",
    "demo/remove_enrollment",
    "demo/remove_contact",
    "demo/remove_training",
    "demo/remove_officer",
    "demo/remove_case_manager",
)


class DemoLoadError(RuntimeError):
    """The importer rejected demo rows: the generator and the importer disagree."""


def has_contacts(conn) -> bool:
    return queries.fetch_value(conn, "demo/has_contacts")


def remove_demo(conn) -> None:
    """Delete every demo row and the demo's dataset_meta keys, in one transaction."""
    for name in REMOVE_DEMO_ROWS:
        queries.execute(conn, name, prefix=ID_PREFIX + "%")
    queries.execute(conn, "demo/remove_areas")
    queries.execute(conn, "demo/remove_action_items", actor=ACTOR)
    queries.execute(conn, "demo/remove_meta", keys=list(META_KEYS))
    conn.commit()


def load_demo(conn, end: date, seed: int) -> dict:
    """Replace any demo data with a fresh set; returns the generated tables by kind."""
    remove_demo(conn)
    tables = generate(end, seed)
    results = load_default_geography(conn, also_current_stand_in=True, actor=ACTOR)
    with tempfile.TemporaryDirectory(prefix="lead-demo-") as folder:
        paths = write_csvs(tables, Path(folder))
        results += [_import(conn, kind, paths[kind]) for kind in KINDS]
    _refuse_rejections(results)
    add_action_items(conn, end, ACTOR)
    _set_meta(conn, end, seed, batches=[result.batch_id for result in results])
    return tables


def _import(conn, kind: str, path: Path) -> ImportResult:
    return import_file(conn, kind, path, fmt="native", strict=False, actor=ACTOR)


def _refuse_rejections(results: list[ImportResult]) -> None:
    rejected = {result.kind: result.rejected for result in results if result.rejected}
    if rejected:
        raise DemoLoadError(f"the importer rejected demo rows: {rejected}")


def _set_meta(conn, end: date, seed: int, batches: list[int]) -> None:
    values = {
        "demo_data": "true",
        "demo_end_date": end.isoformat(),
        "demo_seed": str(seed),
        "demo_batches": ",".join(str(batch) for batch in batches),
    }
    for key, value in values.items():
        queries.execute(conn, "demo/set_meta", key=key, value=value)
    conn.commit()
