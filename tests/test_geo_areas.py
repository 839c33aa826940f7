"""Program geography: the default catchment, the approximate legacy posts, areas in force.

Areas, distances and containment are checked in PostGIS (geography areas), independently
of the shapely/pyproj code that built the files.
"""

import ast
import json
from datetime import date
from pathlib import Path

import pytest
from pyproj import Geod
from shapely.geometry import Point, Polygon, box, shape

from geo.areas import areas_in_force, baltimore_region, not_lonlat, outside_region
from geo.places import CATCHMENT_FILE, LEGACY_CENTRAL_FILE
from ingest.defaults import load_default_geography

MARKET = {"lon": -76.62175, "lat": 39.29189}  # 400 W Lexington St
SQ_M_PER_SQ_MILE = 2_589_988.110336
CENTRAL_POSTS = {f"1{sector}{beat}" for sector in "1234" for beat in "123"}


@pytest.fixture
def geography(db):
    load_default_geography(db, also_current_stand_in=True)
    return db


def fetch(conn, sql: str, **params):
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def test_the_legacy_file_holds_twelve_posts_four_sectors_one_district():
    features = json.loads(LEGACY_CENTRAL_FILE.read_text())["features"]
    names = {(f["properties"]["kind"], f["properties"]["name"]) for f in features}
    assert {name for kind, name in names if kind == "post"} == CENTRAL_POSTS
    assert {name for kind, name in names if kind == "sector"} == {f"Sector 1{n}" for n in "1234"}
    assert {name for kind, name in names if kind == "district"} == {"Central"}
    assert all(f["properties"]["is_approximation"] is True for f in features)
    assert LEGACY_CENTRAL_FILE.stat().st_size < 100_000


def test_the_catchment_holds_the_market_and_is_about_half_a_square_mile(geography):
    [(sq_m, holds_market)] = fetch(
        geography,
        "SELECT ST_Area(geom::geography),"
        " ST_Contains(geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))"
        " FROM program_area WHERE kind = 'catchment'",
        **MARKET,
    )
    assert holds_market
    assert 0.4 <= sq_m / SQ_M_PER_SQ_MILE <= 0.6


def test_the_market_is_in_legacy_post_111_sector_11_and_central(geography):
    rows = fetch(
        geography,
        "SELECT kind, name FROM program_area"
        " WHERE ST_Contains(geom, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326))"
        " AND valid_to = DATE '2023-07-09' ORDER BY kind",
        **MARKET,
    )
    assert rows == [("district", "Central"), ("post", "111"), ("sector", "Sector 11")]


def test_posts_do_not_overlap_and_add_up_to_the_district(geography):
    [(count, total, union, district)] = fetch(
        geography,
        """
        SELECT count(*), sum(ST_Area(p.geom::geography)),
               ST_Area(ST_Union(p.geom)::geography),
               (SELECT ST_Area(geom::geography) FROM program_area
                WHERE kind = 'district' AND valid_to IS NOT NULL)
        FROM program_area p
        WHERE p.kind = 'post' AND p.valid_to IS NOT NULL
        """,
    )
    assert count == 12
    assert total == pytest.approx(union, rel=1e-3)
    assert union == pytest.approx(district, rel=1e-3)


def test_the_legacy_district_covers_downtown_and_stays_in_the_city(geography):
    [(sq_m, inside_city, west, south, east, north)] = fetch(
        geography,
        """
        SELECT ST_Area(d.geom::geography), ST_CoveredBy(d.geom, ST_Buffer(c.geom, 0.0001)),
               ST_XMin(d.geom), ST_YMin(d.geom), ST_XMax(d.geom), ST_YMax(d.geom)
        FROM program_area d, program_area c
        WHERE d.kind = 'district' AND d.valid_to IS NOT NULL AND c.kind = 'city'
        """,
    )
    assert 1.5 <= sq_m / SQ_M_PER_SQ_MILE <= 5
    assert inside_city
    assert -76.66 < west < east < -76.59 and 39.27 < south < north < 39.34


def test_areas_in_force_follow_their_validity(geography):
    before = areas_in_force(geography, date(2020, 1, 1), date(2020, 12, 31))
    after = areas_in_force(geography, date(2024, 1, 1), date(2024, 12, 31))
    spanning = areas_in_force(geography, date(2023, 7, 1), date(2023, 7, 31))
    assert before["kind"].iloc[0] == "catchment"
    assert set(before.loc[before["kind"] == "post", "valid_to"]) == {date(2023, 7, 9)}
    assert set(after.loc[after["kind"] == "post", "valid_from"]) == {date(2023, 7, 9)}
    assert after.loc[after["kind"] == "post", "source"].str.contains("stand-in").all()
    assert (spanning["kind"] == "post").sum() == 24
    assert {"catchment", "city"} <= set(after["kind"])
    assert after.crs.to_epsg() == 4326 and after.geometry.is_valid.all()


def test_without_the_stand_in_no_post_is_in_force_after_redistricting(db):
    load_default_geography(db)
    after = areas_in_force(db, date(2024, 1, 1), date(2024, 12, 31))
    assert set(after["kind"]) == {"catchment", "city"}


# --- the Baltimore region: where an area may lie -------------------------------------------

GEOD = Geod(ellps="WGS84")
WEST_EDGE = (-76.7112936699702, 39.33)  # on the city line's western side, a meridian


def west_of_the_city(metres: float) -> Point:
    """A point ``metres`` due west of the city line's western edge (geodesic, so
    independent of the State Plane buffer the region is built with)."""
    lon, lat, _ = GEOD.fwd(*WEST_EDGE, 270, metres)
    return Point(lon, lat)


@pytest.mark.parametrize(("metres", "inside"), [(100, True), (2_900, True), (3_100, False)])
def test_the_region_reaches_3_km_beyond_the_city_line(metres, inside):
    assert baltimore_region().covers(west_of_the_city(metres)) is inside


def test_the_region_holds_the_default_geography():
    features = json.loads(LEGACY_CENTRAL_FILE.read_text())["features"]
    features += json.loads(CATCHMENT_FILE.read_text())["features"]
    assert all(outside_region(shape(f["geometry"])) == "" for f in features)


def test_a_polygon_reaching_beyond_the_region_says_how_much_of_it_does():
    west = west_of_the_city(6_000).x  # 6 km out: half of the 3 km beyond the region...
    square = box(west, 39.32, WEST_EDGE[0], 39.34)  # ...lies outside, up to the city line
    reason = outside_region(square)
    assert reason.startswith("outside the Baltimore region (the city line and 3 km around it)")
    assert reason.endswith(": 50% of its area lies beyond")


@pytest.mark.parametrize(
    ("coordinates", "reason"),
    [
        ([(-776, 939), (-770, 939), (-770, 945)], "(e.g. -776, 939)"),
        ([(0, 0), (float("inf"), 0), (0, 1)], "cannot be placed on the earth"),
    ],
)
def test_coordinates_that_are_not_longitude_and_latitude_are_named(coordinates, reason):
    assert reason in not_lonlat(Polygon(coordinates))
    assert not_lonlat(box(-76.63, 39.28, -76.61, 39.30)) == ""


def test_geo_imports_neither_the_importer_nor_streamlit():
    root = Path(__file__).resolve().parent.parent
    imported = set()
    for path in (root / "geo").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported |= {(path.name, alias.name.split(".")[0]) for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add((path.name, node.module.split(".")[0]))
    assert {
        (name, module) for name, module in imported if module in ("ingest", "streamlit")
    } == set()
