"""The Imports page's data: an uploaded file checked (dry run) or loaded by the same
``ingest.api.import_file`` that ``python -m ingest`` runs, the batch history, a batch's
rejected rows, and rolling a batch back (``ingest.api.rollback_batch``).

Everything runs under the admin's own database role (``lead_admin``, which may load the
imported tables: db/migrations/0019_admin_writes.sql), one transaction per check, load or
rollback, with the admin's user name and role on every audit row. The page never
migrates the schema: the dashboard's login owns nothing (``python -m db.migrate`` does).
"""

import hashlib
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

import accounts
from dashboard import database
from ingest.api import ImportResult, RollbackRefused, import_file, rollback_batch
from ingest.areas import AreaOptions
from program.access import User, allowed_pages

HISTORY_ROWS = 200


@dataclass(frozen=True)
class Upload:
    """An uploaded file: its name as uploaded and its bytes."""

    name: str
    content: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


@dataclass(frozen=True)
class Request:
    """What to import: the kind, the file's format, strictness, and the areas options."""

    kind: str
    fmt: str = "native"
    strict: bool = False
    areas: AreaOptions | None = None


def run_import(
    user: User,
    upload: Upload,
    request: Request,
    *,
    dry_run: bool,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Check (``dry_run``) or load the upload. The file is written to a private temporary
    folder under its own base name (which the batch records) and removed afterwards.
    Raises ``ingest.readers.UnusableFile`` when the file cannot be read at all."""
    _require_admin(user)
    with tempfile.TemporaryDirectory(prefix="leadops-upload-") as folder:
        path = Path(folder) / (Path(upload.name).name or "upload")
        path.write_bytes(upload.content)
        result = database.run_as(
            user.role,
            lambda conn: import_file(
                conn,
                request.kind,
                path,
                fmt=request.fmt,
                strict=request.strict,
                dry_run=dry_run,
                actor=user.username,
                actor_role=user.role,
                progress=progress,
                area_options=request.areas,
                migrate=False,
            ),
        )
    if not dry_run:
        database.clear_cache()
    return result


def rejections_table(result: ImportResult) -> pd.DataFrame:
    """A result's rejected rows: row number (the line in the file), reason, the row."""
    return pd.DataFrame(
        {
            "row_number": [r.row_number for r in result.rejections],
            "reason": [r.reason for r in result.rejections],
            "row_as_written": [
                ", ".join(f"{k}={v}" for k, v in r.raw.items()) for r in result.rejections
            ],
        }
    )


def history(user: User) -> pd.DataFrame:
    """The latest batches, newest first (read fresh: it changes while one looks)."""
    return database.query_fresh(user.role, "imports/history", limit=HISTORY_ROWS)


def stored_rejections(user: User, batch_id: int) -> pd.DataFrame:
    """Every rejected row a loaded batch kept."""
    return database.query_fresh(user.role, "imports/rejections", batch_id=batch_id)


def rollback(user: User, batch_id: int) -> int:
    """Roll a batch back; returns the rows deleted. Raises ``RollbackRefused`` saying
    why when the batch may not be rolled back, after auditing the refusal."""
    _require_admin(user)
    try:
        deleted = database.run_as(
            user.role,
            lambda conn: rollback_batch(conn, batch_id, actor=user.username, actor_role=user.role),
        )
    except RollbackRefused as refusal:
        reason = str(refusal)
        database.run_as(user.role, lambda conn: _audit_refusal(conn, user, batch_id, reason))
        raise
    database.clear_cache()
    return deleted


def _audit_refusal(conn, user: User, batch_id: int, reason: str) -> None:
    target = f"batch {batch_id}"
    accounts.audit(
        conn, user.username, user.role, "import_rollback", target, "refused", reason=reason
    )


def _require_admin(user: User) -> None:
    """Imports and rollbacks: only for the roles the Imports page is for, whoever calls."""
    if "imports" not in allowed_pages(user.role):
        raise PermissionError("only administrators import files or roll batches back")
