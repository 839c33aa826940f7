"""An approximate street reference layer, for maps drawn with no basemap.

BPD's arrest records carry block addresses ("400 W LEXINGTON ST") geocoded to a point
per block. Grouping them by street name and joining each street's block points in order
along the street gives approximate centre lines with names: enough to tell where a cell
or a hot spot is on a closed network with no tile server. It is labelled approximate
everywhere it is drawn: blocks nobody was arrested on are missing, curved streets are
cut short, and the direction prefix (N/S/E/W) is dropped because the records often omit
it, so "W Lexington St" and "E Lexington St" are one line.

Built by a reproducible command into a committed GeoJSON (a few hundred kB)::

    python -m geo.streets ../shared/data/bpd_arrests_2017.csv geo/data/streets_approx.geojson
"""

import argparse
import json
import re
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

STREETS = Path(__file__).resolve().parent / "data" / "streets_approx.geojson"
ADDRESS = re.compile(r"^(\d+)\s+(.+?)\s*$")
DIRECTION = re.compile(r"^(N|S|E|W|NORTH|SOUTH|EAST|WEST)\s+")
GAP_M = 450  # a larger step between neighbouring block points starts a new line
M_PER_DEG_LAT = 111_320.0
DECIMALS = 5


def street_name(address: str) -> str | None:
    """ "400 W LEXINGTON ST" -> "Lexington St"; None if it is no block address."""
    found = ADDRESS.match(str(address).upper())
    if not found:
        return None
    name = DIRECTION.sub("", re.sub(r"\s+", " ", found.group(2)))
    return name.title() if name else None


def centre_lines(points: pd.DataFrame) -> list[list[tuple[float, float]]]:
    """One street's block points (lon, lat) joined in order along the street's main
    direction; a step longer than ``GAP_M`` starts a new line; single points are dropped."""
    lon, lat = points["lon"].to_numpy(), points["lat"].to_numpy()
    x = (lon - lon.mean()) * M_PER_DEG_LAT * np.cos(np.radians(lat.mean()))
    y = (lat - lat.mean()) * M_PER_DEG_LAT
    xy = np.column_stack([x, y])
    if len(xy) > 1:
        _, _, axes = np.linalg.svd(xy - xy.mean(axis=0), full_matrices=False)
        order = np.argsort(xy @ axes[0])
    else:
        order = np.arange(len(xy))
    lines, current = [], [order[0]]
    for before, k in zip(order[:-1], order[1:], strict=True):
        if np.hypot(*(xy[k] - xy[before])) > GAP_M:
            lines.append(current)
            current = []
        current.append(k)
    lines.append(current)
    return [
        [(round(float(lon[k]), DECIMALS), round(float(lat[k]), DECIMALS)) for k in line]
        for line in lines
        if len(line) > 1
    ]


def build(csv_path: Path) -> dict:
    """The GeoJSON FeatureCollection of approximate centre lines from a BPD arrests CSV
    (columns ArrestLocation, Longitude, Latitude)."""
    rows = pd.read_csv(csv_path, usecols=["ArrestLocation", "Longitude", "Latitude"])
    rows = rows.dropna()
    rows = rows[(rows["Longitude"] != 0) & (rows["Latitude"] != 0)]
    rows = rows.assign(street=rows["ArrestLocation"].map(street_name)).dropna(subset=["street"])
    blocks = rows.groupby(["street", "ArrestLocation"], as_index=False).agg(
        lon=("Longitude", "median"), lat=("Latitude", "median")
    )
    features = []
    for street, points in blocks.groupby("street"):
        located = points.drop_duplicates(["lon", "lat"])
        for line in centre_lines(located):
            features.append({
                "type": "Feature",
                "properties": {"name": street, "blocks": len(line)},
                "geometry": {"type": "LineString", "coordinates": line},
            })  # fmt: skip
    return {
        "type": "FeatureCollection",
        "name": "Approximate street centre lines (from geocoded BPD arrest block addresses)",
        "features": features,
    }


@cache
def approximate_streets() -> gpd.GeoDataFrame:
    """The committed layer: name, blocks, LineString geometry (EPSG:4326)."""
    return gpd.read_file(STREETS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("csv", type=Path, help="BPD arrests CSV (Open Baltimore export)")
    parser.add_argument("out", type=Path, nargs="?", default=STREETS)
    args = parser.parse_args(argv)
    collection = build(args.csv)
    args.out.write_text(json.dumps(collection, separators=(",", ":")) + "\n")
    size = args.out.stat().st_size
    print(f"streets: {len(collection['features'])} lines, {size / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
