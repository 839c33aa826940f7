"""Named SQL queries: one ``.sql`` file per query, anywhere under this folder.

A query's name is its path without the suffix (``capacity/census`` for
``queries/capacity/census.sql``). Its first ``--`` comment line is its docstring.
Parameters use psycopg2's ``%(name)s`` style and are always passed separately from the
text, so no value ever becomes SQL. Nothing here builds SQL from strings.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Query:
    name: str
    sql: str
    doc: str


class UnknownQuery(KeyError):
    """No ``queries/<name>.sql`` file."""


@cache
def load(name: str) -> Query:
    """The query stored in ``queries/<name>.sql``."""
    path = (HERE / f"{name}.sql").resolve()
    if HERE not in path.parents or not path.is_file():
        raise UnknownQuery(name)
    sql = path.read_text()
    first = sql.lstrip().splitlines()[0] if sql.strip() else ""
    doc = first.removeprefix("--").strip() if first.startswith("--") else ""
    return Query(name, sql, doc)


def names() -> list[str]:
    """Every query name, sorted."""
    return sorted(str(p.relative_to(HERE).with_suffix("")) for p in HERE.rglob("*.sql"))


def execute(conn, name: str, **params) -> None:
    """Run a statement that returns no rows."""
    with conn.cursor() as cur:
        cur.execute(load(name).sql, params)


def fetch_all(conn, name: str, **params) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(load(name).sql, params)
        return cur.fetchall()


def fetch_one(conn, name: str, **params) -> tuple | None:
    with conn.cursor() as cur:
        cur.execute(load(name).sql, params)
        return cur.fetchone()


def fetch_value(conn, name: str, **params):
    """The first column of the first row, or None when there is no row."""
    row = fetch_one(conn, name, **params)
    return None if row is None else row[0]


def fetch_df(conn, name: str, **params) -> pd.DataFrame:
    """The query's rows as a DataFrame with the query's column names."""
    with conn.cursor() as cur:
        cur.execute(load(name).sql, params)
        columns = [c.name for c in cur.description]
        return pd.DataFrame.from_records(cur.fetchall(), columns=columns)
