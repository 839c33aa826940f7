"""``import_file``: one file, one transaction, every row accounted for.

Steps: read and check every row in Python (vectorised); open a batch; COPY the good rows
into a temporary staging table; reject rows naming unknown officers, contacts, case
managers or enrollments; upsert by id (new, updated, unchanged); keep each rejected row
with its batch, row number and reason; close the batch; commit. Any error rolls all of it
back. ``strict``: any bad row rejects the whole file (only the batch and its rejections are
kept). ``dry_run``: everything is computed, then rolled back.
"""

import csv
import getpass
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

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
COPY_CHUNK_ROWS = 200_000


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
        counts = f"{self.new:,} new, {self.updated:,} updated, {self.unchanged:,} unchanged"
        if self.duplicate:
            counts += f", {self.duplicate:,} duplicate"
        counts += f", {self.rejected:,} rejected"
        where = f"batch {self.batch_id}" if self.status == "loaded" else self.status
        if self.status == "rejected":
            where = f"batch {self.batch_id}, file rejected: nothing loaded"
        return f"{self.kind}: {counts} ({where})"


def import_file(
    conn,
    kind: str,
    path,
    *,
    fmt: str = "native",
    strict: bool = False,
    dry_run: bool = False,
    actor: str | None = None,
    progress: Callable[[str], None] | None = None,
    area_options: AreaOptions | None = None,
) -> ImportResult:
    """Import one file of ``kind``; raises UnusableFile when it cannot be read at all."""
    path, say = Path(path), progress or (lambda message: None)
    if kind not in ALL_KINDS:
        raise UnusableFile(f"unknown kind {kind!r}; one of {', '.join(ALL_KINDS)}")
    if fmt not in FORMATS or (fmt == "bpd-arrests" and kind != "contacts"):
        raise UnusableFile(f"format {fmt!r} does not apply to {kind}")
    rows, rejections, duplicates = _prepare(kind, path, fmt, area_options, say)
    apply_pending(conn)
    try:
        result = _load(
            conn,
            kind,
            path,
            fmt,
            strict,
            actor or getpass.getuser(),
            rows,
            rejections,
            duplicates,
            say,
        )
        if dry_run:
            conn.rollback()
            result.status, result.batch_id = "dry-run", None
        else:
            conn.commit()
        return result
    except BaseException:
        conn.rollback()
        raise


def _prepare(kind, path, fmt, area_options, say):
    """(good rows with row_number first, rejections, exact duplicates merged)."""
    if kind == "areas":
        if area_options is None:
            raise UnusableFile("areas need --area-kind (and --name-field)")
        rows, rejected = read_areas(path, area_options)
        return rows, [Rejection(*r) for r in rejected], 0
    spec = KINDS[kind]
    if fmt == "bpd-arrests":
        raw, malformed = read_csv(path, bpd.COLUMNS, bpd.OPTIONAL)
        native = bpd.to_contacts(raw)
    else:
        optional = [c.name for c in spec.columns if not c.required]
        raw, malformed = read_csv(path, spec.required, optional)
        native = raw
    say(f"read {len(raw):,} rows from {path.name}")
    exact = native.duplicated(keep="first")  # a row repeated as is: merged, not rejected
    native, duplicates = native[~exact], int(exact.sum())
    values, reasons = check(native, spec)
    values, reasons = _repeated_ids(values, reasons, spec.key)
    bad = reasons != ""
    rejections = [Rejection(n, r, d) for n, r, d in malformed] + [
        Rejection(int(number), reason, raw.loc[number].to_dict())
        for number, reason in reasons[bad].items()
    ]
    say(
        f"checked: {int((~bad).sum()):,} good, {len(rejections):,} rejected, "
        f"{duplicates:,} duplicates"
    )
    return values[~bad].reset_index(), rejections, duplicates


def _repeated_ids(values: pd.DataFrame, reasons: pd.Series, key: tuple[str, ...]):
    """Reject a good row whose id an earlier good row already has, naming that row."""
    good = reasons == ""
    repeated = values[good].duplicated(subset=list(key), keep="first")
    if repeated.any():
        first = values[good].reset_index().drop_duplicates(subset=list(key), keep="first")
        first_row = {
            tuple(k): n
            for k, n in zip(
                first[list(key)].itertuples(index=False, name=None), first.row_number, strict=True
            )
        }
        for number in repeated[repeated].index:
            ident = tuple(values.loc[number, list(key)])
            reasons.loc[number] = (
                f"{'/'.join(key)} {'/'.join(map(str, ident))!r} appears again with other "
                f"values (first at row {first_row[ident]})"
            )
    return values, reasons


def _load(conn, kind, path, fmt, strict, actor, rows, rejections, duplicates, say) -> ImportResult:
    result = ImportResult(kind, duplicate=duplicates)
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
    queries.execute(conn, f"ingest/{kind}_stage")
    _copy(conn, f"ingest/{kind}_copy", rows.itertuples(index=False, name=None))
    orphans = []
    if f"ingest/{kind}_orphans" in queries.names():
        orphans = [
            Rejection(n, r, _raw_of(rows, n))
            for n, r in queries.fetch_all(conn, f"ingest/{kind}_orphans")
        ]
    rejections = rejections + orphans
    result.rejections = sorted(rejections, key=lambda r: r.row_number)
    result.rejected = len(rejections)
    if strict and rejections:
        result.status = "rejected"
    else:
        inserted = [
            row[0]
            for row in queries.fetch_all(conn, f"ingest/{kind}_upsert", batch_id=result.batch_id)
        ]
        result.new = sum(inserted)
        result.updated = len(inserted) - result.new
        result.unchanged = len(rows) - len(orphans) - len(inserted)
    _store_rejections(conn, result)
    _finish(conn, result, actor, path, len(rows) + result.rejected - len(orphans) + duplicates)
    return result


def _raw_of(rows: pd.DataFrame, number: int) -> dict:
    match = rows[rows.row_number == number]
    record = match.iloc[0].to_dict() if len(match) else {}
    return {k: (None if pd.isna(v) else str(v)) for k, v in record.items() if k != "row_number"}


def _copy(conn, name: str, records) -> None:
    """COPY records into a staging table in chunks (None -> NULL)."""
    statement = queries.load(name).sql
    with conn.cursor() as cur:
        while True:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            count = 0
            for record in records:
                writer.writerow(["" if v is None or v != v else v for v in record])
                count += 1
                if count == COPY_CHUNK_ROWS:
                    break
            if not count:
                return
            buffer.seek(0)
            cur.copy_expert(statement, buffer)
            if count < COPY_CHUNK_ROWS:
                return


def _store_rejections(conn, result: ImportResult) -> None:
    if not result.rejections:
        return
    queries.execute(conn, "ingest/rejection_stage")
    _copy(
        conn,
        "ingest/rejection_copy",
        ((r.row_number, r.reason, json.dumps(r.raw, default=str)) for r in result.rejections),
    )
    queries.execute(conn, "ingest/rejection_store", batch_id=result.batch_id)


def _finish(conn, result: ImportResult, actor: str, path: Path, read: int) -> None:
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
        actor,
        None,
        "import",
        f"{result.kind}: {path.name}",
        result.status,
        batch=result.batch_id,
        new=result.new,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=result.rejected,
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
