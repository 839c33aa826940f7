"""Where demo contacts happen: hot spots at Lexington Market, the Howard, Eutaw, Park and
Pennsylvania Avenue corridors, and a sparse spread over the Central District.

Each place carries its own offence mix (Park Ave and Pennsylvania Ave see more
prostitution arrests); overall about 55% drug, 10% prostitution, 35% other.
"""

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from geo.places import CATCHMENT_FILE, LEGACY_CENTRAL_FILE, LEXINGTON_MARKET_LONLAT

M_PER_DEG_LAT = 111_000.0
M_PER_DEG_LON = M_PER_DEG_LAT * np.cos(np.radians(LEXINGTON_MARKET_LONLAT[1]))
OFFENSES = np.array(["drug", "prostitution", "other"])


@dataclass(frozen=True)
class Place:
    """A Gaussian spot (``to`` None) or a corridor from ``at`` to ``to``; ``spread_m`` is
    the standard deviation around the spot or across the corridor."""

    name: str
    weight: float
    offense_mix: tuple[float, float, float]
    at: tuple[float, float]
    to: tuple[float, float] | None = None
    spread_m: float = 60.0


PLACES = [
    Place("Lexington Market", 0.20, (0.68, 0.06, 0.26), LEXINGTON_MARKET_LONLAT, spread_m=70),
    Place("Howard & Lexington", 0.09, (0.60, 0.08, 0.32), (-76.6192, 39.2918)),
    Place("Eutaw & Saratoga", 0.06, (0.62, 0.05, 0.33), (-76.6208, 39.2931)),
    Place("Park Ave & Mulberry", 0.05, (0.42, 0.30, 0.28), (-76.6177, 39.2945)),
    Place("Howard St", 0.10, (0.56, 0.08, 0.36), (-76.6190, 39.2868), (-76.6197, 39.3035), 35),
    Place("Eutaw St", 0.07, (0.58, 0.06, 0.36), (-76.6203, 39.2868), (-76.6213, 39.3000), 35),
    Place("Park Ave", 0.05, (0.40, 0.30, 0.30), (-76.6177, 39.2905), (-76.6181, 39.3000), 35),
    Place(
        "Pennsylvania Ave", 0.10, (0.52, 0.22, 0.26), (-76.6232, 39.2957), (-76.6335, 39.3070), 40
    ),
]
BACKGROUND_WEIGHT = 0.40
BACKGROUND_MIX = (0.45, 0.06, 0.49)


@dataclass(frozen=True)
class Geography:
    """The default catchment and the approximate legacy Central District posts."""

    catchment: shapely.Geometry
    district: shapely.Geometry
    posts: dict[str, shapely.Geometry]

    @classmethod
    def default(cls) -> "Geography":
        areas = gpd.read_file(LEGACY_CENTRAL_FILE)
        posts = areas[areas["kind"] == "post"]
        return cls(
            catchment=shapely.union_all(gpd.read_file(CATCHMENT_FILE).geometry.values),
            district=areas.loc[areas["kind"] == "district", "geometry"].iloc[0],
            posts=dict(zip(posts["name"], posts.geometry, strict=True)),
        )

    def post_of(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        found = np.full(len(lon), "", dtype=object)
        for name, geom in self.posts.items():
            found[shapely.contains_xy(geom, lon, lat)] = name
        return found

    def in_catchment(self, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        return shapely.contains_xy(self.catchment, lon, lat)


def sample_places(rng: np.random.Generator, n: int, hot_spots_only: np.ndarray) -> np.ndarray:
    """Index into PLACES per contact; ``len(PLACES)`` means the district background."""
    weights = np.array([place.weight for place in PLACES] + [BACKGROUND_WEIGHT])
    spots = weights[:-1] / weights[:-1].sum()
    anywhere = rng.choice(len(weights), size=n, p=weights / weights.sum())
    on_spots = rng.choice(len(PLACES), size=n, p=spots)
    return np.where(hot_spots_only, on_spots, anywhere)


def sample_points(
    rng: np.random.Generator, places: np.ndarray, geography: Geography
) -> tuple[np.ndarray, np.ndarray]:
    """A point per contact near its place, redrawn until it falls inside the district."""
    lon = np.zeros(len(places))
    lat = np.zeros(len(places))
    todo = np.arange(len(places))
    while len(todo):
        lon[todo], lat[todo] = _draw(rng, places[todo], geography.district)
        todo = todo[~shapely.contains_xy(geography.district, lon[todo], lat[todo])]
    return lon, lat


def _draw(rng, places: np.ndarray, district: shapely.Geometry) -> tuple[np.ndarray, np.ndarray]:
    n = len(places)
    x0, y0, x1, y1 = district.bounds
    lon = rng.uniform(x0, x1, n)
    lat = rng.uniform(y0, y1, n)
    along = rng.random(n)
    east_m, north_m = rng.normal(size=(2, n))
    for index, place in enumerate(PLACES):
        mine = places == index
        start = np.array(place.at)
        end = start if place.to is None else np.array(place.to)
        centre = start + np.outer(along[mine], end - start)
        lon[mine] = centre[:, 0] + east_m[mine] * place.spread_m / M_PER_DEG_LON
        lat[mine] = centre[:, 1] + north_m[mine] * place.spread_m / M_PER_DEG_LAT
    return lon, lat


def sample_offenses(rng: np.random.Generator, places: np.ndarray) -> np.ndarray:
    mixes = np.array([place.offense_mix for place in PLACES] + [BACKGROUND_MIX])
    cumulative = np.cumsum(mixes[places], axis=1)
    draws = rng.random(len(places))[:, None]
    return OFFENSES[(draws > cumulative).sum(axis=1).clip(max=2)]
