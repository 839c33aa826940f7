"""Contacts map: inside/ring/outside counts, density cells, filters, hot spots, points by
role, hostile filter values, and the page itself (AppTest over the demo data, Chromium
on a closed network)."""

import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import geopandas as gpd
import matplotlib.image as plt_image
import numpy as np
import pandas as pd
import psycopg2
import pytest
import shapely
from pyproj import Geod

from dashboard import database, maps
from dashboard.contacts import cell_layer, controls, mapping, sections
from dashboard.contacts import data as cd
from geo import cells
from program import shifts
from reports import contacts_map
from tests.conftest import app_login
from tests.support.pages import ARTIFACTS, open_page, screenshot

MARKET = (-76.62175, 39.29189)
M_PER_DEG_LAT = 111_000.0
M_PER_DEG_LON = float(111_320.0 * np.cos(np.radians(MARKET[1])))
HALF_SIDE_M = 300.0  # the test catchment: a 600 m square centred on the market
BALTIMORE = ZoneInfo("America/New_York")
ARREST, SOCIAL = "arrest", "social_contact"
YEAR = cd.MapFilters(date(2026, 1, 1), date(2026, 12, 31), ("drug", "prostitution", "other"))
HOSTILE = [
    "'; DROP TABLE contact; --",
    "Robert'); DELETE FROM program_area; --",
    "drug' OR '1'='1",
    "ユニコード 🚓 \u202e",
    "9" * 400,
    "%(start)s",
]


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BALTIMORE)


def at_offset(east_m: float, north_m: float) -> tuple[float, float]:
    """A point east_m/north_m metres from the market."""
    return MARKET[0] + east_m / M_PER_DEG_LON, MARKET[1] + north_m / M_PER_DEG_LAT


def square(half_m: float) -> str:
    west, south = at_offset(-half_m, -half_m)
    east, north = at_offset(half_m, half_m)
    return f"SRID=4326;MULTIPOLYGON((({west} {south},{east} {south},{east} {north},{west} {north},{west} {south})))"  # noqa: E501


# (id, east m, north m, Baltimore time, offense, pathway, decision, officer, post)
CONTACTS = [
    ("in1", 0, 0, local(3, 1, 10), "drug", ARREST, "diverted", "T1", "111"),
    ("in2", 120, -80, local(3, 2, 23), "drug", ARREST, "arrested", "U1", "111"),
    ("in3", -250, 200, local(8, 1, 9), "prostitution", SOCIAL, "diverted", "T1", "112"),
    ("in4", 50, 250, local(8, 3, 14), "other", ARREST, "released", None, "112"),
    ("ring1", 500, 0, local(4, 6, 8), "drug", ARREST, "ineligible", "T1", "111"),
    ("ring2", 0, 650, local(5, 4, 20), "prostitution", ARREST, "arrested", "U1", "121"),
    ("ring3", -450, -450, local(6, 1, 1), "other", ARREST, "arrested", "U1", "121"),
    ("out1", 1100, 0, local(7, 7, 12), "drug", ARREST, "arrested", "U1", "131"),
    ("out2", 0, -1400, local(9, 9, 16), "drug", ARREST, "declined", "T1", None),
    ("early", 10, 10, local(12, 31, 23, 30, year=2025), "drug", ARREST, "arrested", "U1", "111"),
    ("first", 20, 20, local(1, 1, 0, 10), "drug", ARREST, "arrested", "U1", "111"),
]  # fmt: skip


@pytest.fixture
def scenario(db):
    """A 600 m catchment around the market, a 3 km district, officers T1 (trained
    2026-01-01 to 2026-06-30) and U1 (never trained), and the contacts above."""
    with db.cursor() as cur:
        for kind, name, half in (("catchment", "Test catchment", HALF_SIDE_M),
                                 ("district", "Central", 1500.0)):  # fmt: skip
            cur.execute(
                "INSERT INTO program_area (kind, name, source, geom, row_hash)"
                " VALUES (%s, %s, 'test', %s::geometry, 'x')",
                (kind, name, square(half)),
            )
        cur.execute(
            "INSERT INTO officer (officer_id, row_hash) VALUES ('T1', 'x'), ('U1', 'x');"
            "INSERT INTO training (officer_id, course, completed_on, expires_on, row_hash)"
            " VALUES ('T1', 'LEAD', '2026-01-01', '2026-06-30', 'x')"
        )
        for cid, east, north, when, offense, pathway, decision, officer, post in CONTACTS:
            lon, lat = at_offset(east, north)
            cur.execute(
                "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
                " officer_id, post, row_hash) VALUES (%s, %s, ST_SetSRID(ST_MakePoint(%s, %s),"
                " 4326), %s, %s, %s, %s, %s, 'x')",
                (cid, when, lon, lat, offense, pathway, decision, officer, post),
            )
    db.commit()
    database.clear_cache()
    yield db
    database.clear_cache()


def gpd_empty():
    """No program areas (a map of cells only)."""
    return gpd.GeoDataFrame(
        {"kind": [], "name": [], "is_approximation": [], "source": []}, geometry=[], crs=4326
    )


def local_file(fmap, name: str) -> str:
    """The map as a file under tests/artifacts whose scripts are the served vendor files
    (dashboard/static), read from disk: a browser needs no server and no network."""
    static = (Path(maps.__file__).parent / "static").resolve().as_uri() + "/"
    path = ARTIFACTS / name
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path.write_text(maps.offline(fmap).get_root().render().replace(maps.STATIC_URL, static))
    return path.as_uri()


def rows(sql: str, conn, *params) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def drawn(mf: cd.MapFilters, grid: cells.Grid) -> pd.DataFrame:
    """The cells the page draws: those of the district and 1 km around it."""
    layers = cd.program_layers("command", mf.start, mf.end)
    return cd.density("command", mf, grid, cd.drawn_extent(layers))


def expected(predicate) -> int:
    """Contacts of 2026 (their times are Baltimore local) satisfying ``predicate``."""
    return sum(1 for c in CONTACTS if c[3].year == 2026 and predicate(c))


# --- inside, ring, outside ------------------------------------------------------------


@pytest.mark.parametrize("role", ["command", "leadership"])
def test_inside_ring_and_outside_counts_equal_an_independent_postgis_count(scenario, role):
    zones = cd.zones(role, YEAR).set_index("zone")
    independent = dict(
        rows(
            """
            SELECT CASE WHEN ST_Intersects(a.geom, c.geom) THEN 'inside'
                        WHEN ST_DWithin(a.geom::geography, c.geom::geography, 400) THEN 'ring'
                        ELSE 'outside' END, count(*)
            FROM contact c CROSS JOIN program_area a
            WHERE a.kind = 'catchment'
              AND c.occurred_at >= '2026-01-01 00:00-05' AND c.occurred_at < '2027-01-01 00:00-05'
            GROUP BY 1
            """,
            scenario,
        )
    )
    assert zones["contacts"].to_dict() == {
        "inside": independent["inside"],
        "ring": independent["ring"],
        "outside": independent["outside"],
    }
    # By construction: in1-in4 and 'first' inside, ring1-ring3 within 400 m, out1-out2 beyond.
    assert zones["contacts"].tolist() == [5, 3, 2]
    assert zones.loc["ring", "eligible_offence"] == 2  # ring3 is 'other'
    assert zones.loc["inside", "diverted"] == 2
    assert zones["ring_m"].iloc[0] == 400


def test_the_ring_width_is_the_setting_in_force(scenario):
    with scenario.cursor() as cur:
        cur.execute(
            "INSERT INTO program_setting (key, effective_from, value)"
            " VALUES ('catchment_ring_m', '2026-01-01', 100)"
        )
    scenario.commit()
    database.clear_cache()
    zones = cd.zones("command", YEAR).set_index("zone")
    assert zones.loc["ring", "contacts"] == 0 and zones.loc["outside", "contacts"] == 5
    assert zones["ring_m"].iloc[0] == 100


def test_the_ring_is_ground_distance_in_every_direction(scenario):
    """Contacts 399.5 m, then 400.5 m (geodesic) beyond the middle of each edge. Web
    Mercator scaled by latitude reads north-south distances 0.27 per cent long and
    east-west ones 0.13 per cent short here: it would misplace some of each."""
    edges = {
        0: (0, HALF_SIDE_M),
        90: (HALF_SIDE_M, 0),
        180: (0, -HALF_SIDE_M),
        270: (-HALF_SIDE_M, 0),
    }

    def beyond_each_edge(metres: float) -> dict:
        with scenario.cursor() as cur:
            for azimuth, (east, north) in edges.items():
                lon, lat = at_offset(east, north)
                cur.execute(
                    "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway,"
                    " decision, row_hash) VALUES (%s, '2026-10-10 12:00-04', ST_Project("
                    "ST_SetSRID(ST_MakePoint(%s, %s), 4326)::geography, %s, radians(%s))"
                    "::geometry, 'drug', 'arrest', 'arrested', 'x')",
                    (f"edge-{azimuth}-{metres}", lon, lat, metres, azimuth),
                )
        scenario.commit()
        database.clear_cache()
        return cd.zones("command", YEAR).set_index("zone")["contacts"].to_dict()

    assert beyond_each_edge(399.5) == {"inside": 5, "ring": 3 + 4, "outside": 2}
    assert beyond_each_edge(400.5) == {"inside": 5, "ring": 3 + 4, "outside": 2 + 4}


def test_catchments_in_force_the_same_day_count_a_contact_once(scenario):
    """A second catchment from 1 April overlapping the first: ring1 (6 April, 500 m east)
    is inside it; in2 is inside both and still one contact."""
    west, south = at_offset(50, -250)
    east, north = at_offset(550, 250)
    with scenario.cursor() as cur:
        cur.execute(
            "INSERT INTO program_area (kind, name, valid_from, source, geom, row_hash)"
            " VALUES ('catchment', 'Test expansion', '2026-04-01', 'test',"
            " ST_Multi(ST_MakeEnvelope(%s, %s, %s, %s, 4326)), 'x')",
            (west, south, east, north),
        )
    scenario.commit()
    database.clear_cache()
    zones = cd.zones("command", YEAR).set_index("zone")
    assert zones["contacts"].to_dict() == {"inside": 6, "ring": 2, "outside": 2}
    spring = cd.MapFilters(date(2026, 1, 1), date(2026, 3, 31), YEAR.offenses)
    assert cd.zones("command", spring).set_index("zone")["contacts"].to_dict() == {
        "inside": 3,
        "ring": 0,
        "outside": 0,
    }


# --- density cells ----------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "cell_m"), [("hexagon", 100), ("hexagon", 250), ("square", 150)])
def test_cells_equal_a_spatial_join_against_the_postgis_grid(scenario, shape, cell_m):
    grid = cells.Grid(shape, cell_m)
    found = drawn(YEAR, grid).set_index(["i", "j"])["contacts"].to_dict()
    maker = "ST_HexagonGrid" if shape == "hexagon" else "ST_SquareGrid"
    independent = rows(
        f"""
        SELECT g.i, g.j, count(*)
        FROM contact c
        JOIN {maker}(%s, ST_Transform(ST_Expand(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 0.05),
                                      3857)) AS g
          ON ST_Intersects(g.geom, ST_Transform(c.geom, 3857))
        WHERE c.occurred_at >= '2026-01-01 00:00-05' AND c.occurred_at < '2027-01-01 00:00-05'
        GROUP BY 1, 2
        """,  # noqa: S608 (the function name is one of two constants)
        scenario,
        grid.size,
        *MARKET,
    )
    assert found == {(i, j): n for i, j, n in independent}
    assert sum(found.values()) == 10


@pytest.mark.parametrize("shape", cells.SHAPES)
@pytest.mark.parametrize("cell_m", [37.5, 100, 400])
def test_numpy_cells_equal_the_sql_cells_and_postgis_outlines(db, shape, cell_m):
    grid = cells.Grid(shape, cell_m)
    rng = np.random.default_rng(3)
    lon = MARKET[0] + rng.uniform(-0.03, 0.03, 2000)
    lat = MARKET[1] + rng.uniform(-0.03, 0.03, 2000)
    sql_cells = rows(
        "SELECT contact_cell(ST_SetSRID(ST_MakePoint(x, y), 4326), %s, %s)"
        " FROM unnest(%s::float8[], %s::float8[]) AS p (x, y)",
        db, shape, grid.size, lon.tolist(), lat.tolist(),
    )  # fmt: skip
    i, j = cells.cell_of(lon, lat, grid)
    assert [tuple(c) for (c,) in sql_cells] == list(zip(i.tolist(), j.tolist(), strict=True))
    outline = rows(
        "SELECT ST_AsText(contact_cell_outline(%s, %s, %s, %s))", db, shape, grid.size,
        int(i[0]), int(j[0]),
    )[0][0]  # fmt: skip
    ring = cells.cell_outlines(i[:1], j[:1], grid, decimals=7)[0]
    postgis = [tuple(map(float, p.split())) for p in outline[9:-2].split(",")]
    assert len(postgis) == len(ring)
    assert np.allclose(sorted(map(tuple, ring)), sorted(postgis), atol=1e-7)


def test_stored_projection_and_local_time_equal_their_definitions(scenario):
    """contact.mercator_x/y (stored, 0012) are ST_Transform to EPSG:3857, local_time is
    the Baltimore wall-clock time; both follow an UPDATE of the contact."""
    lon, lat = at_offset(-700, 350)
    scenario.cursor().execute(
        "UPDATE contact SET geom = ST_SetSRID(ST_MakePoint(%s, %s), 4326),"
        " occurred_at = '2026-03-08 06:30:00+00' WHERE contact_id = 'out1'",
        (lon, lat),
    )
    stored = rows(
        "SELECT contact_id, mercator_x, mercator_y, ST_X(ST_Transform(geom, 3857)),"
        " ST_Y(ST_Transform(geom, 3857)), local_time FROM contact ORDER BY contact_id",
        scenario,
    )
    by_id = {c[0]: c[3] for c in CONTACTS} | {"out1": datetime(2026, 3, 8, 6, 30, tzinfo=UTC)}
    assert len(stored) == len(CONTACTS)
    for cid, x, y, tx, ty, local_time in stored:
        assert (x, y) == (pytest.approx(tx, abs=1e-6), pytest.approx(ty, abs=1e-6))
        assert local_time == by_id[cid].astimezone(BALTIMORE).replace(tzinfo=None)
    assert stored[[s[0] for s in stored].index("out1")][5] == datetime(2026, 3, 8, 1, 30)


@pytest.mark.parametrize("shape", cells.SHAPES)
def test_cells_from_the_stored_projection_equal_contact_cell(scenario, shape):
    grid = cells.Grid(shape, 50)
    from_stored = rows(
        "SELECT contact_id, contact_cell_xy(mercator_x, mercator_y, %s, %s),"
        " contact_cell(geom, %s, %s), ST_X(geom), ST_Y(geom) FROM contact",
        scenario, shape, grid.size, shape, grid.size,
    )  # fmt: skip
    for _, stored, computed, lon, lat in from_stored:
        i, j = cells.cell_of([lon], [lat], grid)
        assert stored == computed == [int(i[0]), int(j[0])]


def test_cell_size_is_the_ground_area_chosen(db):
    for shape in cells.SHAPES:
        grid = cells.Grid(shape, 100)
        i, j = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
        area = rows(
            "SELECT ST_Area(contact_cell_outline(%s, %s, %s, %s)::geography)", db, shape,
            grid.size, int(i[0]), int(j[0]),
        )[0][0]  # fmt: skip
        assert area == pytest.approx(10_000, rel=0.01)


@pytest.mark.parametrize("shape", cells.SHAPES)
def test_only_whole_cells_of_the_drawn_extent_are_counted(scenario, shape):
    """An extent of 2 m around one cell's centre draws that cell alone, with all its
    contacts (they lie up to a cell's radius beyond the extent); no other cell is sent."""
    grid = cells.Grid(shape, 250)
    year = [c for c in CONTACTS if c[3].year == 2026]
    lon, lat = np.array([at_offset(c[1], c[2]) for c in year]).T
    i, j = cells.cell_of(lon, lat, grid)
    counted = pd.DataFrame({"i": i, "j": j}).value_counts()
    for (ci, cj), n in counted.items():
        (x,), (y,) = cells.cell_centres([ci], [cj], grid)
        found = cd.density(
            "command", YEAR, grid, cells.Extent(shapely.box(x - 1, y - 1, x + 1, y + 1))
        )
        assert found[["i", "j", "contacts"]].values.tolist() == [[ci, cj, n]]


def test_contacts_beyond_the_drawn_extent_are_counted_not_drawn(scenario):
    """The district is a 3 km square; a contact 5 km east of the market is beyond it and
    the 1 km margin: in the zone totals, not in the cells; the caption counts it."""
    lon, lat = at_offset(5000, 0)
    scenario.cursor().execute(
        "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
        " row_hash) VALUES ('far', '2026-05-05 12:00-04', ST_SetSRID(ST_MakePoint(%s, %s),"
        " 4326), 'drug', 'arrest', 'arrested', 'x')",
        (lon, lat),
    )
    scenario.commit()
    database.clear_cache()
    grid = cells.Grid("hexagon", 100)
    density, zones = drawn(YEAR, grid), cd.zones("command", YEAR)
    assert density["contacts"].sum() == 10 and zones["contacts"].sum() == 11
    assert sections.undrawn(zones, density, 10, person_level=False) == "<11"
    assert sections.undrawn(zones, density, 10, person_level=True) == "1"


def test_cell_drill_down_adds_up_to_the_cell_count(scenario):
    grid = cells.Grid("hexagon", 250)
    density = drawn(YEAR, grid)
    busiest = density.sort_values("contacts").iloc[-1]
    detail = cd.cell_detail("command", YEAR, grid, (busiest.i, busiest.j))
    assert detail["contacts"].sum() == busiest.contacts
    assert set(detail["offense"]) <= {"drug", "prostitution", "other"}


def test_cell_view_hides_small_counts_outside_person_level_roles(scenario):
    grid = cells.Grid("hexagon", 400)
    density = drawn(YEAR, grid)
    hidden = cd.cell_view(density, grid, 10, person_level=False)
    shown = cd.cell_view(density, grid, 10, person_level=True)
    assert set(hidden["contacts_shown"]) == {"<11"}
    assert hidden["rate"].isna().all() and set(hidden["heat_weight"]) == {5.0}
    assert shown["contacts_shown"].tolist() == density["contacts"].astype(str).tolist()


# --- filters ---------------------------------------------------------------------------


def total(mf: cd.MapFilters) -> int:
    return int(cd.zones("command", mf)["contacts"].sum())


def test_each_filter_selects_the_contacts_it_names(scenario):
    base = YEAR
    assert total(base) == expected(lambda c: True) == 10
    assert total(cd.MapFilters(base.start, base.end, ("drug",))) == expected(
        lambda c: c[4] == "drug"
    )
    assert total(cd.MapFilters(**{**base.__dict__, "pathways": ("social_contact",)})) == 1
    assert total(cd.MapFilters(**{**base.__dict__, "decisions": ("diverted", "declined")})) == (
        expected(lambda c: c[6] in ("diverted", "declined"))
    )
    assert total(cd.MapFilters(**{**base.__dict__, "posts": ("112", "121")})) == expected(
        lambda c: c[8] in ("112", "121")
    )


def test_trained_filter_uses_the_training_current_that_day(scenario):
    trained = total(cd.MapFilters(**{**YEAR.__dict__, "trained": "yes"}))
    untrained = total(cd.MapFilters(**{**YEAR.__dict__, "trained": "no"}))
    # T1 is trained from 2026-01-01 to 2026-06-30: in1 (March) and ring1 (April) count;
    # in3 (August) and out2 (September) were after the training expired.
    assert trained == 2
    assert untrained == 8


# Hours of the BPD patrol shifts written out by hand (program.shifts derives them).
SHIFT_HOURS = {"day": range(7, 15), "evening": range(15, 23), "night": [23, 0, 1, 2, 3, 4, 5, 6]}


def test_the_shifts_cover_each_hour_of_the_day_once():
    for name, hours in SHIFT_HOURS.items():
        assert shifts.shift_hours(name) == list(hours)
    assert shifts.hours_of(["night", "day"]) == tuple(sorted([*range(7, 15), 23, *range(7)]))
    assert shifts.hours_of([]) == shifts.hours_of(shifts.SHIFTS) == ()


@pytest.mark.parametrize("chosen", [["day"], ["evening"], ["night"], ["day", "night"]])
def test_shift_filter_selects_contacts_by_local_hour(scenario, chosen):
    hours = {h for name in chosen for h in SHIFT_HOURS[name]}
    mf = cd.MapFilters(**{**YEAR.__dict__, "hours": shifts.hours_of(chosen)})
    assert total(mf) == expected(lambda c: c[3].hour in hours)
    assert int(cd.when("command", mf)["contacts"].sum()) == total(mf)
    assert {h for h in cd.when("command", mf).query("contacts > 0")["hour"]} <= hours
    assert 0 < total(mf) < 10


def test_a_period_is_made_of_baltimore_days(scenario):
    one_day = cd.MapFilters(date(2026, 1, 1), date(2026, 1, 1), YEAR.offenses)
    assert total(one_day) == 1  # 'first' at 00:10; 'early' was at 23:30 the day before


def test_when_and_weekly_count_every_contact_once(scenario):
    grid = cd.when("command", YEAR)
    assert len(grid) == 7 * 24 and grid["contacts"].sum() == 10
    sunday_10am = grid[(grid.weekday == 7) & (grid.hour == 10)]["contacts"].item()
    assert sunday_10am == 1  # in1: Sunday 1 March 2026, 10:00
    assert cd.weekly("command", YEAR)["contacts"].sum() == 10
    assert cd.by_post("command", YEAR).set_index("post")["contacts"].to_dict() == {
        "111": 4, "112": 2, "121": 2, "131": 1, "not recorded": 1,
    }  # fmt: skip


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_filter_values_reach_sql_only_as_parameters(scenario, hostile):
    before = rows("SELECT count(*) FROM contact", scenario)[0][0]
    grid = cells.Grid("hexagon", 100)
    for field in ("offenses", "pathways", "decisions", "posts"):
        mf = cd.MapFilters(**{**YEAR.__dict__, field: (hostile,)})
        assert total(mf) == 0
        assert drawn(mf, grid).empty
        assert cd.when("command", mf)["contacts"].sum() == 0
        assert cd.weekly("command", mf).empty and cd.by_post("command", mf).empty
        assert cd.points("command", mf).empty
        assert cd.cell_detail("command", mf, grid, (0, 0)).empty
    assert total(cd.MapFilters(**{**YEAR.__dict__, "trained": hostile})) == 0
    assert cd.posts("command", cd.MapFilters(YEAR.start, YEAR.end, (hostile,))) == []
    assert rows("SELECT count(*) FROM contact", scenario)[0][0] == before == len(CONTACTS)
    assert rows("SELECT count(*) FROM program_area", scenario)[0][0] == 2


def test_huge_numbers_are_refused_before_they_reach_the_database(scenario):
    grid = cells.Grid("square", 100)
    with pytest.raises(ValueError):
        cd.cell_detail("command", YEAR, grid, (10**30, 0))
    with pytest.raises(ValueError):
        cells.Grid("hexagon", 1e30)
    with pytest.raises(ValueError):
        cells.Grid("'; DROP TABLE contact; --", 100)
    assert len(cd.points("command", YEAR, limit=10**18)) == 10


# --- points -----------------------------------------------------------------------------


def test_points_are_geomasked_and_only_for_roles_allowed(scenario):
    with pytest.raises(PermissionError):
        cd.points("leadership", YEAR)
    points = cd.points("command", YEAR)  # most recent first
    recorded = rows(
        "SELECT ST_X(geom), ST_Y(geom), decision FROM contact"
        " WHERE occurred_at >= '2026-01-01 00:00-05' ORDER BY occurred_at DESC",
        scenario,
    )
    assert len(points) == len(recorded) == 10
    assert not {"contact_id", "person_key", "officer_id"} & set(points.columns)
    assert points["decision"].tolist() == [r[2] for r in recorded]
    _, _, moved = Geod(ellps="WGS84").inv(
        [r[0] for r in recorded], [r[1] for r in recorded], points["lon"], points["lat"]
    )
    # 50-150 m, give or take the 5-decimal rounding (about a metre) of what is sent
    assert moved.min() > 48 and moved.max() < 152


# --- map payload ----------------------------------------------------------------------


@pytest.mark.parametrize("shape", cells.SHAPES)
def test_the_map_stays_under_2_mb_with_every_cell_of_the_extent_filled(
    demo_url, monkeypatch, shape
):
    """The drawn extent bounds what is sent, whatever the period or the data volume: the
    demo's Central District at the smallest cell size, every cell holding a five-digit
    count and flagged as a hot spot, makes a map under 2 MiB."""
    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    database.clear_cache()
    layers = cd.program_layers("command", date(2026, 10, 1), date(2026, 10, 31))
    extent = cd.drawn_extent(layers)
    grid = cells.Grid(shape, min(controls.CELL_SIZES_M))
    west, south, east, north = extent.area.bounds
    (i0, i1), (j0, j1) = cells.cell_of(*cells.unmercator([west, east], [south, north]), grid)
    i, j = (a.ravel() for a in np.meshgrid(np.arange(i0, i1 + 1), np.arange(j0, j1 + 1)))
    full = pd.DataFrame({"i": i, "j": j})[extent.holds_cells(i, j, grid)]
    full = full.assign(contacts=np.arange(len(full)) % 90_000 + 10_000, diverted=9_999)
    hot = full.assign(z=3.0, confidence=99, spot="hot")
    fmap = mapping.contacts_map(
        layers, cd.ring_outline("command", date(2026, 10, 31)),
        cd.cell_view(full, grid, 10, False), hot, grid, "count",
        mapping.density_classes(10, full["contacts"]), MARKET,
    )  # fmt: skip
    size = len(maps.offline(fmap).get_root().render().encode())
    assert len(full) > 5_000
    assert size < 2 * 2**20, f"{len(full)} cells make {size / 2**20:.2f} MiB"
    database.clear_cache()


@pytest.mark.browser
@pytest.mark.parametrize("shape", cells.SHAPES)
def test_the_browser_draws_the_outlines_of_the_grid(chromium, shape):
    """cell_layer.js rebuilds each cell's outline from (i, j): the same vertices as
    geo.cells.cell_outlines (and so as ST_Hexagon/ST_Square), odd columns included."""
    grid = cells.Grid(shape, 100)
    i0, j0 = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
    i, j = (a.ravel() for a in np.meshgrid(i0 + np.arange(-3, 4), j0 + np.arange(-3, 4)))
    page = chromium.new_page()
    page.add_script_tag(content=cell_layer.SCRIPT)
    drawn = page.evaluate(
        "([cells, shape, size]) => cells.map(([i, j]) => leadCells.outline(i, j, shape, size))",
        [list(zip(i.tolist(), j.tolist(), strict=True)), shape, grid.size],
    )
    page.close()
    assert np.allclose(drawn, cells.cell_outlines(i, j, grid, decimals=12), atol=1e-9)


# --- basemap ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "tiles"),
    [("none", None), ("osm", "tile.openstreetmap.org"), ("/tiles/{z}/{x}/{y}.png", "/tiles/{z}")],
)
def test_program_layers_draw_whatever_the_basemap(scenario, monkeypatch, setting, tiles):
    monkeypatch.setenv("LEADOPS_BASEMAP", setting)
    grid = cells.Grid("hexagon", 100)
    density = drawn(YEAR, grid)
    layers = cd.program_layers("command", YEAR.start, YEAR.end)
    fmap = mapping.contacts_map(
        layers, cd.ring_outline("command", YEAR.end), cd.cell_view(density, grid, 10, True),
        cd.hot_spots(cd.cell_view(density, grid, 10, True), grid, 1, layers), grid, "count",
        mapping.density_classes(10, density["contacts"]), MARKET,
    )  # fmt: skip
    html = maps.offline(fmap).get_root().render()
    assert ("L.tileLayer" in html) == (tiles is not None)
    if tiles:
        assert tiles in html
    for name in ("LEAD catchment", "Central District", "Contacts per cell", "Just outside the"):
        assert name in html
    assert "cdn." not in html and "unpkg" not in html  # every script is served locally


# --- legend and heat ----------------------------------------------------------------------

CLASSES = [(1, "1–10"), (11, "11–30"), (31, "31+")]


def test_the_legend_follows_the_colour_mode_and_the_layers_drawn():
    by_count = mapping.legend("count", CLASSES, ["cells"])
    assert [title for title, _ in by_count] == ["Boundaries", "Contacts per cell"]
    assert by_count[1][1] == [
        ("fill", "#fff5b1", "1–10"), ("fill", "#fecc5c", "11–30"), ("fill", "#fd8d3c", "31+")
    ]  # fmt: skip
    by_rate = mapping.legend("rate", CLASSES, ["cells", "heat", "hot", "points", "posts"])
    assert [title for title, _ in by_rate] == [
        "Boundaries", "Share of contacts diverted", "Heat", "Hot and cold spots",
        "Contacts (moved 50–150 m)",
    ]  # fmt: skip
    assert [label for _, _, label in by_rate[1][1]] == [
        "0%", "10%+", "25%+", "50%+", "hidden: too few contacts"
    ]  # fmt: skip
    assert len(by_rate[3][1]) == 6 and "Police posts" in str(by_rate[0])
    assert [title for title, _ in mapping.legend("rate", CLASSES, [])] == ["Boundaries"]


def test_the_map_draws_the_legend_of_its_colour_mode(scenario):
    grid = cells.Grid("hexagon", 100)
    density = drawn(YEAR, grid)
    layers = cd.program_layers("command", YEAR.start, YEAR.end)
    for colour_by, title, other in (
        ("count", "Contacts per cell", "Share of contacts diverted"),
        ("rate", "Share of contacts diverted", "Contacts per cell"),
    ):
        fmap = mapping.contacts_map(
            layers, [], cd.cell_view(density, grid, 10, True), density.assign(spot=""), grid,
            colour_by, CLASSES, MARKET, on=["cells", "heat"],
        )  # fmt: skip
        html = fmap.get_root().render()
        assert title in html and other not in html and "few → most contacts" in html


def test_heat_reaches_its_top_colour_at_the_busiest_cell_only():
    grid = cells.Grid("square", 100)
    view = pd.DataFrame({"heat": [1.0, 1.0, 5.0, 40.0]})
    options = mapping.heat_options(view, grid, MARKET[1])
    # 100 m at zoom 15: 156,543 m/px at zoom 0 x cos(39.29°) / 2^15 = 3.698 m/px
    assert options["max"] == 40.0 and options["radius"] == 27 and options["max_zoom"] == 15
    assert mapping.heat_options(view.iloc[:0], grid, MARKET[1])["max"] == 1.0


@pytest.mark.browser
def test_one_contact_does_not_saturate_the_heat(chromium):
    """In Chromium: a cell of 1 contact beside one of 40 glows faintly, the 40 dark red."""
    grid = cells.Grid("square", 100)
    i0, j0 = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
    view = pd.DataFrame({"i": [i0[0] - 4, i0[0] + 4], "j": [j0[0], j0[0]], "contacts": [1, 40]})
    view = view.assign(heat=view["contacts"].astype(float))
    fmap = mapping.contacts_map(
        gpd_empty(), [], view, view.assign(spot=""), grid, "count", CLASSES, MARKET, on=["heat"]
    )
    page = chromium.new_page(viewport={"width": 800, "height": 600})
    page.goto(local_file(fmap, "heat_one_contact_vs_forty.html"))
    page.locator("canvas.leaflet-heatmap-layer").wait_for(state="attached")
    page.wait_for_timeout(500)
    lon, lat = cells.cell_centres_lonlat(view["i"], view["j"], grid)
    colours = page.evaluate(
        """(points) => {
            const canvas = document.querySelector('canvas.leaflet-heatmap-layer');
            const context = canvas.getContext('2d');
            const m = Object.values(window).find(v => v instanceof L.Map);
            return points.map(([lat, lon]) => {
                const p = m.latLngToContainerPoint([lat, lon]);
                const x = Math.round(p.x), y = Math.round(p.y);
                return Array.from(context.getImageData(x, y, 1, 1).data);
            });
        }""",
        [[float(lat[k]), float(lon[k])] for k in range(2)],
    )
    page.screenshot(path=ARTIFACTS / "heat_one_contact_vs_forty.png")
    page.close()
    faint, busy = colours
    assert busy[0] > 150 and busy[1] < 60, busy  # dark red (#bd0026 at the top)
    assert faint[3] < busy[3] or faint[1] > 150, (faint, busy)  # faint, or yellow-ish


# --- the map as an image ---------------------------------------------------------------


def has_colour(image: np.ndarray, hex_colour: str) -> bool:
    rgb = np.array([int(hex_colour[k : k + 2], 16) for k in (1, 3, 5)]) / 255
    return bool((np.abs(image[..., :3] - rgb).max(axis=-1) < 1.5 / 255).any())


def test_the_map_image_follows_the_colour_mode_and_layers(scenario):
    grid = cells.Grid("hexagon", 100)
    density = drawn(YEAR, grid)
    layers = cd.program_layers("command", YEAR.start, YEAR.end)
    view = cd.cell_view(density, grid, 10, True)
    hot = cd.hot_spots(view, grid, 1, layers)
    drawn_args = (layers, cd.ring_outline("command", YEAR.end), view, hot, grid)
    for colour_by, own, other in (
        ("count", mapping.DENSITY_COLORS[0], mapping.RATE_COLORS[3]),
        ("rate", mapping.RATE_COLORS[3], mapping.DENSITY_COLORS[0]),
    ):
        png = contacts_map.map_png(
            (*drawn_args, colour_by, CLASSES, MARKET), on=["cells", "hot", "ring", "points"],
            points=cd.points("command", YEAR), title="Test map", notes=["a note"],
        )  # fmt: skip
        (ARTIFACTS / f"contacts_map_image_{colour_by}.png").write_bytes(png)
        image = plt_image.imread(io.BytesIO(png))
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and image.shape[:2] == (1200, 1650)
        assert has_colour(image, own) and not has_colour(image, other)
        points = [f"#{r:02x}{g:02x}{b:02x}" for r, g, b in mapping.DECISION_COLORS.values()]
        assert all(has_colour(image, c) for c in points)  # the legend's dots at least
    bare = plt_image.imread(io.BytesIO(contacts_map.map_png(
        (*drawn_args, "count", CLASSES, MARKET), on=[], points=None, title="t", notes=[],
    )))  # fmt: skip
    assert not has_colour(bare, mapping.DENSITY_COLORS[0])  # no cells, no legend of cells


# --- hot spots ---------------------------------------------------------------------------


def brute_force_gi_star(frame: pd.DataFrame, grid: cells.Grid, order: int) -> np.ndarray:
    """Textbook Gi* with an explicit weight matrix from cell-centre distances."""
    s = grid.size
    i, j = frame["i"].to_numpy(), frame["j"].to_numpy()
    if grid.shape == "hexagon":
        h = s * np.sqrt(3)
        x, y = 1.5 * s * i, h * j + h / 2 * (np.abs(i) % 2)
        d = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :])
        w = (d <= order * h * 1.001).astype(float)
    else:
        w = ((np.abs(i[:, None] - i[None, :]) <= order)
             & (np.abs(j[:, None] - j[None, :]) <= order)).astype(float)  # fmt: skip
    v = frame["contacts"].to_numpy(dtype=float)
    n, mean = len(v), v.mean()
    s_dev = np.sqrt((v**2).mean() - mean**2)
    wsum = w.sum(axis=1)
    return (w @ v - mean * wsum) / (s_dev * np.sqrt((n * (w**2).sum(axis=1) - wsum**2) / (n - 1)))


@pytest.mark.parametrize("shape", cells.SHAPES)
@pytest.mark.parametrize("order", [1, 2])
def test_gi_star_equals_the_textbook_formula(shape, order):
    grid = cells.Grid(shape, 100)
    rng = np.random.default_rng(11)
    counts = pd.DataFrame({
        "i": rng.integers(-70940, -70925, 60), "j": rng.integers(34300, 34312, 60),
        "contacts": rng.poisson(3, 60) + 1,
    }).groupby(["i", "j"], as_index=False).sum()  # fmt: skip
    result = cells.getis_ord_gi_star(counts, grid, order)
    assert np.allclose(result["z"], brute_force_gi_star(result, grid, order))
    for level, limit in ((99, 2.576), (95, 1.960), (90, 1.645)):
        at_least = result["confidence"] >= level
        assert (at_least == (result["z"].abs() >= limit)).all()
    assert ((result["spot"] == "hot") == ((result["confidence"] > 0) & (result["z"] > 0))).all()
    assert (result["spot"] != "").any()


def test_a_cluster_is_a_hot_spot_and_the_region_bounds_the_study(scenario):
    grid = cells.Grid("hexagon", 100)
    i, j = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
    cluster = pd.DataFrame({"i": i[:1], "j": j[:1], "contacts": [40], "diverted": [0]})
    layers = cd.program_layers("command", YEAR.start, YEAR.end)
    hot = cd.hot_spots(cd.cell_view(cluster, grid, 10, False), grid, 1, layers)
    market_cell = hot[(hot.i == i[0]) & (hot.j == j[0])].iloc[0]
    assert market_cell.spot == "hot" and market_cell.confidence == 99
    district_area_ha = 3000 * 3000 / 10_000
    assert len(hot) == pytest.approx(district_area_ha, rel=0.05)


def test_the_map_names_hot_spots_in_plain_words(scenario):
    """The hot-spot layer's tooltips say "Spot" and "Strength"; the
    method's names (Gi*, z-score) are only under "How is this calculated?"."""
    grid = cells.Grid("hexagon", 100)
    i, j = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
    cluster = pd.DataFrame({"i": i[:1], "j": j[:1], "contacts": [40], "diverted": [0]})
    layers = cd.program_layers("command", YEAR.start, YEAR.end)
    view = cd.cell_view(cluster, grid, 10, True)
    hot = cd.hot_spots(view, grid, 1, layers)
    assert (hot["spot"] == "hot").any()
    classes = mapping.density_classes(10, cluster["contacts"])
    fmap = mapping.contacts_map(layers, [], view, hot, grid, "count", classes, MARKET, on=["hot"])
    html = maps.offline(fmap).get_root().render()
    assert "Strength" in html, "the hot-spot layer is drawn"
    assert "Gi*" not in html and "z-score" not in html


def test_hot_spots_outside_person_level_roles_do_not_depend_on_a_hidden_count():
    """Two districts that differ only in one small (hidden) cell give command the same
    hot spots and z-scores; a case manager, who sees the count, gets different ones."""
    grid = cells.Grid("hexagon", 200)
    i, j = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
    layers = gpd.GeoDataFrame({"kind": []}, geometry=[], crs="EPSG:4326")  # 5 km around

    def spots(small: int, person_level: bool) -> pd.DataFrame:
        density = pd.DataFrame({
            "i": [i[0], i[0] + 2, i[0] + 4], "j": [j[0], j[0], j[0]],
            "contacts": [60, small, 25], "diverted": [5, 1, 2],
        })  # fmt: skip
        view = cd.cell_view(density, grid, 10, person_level)
        return cd.hot_spots(view, grid, 1, layers)[["i", "j", "z", "spot"]]

    pd.testing.assert_frame_equal(spots(3, False), spots(8, False))
    assert not np.allclose(spots(3, True)["z"], spots(8, True)["z"])
    assert (spots(3, False)["spot"] == "hot").any()


# --- the page ---------------------------------------------------------------------------


@pytest.fixture
def demo_conn(demo_url):
    conn = psycopg2.connect(demo_url, options="-c timezone=America/New_York")
    yield conn
    conn.close()


def metric(at, label_start: str):
    return next(m for m in at.metric if m.label.startswith(label_start))


def demo_zone_counts(conn, as_of: date, offenses=("drug", "prostitution"), extra="") -> dict:
    """Independent count: catchment in force on the contact's day; ring by geography."""
    found = rows(
        f"""
        SELECT CASE WHEN bool_or(ST_Intersects(a.geom, c.geom)) THEN 'inside'
                    WHEN bool_or(ST_DWithin(a.geom::geography, c.geom::geography, 400))
                    THEN 'ring' ELSE 'outside' END AS zone, count(DISTINCT c.contact_id)
        FROM contact c
        LEFT JOIN program_area a ON a.kind = 'catchment'
             AND a.valid_from <= c.occurred_at::date
             AND (a.valid_to IS NULL OR a.valid_to > c.occurred_at::date)
        WHERE c.occurred_at::date BETWEEN %s AND %s AND c.offense = ANY(%s) {extra}
        GROUP BY c.contact_id
        """,  # noqa: S608 (extra is a constant of this test module)
        conn, as_of - timedelta(days=29), as_of, list(offenses),
    )  # fmt: skip
    counts = {"inside": 0, "ring": 0, "outside": 0}
    for zone, _ in found:
        counts[zone] += 1
    return counts


def test_page_tiles_equal_independent_counts_on_the_demo_data(app, demo_conn):
    at = app("case_manager", "contacts/page.py")
    at.run()
    assert not at.exception, at.exception
    as_of = rows("SELECT max(occurred_at)::date FROM contact", demo_conn)[0][0]
    counts = demo_zone_counts(demo_conn, as_of)
    assert metric(at, "Contacts").value == f"{sum(counts.values()):,}"
    assert metric(at, "Inside the catchment").value == f"{counts['inside']:,}"
    assert metric(at, "Further out").value == f"{counts['outside']:,}"
    assert counts["inside"] > 0


WIDGETS = [
    ("multiselect", "contacts_pathways", ["social_contact"], "AND c.pathway = 'social_contact'"),
    ("multiselect", "contacts_decisions", ["diverted"], "AND c.decision = 'diverted'"),
    ("multiselect", "contacts_posts", ["111"], "AND c.post = '111'"),
]


@pytest.mark.parametrize(("kind", "key", "value", "where"), WIDGETS)
def test_each_page_filter_changes_the_counts_as_sql_says(app, demo_conn, kind, key, value, where):
    at = app("admin", "contacts/page.py")
    at.run()
    getattr(at, kind)(key=key).set_value(value).run()
    assert not at.exception, at.exception
    as_of = rows("SELECT max(occurred_at)::date FROM contact", demo_conn)[0][0]
    counts = demo_zone_counts(demo_conn, as_of, extra=where)
    assert metric(at, "Contacts").value == f"{sum(counts.values()):,}"


def test_shift_filter_on_the_page(app, demo_conn):
    at = app("admin", "contacts/page.py")
    at.run()
    at.multiselect(key="contacts_shifts").set_value(["night"]).run()
    assert not at.exception, at.exception
    as_of = rows("SELECT max(occurred_at)::date FROM contact", demo_conn)[0][0]
    night = "AND (extract(hour FROM c.occurred_at) >= 23 OR extract(hour FROM c.occurred_at) < 7)"
    counts = demo_zone_counts(demo_conn, as_of, extra=night)
    assert metric(at, "Contacts").value == f"{sum(counts.values()):,}"
    assert 0 < sum(counts.values()) < sum(demo_zone_counts(demo_conn, as_of).values())


def test_trained_filter_on_the_page(app, demo_conn):
    at = app("admin", "contacts/page.py")
    at.run()
    everyone = metric(at, "Contacts").value
    at.selectbox(key="contacts_trained").select("yes").run()
    trained = metric(at, "Contacts").value
    at.selectbox(key="contacts_trained").select("no").run()
    untrained = metric(at, "Contacts").value
    assert not at.exception
    assert int(trained.replace(",", "")) + int(untrained.replace(",", "")) == int(
        everyone.replace(",", "")
    )


def test_map_options_and_drill_down_run_without_error(app):
    at = app("command", "contacts/page.py")
    at.run()
    at.button_group(key="contacts_shape").set_value("square").run()
    at.selectbox(key="contacts_cell_m").select(250).run()
    at.button_group(key="contacts_colour_by").set_value("rate").run()
    at.selectbox(key="contacts_gi_order").select(2).run()
    grid = cells.Grid("square", 250)
    i, j = cells.cell_of([MARKET[0]], [MARKET[1]], grid)
    at.session_state["contacts_cell"] = f"{i[0]}:{j[0]}"  # as a click on the map sets it
    at.run()
    assert not at.exception, at.exception
    assert any("in the cell at Lexington Market" in c.value for c in at.caption)
    assert any("Getis-Ord Gi*" in m.value.replace("\\", "") for m in at.markdown)
    assert any(t.label == "Cell (click one on the map, or pick it here)" for t in at.selectbox)


def test_leadership_sees_cells_but_no_points_and_small_counts_hidden(app):
    at = app("leadership", "contacts/page.py")
    at.run()
    assert not at.exception
    assert "points" not in at.button_group(key="contacts_layers").options
    assert not any("moved 50–150 m from where" in c.value for c in at.caption)
    by_post = at.dataframe[0].value
    assert (by_post["Contacts"] == "<11").any()  # posts with 1 to 10 contacts in 30 days
    command = app("command", "contacts/page.py")
    command.run()
    assert not any("moved 50–150 m from where" in c.value for c in command.caption)
    layers = command.button_group(key="contacts_layers")
    layers.set_value([*layers.value, "points"]).run()  # points on the same map, on request
    assert not command.exception, command.exception
    assert any("most recent contacts" in c.value for c in command.caption)


def test_layer_choices_persist_across_reruns_and_pages(app):
    at = app("command", "contacts/page.py")
    at.run()
    assert list(at.button_group(key="contacts_layers").value) == list(mapping.DEFAULT_LAYERS)
    at.button_group(key="contacts_layers").set_value(["heat", "hot"]).run()
    at.run()
    assert list(at.button_group(key="contacts_layers").value) == ["heat", "hot"]
    assert list(at.session_state["contacts_layers_kept"]) == ["heat", "hot"]
    # Streamlit drops a widget's state while another page is open; the kept copy remains
    back = app("command", "contacts/page.py")
    back.session_state["contacts_layers_kept"] = ("heat", "hot")
    back.run()
    assert not back.exception, back.exception
    assert list(back.button_group(key="contacts_layers").value) == ["heat", "hot"]


def test_plain_words_first_and_the_method_in_an_expander(app):
    at = app("command", "contacts/page.py")
    at.run()
    jargon = ("Gi*", "z-score", "Web Mercator", "State Plane")
    expander = next(e for e in at.expander if e.label == "How is this calculated?")
    in_expander = {m.value for m in expander.markdown}
    inside = " ".join(in_expander).replace("\\", "")  # markdown escapes the * of Gi*
    assert all(word in inside for word in jargon)
    outside = [c.value for c in at.caption] + [m.value for m in at.main.markdown]
    for text in outside:
        if text not in in_expander:
            assert not any(word in text.replace("\\", "") for word in jargon), text


def test_a_hostile_post_in_the_session_reaches_sql_as_a_parameter(app, demo_conn):
    at = app("command", "contacts/page.py")
    at.session_state["contacts_posts"] = ["'; DROP TABLE contact; --"]
    at.run()
    assert not at.exception, at.exception
    assert metric(at, "Contacts").value == "0"
    assert rows("SELECT count(*) > 0 FROM contact", demo_conn)[0][0]


# True once a rerun has replaced the map's frame (two stand side by side meanwhile).
ONE_MAP = (
    "() => document.querySelectorAll(\"iframe[title='streamlit_folium.st_folium']\").length == 1"
)


@pytest.mark.browser
def test_the_map_draws_with_no_internet_and_a_click_drills_down(browser_page, demo_conn):
    page = browser_page
    open_page(page, "command", "Contacts map", height=2200)
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".leaflet-container").wait_for(timeout=60_000)
    frame.locator(".leaflet-overlay-pane canvas").first.wait_for(timeout=30_000)
    page.wait_for_timeout(2_000)
    drawn = frame.locator(".leaflet-overlay-pane canvas").first.evaluate(
        """canvas => {
            const context = canvas.getContext('2d');
            const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
            let painted = 0;
            for (let k = 3; k < data.length; k += 4) if (data[k] > 0) painted++;
            return painted;
        }"""
    )
    legend = frame.locator(".map-legend").inner_text()
    screenshot(page, "contacts_map")
    assert drawn > 10_000, "the program layers and cells should paint the map canvas"
    for name in ("LEAD catchment", "Central District", "Police posts", "Contacts per cell",
                 "Hot and cold spots", "Just outside the catchment"):  # fmt: skip
        assert name in legend
    assert frame.locator(".post-label").count() >= 5
    assert not [url for url in page.refused_requests if url.endswith((".js", ".css"))]

    grid = cells.Grid("hexagon", 100)
    i, j = rows(
        """SELECT cell[1], cell[2] FROM (
               SELECT contact_cell(geom, 'hexagon', %s) AS cell FROM contact
               WHERE occurred_at >= (SELECT max(occurred_at) FROM contact)::date - 29
                 AND offense IN ('drug', 'prostitution')) AS c
           GROUP BY c.cell ORDER BY count(*) DESC, c.cell LIMIT 1""",
        demo_conn, grid.size,
    )[0]  # fmt: skip
    lon, lat = cells.cell_centres_lonlat([i], [j], grid)
    x, y = frame.locator(".leaflet-container").evaluate(
        "(el, at) => { const p = window.map.latLngToContainerPoint(at); return [p.x, p.y]; }",
        [float(lat[0]), float(lon[0])],
    )
    frame.locator(".leaflet-container").click(position={"x": x, "y": y})
    where = cells.describe_cells([i], [j], grid)[0]
    page.get_by_role("tab", name="Cell drill-down").click()
    page.get_by_text(f"in the cell {where}").first.wait_for(timeout=30_000)

    page.get_by_role("button", name="Contacts (geomasked points)").click()
    page.wait_for_timeout(3_000)
    page.wait_for_function(ONE_MAP, timeout=60_000)  # a rerun replaces the map's frame
    frame.get_by_text("Contacts (moved 50–150 m)").wait_for(timeout=60_000)
    markers = frame.locator(".leaflet-container").evaluate(
        "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; });"
        " return n; }"
    )
    page.wait_for_timeout(1_000)
    screenshot(page, "contacts_map_points_and_drill_down")
    page.set_viewport_size({"width": 1440, "height": 900})
    screenshot(page, "contacts_map_1440")
    assert markers > 100  # the market's dot and the geomasked points, on the same map


@pytest.mark.browser
def test_at_1024x768_the_legend_follows_the_choices_and_the_image_downloads(browser_page):
    """The projector's size: the shift filter and the layer choices fit, heat and the
    share-diverted colours get their legends, and the PNG downloads (drawn offline)."""
    page = browser_page
    open_page(page, "command", "Contacts map", height=768)
    page.set_viewport_size({"width": 1024, "height": 768})
    frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
    frame.locator(".map-legend").wait_for(timeout=60_000)
    page.get_by_role("radio", name="Share diverted").click()
    page.wait_for_timeout(3_000)
    page.wait_for_function(ONE_MAP, timeout=60_000)  # a rerun replaces the map's frame
    page.get_by_role("button", name="Heat").click()
    page.wait_for_timeout(3_000)
    page.wait_for_function(ONE_MAP, timeout=60_000)
    frame.get_by_text("few → most contacts").wait_for(timeout=60_000)
    legend = frame.locator(".map-legend").inner_text()
    screenshot(page, "contacts_map_1024_rate_heat")
    page.locator("iframe[title='streamlit_folium.st_folium']").screenshot(
        path=ARTIFACTS / "contacts_map_1024_rate_heat_map.png"
    )
    assert "Contacts per cell" not in legend and "Hot and cold spots" in legend
    shift = page.get_by_text("Patrol shift")
    assert shift.is_visible() and shift.bounding_box()["x"] + 80 < 1024
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the map (PNG)").click()
    path = ARTIFACTS / "contacts_map_download.png"
    download.value.save_as(path)
    image = plt_image.imread(path)
    assert path.read_bytes()[:4] == b"\x89PNG" and image.shape[1] == 1650
    assert has_colour(image, mapping.RATE_COLORS[3])  # share-diverted colours (heat is on too)
    assert not [url for url in page.refused_requests if url.endswith((".js", ".css"))]


def test_the_approximate_streets_draw_with_their_names_and_legend():
    fmap = mapping.contacts_map(
        gpd_empty(), [], pd.DataFrame(), pd.DataFrame(), cells.Grid("hexagon", 100), "count",
        CLASSES, MARKET, on=["streets"],
    )  # fmt: skip
    html = fmap.get_root().render()
    assert "Lexington St" in html and "Street (approximate)" in html
    assert "Streets (approximate)" in html  # the legend
    near = mapping.streets_near(gpd_empty())
    assert 20 < len(near) < len(mapping.approximate_streets()) / 2  # near the program only


# --- stored counts (contact_rollup, migration 0028) ------------------------------------

ROLLUP_PERIODS = [
    YEAR,  # a whole year: one stored part
    cd.MapFilters(date(2025, 12, 15), date(2026, 8, 2), ("drug", "prostitution")),  # days+months
    cd.MapFilters(date(2026, 3, 1), date(2026, 3, 1), ("drug",)),  # one day
    cd.MapFilters(date(2022, 11, 1), date(2026, 10, 31), YEAR.offenses),  # pilot to date
]


def map_figures(mf: cd.MapFilters) -> dict:
    """Every count the map page reads for ``mf``, on the default and another grid."""
    return {
        "zones": cd.zones("command", mf).to_dict("list"),
        "when": cd.when("command", mf).to_dict("list"),
        "weekly": cd.weekly("command", mf).to_dict("list"),
        "by_post": cd.by_post("command", mf).to_dict("list"),
        "posts": cd.posts("command", mf),
        **{
            f"cells {shape} {m}": drawn(mf, cells.Grid(shape, m))
            .sort_values(["i", "j"], ignore_index=True)
            .to_dict("list")
            for shape, m in (("hexagon", 100.0), ("square", 250.0))
        },
    }


def refresh_rollup(conn) -> int:
    stored = rows("SELECT contact_rollup_refresh()", conn)[0][0]
    conn.commit()
    database.clear_cache()
    return stored


@pytest.mark.parametrize("mf", ROLLUP_PERIODS, ids=["year", "days-and-months", "day", "pilot"])
def test_stored_counts_equal_the_counts_from_the_contacts(scenario, mf):
    counted = map_figures(mf)  # the scenario's inserts left the rollup outdated
    assert rows("SELECT current FROM contact_rollup_state", scenario) == [(False,)]
    assert refresh_rollup(scenario) > 0
    assert rows("SELECT current FROM contact_rollup_state", scenario) == [(True,)]
    assert map_figures(mf) == counted
    # Any other filter, or a ring other than the stored one, counts the contacts again.
    for changed in (
        cd.MapFilters(mf.start, mf.end, mf.offenses, decisions=("diverted",)),
        cd.MapFilters(mf.start, mf.end, mf.offenses, trained="yes"),
    ):
        stored = map_figures(changed)
        with scenario.cursor() as cur:
            cur.execute("UPDATE contact_rollup_state SET current = false")
        scenario.commit()
        database.clear_cache()
        assert map_figures(changed) == stored
        refresh_rollup(scenario)


def test_the_pages_read_the_stored_counts_while_current_and_only_then(scenario):
    refresh_rollup(scenario)
    inside = cd.zones("command", YEAR).set_index("zone").loc["inside", "contacts"]
    with scenario.cursor() as cur:  # a stored count altered behind the refresh's back
        cur.execute(
            "UPDATE contact_rollup SET contacts = contacts + 1000"
            " WHERE kind = 'zone' AND zone = 'inside' AND grain = 'year'"
            " AND offense = 'drug'"
        )
    scenario.commit()
    database.clear_cache()
    assert cd.zones("command", YEAR).set_index("zone").loc["inside", "contacts"] == inside + 1000
    with scenario.cursor() as cur:
        cur.execute("UPDATE contact_rollup_state SET ring_m = 900")  # not the ring asked
    scenario.commit()
    database.clear_cache()
    assert cd.zones("command", YEAR).set_index("zone").loc["inside", "contacts"] == inside
    refresh_rollup(scenario)
    lon, lat = at_offset(0, 0)
    with scenario.cursor() as cur:  # a new contact marks the rollup outdated at once
        cur.execute(
            "INSERT INTO contact (contact_id, occurred_at, geom, offense, pathway, decision,"
            " row_hash) VALUES ('new', %s, ST_SetSRID(ST_MakePoint(%s, %s), 4326), 'drug',"
            " 'arrest', 'arrested', 'x')",
            (local(10, 1, 12), lon, lat),
        )
    scenario.commit()
    database.clear_cache()
    assert rows("SELECT current FROM contact_rollup_state", scenario) == [(False,)]
    assert cd.zones("command", YEAR).set_index("zone").loc["inside", "contacts"] == inside + 1


@pytest.mark.parametrize(
    "first, last",
    [("2022-11-01", "2026-10-31"), ("2025-12-31", "2026-01-01"), ("2024-02-10", "2024-03-31"),
     ("2026-01-01", "2026-12-31"), ("2026-05-05", "2026-05-04")],
)  # fmt: skip
def test_rollup_parts_cover_each_day_of_the_period_once(db, first, last):
    covered = rows(
        """
        SELECT d::date FROM contact_rollup_parts(%s::date, %s::date) AS p,
        LATERAL generate_series(p.period_start,
                                p.period_start + ('1 ' || p.grain)::interval - interval '1 day',
                                interval '1 day') AS d
        """,
        db, first, last,
    )  # fmt: skip
    days = pd.date_range(first, last).date.tolist()
    assert sorted(day for (day,) in covered) == days


# --- heat outside the person-level roles (issue 16) ----------------------------------------


def published_neighbourhood_heat(view: pd.DataFrame, grid: cells.Grid, threshold: int):
    """Written apart from the page's code: each cell's heat is the sum, over the cells whose
    centres lie within one step of its own (touching hexagons; a 3 x 3 block of squares),
    of what the cell layer shows: the count, or half the threshold where "<11" is shown."""
    x, y = cells.cell_centres(view["i"], view["j"], grid)
    step = grid.size * (np.sqrt(3) if grid.shape == "hexagon" else np.sqrt(2)) * 1.01
    shown = [threshold / 2 if s.startswith("<") else float(s) for s in view["contacts_shown"]]
    near = np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]) <= step
    return near.astype(float) @ np.array(shown)


def with_other_hidden_counts(density: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The same cells with every count from 1 to the threshold replaced by another such
    count (what a reader must not be able to tell apart)."""
    other = density.copy()
    small = other["contacts"].between(1, threshold)
    other.loc[small, "contacts"] = threshold + 1 - other.loc[small, "contacts"]
    other["diverted"] = np.minimum(other["diverted"], other["contacts"])
    return other


def test_heat_sums_each_cell_with_its_neighbours_by_hand():
    squares = cells.Grid("square", 100)
    frame = pd.DataFrame(
        {"i": [0, 1, 0, 5, 10, 11], "j": [0, 0, 1, 5, 10, 10], "contacts": [3, 7, 2, 1, 30, 12]}
    )
    frame["diverted"] = 0
    view = cd.cell_view(frame, squares, 10, person_level=False)
    # three small cells together, one small alone, two shown cells side by side
    assert view["heat"].tolist() == [15.0, 15.0, 15.0, 5.0, 42.0, 42.0]
    exact = cd.cell_view(frame, squares, 10, person_level=True)
    assert exact["heat"].tolist() == [12.0, 12.0, 12.0, 1.0, 42.0, 42.0]
    hexagons = cells.Grid("hexagon", 100)
    # (0, 0) touches (1, -1) and (1, 0) (an even column's neighbours sit lower), not (1, 1)
    frame = pd.DataFrame({"i": [0, 1, 1, 1], "j": [0, -1, 0, 1], "contacts": [1, 2, 4, 8]})
    assert cells.neighbourhood_sums(frame.i, frame.j, frame.contacts, "hexagon").tolist() == [
        7.0, 7.0, 15.0, 12.0,
    ]  # fmt: skip
    assert (published_neighbourhood_heat(
        cd.cell_view(frame.assign(diverted=0), hexagons, 0, person_level=True), hexagons, 0
    ) == [7.0, 7.0, 15.0, 12.0]).all()  # fmt: skip


def test_commands_heat_on_the_demo_varies_and_reveals_no_hidden_count(demo_url, monkeypatch):
    """The map's heat data as command gets it on the demo's last 30 days: every value is
    made of what the cell layer shows (so the same whatever each hidden count is), and
    it is not uniform: where many small cells gather, it glows more."""
    from folium.plugins import HeatMap

    monkeypatch.setenv("DATABASE_URL", app_login(demo_url))
    end = date(2026, 10, 31)
    mf = cd.MapFilters(end - timedelta(days=29), end, ("drug", "prostitution"))
    grid, threshold = cells.Grid("hexagon", 100), 10
    layers = cd.program_layers("command", mf.start, mf.end)
    density = cd.density("command", mf, grid, cd.drawn_extent(layers))
    view = cd.cell_view(density, grid, threshold, person_level=False)
    assert (view["contacts_shown"] == "<11").sum() >= 10, "the demo month has small cells"
    fmap = mapping.contacts_map(
        layers, [], view, view.assign(spot=""), grid, "count", CLASSES, MARKET, on=["heat"]
    )
    (heat,) = [c for c in fmap._children.values() if isinstance(c, HeatMap)]
    sent = sorted(round(w, 6) for _lat, _lon, w in heat.data)
    assert sent == sorted(np.round(published_neighbourhood_heat(view, grid, threshold), 6))
    other = cd.cell_view(with_other_hidden_counts(density, threshold), grid, threshold, False)
    assert (other["contacts_shown"] == view["contacts_shown"]).all()
    assert other["heat"].tolist() == view["heat"].tolist()  # the hidden counts do not show
    assert view["heat"].nunique() >= 3 and view["heat"].max() >= 3 * view["heat"].min()
