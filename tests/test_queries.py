"""Every query file is used by the code and is valid SQL against the real schema."""

import io
import re
from pathlib import Path

import psycopg2
import pytest

import queries

ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = (
    "dashboard",
    "geo",
    "ingest",
    "demo",
    "accounts",
    "program",
    "bench",
    "db",
    "releases",
)
PARAMETER = re.compile(r"%\((\w+)\)s")


def code_text() -> str:
    return "\n".join(
        path.read_text() for folder in CODE_FOLDERS for path in (ROOT / folder).rglob("*.py")
    )


def test_every_query_file_is_used_by_code():
    text = code_text()
    unused = [
        name for name in queries.names() if f'"{name}"' not in text and not is_import_step(name)
    ]
    assert unused == []


def is_import_step(name: str) -> bool:
    """ingest/<kind>_<step> files are named from the kind (ingest/api.py); each kind
    must have every step file."""
    from ingest.api import ALL_KINDS

    folder, _, file = name.partition("/")
    kind, _, step = file.rpartition("_")
    return folder == "ingest" and kind in ALL_KINDS and step in IMPORT_STEPS


IMPORT_STEPS = ("stage", "copy", "upsert", "orphans")


def test_every_import_kind_has_its_staging_copy_and_upsert_queries():
    from ingest.api import ALL_KINDS

    for kind in ALL_KINDS:
        for step in ("stage", "copy", "upsert"):
            queries.load(f"ingest/{kind}_{step}")


def test_an_unknown_query_name_is_refused():
    with pytest.raises(queries.UnknownQuery):
        queries.load("../db/migrations/0001_core_schema")


@pytest.mark.parametrize("name", queries.names())
def test_query_passes_explain(demo_url, name):
    query = queries.load(name)
    assert query.doc, f"{name}.sql needs a first-line -- comment saying what it returns"
    params = dict.fromkeys(PARAMETER.findall(query.sql))
    conn = psycopg2.connect(demo_url)
    try:
        with conn.cursor() as cur:
            for setup in query_setup(name):
                cur.execute(queries.load(setup).sql, {})
            statement = statement_text(query.sql)
            if statement.startswith("COPY"):  # checked by copying nothing
                cur.copy_expert(query.sql, io.StringIO(""))
            elif statement.startswith("CREATE"):  # checked by running it, rolled back
                cur.execute(query.sql, params)
            else:
                cur.execute("EXPLAIN " + query.sql, params)
                assert cur.fetchall()
    finally:
        conn.rollback()
        conn.close()


def statement_text(sql: str) -> str:
    """The SQL without its leading comment lines, upper-cased."""
    lines = [line for line in sql.splitlines() if not line.startswith("--")]
    return "\n".join(lines).strip().upper()


def query_setup(name: str) -> list[str]:
    """Queries that must run first (e.g. creating a staging table), named in the file as
    ``-- needs: <query name>``."""
    return re.findall(r"^-- needs: (\S+)", queries.load(name).sql, flags=re.MULTILINE)
