"""Reading an import file into strings, or saying in plain words why it cannot be read.

Values come back stripped, as text (``""`` = empty), indexed by row number: the header is
row 1 and a row's number is the line it starts on. Large files are parsed by pyarrow; a
file pyarrow cannot take as it is (blank lines, rows of the wrong length, a value spanning
lines, a value over the size limit, a row longer than pyarrow's block) goes through
Python's csv module instead, which names each such row by its line.

A file is unusable (``UnusableFile``, exit code 2) when it is missing, empty, binary (a
NUL byte anywhere), not UTF-8, its column names are wrong, repeated or badly quoted, a
quote is never closed, or a value is longer than ``csv.field_size_limit()`` (131,072
characters): a value that long is an unbalanced quote or a corrupt export, not data.
Old Mac line endings (CR only) are read as line breaks.
"""

import csv
import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

SNIFF_BYTES = 4096
BINARY_MAGIC = (b"PK\x03\x04", b"%PDF", b"\x89PNG")  # zip/xlsx, PDF, PNG
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"
FIRST_ROW = 2
SHOWN_NAME_CHARS = 40
SHOWN_NAMES = 30


class UnusableFile(Exception):
    """The file cannot be imported at all; the message says why (exit code 2)."""


def read_csv(path: Path, required: list[str], optional: list[str]) -> tuple[pd.DataFrame, list]:
    """(rows, malformed): rows as strings indexed by row number (header = row 1);
    malformed = [(row number, reason, raw fields)] for rows with the wrong field count.
    Only the required and optional columns are kept; others are ignored."""
    data = _bytes(path)
    if b"\r" in data and b"\n" not in data:
        data = data.replace(b"\r", b"\n")
    text = _text(path, data)
    header = _header(path, text)
    _check_header(path, header, required)
    keep = [c for c in header if c in required or c in optional]
    body = data.removeprefix(UTF8_BOM).rstrip(b"\r\n") + b"\n"
    frame = None if b"\n\n" in body or b"\n\r\n" in body else _parse_fast(body, header, keep)
    if frame is not None:
        return frame, []
    return _parse_exact(path, text, header, keep)


def _bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnusableFile(f"{path} does not exist") from None
    except (IsADirectoryError, PermissionError) as error:
        raise UnusableFile(f"{path} cannot be read: {error.strerror}") from None
    if data.startswith(UTF16_BOMS):
        raise UnusableFile(f"{path.name} is UTF-16 text, not UTF-8; save it as 'CSV UTF-8'")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head or head.startswith(BINARY_MAGIC):
        raise UnusableFile(f"{path.name} is not a CSV file (it holds binary data)")
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise UnusableFile(
            f"{path.name}, line {line}: a NUL byte (binary data); a CSV file is text only"
        )
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


def _header(path: Path, text: str) -> list[str]:
    """The column names: the first line, lower case, stripped."""
    end = text.find("\n")
    first = (text if end < 0 else text[:end]).removesuffix("\r")
    try:
        names = next(csv.reader([first], strict=True), [])
    except csv.Error as error:  # a quote left open, or a name over the size limit
        raise UnusableFile(
            f"{path.name}, line 1: the column names cannot be read ({error})"
        ) from None
    header = [name.strip().lower() for name in names]
    if not any(header):
        if not text.strip():
            raise UnusableFile(f"{path.name} is empty")
        raise UnusableFile(f"{path.name}, line 1: no column names (the first line names them)")
    return header


def _check_header(path: Path, header: list[str], required: list[str]) -> None:
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise UnusableFile(f"{path.name}, line 1: the column(s) {_names(repeated)} appear twice")
    missing = [name for name in required if name not in header]
    if missing:
        raise UnusableFile(
            f"{path.name} lacks the column(s) {', '.join(missing)}; it has "
            f"{_names([h for h in header if h]) or 'none'} (see docs/data-formats.md)"
        )


def _names(names: list[str]) -> str:
    """Column names for a message, each and the list cut to a readable length."""
    shown = [
        n if len(n) <= SHOWN_NAME_CHARS else n[:SHOWN_NAME_CHARS] + "…" for n in names[:SHOWN_NAMES]
    ]
    more = len(names) - SHOWN_NAMES
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _parse_fast(body: bytes, header: list[str], keep: list[str]) -> pd.DataFrame | None:
    """The rows by pyarrow, or None when the row-by-row reader must decide: a row with
    the wrong number of fields, fewer rows than lines (a value spanning lines, or an
    unbalanced quote joining rows), a value over the limit, or a file pyarrow refuses
    (a row longer than its block)."""
    malformed = []

    def skip(row) -> str:
        malformed.append(row)
        return "skip"

    # Unnamed columns (a trailing comma) need distinct names to be skipped.
    names = [name or f"unnamed {i}" for i, name in enumerate(header)]
    try:
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
    except pa.ArrowException:
        return None
    if malformed or table.num_rows != body.count(b"\n") - 1 or _longest(table) > _limit():
        return None
    frame = table.to_pandas().apply(lambda column: column.str.strip())
    frame.index = pd.RangeIndex(FIRST_ROW, FIRST_ROW + len(frame), name="row_number")
    return frame


def _longest(table: pa.Table) -> int:
    """The length in characters of the longest value in the table."""
    return max((pc.max(pc.utf8_length(column)).as_py() or 0 for column in table.columns), default=0)


def _limit() -> int:
    return csv.field_size_limit()


def _parse_exact(
    path: Path, text: str, header: list[str], keep: list[str]
) -> tuple[pd.DataFrame, list]:
    """Row by row, so that blank lines count and short or long rows are named by the
    line they start on."""
    lines = io.StringIO(text, newline="")
    reader = csv.reader(lines)
    next(reader)
    records, numbers, malformed, last = [], [], [], None
    while True:
        start, offset = reader.line_num + 1, lines.tell()
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error:
            raise UnusableFile(
                f"{path.name}, line {start}: a value is longer than {_limit():,} characters "
                "(is a quote on that line never closed?)"
            ) from None
        last = (start, offset)
        if reader.line_num > start and _holds_rows(fields, len(header)):
            reason = (
                f"a quoted value runs from line {start} to line {reader.line_num} and holds "
                "whole rows: is a quote unbalanced?"
            )
            malformed.append((start, reason, dict(enumerate(fields))))
        elif len(fields) == len(header):
            records.append(fields)
            numbers.append(start)
        elif any(field.strip() for field in fields):
            reason = _wrong_length(len(fields), len(header), start, reader.line_num)
            malformed.append((start, reason, dict(enumerate(fields))))
    if last:
        _check_closed(path, text[last[1] :], last[0])
    frame = pd.DataFrame(
        records, columns=header, index=pd.Index(numbers, name="row_number"), dtype=str
    )
    return frame[keep].apply(lambda column: column.str.strip()), malformed


def _wrong_length(fields: int, expected: int, start: int, end: int) -> str:
    reason = f"row has {fields} fields, the header has {expected}"
    if end > start:
        reason += f" (a quoted value runs from line {start} to line {end}: is a quote unbalanced?)"
    return reason


def _holds_rows(fields: list[str], width: int) -> bool:
    """Whether a value spanning lines has a line with a whole row's commas in it: the
    rows an unbalanced quote swallowed until another quote closed it."""
    return any(
        line.count(",") >= width - 1
        for field in fields
        if "\n" in field
        for line in field.splitlines()
    )


def _check_closed(path: Path, last_row: str, line: int) -> None:
    """The last row read again, strictly: a quote still open at the end of the file
    (which the lenient reader takes as a value running to the end) makes it unusable."""
    try:
        for _ in csv.reader(io.StringIO(last_row, newline=""), strict=True):
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise UnusableFile(
                f"{path.name}, line {line}: a quote opens a value that is never closed "
                "(it runs to the end of the file)"
            ) from None
