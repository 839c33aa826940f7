"""``import_file``: one file, one transaction, every row accounted for.

Steps: read and check every row in Python (vectorised); open a batch; COPY the good rows
into a temporary staging table; reject rows naming unknown officers, contacts, case
managers or enrollments, and contacts outside the city line when one is loaded; upsert
by id (new, updated, unchanged); keep each rejected row with its batch, row number and
reason; close the batch; commit. Any error rolls all of it back. ``strict``: any bad row
rejects the whole file (only the batch and its rejections are kept). ``dry_run``:
everything is computed, then rolled back.

``rollback_batch`` undoes a batch that only inserted rows and is the latest of its kind
still in force, by deleting the rows it inserted (earlier values of updated rows are not
kept, so a batch that updated rows cannot be undone).
"""

import getpass
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import shapely
from psycopg2 import errors as pg_errors

import accounts
import queries
from db.migrate import apply_pending
from ingest import bpd
from ingest.areas import AreaOptions, read_areas
from ingest.kinds import KINDS
from ingest.readers import UnusableFile, read_csv
from ingest.validate import check

FORMATS = ("native", "bpd-arrests")
ALL_KINDS = (*KINDS, "areas")
COPY_CHUNK_ROWS = 100_000
KEYS = {kind: spec.key for kind, spec in KINDS.items()} | {"areas": ("name",)}
NO_REASONS = pd.Series([], dtype=str)
# kind -> the query deleting the rows a batch of that kind inserted
DELETE_QUERIES = {
    "contacts": "imports/delete_contacts",
    "officers": "imports/delete_officers",
    "trainings": "imports/delete_trainings",
    "case-managers": "imports/delete_case_managers",
    "enrollments": "imports/delete_enrollments",
    "referrals": "imports/delete_referrals",
    "meetings": "imports/delete_meetings",
    "jail-bookings": "imports/delete_jail_bookings",
    "areas": "imports/delete_areas",
}


class RollbackRefused(ValueError):
    """A batch that cannot be rolled back; the message says why in plain words."""


@dataclass(frozen=True)
class Rejection:
    row_number: int
    reason: str
    raw: dict


@dataclass
class ImportResult:
    kind: str
    batch_id: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    rejected: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    status: str = "loaded"  # loaded | rejected | dry-run

    def summary(self) -> str:
        counts = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged"
        counts += f", {self.rejected} rejected"
        if self.duplicate:
            counts += f", {self.duplicate} duplicate"
        where = f"batch {self.batch_id}"
        if self.status == "rejected":
            where += ", file rejected: nothing loaded"
        elif self.status == "dry-run":
            where = "dry run: nothing loaded"
        return f"{self.kind}: {counts} ({where})"


@dataclass
class Prepared:
    """A file checked in Python: its good rows and its bad rows."""

    read: int  # data rows in the file
    rows: pd.DataFrame  # good rows, normalised, indexed by row number
    rejections: list[Rejection]
    duplicates: int
    raw: pd.DataFrame  # every row as written in the file, by row number


def import_file(
    conn,
    kind: str,
    path,
    *,
    fmt: str = "native",
    strict: bool = False,
    dry_run: bool = False,
    actor: str | None = None,
    actor_role: str | None = None,
    progress: Callable[[str], None] | None = None,
    area_options: AreaOptions | None = None,
    migrate: bool = True,
) -> ImportResult:
    """Import one file of ``kind``; raises UnusableFile when it cannot be read at all.

    ``actor_role``: the dashboard role the import runs as (its audit row names it; the
    command line runs as the owner, with none). ``migrate=False``: the caller's login does
    not migrate (the dashboard), so the schema is taken as current."""
    path, say = Path(path), progress or (lambda message: None)
    if kind not in ALL_KINDS:
        raise UnusableFile(f"unknown kind {kind!r}; one of {', '.join(ALL_KINDS)}")
    if fmt not in FORMATS or (fmt == "bpd-arrests" and kind != "contacts"):
        raise UnusableFile(f"format {fmt!r} does not apply to {kind}")
    prepared = _prepare(kind, path, fmt, area_options, say)
    if migrate:
        apply_pending(conn)
    try:
        who = (actor or getpass.getuser(), actor_role)
        result = _load(conn, kind, path, fmt, strict, who, prepared, say)
        if dry_run:
            conn.rollback()
            result.status, result.batch_id = "dry-run", None
        else:
            queries.execute(conn, "ingest/refresh_census_store")  # aggregates, same commit
            queries.execute(conn, "ingest/refresh_contact_rollup")
            conn.commit()
        return result
    except BaseException:
        conn.rollback()
        raise


def _prepare(kind, path, fmt, area_options, say) -> Prepared:
    """The file read and checked in Python; the database is not touched yet."""
    if kind == "areas":
        checked = _check_areas(path, area_options)
    else:
        checked = _check_csv(kind, path, fmt)
        say(f"read {checked.read:,} rows from {path.name}")
    rows = checked.rows.drop(checked.repeated)
    reasons = checked.reasons.drop(checked.repeated, errors="ignore")
    reasons = pd.concat([reasons, _repeated_ids(rows.drop(reasons.index), KEYS[kind])])
    rejections = checked.early + _rejections(reasons.sort_index(), checked.raw)
    say(f"checked: {len(rows) - len(reasons):,} good, {len(rejections):,} rejected")
    return Prepared(
        checked.read, rows.drop(reasons.index), rejections, len(checked.repeated), checked.raw
    )


class Checked(NamedTuple):
    read: int  # data rows in the file
    raw: pd.DataFrame  # every row as written, by row number
    rows: pd.DataFrame  # normalised values, by row number
    reasons: pd.Series  # why, for the bad rows
    early: list[Rejection]  # rows rejected before checking (unreadable rows or features)
    repeated: pd.Index  # exact repeats of an earlier row


def _check_csv(kind: str, path: Path, fmt: str) -> Checked:
    spec = KINDS[kind]
    if fmt == "bpd-arrests":
        raw, malformed = read_csv(path, bpd.COLUMNS, bpd.OPTIONAL)
        native, key = bpd.to_contacts(raw), ("arrest",)
    else:
        optional = [c.name for c in spec.columns if not c.required]
        raw, malformed = read_csv(path, spec.required, optional)
        native, key = raw, spec.key
    rows, reasons = check(native, spec)
    early = [Rejection(*r) for r in malformed]
    return Checked(len(raw) + len(early), raw, rows, reasons, early, _repeats(raw, key))


def _check_areas(path: Path, options: AreaOptions | None) -> Checked:
    if options is None:
        raise UnusableFile("areas need --area-kind (and --name-field)")
    rows, rejected, properties = read_areas(path, options)
    early = [Rejection(*r) for r in rejected]
    return Checked(len(properties), properties, rows, NO_REASONS, early, _repeats(rows, ("name",)))


def _repeats(frame: pd.DataFrame, key: tuple[str, ...]) -> pd.Index:
    """Row numbers of rows that repeat an earlier row exactly (merged, not loaded twice).
    Only rows sharing an id with another row are compared in full."""
    sharing = frame[frame.duplicated(subset=list(key), keep=False)]
    return sharing.index[sharing.duplicated(keep="first")]


def _repeated_ids(good: pd.DataFrame, key: tuple[str, ...]) -> pd.Series:
    """A reason for each good row whose id an earlier good row already has."""
    sharing = good[good.duplicated(subset=list(key), keep=False)]
    if sharing.empty:
        return NO_REASONS
    ident = sharing[list(key)].astype(str).agg("/".join, axis=1)
    first = pd.Series(sharing.index, index=sharing.index).groupby(ident).transform("first")
    later = first != sharing.index
    return (
        f"{'/'.join(key)} '"
        + ident[later]
        + "' appears again with other values (first at row "
        + first[later].astype(str)
        + ")"
    )


def _rejections(reasons: pd.Series, raw: pd.DataFrame) -> list[Rejection]:
    records = raw.loc[reasons.index].to_dict("records")
    return [
        Rejection(int(number), reason, record)
        for (number, reason), record in zip(reasons.items(), records, strict=True)
    ]


def _load(conn, kind, path, fmt, strict, who, prepared: Prepared, say) -> ImportResult:
    result = ImportResult(kind, duplicate=prepared.duplicates)
    actor = who[0]
    queries.execute(conn, "ingest/no_statement_timeout")
    queries.execute(conn, "imports/shared_lock")
    result.batch_id = queries.fetch_value(
        conn,
        "ingest/batch_start",
        kind=kind,
        format=fmt,
        file_name=path.name,
        file_sha256=_sha256(path),
        strict=strict,
        actor=actor,
    )
    rows, rejections = prepared.rows, list(prepared.rejections)
    if kind == "contacts":
        rows, outside = _outside_city_line(conn, rows)
        rejections += _rejections(outside, prepared.raw)
    queries.execute(conn, f"ingest/{kind}_stage")
    _copy(conn, f"ingest/{kind}_copy", rows.reset_index(), say)
    staged = len(rows)
    if f"ingest/{kind}_orphans" in queries.names():
        orphans = pd.Series(dict(queries.fetch_all(conn, f"ingest/{kind}_orphans")), dtype=str)
        rejections += _rejections(orphans, prepared.raw)
        staged -= len(orphans)
    result.rejections = sorted(rejections, key=lambda r: r.row_number)
    result.rejected = len(rejections)
    if strict and rejections:
        result.status = "rejected"
    else:
        say(f"writing {staged:,} rows")
        result.new, result.updated = queries.fetch_one(
            conn, f"ingest/{kind}_upsert", batch_id=result.batch_id
        )
        result.unchanged = staged - result.new - result.updated
    _store_rejections(conn, result, say)
    _finish(conn, result, who, path, prepared.read)
    return result


def _outside_city_line(conn, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Contacts outside the city line, when a ``city`` area is loaded: (inside, reasons)."""
    city = queries.fetch_value(conn, "ingest/city_line")
    if city is None or rows.empty:
        return rows, NO_REASONS
    inside = shapely.contains_xy(
        shapely.from_wkb(bytes(city)), rows["longitude"].to_numpy(), rows["latitude"].to_numpy()
    )
    outside = rows[~inside]
    reasons = (
        "location "
        + outside["latitude"].astype(str)
        + ", "
        + outside["longitude"].astype(str)
        + " is outside the city line"
    )
    return rows[inside], reasons


def _copy(conn, name: str, frame: pd.DataFrame, say=None) -> None:
    """COPY the frame into a staging table as CSV, in chunks (missing -> NULL)."""
    statement = queries.load(name).sql
    with conn.cursor() as cur:
        for start in range(0, len(frame), COPY_CHUNK_ROWS):
            buffer = io.BytesIO()
            chunk = pa.Table.from_pandas(
                frame.iloc[start : start + COPY_CHUNK_ROWS], preserve_index=False
            )
            pacsv.write_csv(chunk, buffer, pacsv.WriteOptions(include_header=False))
            buffer.seek(0)
            cur.copy_expert(statement, buffer)
            if say and len(frame) > COPY_CHUNK_ROWS:
                say(f"staged {min(start + COPY_CHUNK_ROWS, len(frame)):,} of {len(frame):,}")


def _store_rejections(conn, result: ImportResult, say) -> None:
    if not result.rejections:
        return
    say(f"keeping {result.rejected:,} rejected rows")
    queries.execute(conn, "ingest/rejection_stage")
    frame = pd.DataFrame(
        {
            "row_number": [r.row_number for r in result.rejections],
            "reason": [r.reason for r in result.rejections],
            "raw": [json.dumps(r.raw, default=str) for r in result.rejections],
        }
    )
    _copy(conn, "ingest/rejection_copy", frame)
    queries.execute(conn, "ingest/rejection_store", batch_id=result.batch_id)


def _finish(conn, result: ImportResult, who: tuple, path: Path, read: int) -> None:
    queries.execute(
        conn,
        "ingest/batch_finish",
        batch_id=result.batch_id,
        status=result.status,
        read=read,
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        duplicate=result.duplicate,
        rejected=result.rejected,
    )
    accounts.audit(
        conn,
        *who,
        "import",
        f"{result.kind}: {path.name}",
        result.status,
        batch=result.batch_id,
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        duplicate=result.duplicate,
        rejected=result.rejected,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def rollback_batch(conn, batch_id: int, *, actor: str, actor_role: str | None = None) -> int:
    """Delete the rows batch ``batch_id`` inserted and mark it rolled back, in one
    transaction, audited; returns how many rows went. Refused (RollbackRefused; nothing
    changes, the transaction is rolled back and the caller audits the refusal) unless
    the batch is loaded, updated no row, is the latest batch of its kind still in force,
    and no other table refers to its rows. No import runs meanwhile (an advisory lock
    every import shares). Commits."""
    try:
        queries.execute(conn, "imports/exclusive_lock")
        kind = _rollbackable(conn, batch_id)
        deleted = queries.fetch_value(conn, DELETE_QUERIES[kind], batch_id=batch_id)
        queries.execute(conn, "imports/mark_rolled_back", batch_id=batch_id, actor=actor)
        target = f"batch {batch_id}"
        accounts.audit(
            conn, actor, actor_role, "import_rollback", target, "ok", kind=kind, deleted=deleted
        )
        queries.execute(conn, "ingest/refresh_census_store")
        queries.execute(conn, "ingest/refresh_contact_rollup")
        conn.commit()
        return deleted
    except pg_errors.ForeignKeyViolation as error:
        conn.rollback()
        raise RollbackRefused(
            f"batch {batch_id} cannot be rolled back: rows imported later refer to its rows "
            f"({error.diag.message_detail or error.diag.message_primary})"
        ) from error
    except BaseException:
        conn.rollback()
        raise


def _rollbackable(conn, batch_id: int) -> str:
    """The batch's kind when it may be rolled back; else RollbackRefused saying why."""
    found = queries.fetch_one(conn, "imports/batch_for_rollback", batch_id=batch_id)
    if found is None:
        raise RollbackRefused(f"there is no import batch {batch_id}")
    kind, status, _new, updated, latest = found
    if status != "loaded":
        state = status.replace("_", " ")
        raise RollbackRefused(f"batch {batch_id} is {state}: nothing to roll back")
    if updated:
        raise RollbackRefused(
            f"batch {batch_id} updated {updated:,} rows whose earlier values are not kept, "
            "so it cannot be rolled back; import a corrected file instead"
        )
    if latest != batch_id:
        raise RollbackRefused(
            f"batch {latest} of {kind} came later: only the latest batch of a kind can be "
            "rolled back"
        )
    return kind
