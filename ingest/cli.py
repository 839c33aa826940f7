"""``python -m ingest <kind> <file> [--format F] [--strict] [--dry-run]``

Ends with one summary line and exits 0 (nothing rejected), 1 (rows rejected) or
2 (file unusable or database unreachable), with the reason, never a traceback.
``python -m ingest rejections <batch>`` lists every rejected row of a batch.
"""

import argparse
import re
import sys
from collections import Counter
from datetime import date

import psycopg2

import queries
from db.connect import DatabaseUnavailable, connect
from db.migrate import MigrationError
from ingest.api import ALL_KINDS, FORMATS, import_file
from ingest.areas import AREA_KINDS, AreaOptions
from ingest.readers import UnusableFile

SHOWN_REJECTIONS = 20
# what releases read
RELEASE_KINDS = (
    "contacts", "enrollments", "referrals", "case-managers", "meetings", "jail-bookings",
)  # fmt: skip
VALUES = re.compile(r"'[^']*'|-?\d+(\.\d+)?")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m ingest",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("kind", choices=[*ALL_KINDS, "rejections"])
    p.add_argument("file", help="the CSV/GeoJSON/zip file, or the batch id for 'rejections'")
    p.add_argument("--format", default="native", choices=FORMATS)
    p.add_argument("--strict", action="store_true", help="any bad row rejects the file")
    p.add_argument("--dry-run", action="store_true", help="check and count, load nothing")
    p.add_argument("--actor", help="who imports (default: the OS user)")
    areas = p.add_argument_group("areas")
    areas.add_argument("--area-kind", choices=AREA_KINDS)
    areas.add_argument("--name-field", default="name")
    areas.add_argument("--valid-from", type=date.fromisoformat, default=date(1900, 1, 1))
    areas.add_argument("--valid-to", type=date.fromisoformat)
    areas.add_argument("--source")
    areas.add_argument("--approximation", action="store_true")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        conn = connect()
    except (DatabaseUnavailable, RuntimeError) as error:
        print(f"ingest: cannot reach the database: {error}", file=sys.stderr)
        return 2
    with conn:
        if args.kind == "rejections":
            return _list_rejections(conn, args.file)
        return _import(conn, args)


def _import(conn, args) -> int:
    options = None
    if args.kind == "areas" and args.area_kind:
        options = AreaOptions(
            args.area_kind,
            args.name_field,
            args.valid_from,
            args.valid_to,
            args.source,
            args.approximation,
        )
    try:
        result = import_file(
            conn,
            args.kind,
            args.file,
            fmt=args.format,
            strict=args.strict,
            dry_run=args.dry_run,
            actor=args.actor,
            progress=_progress if sys.stderr.isatty() else None,
            area_options=options,
        )
    except UnusableFile as error:
        print(f"ingest: {error}", file=sys.stderr)
        return 2
    except DatabaseUnavailable as error:
        print(f"ingest: cannot reach the database: {error}", file=sys.stderr)
        return 2
    except MigrationError as error:
        print(f"ingest: the database schema cannot be brought up to date: {error}", file=sys.stderr)
        return 2
    except psycopg2.Error as error:
        reason = str(error).strip().splitlines()[0]
        print(
            f"ingest: the database refused the import ({reason}); nothing was loaded",
            file=sys.stderr,
        )
        return 2
    for rejection in result.rejections[:SHOWN_REJECTIONS]:
        print(f"  row {rejection.row_number}: {rejection.reason}")
    if result.rejected > SHOWN_REJECTIONS:
        where = (
            f"list them all with `python -m ingest rejections {result.batch_id}`"
            if result.batch_id
            else "a dry run keeps none"
        )
        print(f"  ... and {result.rejected - SHOWN_REJECTIONS:,} more ({where}). By reason:")
        for reason, count in reason_counts(result.rejections):
            print(f"  {count:>9,}  {reason}")
    if result.status == "loaded" and args.kind in RELEASE_KINDS:
        from releases import refresh  # here: scipy loads only for imports that need it

        print(refresh(conn).line())  # the statistical releases of the new data
    print(result.summary())
    return 1 if result.rejected else 0


def reason_counts(rejections) -> list[tuple[str, int]]:
    """Rejections grouped by reason, the values in quotes and numbers blanked."""
    counts = Counter(VALUES.sub("…", r.reason) for r in rejections)
    return counts.most_common()


def _list_rejections(conn, batch: str) -> int:
    if not batch.isdigit():
        print(
            "ingest: give the batch number, e.g. `python -m ingest rejections 14`", file=sys.stderr
        )
        return 2
    if queries.fetch_one(conn, "ingest/batch", batch_id=int(batch)) is None:
        print(f"ingest: there is no import batch {batch}", file=sys.stderr)
        return 2
    rows = queries.fetch_all(conn, "ingest/rejections_of_batch", batch_id=int(batch))
    for number, reason, _raw in rows:
        print(f"row {number}: {reason}")
    print(f"batch {batch}: {len(rows):,} rejected rows")
    return 0


def _progress(message: str) -> None:
    """Progress for a person watching a terminal; logs and pipes get the summary only."""
    print(f"ingest: {message}", file=sys.stderr, flush=True)
