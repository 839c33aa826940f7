"""Fixed places and the projection the geometry maths uses.

The Lexington Market point is a fact, not a program rule, so it lives here; the
catchment polygon is program data and lives in ``geo/data`` and the database.
"""

from pathlib import Path

from shapely.geometry import Point

DATA = Path(__file__).resolve().parent / "data"
CATCHMENT_FILE = DATA / "lead_catchment.geojson"
LEGACY_CENTRAL_FILE = DATA / "legacy_central_district.geojson"
CITY_LINE_FILE = DATA / "baltimore_cityline.geojson"

# Maryland State Plane (NAD83, US survey feet): metric maths for Baltimore.
PROJECTED_CRS = "EPSG:2248"
FEET_PER_METRE = 3.280833333
SQ_FEET_PER_SQ_MILE = 5280.0**2

# Lexington Market, 400 W Lexington St, Baltimore MD 21201.
LEXINGTON_MARKET_LONLAT = (-76.62175, 39.29189)


def market_point() -> Point:
    """Lexington Market as an EPSG:4326 point (longitude, latitude)."""
    return Point(LEXINGTON_MARKET_LONLAT)
