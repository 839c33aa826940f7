"""The import contract: every row loaded, merged or rejected with a reason; one transaction."""

import json
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import psycopg2
import pytest
from psycopg2 import sql
from psycopg2.extensions import make_dsn, parse_dsn
from pyproj import Geod
from shapely.geometry import Polygon, box, shape

import queries
from ingest import AreaOptions, UnusableFile, import_file
from ingest.bpd import classify_offense
from tests.support.sql import fetch

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
BPD = ROOT.parent / "shared" / "data" / "bpd_arrests_2017.csv"
CITY_LINE = ROOT.parent / "shared" / "data" / "baltimore_cityline.geojson"
CONTACT_HEADER = (
    "contact_id,occurred_at,latitude,longitude,offense,pathway,decision,officer_id,person_key"
)
GOOD = "c1,2017-03-01T14:20:00,39.2918,-76.6221,drug,arrest,diverted,B1,p1"


def run_cli(database_url, *args):
    return subprocess.run(
        [sys.executable, "-m", "ingest", *map(str, args)],
        cwd=ROOT,
        env={"DATABASE_URL": database_url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )


def write(tmp_path, name, *lines) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return path


def query(db, statement):
    with db.cursor() as cur:
        cur.execute(statement)
        return cur.fetchall()


def count(db, table):
    with db.cursor() as cur:
        cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        return cur.fetchone()[0]


def reasons(result):
    return {r.row_number: r.reason for r in result.rejections}


# --- the documented examples ---------------------------------------------------------


def test_every_example_file_imports_cleanly(database_url, db):
    kinds = ("case-managers", "officers", "trainings", "contacts", "enrollments", "referrals")
    for kind in (*kinds, "meetings", "jail-bookings"):
        done = run_cli(database_url, kind, EXAMPLES / f"{kind}.csv")
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.strip().splitlines()[-1].startswith(f"{kind}: ")
    done = run_cli(
        database_url, "areas", EXAMPLES / "catchment.geojson", "--area-kind", "catchment"
    )
    assert done.returncode == 0, done.stderr
    assert count(db, "contact") == 5 and count(db, "service_referral") == 3
    assert count(db, "case_meeting") == 4 and count(db, "jail_booking") == 4
    doors = query(db, "SELECT enrollment_id, door FROM enrollment ORDER BY 1")
    # e-0003 leaves its door empty: its contact c-0002 is an arrest
    assert doors == [
        ("e-0001", "arrest"), ("e-0002", "social_contact"), ("e-0003", "arrest"),
        ("e-0004", "community"),
    ]  # fmt: skip


def test_the_summary_line_counts_new_updated_unchanged_and_rejected(database_url, db, tmp_path):
    first = write(
        tmp_path,
        "a.csv",
        CONTACT_HEADER,
        GOOD,
        "c2,2017-03-01T15:00:00,39.29,-76.62,drug,arrest,arrested,B1,p2",
    )
    assert run_cli(database_url, "contacts", first).stdout.splitlines()[-1] == (
        "contacts: 2 new, 0 updated, 0 unchanged, 0 rejected (batch 1)"
    )
    second = write(
        tmp_path,
        "b.csv",
        CONTACT_HEADER,
        GOOD,
        "c2,2017-03-01T15:00:00,39.29,-76.62,drug,arrest,declined,B1,p2",
        "c3,2017-03-02T15:00:00,39.29,-76.62,drug,arrest,arrested,B1,p3",
        "c4,2017-03-02T15:00:00,39.29,-76.62,drug,arrest,diverted,B1,p4",
        "c5,yesterday,39.29,-76.62,drug,arrest,arrested,B1,p5",
    )
    done = run_cli(database_url, "contacts", second)
    assert done.returncode == 1
    assert done.stdout.splitlines()[-1] == (
        "contacts: 2 new, 1 updated, 1 unchanged, 1 rejected (batch 2)"
    )
    assert "row 6: occurred_at 'yesterday' is not an ISO 8601 date and time" in done.stdout


# --- each bad-input class: a clear reason, nothing lost -------------------------------------

BAD_ROWS = [
    (
        "c1,2017-03-01T14:20:00,39.29,-76.62,drug,arrest,divert,B1,p1",
        "decision 'divert' is not one of diverted, declined, ineligible, arrested, released",
    ),
    (
        "c1,2017-03-01T14:20:00,39.29,-76.62,heroin,arrest,diverted,B1,p1",
        "offense 'heroin' is not one of drug, prostitution, other",
    ),
    (
        "c1,2017-13-01T14:20:00,39.29,-76.62,drug,arrest,diverted,B1,p1",
        "occurred_at '2017-13-01T14:20:00' is not an ISO 8601 date and time",
    ),
    ("c1,2017-03-01T14:20:00,,,drug,arrest,diverted,B1,p1", "no coordinates"),
    (
        "c1,2017-03-01T14:20:00,39.29,76.62,drug,arrest,diverted,B1,p1",
        "longitude 76.62 is outside Baltimore",
    ),
    (
        "c1,2017-03-01T14:20:00,north,-76.62,drug,arrest,diverted,B1,p1",
        "latitude 'north' is not a number",
    ),
    (",2017-03-01T14:20:00,39.29,-76.62,drug,arrest,diverted,B1,p1", "contact_id is missing"),
    ("c1,2017-03-01T14:20:00,39.29,-76.62,drug,arrest", "row has 6 fields, the header has 9"),
]


@pytest.mark.parametrize(("row", "reason"), BAD_ROWS)
def test_a_bad_contact_row_is_rejected_with_its_reason(db, tmp_path, row, reason):
    path = write(tmp_path, "contacts.csv", CONTACT_HEADER, GOOD.replace("c1", "ok"), row)
    result = import_file(db, "contacts", path)
    assert (result.new, result.rejected) == (1, 1)
    assert reasons(result) == {3: reason}
    stored = queries.fetch_all(db, "ingest/rejections_of_batch", batch_id=result.batch_id)
    assert [(n, r) for n, r, _raw in stored] == [(3, reason)]


def test_a_repeated_id_with_other_values_is_rejected_naming_the_first_row(db, tmp_path):
    path = write(tmp_path, "c.csv", CONTACT_HEADER, GOOD, GOOD.replace("diverted", "declined"))
    result = import_file(db, "contacts", path)
    assert reasons(result) == {
        3: "contact_id 'c1' appears again with other values (first at row 2)"
    }


def test_an_exact_repeated_row_is_merged_not_loaded_twice(db, tmp_path):
    result = import_file(db, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, GOOD, GOOD))
    assert (result.new, result.duplicate, result.rejected) == (1, 1, 0)


def test_rows_naming_unknown_records_are_rejected(db, tmp_path):
    officers = write(
        tmp_path,
        "o.csv",
        "officer_id,district,sector,post,shift,active",
        "B1,Central,11,111,day,yes",
    )
    import_file(db, "officers", officers)
    trainings = write(
        tmp_path,
        "t.csv",
        "officer_id,course,completed_on,expires_on",
        "B1,LEAD core,2017-02-01,2019-02-01",
        "B9,LEAD core,2017-02-01,",
    )
    assert reasons(import_file(db, "trainings", trainings)) == {
        3: "officer_id 'B9' is not on the roster (import officers first)"
    }
    referrals = write(
        tmp_path,
        "r.csv",
        "referral_id,enrollment_id,service,referred_on,outcome,outcome_on",
        "r1,e9,housing,2017-03-01,pending,",
    )
    assert reasons(import_file(db, "referrals", referrals)) == {
        2: "enrollment 'e9' does not exist (import enrollments first)"
    }


def test_dates_out_of_order_are_rejected(db, tmp_path):
    import_file(db, "case-managers", EXAMPLES / "case-managers.csv")
    path = write(
        tmp_path,
        "e.csv",
        "enrollment_id,person_key,contact_id,referred_on,intake_on,"
        "exited_on,exit_reason,case_manager_id",
        "e1,p1,,2017-03-10,2017-03-01,,,cm-01",
    )
    assert reasons(import_file(db, "enrollments", path)) == {
        2: "intake_on 2017-03-01 is before referred_on 2017-03-10"
    }


def lines(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode()


def good_rows(count: int) -> list[str]:
    return [GOOD.replace("c1", f"g{i}") for i in range(count)]


HUGE = "x" * (20 << 20)  # 20 MiB: beyond pyarrow's 1 MiB block
LONG = "x" * 200_000  # within pyarrow's block, beyond the 131,072-character limit
UNCLOSED = GOOD.replace(",p1", ',"p1')  # a quote opened and never closed

# (file content, the reason expected on stderr); each line number is the bad row's
# position in the content built beside it (header = line 1).
UNUSABLE = {
    "missing columns": (
        b"contact_id,occurred_at\nc1,2017-01-01\n",
        "lacks the column(s) latitude, longitude",
    ),
    "empty": (b"", "bad.csv is empty"),
    "blank lines only": (b"  \n\n\r\n", "bad.csv is empty"),
    "PNG": (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "bad.csv is not a CSV file"),
    "latin-1": ("contact_id,occurred_at\ncafé".encode("latin-1"), "bad.csv is not UTF-8 text"),
    "latin-1 on line 4": (
        lines(CONTACT_HEADER, *good_rows(2)) + "c9,café".encode("latin-1"),
        "bad.csv is not UTF-8 text (line 4,",
    ),
    "UTF-16": (lines(CONTACT_HEADER, GOOD).decode().encode("utf-16"), "bad.csv is UTF-16 text"),
    "a NUL byte on line 202": (
        lines(CONTACT_HEADER, *good_rows(200), GOOD.replace("drug", "dr\x00ug")),
        "bad.csv, line 202: a NUL byte",
    ),
    "a 20 MiB value": (
        lines(CONTACT_HEADER, GOOD, GOOD.replace("p1", HUGE)),
        "bad.csv, line 3: a value is longer than 131,072 characters",
    ),
    "a 20 MiB quoted value": (
        lines(CONTACT_HEADER, GOOD, GOOD.replace("p1", f'"{HUGE}"')),
        "bad.csv, line 3: a value is longer than 131,072 characters",
    ),
    "a 200 kB value": (
        lines(CONTACT_HEADER, GOOD, GOOD, GOOD.replace("B1", LONG)),
        "bad.csv, line 4: a value is longer than 131,072 characters",
    ),
    "an unbalanced quote": (
        lines(CONTACT_HEADER, GOOD, UNCLOSED, *good_rows(3)),
        "bad.csv, line 3: a quote opens a value that is never closed",
    ),
    "an unbalanced quote before 5,000 rows": (
        lines(CONTACT_HEADER, GOOD, UNCLOSED, *good_rows(5000)),
        "bad.csv, line 3: a value is longer than 131,072 characters (is a quote on that line",
    ),
    "an unbalanced quote in the header": (
        lines(CONTACT_HEADER.replace("latitude", '"latitude'), GOOD),
        "bad.csv, line 1: the column names cannot be read (unexpected end of data)",
    ),
    "a 200 kB column name": (
        lines(CONTACT_HEADER + "," + LONG, GOOD + ",x"),
        "bad.csv, line 1: the column names cannot be read (field larger than field limit",
    ),
    "a repeated column": (
        lines(CONTACT_HEADER + ",Offense ", GOOD + ",drug"),
        "bad.csv, line 1: the column(s) offense appear twice",
    ),
    "no column names": (lines("", GOOD), "bad.csv, line 1: no column names"),
}


@pytest.mark.parametrize("case", UNUSABLE)
def test_an_unusable_file_exits_2_with_the_reason_and_loads_nothing(
    database_url, db, tmp_path, case
):
    content, message = UNUSABLE[case]
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    done = run_cli(database_url, "contacts", path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert len(done.stderr) < 500  # a reason, not the file
    for table in ("import_batch", "import_rejection", "contact", "audit_log"):
        assert count(db, table) == 0, table


def test_a_long_column_name_is_shortened_in_the_reason(database_url, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes(lines("x" * 70_000 + ",contact_id", "c1"))
    done = run_cli(database_url, "contacts", path)
    assert done.returncode == 2 and "lacks the column(s) occurred_at" in done.stderr
    assert "x" * 40 + "…, contact_id (see" in done.stderr and len(done.stderr) < 500


def test_rows_swallowed_between_two_stray_quotes_are_one_rejected_row(db, tmp_path):
    closing = GOOD.replace("c1", "c4").replace(",p1", ',p"4')  # closes the quote of line 3
    path = tmp_path / "c.csv"
    path.write_bytes(
        lines(
            CONTACT_HEADER,
            GOOD,
            UNCLOSED.replace("c1", "c2"),
            GOOD.replace("c1", "c3"),
            closing,
            GOOD.replace("c1", "c5"),
        )
    )
    result = import_file(db, "contacts", path)
    assert reasons(result) == {
        3: "a quoted value runs from line 3 to line 5 and holds whole rows: is a quote unbalanced?"
    }
    with db.cursor() as cur:
        cur.execute("SELECT contact_id FROM contact ORDER BY 1")
        assert cur.fetchall() == [("c1",), ("c5",)]


def test_a_value_spanning_lines_keeps_row_numbers_equal_to_lines(db, tmp_path):
    spanning = GOOD.replace("c1", "c2").replace(",B1,", ',"B\n1",')
    bad = GOOD.replace("c1", "c3").replace("diverted", "divert")
    path = tmp_path / "c.csv"
    path.write_bytes(lines(CONTACT_HEADER, GOOD, spanning, bad))
    result = import_file(db, "contacts", path)
    assert result.new == 2 and list(reasons(result)) == [5]


def test_old_mac_line_endings_are_line_breaks(database_url, db, tmp_path):
    path = tmp_path / "c.csv"
    path.write_bytes("\r".join([CONTACT_HEADER, GOOD, GOOD.replace("c1", "c2")]).encode())
    done = run_cli(database_url, "contacts", path)
    assert done.returncode == 0, done.stderr
    assert count(db, "contact") == 2


def test_a_missing_file_exits_2(database_url, tmp_path):
    done = run_cli(database_url, "contacts", tmp_path / "nowhere.csv")
    assert done.returncode == 2 and "does not exist" in done.stderr


# --- upsert, strict, dry run, crash ------------------------------------------------------


def test_importing_the_same_file_again_changes_nothing_and_a_correction_updates(db, tmp_path):
    path = write(tmp_path, "c.csv", CONTACT_HEADER, GOOD)
    import_file(db, "contacts", path)
    again = import_file(db, "contacts", path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 1)
    fixed = import_file(
        db,
        "contacts",
        write(tmp_path, "d.csv", CONTACT_HEADER, GOOD.replace("diverted", "declined")),
    )
    assert (fixed.new, fixed.updated) == (0, 1)
    assert queries.fetch_all(db, "ingest/rejections_of_batch", batch_id=fixed.batch_id) == []
    with db.cursor() as cur:
        cur.execute("SELECT decision, batch_id FROM contact WHERE contact_id = 'c1'")
        assert cur.fetchone() == ("declined", fixed.batch_id)


def test_strict_rejects_the_whole_file_but_keeps_the_reasons(database_url, db, tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        CONTACT_HEADER,
        GOOD,
        "c2,2017-03-01T14:20:00,,,drug,arrest,diverted,B1,p1",
    )
    done = run_cli(database_url, "contacts", path, "--strict")
    assert done.returncode == 1 and "file rejected: nothing loaded" in done.stdout
    assert count(db, "contact") == 0
    with db.cursor() as cur:
        cur.execute("SELECT status, rows_rejected FROM import_batch")
        assert cur.fetchall() == [("rejected", 1)]


def test_a_dry_run_reports_counts_and_loads_nothing(db, tmp_path):
    result = import_file(
        db, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, GOOD), dry_run=True
    )
    assert (result.new, result.status) == (1, "dry-run")
    assert count(db, "contact") == 0 and count(db, "import_batch") == 0


def test_a_crash_in_the_middle_of_an_import_leaves_nothing_behind(db, tmp_path, monkeypatch):
    import_file(db, "contacts", write(tmp_path, "a.csv", CONTACT_HEADER, GOOD))
    real = queries.fetch_one

    def crash_on_upsert(conn, name, **params):
        if name == "ingest/contacts_upsert":
            real(conn, name, **params)  # the rows are written...
            raise MemoryError("simulated crash")  # ...then the process fails
        return real(conn, name, **params)

    monkeypatch.setattr(queries, "fetch_one", crash_on_upsert)
    rows = [GOOD.replace("c1", f"n{i}") for i in range(50)] + ["bad,x,,,,,,,"]
    with pytest.raises(MemoryError):
        import_file(db, "contacts", write(tmp_path, "b.csv", CONTACT_HEADER, *rows))
    assert count(db, "contact") == 1
    assert count(db, "import_batch") == 1 and count(db, "import_rejection") == 0


def test_time_without_an_offset_is_baltimore_time(db, tmp_path):
    import_file(
        db,
        "contacts",
        write(
            tmp_path,
            "c.csv",
            CONTACT_HEADER,
            GOOD,
            "c2,2017-07-01T12:00:00Z,39.29,-76.62,drug,arrest,arrested,B1,p2",
        ),
    )
    with db.cursor() as cur:
        cur.execute(
            "SELECT contact_id, to_char(occurred_at AT TIME ZONE 'UTC', 'HH24:MI')"
            " FROM contact ORDER BY 1"
        )
        assert cur.fetchall() == [("c1", "19:20"), ("c2", "12:00")]  # EST is UTC-5


# --- areas -------------------------------------------------------------------------------


def area_options(**kw):
    return AreaOptions(kind=kw.pop("kind", "catchment"), name_field="name", **kw)


def test_areas_are_reprojected_from_the_crs_the_file_declares(db, tmp_path):
    square = gpd.GeoDataFrame(
        {"name": ["Market"]}, geometry=[box(-76.623, 39.291, -76.620, 39.293)], crs=4326
    )
    path = tmp_path / "stateplane.geojson"
    square.to_crs(2248).to_file(path, driver="GeoJSON")
    assert json.loads(path.read_text())["crs"]["properties"]["name"].endswith("2248")
    result = import_file(db, "areas", path, area_options=area_options())
    assert result.new == 1
    with db.cursor() as cur:
        cur.execute(
            "SELECT ST_SRID(geom), ST_Contains(geom, ST_SetSRID("
            "ST_MakePoint(-76.62175, 39.29189), 4326)) FROM program_area"
        )
        assert cur.fetchone() == (4326, True)


def test_an_invalid_polygon_is_repaired_and_a_point_is_rejected(db, tmp_path):
    bowtie = Polygon([(-76.63, 39.28), (-76.61, 39.30), (-76.61, 39.28), (-76.63, 39.30)])
    frame = gpd.GeoDataFrame(
        {"name": ["bowtie", "a point"]}, geometry=[bowtie, box(0, 0, 1, 1).centroid], crs=4326
    )
    path = tmp_path / "areas.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = import_file(db, "areas", path, area_options=area_options(kind="post"))
    assert result.new == 1
    assert reasons(result) == {2: "the geometry is a Point, not a polygon"}
    with db.cursor() as cur:
        cur.execute("SELECT ST_IsValid(geom), ST_NumGeometries(geom) FROM program_area")
        assert cur.fetchone() == (True, 2)


def test_a_zipped_shapefile_imports(db, tmp_path):
    frame = gpd.GeoDataFrame(
        {"name": ["111"]}, geometry=[box(-76.63, 39.28, -76.61, 39.30)], crs=4326
    )
    frame.to_file(tmp_path / "posts.shp")
    archive = tmp_path / "posts.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in tmp_path.glob("posts.*"):
            if part.suffix != ".zip":
                zipped.write(part, part.name)
    assert import_file(db, "areas", archive, area_options=area_options(kind="post")).new == 1


def test_an_areas_file_without_the_name_field_is_unusable(db):
    with pytest.raises(UnusableFile, match="has no property 'Label'"):
        import_file(
            db, "areas", EXAMPLES / "catchment.geojson", area_options=AreaOptions("post", "Label")
        )


def test_a_repeated_area_name_is_merged_when_identical_and_rejected_otherwise(db, tmp_path):
    square = box(-76.63, 39.28, -76.61, 39.30)
    frame = gpd.GeoDataFrame(
        {"name": ["111", "111", "111"]},
        geometry=[square, square, square.buffer(0.001)],
        crs=4326,
    )
    path = tmp_path / "posts.geojson"
    frame.to_file(path, driver="GeoJSON")
    result = import_file(db, "areas", path, area_options=area_options(kind="post"))
    assert (result.new, result.duplicate) == (1, 1)
    assert reasons(result) == {3: "name '111' appears again with other values (first at row 1)"}


def test_areas_outside_the_baltimore_region_are_rejected_with_a_reason(database_url, db, tmp_path):
    geod = Geod(ellps="WGS84")
    edge_lon, edge_lat = -76.7112936699702, 39.33  # on the city line's western meridian

    def west(metres):  # longitude ``metres`` due west of the city line (east if negative)
        return geod.fwd(edge_lon, edge_lat, 270 if metres > 0 else 90, abs(metres))[0]

    catchment = shape(
        json.loads((EXAMPLES / "catchment.geojson").read_text())["features"][0]["geometry"]
    )
    areas = {
        "world": box(-180, -90, 180, 90),
        "indian ocean": box(70, -20, 75, -15),
        "projected": Polygon([(-776, 939), (-770, 939), (-770, 945)]),
        "city edge": box(west(1_000), 39.32, west(-1_000), 39.34),
        "county": box(west(10_000), 39.32, west(-1_000), 39.34),
        "catchment": catchment,
    }
    frame = gpd.GeoDataFrame({"name": list(areas)}, geometry=list(areas.values()), crs=4326)
    path = tmp_path / "areas.geojson"
    frame.to_file(path, driver="GeoJSON")
    done = run_cli(database_url, "areas", path, "--area-kind", "post")
    assert done.returncode == 1, done.stdout + done.stderr
    region = "outside the Baltimore region (the city line and 3 km around it)"
    rows = dict(line.strip().split(": ", 1) for line in done.stdout.splitlines()[:-1])
    assert rows["row 1"] == f"{region}: more than 99% of its area lies beyond"
    assert rows["row 2"] == (
        f"{region}: it lies at longitude 70.000 to 75.000, latitude -20.000 to -15.000"
    )
    assert rows["row 3"] == (
        "its coordinates are not longitude and latitude (e.g. -776, 939): "
        "declare the file's coordinate system"
    )
    # The county square's share beyond, computed by PostGIS on the sphere.
    [(beyond, edge_crosses_city_line)] = fetch(
        database_url,
        "SELECT ST_Area(ST_Difference(c, ST_Buffer(city::geography, 3000)::geometry)) / ST_Area(c),"
        " ST_Crosses(ST_Boundary(e), city)"
        " FROM ST_GeomFromText(%(county)s, 4326) c, ST_GeomFromText(%(edge)s, 4326) e,"
        " ST_GeomFromGeoJSON(%(city)s) city",
        {
            "county": areas["county"].wkt,
            "edge": areas["city edge"].wkt,
            "city": json.dumps(json.loads(CITY_LINE.read_text())["features"][0]["geometry"]),
        },
    )
    assert rows["row 5"] == f"{region}: {beyond:.0%} of its area lies beyond"
    assert edge_crosses_city_line
    assert set(rows) == {"row 1", "row 2", "row 3", "row 5"}
    with db.cursor() as cur:
        cur.execute("SELECT name FROM program_area ORDER BY name")
        assert cur.fetchall() == [("catchment",), ("city edge",)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"type": "FeatureCollection", "features": []}', "has no features"),
        ("name,x\nA,1\n", "is not a readable GeoJSON or zipped shapefile (not recognized"),
    ],
)
def test_an_unusable_areas_file_exits_2(database_url, tmp_path, content, message):
    path = write(tmp_path, "areas.geojson", content)
    done = run_cli(database_url, "areas", path, "--area-kind", "post")
    assert done.returncode == 2 and message in done.stderr, done.stderr


# --- the city's BPD arrests export ------------------------------------------------------


@pytest.mark.parametrize(
    ("charge", "offense"),
    [
        ("CDS VIOLATION", "drug"),
        ("CDS POSS", "drug"),
        ("PWID", "drug"),
        ("Controlled Dangerous Substance", "drug"),
        ("PROSTITUTION", "prostitution"),
        ("SOLICIT/PROSTITUTION", "prostitution"),
        ("PROSTUTION", "prostitution"),
        ("PROSTITITUTION", "prostitution"),
        ("SOLICITING", "prostitution"),
        ("55APROSTITUTION", "prostitution"),
        ("SOLICIT TO COMMIT CRIME", "other"),
        ("HGV/CDS", "drug"),
        ("CDS:POSS W/INTENT DIST: NARC", "drug"),
        ("FAILURE TO APPEAR 87NARCOTICS", "drug"),
        ("2ND DEG ASSAULT", "other"),
        ("THEFT LESS THAN $100.00", "other"),
        ("DISORDERLY CONDUCT", "other"),
    ],
)
def test_the_charge_text_gives_the_offence(charge, offense):
    assert classify_offense(charge) == offense


def bpd_expected() -> dict:
    """The export's figures computed with plain pandas, independently of the importer."""
    frame = pd.read_csv(BPD, dtype=str, keep_default_na=False)
    unique = frame.drop_duplicates()
    latitude = pd.to_numeric(unique["Latitude"], errors="coerce")
    longitude = pd.to_numeric(unique["Longitude"], errors="coerce")
    located = latitude.notna() & longitude.notna()
    inside = latitude.between(39.19, 39.38) & longitude.between(-76.72, -76.52)
    return {
        "rows": len(frame),
        "duplicate": int(frame.duplicated().sum()),
        "no coordinates": int(((unique["Latitude"] == "") & (unique["Longitude"] == "")).sum()),
        "outside Baltimore": int((located & ~inside).sum()),
        "new": int((located & inside).sum()),
        "prostitution charges": int(
            unique.loc[located & inside, "ChargeDescription"]
            .str.contains("PROSTITU|PROSTUT", case=False)
            .sum()
        ),
    }


def test_the_bpd_export_accounts_for_every_row_and_a_second_import_adds_nothing(db):
    expected = bpd_expected()
    first = import_file(db, "contacts", BPD, fmt="bpd-arrests")
    assert first.new + first.duplicate + first.rejected == expected["rows"] == 27_195
    assert (first.new, first.duplicate) == (expected["new"], expected["duplicate"])
    grouped = Counter(
        "no coordinates" if r.reason == "no coordinates" else "outside Baltimore"
        for r in first.rejections
        if r.reason == "no coordinates" or r.reason.endswith("is outside Baltimore")
    )
    assert grouped == {k: expected[k] for k in ("no coordinates", "outside Baltimore")}
    assert sum(grouped.values()) == first.rejected
    with db.cursor() as cur:
        cur.execute(
            "SELECT count(*) FILTER (WHERE district = 'Central'),"
            " count(*) FILTER (WHERE offense = 'prostitution'),"
            " count(*) FILTER (WHERE contact_id LIKE 'bpd-%%'),"
            " count(*) FILTER (WHERE person_key IS NULL AND decision = 'arrested') FROM contact"
        )
        central, prostitution, derived_ids, arrested = cur.fetchone()
    assert central > 1000 and derived_ids > 0 and arrested == first.new
    assert prostitution >= expected["prostitution charges"]
    second = import_file(db, "contacts", BPD, fmt="bpd-arrests")
    assert (second.new, second.updated, second.unchanged) == (0, 0, first.new)


def test_bpd_rows_keep_their_time_place_and_charge(db, tmp_path):
    header = BPD.open().readline()
    row = (
        ",41,F,B,03/12/2017,2:30,400 W LEXINGTON ST,55APROSTITUTION,,1 1234,PROSTITUTION,"
        'Central,111,Downtown,-76.62175,39.29189,"(39.29189, -76.62175)"'
    )
    path = write(tmp_path, "bpd.csv", header.strip(), row, row)
    result = import_file(db, "contacts", path, fmt="bpd-arrests")
    assert (result.new, result.duplicate) == (1, 1)
    with db.cursor() as cur:
        cur.execute(
            "SELECT contact_id, to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),"
            " offense, pathway, decision, district, post, charge, age, sex, race"
            " FROM contact"
        )
        contact_id, *values = cur.fetchone()
    # 02:30 does not exist on 12 March 2017 (clocks spring forward): read as 03:30 EDT.
    assert contact_id.startswith("bpd-") and len(contact_id) == 16
    assert values == [
        "2017-03-12 07:30", "prostitution", "arrest", "arrested", "Central", "111",
        "PROSTITUTION", 41, "F", "B",
    ]  # fmt: skip


# --- rules that need the database: the city line, the batch record, the audit log ---------


def test_contacts_outside_a_loaded_city_line_are_rejected(db, tmp_path):
    city = AreaOptions(kind="city", name_field="ID", source="test")
    import_file(db, "areas", CITY_LINE, area_options=city)
    # Inside the generous box, but west of the city line (no district in the BPD data).
    outside = "c2,2017-03-01T14:20:00,39.253776,-76.696666,drug,arrest,diverted,B1,p1"
    result = import_file(db, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, GOOD, outside))
    assert result.new == 1
    assert reasons(result) == {3: "location 39.253776, -76.696666 is outside the city line"}


def test_the_batch_the_rejections_and_the_audit_log_record_the_import(db, tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        CONTACT_HEADER,
        GOOD,
        GOOD,
        "c2,2017-03-01T14:20:00,39.29,-76.62,drug,arrest,divert,B1,p1",
    )
    result = import_file(db, "contacts", path, actor="clerk")
    with db.cursor() as cur:
        cur.execute(
            "SELECT kind, format, file_name, status, rows_read, rows_new, rows_duplicate,"
            " rows_rejected, imported_by, finished_at IS NOT NULL FROM import_batch"
        )
        assert cur.fetchone() == (
            "contacts",
            "native",
            "c.csv",
            "loaded",
            3,
            1,
            1,
            1,
            "clerk",
            True,
        )
        cur.execute("SELECT row_number, raw FROM import_rejection")
        number, raw = cur.fetchone()
        assert number == 4 and raw["decision"] == "divert" and raw["contact_id"] == "c2"
        cur.execute("SELECT actor, action, target, outcome, detail FROM audit_log")
        actor, action, target, outcome, detail = cur.fetchone()
    assert (actor, action, target, outcome) == ("clerk", "import", "contacts: c.csv", "loaded")
    assert detail["batch"] == result.batch_id and detail["rejected"] == 1


def test_unknown_contacts_and_case_managers_are_named(db, tmp_path):
    path = write(
        tmp_path,
        "e.csv",
        "enrollment_id,person_key,contact_id,referred_on,intake_on,"
        "exited_on,exit_reason,case_manager_id",
        "e1,p1,c9,2017-03-10,,,,cm9",
    )
    assert reasons(import_file(db, "enrollments", path)) == {
        2: "contact_id 'c9' is not a known contact (import contacts first); "
        "case_manager_id 'cm9' is not a known case manager (import case-managers first)"
    }


ENROLLMENT_HEADER = (
    "enrollment_id,person_key,contact_id,referred_on,intake_on,exited_on,exit_reason,"
    "case_manager_id,door,handoff_at"
)


def test_doors_and_handoffs_are_checked_and_a_blank_door_follows_the_contact(db, tmp_path):
    contacts = write(
        tmp_path,
        "c.csv",
        CONTACT_HEADER,
        GOOD,
        "c2,2017-03-02T10:00:00,39.2918,-76.6221,drug,social_contact,diverted,B1,p2",
    )
    import_file(db, "contacts", contacts)
    path = write(
        tmp_path,
        "e.csv",
        ENROLLMENT_HEADER,
        "e1,p1,c1,2017-03-01,,,,,,2017-03-01T14:45:00",
        "e2,p2,c2,2017-03-02,,,,,,",
        "e3,p3,,2017-03-02,,,,,,",
        "e4,p4,,2017-03-02,,,,,community,",
        "e5,p1,c1,2017-03-01,,,,,community,",
        "e6,p2,c2,2017-03-02,,,,,social_contact,2017-03-02T09:59:00",
        "e7,p7,,2017-03-02,,,,,walk-in,",
        "e8,p8,,2017-03-02,,,,,,noon",
    )
    result = import_file(db, "enrollments", path)
    assert reasons(result) == {
        6: "door community is a referral without police contact: contact_id must be empty",
        7: "handoff_at is before the contact's occurred_at",
        8: "door 'walk-in' is not one of arrest, social_contact, community",
        9: "handoff_at 'noon' is not an ISO 8601 date and time",
    }
    rows = query(
        db,
        "SELECT enrollment_id, door, extract(epoch FROM handoff_at - c.occurred_at) / 60"
        " FROM enrollment LEFT JOIN contact c USING (contact_id) ORDER BY 1",
    )
    assert rows == [
        ("e1", "arrest", 25), ("e2", "social_contact", None), ("e3", "social_contact", None),
        ("e4", "community", None),
    ]  # fmt: skip
    again = import_file(db, "enrollments", path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 4)


def test_meetings_name_a_known_enrollment_after_its_referral(db, tmp_path):
    enrollments = write(tmp_path, "e.csv", ENROLLMENT_HEADER, "e1,p1,,2017-03-02,,,,,,")
    import_file(db, "enrollments", enrollments)
    path = write(
        tmp_path,
        "m.csv",
        "enrollment_id,met_on",
        "e1,2017-03-02",
        "e1,2017-03-09",
        "e1,2017-03-09",
        "e1,2017-03-01",
        "e9,2017-03-05",
    )
    result = import_file(db, "meetings", path)
    assert (result.new, result.duplicate) == (2, 1)
    assert reasons(result) == {
        5: "met_on 2017-03-01 is before the enrollment's referral",
        6: "enrollment 'e9' does not exist (import enrollments first)",
    }
    assert import_file(db, "meetings", path).unchanged == 2


def test_jail_bookings_name_a_participant_and_a_release_after_the_booking(db, tmp_path):
    enrollments = write(tmp_path, "e.csv", ENROLLMENT_HEADER, "e1,p1,,2017-03-02,,,,,,")
    import_file(db, "enrollments", enrollments)
    header = "booking_id,person_key,booked_at,released_at,facility"
    path = write(
        tmp_path,
        "b.csv",
        header,
        "b1,p1,2016-05-01T22:00:00,2016-05-04T09:00:00,BCBIC",
        "b2,p1,2017-06-01T10:00:00,,BCDC",
        "b2,p1,2017-06-01T10:00:00,,BCDC",
        "b3,p9,2016-05-01T22:00:00,2016-05-02T09:00:00,BCBIC",
        "b4,p1,2016-07-01T22:00:00,2016-07-01T21:00:00,BCBIC",
        "b5,p1,yesterday,,BCBIC",
        "b1,p1,2016-05-01T22:00:00,2016-05-05T09:00:00,BCBIC",
    )
    result = import_file(db, "jail-bookings", path)
    assert (result.new, result.duplicate, result.rejected) == (2, 1, 4)
    assert reasons(result) == {
        5: "person_key 'p9' has no enrollment (import enrollments first; only participants' "
        "bookings are kept)",
        6: "released_at is before booked_at",
        7: "booked_at 'yesterday' is not an ISO 8601 date and time",
        8: "booking_id 'b1' appears again with other values (first at row 2)",
    }
    rows = query(
        db,
        "SELECT booking_id, booked_at AT TIME ZONE 'America/New_York', released_at IS NULL,"
        " facility FROM jail_booking ORDER BY 1",
    )
    assert [(r[0], r[1].isoformat(), r[2], r[3]) for r in rows] == [
        ("b1", "2016-05-01T22:00:00", False, "BCBIC"),
        ("b2", "2017-06-01T10:00:00", True, "BCDC"),
    ]
    again = import_file(db, "jail-bookings", path)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 2)
    fixed = write(tmp_path, "b2.csv", header, "b2,p1,2017-06-01T10:00:00,2017-06-03T08:00:00,BCDC")
    assert import_file(db, "jail-bookings", fixed).updated == 1


def test_row_numbers_are_line_numbers_even_with_blank_lines(db, tmp_path):
    bad = "c2,2017-03-01T14:20:00,39.29,-76.62,drug,arrest,divert,B1,p1"
    result = import_file(db, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, GOOD, "", bad))
    assert list(reasons(result)) == [4]


def test_every_bad_value_of_a_row_is_named(db, tmp_path):
    row = "c1,2017-02-30T10:00,39.29,,pills,walk,divert,B1,p1"
    result = import_file(db, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, row))
    assert reasons(result)[2].split("; ") == [
        "occurred_at '2017-02-30T10:00' is not an ISO 8601 date and time",
        "offense 'pills' is not one of drug, prostitution, other",
        "pathway 'walk' is not one of arrest, social_contact",
        "decision 'divert' is not one of diverted, declined, ineligible, arrested, released",
        "longitude is missing",
    ]


# --- the command line ----------------------------------------------------------------------


def test_the_cli_lists_the_rejections_of_a_batch(database_url, db, tmp_path):
    rows = [GOOD.replace("c1", f"c{i}").replace("diverted", "divert") for i in range(25)]
    done = run_cli(database_url, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, *rows))
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[-1] == "contacts: 0 new, 0 updated, 0 unchanged, 25 rejected (batch 1)"
    assert "python -m ingest rejections 1" in done.stdout
    assert sum(line.startswith("  row ") for line in lines) == 20
    listed = run_cli(database_url, "rejections", 1)
    assert listed.returncode == 0
    assert listed.stdout.splitlines()[0] == (
        "row 2: decision 'divert' is not one of diverted, declined, ineligible, arrested, released"
    )
    assert listed.stdout.splitlines()[-1] == "batch 1: 25 rejected rows"


def test_a_cli_dry_run_reports_and_leaves_nothing(database_url, db, tmp_path):
    done = run_cli(
        database_url, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER, GOOD), "--dry-run"
    )
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == (
        "contacts: 1 new, 0 updated, 0 unchanged, 0 rejected (dry run: nothing loaded)"
    )
    assert count(db, "contact") == count(db, "import_batch") == count(db, "audit_log") == 0


def test_a_file_with_only_its_header_loads_nothing_and_succeeds(database_url, tmp_path):
    done = run_cli(database_url, "contacts", write(tmp_path, "c.csv", CONTACT_HEADER))
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1].startswith("contacts: 0 new, 0 updated, 0 unchanged")


def test_listing_the_rejections_of_an_unknown_batch_exits_2(database_url, db):
    done = run_cli(database_url, "rejections", 404)
    assert done.returncode == 2 and "there is no import batch 404" in done.stderr


@pytest.fixture
def empty_database(database_url):
    """A database with nothing in it, not even PostGIS, dropped afterwards."""
    name = parse_dsn(database_url)["dbname"] + "_empty"
    admin = psycopg2.connect(database_url)
    admin.autocommit = True
    # Not WITH (FORCE): PostgreSQL 15 refuses a non-superuser that would terminate an
    # autovacuum worker busy in the database; a plain DROP signals the worker and waits.
    with admin.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield make_dsn(database_url, dbname=name)
    with admin.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def test_the_cli_brings_a_fresh_database_up_to_date(empty_database):
    done = run_cli(empty_database, "case-managers", EXAMPLES / "case-managers.csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("case-managers: 2 new")


def test_a_schema_that_cannot_be_brought_up_to_date_exits_2(empty_database):
    assert run_cli(empty_database, "case-managers", EXAMPLES / "case-managers.csv").returncode == 0
    fetch(
        empty_database,
        "UPDATE schema_migration SET checksum = 'edited' WHERE version LIKE '0001%%'",
    )
    done = run_cli(empty_database, "case-managers", EXAMPLES / "case-managers.csv")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "the database schema cannot be brought up to date: migration 0001" in done.stderr
