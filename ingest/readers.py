"""Reading an import file into strings, or saying in plain words why it cannot be read."""

import csv
import io
from pathlib import Path

import pandas as pd

SNIFF_BYTES = 4096


class UnusableFile(Exception):
    """The file cannot be imported at all; the message says why (exit code 2)."""


def read_csv(path: Path, required: list[str], optional: list[str]) -> tuple[pd.DataFrame, list]:
    """(rows, malformed): rows as strings indexed by row number (header = row 1);
    malformed = [(row number, reason, raw fields)] for rows with the wrong field count."""
    text = _text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in next(reader, [])]
    if not any(header):
        raise UnusableFile(f"{path.name} is empty")
    _check_header(path, header, required)
    records, numbers, malformed = [], [], []
    for number, fields in enumerate(reader, start=2):
        if len(fields) == len(header):
            records.append(fields)
            numbers.append(number)
        elif any(field.strip() for field in fields):
            malformed.append(
                (
                    number,
                    f"row has {len(fields)} fields, the header has {len(header)}",
                    dict(enumerate(fields)),
                )
            )
    frame = pd.DataFrame(
        records, columns=header, index=pd.Index(numbers, name="row_number"), dtype=object
    )
    keep = [c for c in header if c in required or c in optional]
    return frame[keep].fillna(""), malformed


def _text(path: Path) -> str:
    try:
        head = path.open("rb").read(SNIFF_BYTES)
    except FileNotFoundError:
        raise UnusableFile(f"{path} does not exist") from None
    except (IsADirectoryError, PermissionError) as error:
        raise UnusableFile(f"{path} cannot be read: {error.strerror}") from None
    if b"\x00" in head or head.startswith((b"PK\x03\x04", b"%PDF", b"\x89PNG")):
        raise UnusableFile(f"{path.name} is not a CSV file (it holds binary data)")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnusableFile(
            f"{path.name} is not UTF-8 text (byte {error.start}); save it as 'CSV UTF-8'"
        ) from None


def _check_header(path: Path, header: list[str], required: list[str]) -> None:
    missing = [name for name in required if name not in header]
    if missing:
        raise UnusableFile(
            f"{path.name} lacks the column(s) {', '.join(missing)}; it has "
            f"{', '.join(h for h in header if h) or 'none'} (see docs/data-formats.md)"
        )
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise UnusableFile(f"{path.name} has the column(s) {', '.join(repeated)} twice")
