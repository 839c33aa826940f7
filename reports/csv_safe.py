"""CSV cells a spreadsheet will not run as formulas (OWASP "CSV Injection").

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or
``@`` as a formula (``=HYPERLINK(...)`` in a user name or an officer's sector), and some
also after a leading tab or carriage return. Such text cells, and column names, get a
single quote in front, which the spreadsheet shows as text. Left alone: numbers (a
negative number held as a number is data, not a formula) and text that is a plain
number (``-5``, ``+3.5%``), which a spreadsheet reads as that number and nothing else.
A carriage return inside text becomes a line feed: the CSV writer quotes a value holding
a line feed, but not one holding a bare CR, which some readers take as a new row whose
first cell could then start a formula.
"""

import re

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?")


def neutralise_cell(value):
    """``value``, if text, with a quote in front when a spreadsheet would run it as a
    formula and its carriage returns made line feeds; anything else unchanged."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        value = "'" + value
    return value.replace("\r\n", "\n").replace("\r", "\n")


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells and column names cannot start a formula."""
    safe = table.copy()
    for position, dtype in enumerate(safe.dtypes):
        if not _plain_values(dtype):
            safe.isetitem(position, safe.iloc[:, position].astype(object).map(neutralise_cell))
    safe.columns = safe.columns.map(_label)
    return safe


def _plain_values(dtype) -> bool:
    """Whether a column of this type holds no text (numbers, booleans, times)."""
    types = pd.api.types
    return types.is_numeric_dtype(dtype) or types.is_datetime64_any_dtype(dtype)


def _label(label):
    if isinstance(label, tuple):  # a MultiIndex column
        return tuple(map(neutralise_cell, label))
    return neutralise_cell(label)
