"""Build an approximate legacy (pre-July-2023) Central District from 2017 arrest records.

    python -m geo.build_legacy_posts [--arrests CSV] [--city-line GEOJSON] [--out GEOJSON]

The official legacy post layer is not in the project, so it is approximated from real
data: every geocoded 2017 arrest (city-wide, so the Central posts' outer edges are
bounded by their neighbours) carries the Post it was recorded in. Each distinct location
takes the majority Post of its arrests, a k-nearest-neighbour majority vote removes
speckle, the Voronoi cells of the locations are dissolved by Post and clipped to the
city line. The 12 Central posts are kept, sectors and the district are their dissolves.
"""

import argparse
import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.places import FEET_PER_METRE, LEGACY_CENTRAL_FILE, PROJECTED_CRS, SQ_FEET_PER_SQ_MILE

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CENTRAL_POSTS = tuple(f"{sector}{beat}" for sector in (11, 12, 13, 14) for beat in (1, 2, 3))
SOURCE = (
    "Approximation: Voronoi cells of 2017 BPD arrest locations by Post, clipped to the city line"
)
NEIGHBOURS = 7  # k of the kNN vote: enough to outvote a stray label, small enough for
# the sparsest post (122 has only a handful of arrests) to survive.
SIMPLIFY_FEET = 5 * FEET_PER_METRE
SLIVER_SHARE = 0.05  # detached parts below this share of a post's area are not kept
DECIMALS = 6


def arrest_locations(path: Path, city: shapely.Geometry) -> gpd.GeoDataFrame:
    """Distinct geocoded arrest locations inside the city, each with its majority Post."""
    rows = pd.read_csv(path, usecols=["Longitude", "Latitude", "Post"], dtype={"Post": str})
    rows = rows.dropna()
    rows["Post"] = rows["Post"].str.strip()
    counts = rows.groupby(["Longitude", "Latitude", "Post"]).size().rename("n").reset_index()
    majority = counts.sort_values(["n", "Post"], ascending=[False, True]).drop_duplicates(
        ["Longitude", "Latitude"]
    )
    points = gpd.GeoDataFrame(
        {"post": majority["Post"].to_numpy()},
        geometry=gpd.points_from_xy(majority["Longitude"], majority["Latitude"]),
        crs="EPSG:4326",
    )
    points = points[points.within(city)].to_crs(PROJECTED_CRS)
    return points.reset_index(drop=True)


def smooth_labels(xy: np.ndarray, labels: np.ndarray, k: int = NEIGHBOURS) -> np.ndarray:
    """Each point's label becomes the strict majority of its k nearest points (itself
    included); without a strict majority it keeps its own."""
    smoothed = labels.copy()
    for start in range(0, len(xy), 1000):
        block = xy[start : start + 1000]
        distances = ((block[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)
        nearest = np.argpartition(distances, k, axis=1)[:, :k]
        for row, neighbours in enumerate(nearest):
            values, counts = np.unique(labels[neighbours], return_counts=True)
            if counts.max() * 2 > k:
                smoothed[start + row] = values[counts.argmax()]
    return smoothed


def post_cells(points: gpd.GeoDataFrame, city: shapely.Geometry) -> gpd.GeoSeries:
    """Voronoi cells of the points dissolved by label and clipped to the city."""
    cells = shapely.voronoi_polygons(
        shapely.multipoints(points.geometry.values), extend_to=city, ordered=True
    )
    frame = gpd.GeoDataFrame(
        {"post": points["post"].to_numpy()},
        geometry=list(shapely.get_parts(cells)),
        crs=points.crs,
    )
    dissolved = frame.dissolve("post").geometry
    return dissolved.intersection(city)


def without_slivers(posts: gpd.GeoSeries) -> gpd.GeoSeries:
    """Detached parts smaller than SLIVER_SHARE of their post go to the Central post they
    share the longest border with, or are dropped when they touch none."""
    kept, orphans = {}, []
    for name, geom in posts.items():
        parts = list(shapely.get_parts(geom))
        total = sum(part.area for part in parts)
        kept[name] = [part for part in parts if part.area >= SLIVER_SHARE * total]
        orphans += [part for part in parts if part.area < SLIVER_SHARE * total]
    merged = {name: shapely.union_all(parts) for name, parts in kept.items()}
    for part in orphans:
        borders = {name: part.boundary.intersection(geom).length for name, geom in merged.items()}
        best = max(borders, key=borders.get)
        if borders[best] > 0:
            merged[best] = shapely.union_all([merged[best], part])
    return gpd.GeoSeries(merged, crs=posts.crs)


def legacy_layers(posts: gpd.GeoSeries) -> gpd.GeoDataFrame:
    """Posts, their sectors (first two digits) and the district, simplified as a coverage."""
    posts = posts.sort_index()
    simplified = shapely.coverage_simplify(posts.values, SIMPLIFY_FEET)
    posts = gpd.GeoSeries(simplified, index=posts.index, crs=posts.crs)
    sectors = posts.groupby(posts.index.str[:2]).agg(shapely.union_all)
    layers = pd.concat(
        [
            _layer("post", posts.index, posts.values),
            _layer("sector", [f"Sector {s}" for s in sectors.index], sectors.values),
            _layer("district", ["Central"], [shapely.union_all(posts.values)]),
        ],
        ignore_index=True,
    )
    frame = gpd.GeoDataFrame(layers, geometry="geometry", crs=posts.crs).to_crs("EPSG:4326")
    frame["geometry"] = [
        shapely.multipolygons(shapely.get_parts(g))
        for g in shapely.set_precision(frame.geometry.values, 10**-DECIMALS)
    ]
    return frame


def _layer(kind: str, names, geometries) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "name": list(names),
            "is_approximation": True,
            "source": SOURCE,
            "geometry": list(geometries),
        }
    )


def build(arrests: Path, city_line: Path) -> gpd.GeoDataFrame:
    city_4326 = shapely.union_all(gpd.read_file(city_line).to_crs("EPSG:4326").geometry.values)
    city = gpd.GeoSeries([city_4326], crs="EPSG:4326").to_crs(PROJECTED_CRS).iloc[0]
    points = arrest_locations(arrests, city_4326)
    xy = shapely.get_coordinates(points.geometry.values)
    points["post"] = smooth_labels(xy, points["post"].to_numpy())
    cells = post_cells(points, city)
    central = cells[cells.index.isin(CENTRAL_POSTS)]
    missing = set(CENTRAL_POSTS) - set(central.index)
    if missing:
        raise SystemExit(f"build_legacy_posts: no cells left for posts {sorted(missing)}")
    return legacy_layers(without_slivers(central))


def write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Compact GeoJSON with coordinates rounded to DECIMALS places."""
    collection = json.loads(frame.to_json(drop_id=True))
    collection["features"] = [
        {**feature, "geometry": _rounded(feature["geometry"])} for feature in collection["features"]
    ]
    path.write_text(json.dumps(collection, separators=(",", ":")) + "\n")


def _rounded(geometry: dict) -> dict:
    def walk(value):
        if isinstance(value, float):
            return round(value, DECIMALS)
        return [walk(item) for item in value]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arrests", type=Path, default=SHARED_DATA / "bpd_arrests_2017.csv")
    parser.add_argument(
        "--city-line", type=Path, default=SHARED_DATA / "baltimore_cityline.geojson"
    )
    parser.add_argument("--out", type=Path, default=LEGACY_CENTRAL_FILE)
    args = parser.parse_args(argv)
    frame = build(args.arrests, args.city_line)
    write_geojson(frame, args.out)
    frame["sq_mi"] = frame.to_crs(PROJECTED_CRS).area / SQ_FEET_PER_SQ_MILE
    for row in frame.itertuples():
        print(f"{row.kind:8} {row.name:10} {row.sq_mi:6.3f} sq mi")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
