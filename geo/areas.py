"""Program areas: which are in force over a period, and where an area may lie at all.

The default geography (geo/data) is loaded through the importer by
``ingest.defaults.load_default_geography``; geo/ itself never imports the importer.
"""

from datetime import date
from functools import cache

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

import queries
from geo.places import CITY_LINE_FILE, FEET_PER_METRE, PROJECTED_CRS

# How far beyond the city line an area may reach: the committed city line has 7 vertices,
# and a real layer (a harbour post, a catchment on the edge) may follow the true boundary.
REGION_MARGIN_M = 3_000
REGION_NAME = f"the Baltimore region (the city line and {REGION_MARGIN_M // 1000} km around it)"


def areas_in_force(conn, start: date, end: date) -> gpd.GeoDataFrame:
    """Areas valid on at least one day from ``start`` to ``end``, the catchment first.

    Columns: area_id, kind, name, valid_from, valid_to (exclusive; None = still valid),
    is_approximation, source, geometry (EPSG:4326 MultiPolygons).
    """
    frame = queries.fetch_df(conn, "areas/in_force", start=start, end=end)
    geometry = gpd.GeoSeries.from_wkb(frame.pop("geom_wkb").map(bytes), crs="EPSG:4326")
    return gpd.GeoDataFrame(frame, geometry=geometry)


@cache
def baltimore_region() -> BaseGeometry:
    """The city line (geo/data) buffered by ``REGION_MARGIN_M`` on the ground, in EPSG:4326."""
    city = gpd.read_file(CITY_LINE_FILE).to_crs(PROJECTED_CRS)
    return city.buffer(REGION_MARGIN_M * FEET_PER_METRE).to_crs(4326).union_all()


def not_lonlat(geometry: BaseGeometry | None) -> str:
    """Why a geometry's coordinates are not longitude and latitude ('' when they are)."""
    coords = shapely.get_coordinates(geometry) if geometry is not None else np.empty((0, 2))
    if not np.isfinite(coords).all():
        return "its coordinates cannot be placed on the earth (not finite once reprojected)"
    bad = coords[(np.abs(coords[:, 0]) > 180) | (np.abs(coords[:, 1]) > 90)]
    if len(bad):
        x, y = bad[0]
        return (
            f"its coordinates are not longitude and latitude (e.g. {x:g}, {y:g}): "
            "declare the file's coordinate system"
        )
    return ""


def outside_region(geometry: BaseGeometry) -> str:
    """Why a valid lon/lat polygon cannot be a program area ('' when it lies within the
    Baltimore region). Areas reaching far beyond it would be mapped, gridded and
    projected to State Plane by every page."""
    region = baltimore_region()
    if region.covers(geometry):
        return ""
    if not region.intersects(geometry):
        west, south, east, north = geometry.bounds
        return (
            f"outside {REGION_NAME}: it lies at longitude {west:.3f} to {east:.3f}, "
            f"latitude {south:.3f} to {north:.3f}"
        )
    beyond = geometry.difference(region).area / geometry.area
    return f"outside {REGION_NAME}: {_share(beyond)} of its area lies beyond"


def _share(fraction: float) -> str:
    if fraction < 0.01:
        return "less than 1%"
    if fraction > 0.99:
        return "more than 99%"
    return f"{fraction:.0%}"
