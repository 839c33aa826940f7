"""Row checks, vectorised over a whole file: each bad row gets every reason it fails.

Input: a DataFrame of strings as read (``""`` for empty). Output: the normalised values
of the good rows (ready to COPY) and one reason string per bad row, in words a clerk
understands ("decision 'divert' is not one of diverted, declined, ...").
"""

from datetime import datetime

import numpy as np
import pandas as pd

from ingest.kinds import Column, Kind

# A generous box around Baltimore City: coordinates outside it are typing errors.
BALTIMORE_BOX = {"latitude": (39.19, 39.38), "longitude": (-76.72, -76.52)}
NO_COORDINATES = "latitude is missing (no coordinates); longitude is missing (no coordinates)"
TRUE_WORDS = {"true", "t", "yes", "y", "1"}
FALSE_WORDS = {"false", "f", "no", "n", "0"}


def check(frame: pd.DataFrame, kind: Kind) -> tuple[pd.DataFrame, pd.Series]:
    """(normalised values, reasons): ``reasons`` is "" for a good row."""
    reasons = pd.Series("", index=frame.index, dtype=object)
    values = pd.DataFrame(index=frame.index)
    for column in kind.columns:
        raw = frame[column.name].str.strip() if column.name in frame else _empty(frame)
        normalised, problem = _check_column(raw, column)
        values[column.name] = normalised
        reasons = _add(reasons, problem)
    for later, earlier in kind.order_checks:
        before = (
            values[later].notna()
            & values[earlier].notna()
            & (values[later].astype(str) < values[earlier].astype(str))
        )
        reasons = _add(
            reasons,
            pd.Series(
                np.where(
                    before,
                    f"{later} "
                    + values[later].astype(str)
                    + f" is before {earlier} "
                    + values[earlier].astype(str),
                    "",
                ),
                index=frame.index,
            ),
        )
    return values, reasons.str.rstrip("; ").str.replace(NO_COORDINATES, "no coordinates")


def _empty(frame: pd.DataFrame) -> pd.Series:
    return pd.Series("", index=frame.index, dtype=object)


def _add(reasons: pd.Series, problem: pd.Series) -> pd.Series:
    return reasons + np.where(problem != "", problem + "; ", "")


def _check_column(raw: pd.Series, column: Column) -> tuple[pd.Series, pd.Series]:
    checker = CHECKERS[column.type]
    return checker(raw, column)


def _text(raw, column):
    return raw.where(raw != "", None), pd.Series("", index=raw.index)


def _required_text(raw, column):
    missing = raw == ""
    return raw.where(~missing, None), _message(missing, f"{column.name} is missing")


def _enum(raw, column):
    lowered = raw.str.lower()
    bad = ~lowered.isin(column.allowed)
    problem = np.where(
        raw == "",
        f"{column.name} is missing",
        f"{column.name} '" + raw + "' is not one of " + ", ".join(column.allowed),
    )
    return lowered.where(~bad, None), pd.Series(np.where(bad, problem, ""), index=raw.index)


def _timestamp(raw, column):
    parsed = [_iso_timestamp(value) for value in raw]
    bad = pd.Series([value is None for value in parsed], index=raw.index)
    problem = np.where(
        raw == "",
        f"{column.name} is missing",
        f"{column.name} '" + raw + "' is not an ISO 8601 date and time",
    )
    return (
        pd.Series(parsed, index=raw.index, dtype=object),
        pd.Series(np.where(bad, problem, ""), index=raw.index),
    )


def _iso_timestamp(value: str) -> str | None:
    """ISO 8601 text PostgreSQL reads the same way; naive stays naive (Baltimore time)."""
    if len(value) < 10:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        return None


def _date(raw, column, optional=False):
    parsed = pd.to_datetime(raw, format="%Y-%m-%d", errors="coerce")
    empty = raw == ""
    bad = parsed.isna() & ~(empty & optional)
    problem = np.where(
        empty,
        f"{column.name} is missing",
        f"{column.name} '" + raw + "' is not a date (YYYY-MM-DD)",
    )
    text = parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), None)
    return text, pd.Series(np.where(bad, problem, ""), index=raw.index)


def _optional_date(raw, column):
    return _date(raw, column, optional=True)


def _coordinate(raw, column):
    number = pd.to_numeric(raw, errors="coerce")
    low, high = BALTIMORE_BOX[column.type]
    problem = np.select(
        [raw == "", number.isna(), (number < low) | (number > high)],
        [
            f"{column.name} is missing (no coordinates)",
            f"{column.name} '" + raw + "' is not a number",
            f"{column.name} " + raw + " is outside Baltimore",
        ],
        "",
    )
    return number.where(problem == "", None), pd.Series(problem, index=raw.index)


def _integer(raw, column):
    number = pd.to_numeric(raw, errors="coerce")
    problem = np.select(
        [
            raw == "",
            number.isna() | (number != number.round()),
            ~number.between(column.low, column.high),
        ],
        [
            "",
            f"{column.name} '" + raw + "' is not a whole number",
            f"{column.name} " + raw + f" is outside {column.low}–{column.high}",
        ],
        "",
    )
    ok = (problem == "") & (raw != "")
    whole = [int(v) if keep else None for v, keep in zip(number, ok, strict=True)]
    return pd.Series(whole, index=raw.index, dtype=object), pd.Series(problem, index=raw.index)


def _boolean(raw, column):
    lowered = raw.str.lower()
    value = pd.Series(
        np.select([lowered.isin(TRUE_WORDS), lowered.isin(FALSE_WORDS)], ["true", "false"], ""),
        index=raw.index,
    )
    problem = np.where(value == "", f"{column.name} '" + raw + "' is not true or false", "")
    return value.where(value != "", None), pd.Series(problem, index=raw.index)


def _message(mask: pd.Series, text: str) -> pd.Series:
    return pd.Series(np.where(mask, text, ""), index=mask.index)


CHECKERS = {
    "id": _required_text,
    "text": _text,
    "required_text": _required_text,
    "enum": _enum,
    "timestamp": _timestamp,
    "date": _date,
    "optional_date": _optional_date,
    "latitude": _coordinate,
    "longitude": _coordinate,
    "integer": _integer,
    "boolean": _boolean,
}
