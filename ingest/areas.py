"""Program areas from GeoJSON or a zipped shapefile, in EPSG:4326, repaired or rejected.

A feature is rejected when it is empty, not a polygon, has no name, its coordinates are
not longitude and latitude once reprojected, or it reaches outside the Baltimore region
(``geo.areas.outside_region``).
"""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon

from geo.areas import not_lonlat, outside_region
from ingest.readers import UnusableFile

AREA_KINDS = ("catchment", "district", "sector", "post", "city")


@dataclass(frozen=True)
class AreaOptions:
    """How to read an areas file: what kind of area, which property names it, validity."""

    kind: str
    name_field: str = "name"
    valid_from: date = date(1900, 1, 1)
    valid_to: date | None = None
    source: str | None = None
    is_approximation: bool = False


def read_areas(path: Path, options: AreaOptions) -> tuple[pd.DataFrame, list, pd.DataFrame]:
    """(rows ready to stage, rejections, every feature's properties), indexed by row
    number = feature number, from 1."""
    if options.kind not in AREA_KINDS:
        raise UnusableFile(f"--area-kind must be one of {', '.join(AREA_KINDS)}")
    if options.valid_to is not None and options.valid_to <= options.valid_from:
        raise UnusableFile("--valid-to must be after --valid-from")
    frame = _read(path)
    if frame.empty:
        raise UnusableFile(f"{path.name} has no features")
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        raise UnusableFile(f"{path.name} has no geometries: not a GeoJSON or zipped shapefile")
    if options.name_field not in frame.columns:
        fields = ", ".join(c for c in frame.columns if c != "geometry") or "none"
        raise UnusableFile(
            f"{path.name} has no property {options.name_field!r}; "
            f"it has {fields} (choose one with --name-field)"
        )
    frame = _in_wgs84(frame, path.name)
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="row_number")
    properties = pd.DataFrame(frame.drop(columns="geometry"))
    rows, rejections = {}, []
    for number, name, geometry in zip(
        frame.index, frame[options.name_field], frame.geometry, strict=True
    ):
        polygon, problem = _placed(geometry)
        label = "" if name is None or pd.isna(name) else str(name).strip()
        problem = problem or ("" if label else f"{options.name_field} is missing")
        if problem:
            rejections.append((number, problem, properties.loc[number].to_dict()))
        else:
            rows[number] = (
                options.kind,
                label,
                options.valid_from,
                options.valid_to,
                options.source or f"imported from {path.name}",
                options.is_approximation,
                polygon.wkt,
            )
    columns = ["kind", "name", "valid_from", "valid_to", "source", "is_approximation", "wkt"]
    staged = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    return staged.rename_axis("row_number"), rejections, properties


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.exists():
        raise UnusableFile(f"{path} does not exist")
    try:
        return gpd.read_file(path)
    except Exception as error:  # pyogrio raises several types for unreadable files
        detail = str(error).splitlines()[0].replace(f"'{path}' ", "").rstrip(".")[:120]
        raise UnusableFile(
            f"{path.name} is not a readable GeoJSON or zipped shapefile ({detail})"
        ) from None


def _in_wgs84(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    """Reprojected from the CRS the file declares; without one it must be lon/lat."""
    if frame.crs is not None:
        return frame.to_crs(4326)
    west, south, east, north = frame.total_bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise UnusableFile(
            f"{name} declares no coordinate system and its coordinates are not longitude "
            "and latitude (a shapefile needs its .prj file)"
        )
    return frame.set_crs(4326)


def _placed(geometry) -> tuple[MultiPolygon | None, str]:
    """The geometry as a valid MultiPolygon within the Baltimore region, or why not."""
    problem = not_lonlat(geometry)
    if problem:
        return None, problem
    polygon, problem = _polygonal(geometry)
    return polygon, problem or outside_region(polygon)


def _polygonal(geometry) -> tuple[MultiPolygon | None, str]:
    """The geometry as a valid MultiPolygon, or why it cannot be one."""
    if geometry is None or geometry.is_empty:
        return None, "the geometry is empty"
    if not geometry.is_valid:
        geometry = make_valid(geometry)
    parts = [
        g for g in getattr(geometry, "geoms", [geometry]) if isinstance(g, Polygon | MultiPolygon)
    ]
    polygons = [p for part in parts for p in getattr(part, "geoms", [part])]
    if not polygons:
        return None, f"the geometry is a {geometry.geom_type}, not a polygon"
    return MultiPolygon(polygons), ""
