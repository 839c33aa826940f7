"""Reading an import file into strings, or saying in plain words why it cannot be read.

Values come back stripped, as text (``""`` = empty), indexed by row number: the header is
row 1, so a row's number is its line in the file unless a quoted value spans lines. Large
files are parsed by pyarrow; a file with blank lines or rows of the wrong length goes
through Python's csv module instead, which reports each such row by its number.
"""

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

SNIFF_BYTES = 4096
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x89PNG")  # zip/xlsx, PDF, PNG
UTF8_BOM = b"\xef\xbb\xbf"
FIRST_ROW = 2


class UnusableFile(Exception):
    """The file cannot be imported at all; the message says why (exit code 2)."""


def read_csv(path: Path, required: list[str], optional: list[str]) -> tuple[pd.DataFrame, list]:
    """(rows, malformed): rows as strings indexed by row number (header = row 1);
    malformed = [(row number, reason, raw fields)] for rows with the wrong field count.
    Only the required and optional columns are kept; others are ignored."""
    data = _bytes(path)
    text = _text(path, data)
    header = [name.strip().lower() for name in next(csv.reader(io.StringIO(text[:65536])), [])]
    if not any(header):
        raise UnusableFile(f"{path.name} is empty")
    _check_header(path, header, required)
    keep = [c for c in header if c in required or c in optional]
    body = data.removeprefix(UTF8_BOM).rstrip(b"\r\n") + b"\n"
    frame = None if b"\n\n" in body or b"\n\r\n" in body else _parse_fast(body, header, keep)
    if frame is not None:
        return frame, []
    return _parse_exact(text, header, keep)


def _bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableFile(f"{path} does not exist") from None
    except (IsADirectoryError, PermissionError) as error:
        raise UnusableFile(f"{path} cannot be read: {error.strerror}") from None
    head = data[:SNIFF_BYTES]
    if b"\x00" in head or head.startswith(BINARY_MAGIC):
        raise UnusableFile(f"{path.name} is not a CSV file (it holds binary data)")
    return data


def _text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise UnusableFile(
            f"{path.name} is not UTF-8 text (line {line}, byte {error.start}); "
            "save it as 'CSV UTF-8'"
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


def _parse_fast(body: bytes, header: list[str], keep: list[str]) -> pd.DataFrame | None:
    """The rows by pyarrow, or None when a row has the wrong number of fields."""
    malformed = []

    def skip(row) -> str:
        malformed.append(row)
        return "skip"

    # Unnamed columns (a trailing comma) need distinct names to be skipped.
    names = [name or f"unnamed {i}" for i, name in enumerate(header)]
    table = pacsv.read_csv(
        pa.BufferReader(body),
        read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
        parse_options=pacsv.ParseOptions(
            newlines_in_values=True,
            invalid_row_handler=skip,
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=keep,
            column_types=dict.fromkeys(keep, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if malformed:
        return None
    frame = table.to_pandas().apply(lambda column: column.str.strip())
    frame.index = pd.RangeIndex(FIRST_ROW, FIRST_ROW + len(frame), name="row_number")
    return frame


def _parse_exact(text: str, header: list[str], keep: list[str]) -> tuple[pd.DataFrame, list]:
    """Row by row, so that blank lines count and short or long rows are named."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    records, numbers, malformed = [], [], []
    for number, fields in enumerate(reader, start=FIRST_ROW):
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
        records, columns=header, index=pd.Index(numbers, name="row_number"), dtype=str
    )
    return frame[keep].apply(lambda column: column.str.strip()), malformed
