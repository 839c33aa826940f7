"""Importing generated contacts through the real command line: ``python -m ingest
contacts <file.csv>`` into a fresh database, timed, with the importer's peak memory."""

import sys
import tempfile
from pathlib import Path

import queries
from bench import database, generate, measure
from db.connect import connect

ROOT = Path(__file__).resolve().parent.parent
# The contact columns of the import format (docs: README "Importing data").
CSV_COLUMNS = [
    "contact_id",
    "occurred_at",
    "latitude",
    "longitude",
    "offense",
    "pathway",
    "decision",
    "officer_id",
    "person_key",
    "age",
    "sex",
    "race",
    "ineligible_reason",
    "district",
    "post",
    "charge",
]


def contacts_csv(size: int, seed: int, folder: Path) -> Path:
    """The generated contacts of ``size`` as an import file."""
    contact = generate.contacts_only(size, seed)
    frame = contact.rename(columns={"lat": "latitude", "lon": "longitude"})[CSV_COLUMNS]
    path = folder / f"contacts_{generate.size_label(size)}.csv"
    frame.to_csv(path, index=False)
    return path


def import_contacts(size: int, seed: int, say) -> dict:
    if not (ROOT / "ingest" / "__main__.py").is_file():
        return {"skipped": "`python -m ingest` does not exist yet"}
    name = database.database_name(size).replace("_bench_", "_bench_import_")
    dsn = database.recreate(name)
    database.load_areas(dsn, say)
    with tempfile.TemporaryDirectory(prefix="lead-bench-") as folder:
        path = contacts_csv(size, seed, Path(folder))
        file_mib = path.stat().st_size / 2**20
        say(f"  import: {path.name} ({file_mib:.0f} MiB) through `python -m ingest contacts` ...")
        measured = measure.run_measured(
            [sys.executable, "-m", "ingest", "contacts", str(path)],
            measure.env_with(dsn),
            timeout_s=1800,
        )
    conn = connect(dsn)
    rows = int(queries.fetch_value(conn, "bench/contact_count"))
    conn.close()
    result = {
        "contacts": size,
        "file_mib": file_mib,
        "seconds": measured.seconds,
        "peak_mib": measured.peak_mib,
        "returncode": measured.returncode,
        "rows_in_table": rows,
        "output_tail": (measured.stdout + measured.stderr).strip().splitlines()[-5:],
    }
    say(
        f"  import: {measured.seconds:.1f} s, peak {measured.peak_mib or 0:.0f} MiB, "
        f"exit {measured.returncode}, {rows:,} rows in contact"
    )
    return result
