"""Loading the demo data set through the importer, and removing it again.

Demo rows are those whose ids start with ``demo-``, plus the program areas written by
the batches the demo recorded in ``dataset_meta`` (``demo_batches``). Rows a real import
wrote or rewrote since are never touched.
"""

import tempfile
from datetime import date
from pathlib import Path

from demo import ID_PREFIX
from demo.generate import KINDS, generate, write_csvs
from geo.areas import load_default_geography
from ingest import ImportResult, import_file

ACTOR = "demo"
META_KEYS = ("demo_data", "demo_end_date", "demo_seed", "demo_batches")

# Children before parents. Static statements: the id prefix is a bound parameter.
REMOVE_DEMO_ROWS = (
    "DELETE FROM service_referral WHERE enrollment_id LIKE %(prefix)s",
    "DELETE FROM enrollment WHERE enrollment_id LIKE %(prefix)s",
    "DELETE FROM contact WHERE contact_id LIKE %(prefix)s",
    "DELETE FROM training WHERE officer_id LIKE %(prefix)s",
    "DELETE FROM officer WHERE officer_id LIKE %(prefix)s",
    "DELETE FROM case_manager WHERE case_manager_id LIKE %(prefix)s",
)
REMOVE_DEMO_AREAS = """
    DELETE FROM program_area
    WHERE batch_id = ANY(string_to_array(
        (SELECT value FROM dataset_meta WHERE key = 'demo_batches'), ',')::bigint[])
"""
REMOVE_META = "DELETE FROM dataset_meta WHERE key = ANY(%(keys)s)"
SET_META = """
    INSERT INTO dataset_meta (key, value) VALUES (%(key)s, %(value)s)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, set_at = now()
"""
HAS_CONTACTS = "SELECT EXISTS (SELECT 1 FROM contact)"


class DemoLoadError(RuntimeError):
    """The importer rejected demo rows: the generator and the importer disagree."""


def has_contacts(conn) -> bool:
    with conn.cursor() as cur:
        cur.execute(HAS_CONTACTS)
        return cur.fetchone()[0]


def remove_demo(conn) -> None:
    """Delete every demo row and the demo's dataset_meta keys, in one transaction."""
    with conn.cursor() as cur:
        for statement in REMOVE_DEMO_ROWS:
            cur.execute(statement, {"prefix": ID_PREFIX + "%"})
        cur.execute(REMOVE_DEMO_AREAS)
        cur.execute(REMOVE_META, {"keys": list(META_KEYS)})
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
    with conn.cursor() as cur:
        for key, value in values.items():
            cur.execute(SET_META, {"key": key, "value": value})
    conn.commit()
