"""Row checks, vectorised over a whole file: each bad row gets every reason it fails.

Input: a DataFrame of stripped strings as read (``""`` for empty). Output: the normalised
values (ready to COPY; missing = NA) and, for the bad rows only, their reasons joined by
"; " in words a clerk understands ("decision 'divert' is not one of diverted, declined,
..."). Times are converted to UTC here, so what is stored never depends on the database
session's time zone.
"""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ingest.kinds import Kind

ZONE = "America/New_York"
# A generous box around Baltimore City: coordinates outside it are typing errors.
BALTIMORE_BOX = {"latitude": (39.19, 39.38), "longitude": (-76.72, -76.52)}
TRUE_WORDS = ("true", "t", "yes", "y", "1")
FALSE_WORDS = ("false", "f", "no", "n", "0")
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
ISO_TIME = ISO_DATE + r"[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"
UTC_OFFSET = r"(?:Z|[+-]\d{2}(?::?\d{2})?)"
# A local time in the hour skipped by daylight saving time is read as one hour later,
# as PostgreSQL reads it; one in the repeated autumn hour as the first (daylight) one.
SPRING_FORWARD = pd.Timedelta(hours=1)


def check(frame: pd.DataFrame, kind: Kind) -> tuple[pd.DataFrame, pd.Series]:
    """(normalised values, reasons of the bad rows, indexed by row number)."""
    values, problems = {}, []
    for column in kind.columns:
        raw = frame[column.name] if column.name in frame else _blank(frame.index)
        values[column.name], problem = CHECKERS[column.type](raw, column)
        problems.append(problem)
    values = pd.DataFrame(values, index=frame.index)
    if "latitude" in frame:
        problems.append(_missing_location(frame["latitude"], frame["longitude"]))
    problems += [_out_of_order(values, later, earlier) for later, earlier in kind.order_checks]
    return values, _joined(problems)


def _blank(index: pd.Index) -> pd.Series:
    return pd.Series("", index=index, dtype=str)


def _say(raw: pd.Series, mask: pd.Series, message) -> pd.Series:
    """``message`` (text, or text per row) for the rows in ``mask``."""
    if isinstance(message, str):
        return pd.Series(message, index=raw.index[mask], dtype=str)
    return message[mask]


def _joined(problems: list[pd.Series]) -> pd.Series:
    found = [problem for problem in problems if len(problem)]
    if not found:
        return _nothing()
    return pd.concat(found).groupby(level=0, sort=True).agg("; ".join)


def _quoted(name: str, raw: pd.Series, mask: pd.Series, what: str) -> pd.Series:
    """``name 'value' what`` for the rows in ``mask``."""
    return f"{name} '" + raw[mask] + f"' {what}"


def _nothing() -> pd.Series:
    return pd.Series([], dtype=str)


def _text(raw, column):
    return raw.mask(raw == ""), _nothing()


def _required_text(raw, column):
    missing = raw == ""
    return raw.mask(missing), _say(raw, missing, f"{column.name} is missing")


def _enum(raw, column):
    lowered = raw.str.lower()
    missing = raw == ""
    bad = ~missing & ~lowered.isin(column.allowed)
    problems = pd.concat(
        [
            _say(raw, missing, f"{column.name} is missing"),
            _quoted(column.name, raw, bad, "is not one of " + ", ".join(column.allowed)),
        ]
    )
    return lowered.mask(missing | bad), problems


def _timestamp(raw, column):
    """ISO 8601 with or without an offset (without: Baltimore time), as UTC text."""
    aware = raw[raw.str.fullmatch(ISO_TIME + UTC_OFFSET)]
    local = raw[raw.str.fullmatch(ISO_TIME)]
    naive = pd.to_datetime(local, format="ISO8601", errors="coerce").dt.as_unit("us")
    moments = pd.concat(
        [
            pd.to_datetime(aware, format="ISO8601", utc=True, errors="coerce").dt.as_unit("us"),
            naive.dt.tz_localize(
                ZONE, ambiguous=np.ones(len(naive), dtype=bool), nonexistent=SPRING_FORWARD
            ).dt.tz_convert("UTC"),
        ]
    ).reindex(raw.index)
    missing = raw == ""
    bad = ~missing & moments.isna()
    problems = pd.concat(
        [
            _say(raw, missing, f"{column.name} is missing"),
            _quoted(column.name, raw, bad, "is not an ISO 8601 date and time"),
        ]
    )
    text = pc.cast(pa.array(moments), pa.string())  # '2017-03-01 19:20:00.000000Z'
    return text.to_pandas().astype(str).set_axis(raw.index), problems


def _date(raw, column, optional=False):
    shaped = raw.str.fullmatch(ISO_DATE)
    parsed = pd.to_datetime(raw.where(shaped), format="%Y-%m-%d", errors="coerce")
    empty = raw == ""
    bad = ~empty & parsed.isna()
    missing = _nothing() if optional else _say(raw, empty, f"{column.name} is missing")
    problems = pd.concat([missing, _quoted(column.name, raw, bad, "is not a date (YYYY-MM-DD)")])
    return raw.mask(empty | bad), problems


def _optional_date(raw, column):
    return _date(raw, column, optional=True)


def _optional(checker):
    """``checker`` letting a blank value through as missing (NULL) instead of a problem."""

    def optional(raw, column):
        values, problems = checker(raw, column)
        blank = raw == ""
        return values.mask(blank), problems[~problems.index.isin(raw.index[blank])]

    return optional


def _coordinate(raw, column):
    """A number inside the Baltimore box; a missing one is reported with its partner."""
    number = pd.to_numeric(raw.mask(raw == ""), errors="coerce")
    low, high = BALTIMORE_BOX[column.type]
    given = raw != ""
    not_number = given & number.isna()
    outside = given & ~not_number & ~number.between(low, high)
    problems = pd.concat(
        [
            _quoted(column.name, raw, not_number, "is not a number"),
            f"{column.name} " + raw[outside] + " is outside Baltimore",
        ]
    )
    return number.mask(not_number | outside), problems


def _missing_location(latitude: pd.Series, longitude: pd.Series) -> pd.Series:
    no_latitude, no_longitude = latitude == "", longitude == ""
    return pd.concat(
        [
            _say(latitude, no_latitude & no_longitude, "no coordinates"),
            _say(latitude, no_latitude & ~no_longitude, "latitude is missing"),
            _say(latitude, no_longitude & ~no_latitude, "longitude is missing"),
        ]
    )


def _integer(raw, column):
    number = pd.to_numeric(raw.mask(raw == ""), errors="coerce")
    given = raw != ""
    not_whole = given & (number.isna() | (number != number.round()))
    outside = given & ~not_whole & ~number.between(column.low, column.high)
    problems = pd.concat(
        [
            _quoted(column.name, raw, not_whole, "is not a whole number"),
            f"{column.name} " + raw[outside] + f" is outside {column.low}–{column.high}",
        ]
    )
    return number.mask(not_whole | outside).astype("Int64"), problems


def _boolean(raw, column):
    lowered = raw.str.lower()
    truth = pd.Series(
        np.select([lowered.isin(TRUE_WORDS), lowered.isin(FALSE_WORDS)], ["true", "false"], ""),
        index=raw.index,
    )
    bad = truth == ""
    return truth.mask(bad), _quoted(column.name, raw, bad, "is not true or false")


def _out_of_order(values: pd.DataFrame, later: str, earlier: str) -> pd.Series:
    before = values[later].notna() & values[earlier].notna() & (values[later] < values[earlier])
    return f"{later} " + values[later][before] + f" is before {earlier} " + values[earlier][before]


CHECKERS = {
    "id": _required_text,
    "text": _text,
    "required_text": _required_text,
    "enum": _enum,
    "timestamp": _timestamp,
    "date": _date,
    "optional_date": _optional_date,
    "optional_enum": _optional(_enum),
    "optional_timestamp": _optional(_timestamp),
    "latitude": _coordinate,
    "longitude": _coordinate,
    "integer": _integer,
    "boolean": _boolean,
}
