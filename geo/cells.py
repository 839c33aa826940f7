"""Density cells for the contacts map: grid parameters, cell outlines and Getis-Ord Gi*.

Contacts are counted per cell in PostGIS by ``contact_cell(geom, shape, size)``
(db/migrations/0008_contacts_map.sql): the point is projected to Web Mercator
(EPSG:3857) with the closed-form spherical formula and snapped to the nearest cell
centre. The cells are PostGIS's own ``ST_Square(size, i, j)`` and ``ST_Hexagon(size, i,
j)`` with origin (0, 0): flat-topped hexagons whose ``size`` is the edge length, odd
columns shifted up by half a row. :func:`cell_of` is the same arithmetic in numpy (a
map click is turned into a cell with it); tests hold both to ``ST_Hexagon``.

Cell size. Users choose ``cell_m``, the side of a square of the same ground area: a
100 m grid has cells of one hectare, squares or hexagons. Web Mercator stretches
lengths by 1/cos(latitude), so sizes are scaled by 1/cos of Lexington Market's
latitude; across the Central District the ground size is off by less than 0.2 %.

Hot spots. Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995) on the contact count
of each cell, binary contiguity weights that include the cell itself: ``order`` 1 is
the six touching hexagons (queen contiguity, eight neighbours, for squares), ``order``
2 adds the ring of cells two steps away. The study region is the cells whose centre
lies in a given area (the Central District on the page; contacts elsewhere are left
out); without an area, the rectangle of cells around the cells with contacts.
Empty cells of the region count as zero; cells outside it are left out altogether.
z-scores against the normal distribution: |z| >= 1.645, 1.960, 2.576 are hot or cold
spots at 90, 95 and 99 % confidence, with no correction for testing many cells at once.
"""

from dataclasses import dataclass
from math import cos, radians, sqrt

import numpy as np
import pandas as pd
import shapely

from geo.places import LEXINGTON_MARKET_LONLAT

EARTH_RADIUS_M = 6378137.0  # the sphere of EPSG:3857
SHAPES = ("hexagon", "square")
MERCATOR_SCALE = 1 / cos(radians(LEXINGTON_MARKET_LONLAT[1]))
HEXAGON_AREA_PER_EDGE2 = 3 * sqrt(3) / 2
CONFIDENCE_Z = ((2.576, 99), (1.960, 95), (1.645, 90))
MAX_STUDY_CELLS = 1_000_000


@dataclass(frozen=True)
class Grid:
    """A square or hexagon grid of cells with the ground area of a ``cell_m`` square."""

    shape: str
    cell_m: float

    def __post_init__(self):
        if self.shape not in SHAPES:
            raise ValueError(f"shape must be one of {SHAPES}, not {self.shape!r}")
        if not 1 <= self.cell_m <= 5000:
            raise ValueError("cell_m must be between 1 and 5000 metres")

    @property
    def edge_m(self) -> float:
        """Side of a square cell, or edge of a hexagon of the same area, in metres."""
        if self.shape == "square":
            return self.cell_m
        return self.cell_m / sqrt(HEXAGON_AREA_PER_EDGE2)

    @property
    def size(self) -> float:
        """The ``size`` argument of ST_Square/ST_Hexagon in EPSG:3857 units."""
        return self.edge_m * MERCATOR_SCALE

    def describe(self) -> str:
        kind = "squares" if self.shape == "square" else "hexagons"
        return f"{kind} of {self.cell_m:g} m × {self.cell_m:g} m ({self.cell_m**2 / 1e4:g} ha)"


class Extent:
    """An area of the grid's plane (EPSG:3857 metres) where a map draws cells: the cells
    whose centre lies in it, each whole."""

    def __init__(self, area: shapely.Geometry):
        self.area = area
        shapely.prepare(self.area)

    @classmethod
    def around(cls, region: shapely.Geometry, margin_m: float) -> "Extent":
        """``region`` (EPSG:4326) and ``margin_m`` metres on the ground around it."""
        projected = shapely.transform(region, lambda xy: np.column_stack(mercator(*xy.T)))
        return cls(projected.buffer(margin_m * MERCATOR_SCALE, quad_segs=4))

    def query_box(self, grid: "Grid") -> dict[str, float]:
        """The extent's box widened by two cell sizes, as query parameters: every point
        of a cell whose centre lies in the extent falls inside it."""
        west, south, east, north = self.area.bounds
        pad = 2 * grid.size
        return {"west": west - pad, "south": south - pad, "east": east + pad, "north": north + pad}

    def holds_cells(self, i, j, grid: "Grid") -> np.ndarray:
        """Whether each cell's centre lies in the extent."""
        return shapely.contains_xy(self.area, *cell_centres(i, j, grid))


def mercator(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:4326 degrees to EPSG:3857 metres (spherical formula)."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    x = EARTH_RADIUS_M * np.radians(lon)
    y = EARTH_RADIUS_M * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    return x, y


def unmercator(x, y) -> tuple[np.ndarray, np.ndarray]:
    """EPSG:3857 metres to EPSG:4326 degrees."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    lon = np.degrees(x / EARTH_RADIUS_M)
    lat = np.degrees(2 * np.arctan(np.exp(y / EARTH_RADIUS_M)) - np.pi / 2)
    return lon, lat


def cell_of(lon, lat, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """The cell (i, j) of each point: the SQL function ``contact_cell`` in numpy."""
    x, y = mercator(lon, lat)
    s = grid.size
    if grid.shape == "square":
        return np.floor(x / s).astype(np.int64), np.floor(y / s).astype(np.int64)
    h = s * sqrt(3)
    ka, ja = np.round(x / (3 * s)), np.round(y / h)
    kb, jb = np.round((x - 1.5 * s) / (3 * s)), np.round((y - h / 2) / h)
    even = (x - 3 * s * ka) ** 2 + (y - h * ja) ** 2 <= (x - 3 * s * kb - 1.5 * s) ** 2 + (
        y - h * jb - h / 2
    ) ** 2
    i = np.where(even, 2 * ka, 2 * kb + 1).astype(np.int64)
    j = np.where(even, ja, jb).astype(np.int64)
    return i, j


def cell_centres(i, j, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """Centres of cells (i, j) in EPSG:3857."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    s = grid.size
    if grid.shape == "square":
        return (i + 0.5) * s, (j + 0.5) * s
    h = s * sqrt(3)
    return 1.5 * s * i, h * j + h / 2 * (np.abs(i) % 2)


HEX_CORNERS = np.array([(-1, 0), (-0.5, -0.5), (0.5, -0.5), (1, 0), (0.5, 0.5), (-0.5, 0.5)])
SQUARE_CORNERS = np.array([(-0.5, -0.5), (0.5, -0.5), (0.5, 0.5), (-0.5, 0.5)])


def cell_outlines(i, j, grid: Grid, decimals: int = 5) -> list[list[list[float]]]:
    """Each cell's closed outline as [[lon, lat], ...] in EPSG:4326, rounded to
    ``decimals`` (5 decimals is about a metre): the vertices of ST_Hexagon/ST_Square."""
    cx, cy = cell_centres(i, j, grid)
    s = grid.size
    if grid.shape == "square":
        scale = np.array([s, s])
        corners = SQUARE_CORNERS
    else:
        scale = np.array([s, s * sqrt(3)])
        corners = HEX_CORNERS
    xs = cx[:, None] + corners[None, :, 0] * scale[0]
    ys = cy[:, None] + corners[None, :, 1] * scale[1]
    lon, lat = unmercator(xs, ys)
    rings = np.stack([lon.round(decimals), lat.round(decimals)], axis=-1)
    return [ring.tolist() + [ring[0].tolist()] for ring in rings]


def cell_centres_lonlat(i, j, grid: Grid, decimals: int = 5) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = unmercator(*cell_centres(i, j, grid))
    return lon.round(decimals), lat.round(decimals)


def neighbour_offsets(shape: str, column_parity: int, order: int) -> list[tuple[int, int]]:
    """(di, dj) of the cells within ``order`` steps of a cell in a column of the given
    parity, the cell itself included (binary contiguity weights)."""
    if shape == "square":
        return [(di, dj) for di in range(-order, order + 1) for dj in range(-order, order + 1)]
    reached = {(column_parity, 0)}
    frontier = set(reached)
    for _ in range(order):
        step = set()
        for i, j in frontier:
            step.update((i + di, j + dj) for di, dj in _hex_touching(i))
        frontier = step - reached
        reached |= step
    return sorted((i - column_parity, j) for i, j in reached)


def neighbourhood_sums(i, j, values, shape: str, order: int = 1) -> np.ndarray:
    """For each cell (i, j), the sum of ``values`` over the given cells within ``order``
    steps of it, itself included: a function of the given values only, so a surface built
    from published (suppressed) cell values reveals nothing they do not."""
    i, j = np.asarray(i, dtype=int), np.asarray(j, dtype=int)
    table = dict(
        zip(zip(i.tolist(), j.tolist(), strict=True), np.asarray(values, float), strict=True)
    )
    offsets = {parity: neighbour_offsets(shape, parity, order) for parity in (0, 1)}
    return np.array(
        [
            sum(table.get((a + di, b + dj), 0.0) for di, dj in offsets[a % 2])
            for a, b in zip(i.tolist(), j.tolist(), strict=True)
        ],
        dtype=float,
    )


def _hex_touching(i: int) -> list[tuple[int, int]]:
    """The six hexagons touching one in column i (odd columns sit half a row higher)."""
    side = (-1, 0) if i % 2 == 0 else (0, 1)
    return [(0, -1), (0, 1)] + [(di, dj) for di in (-1, 1) for dj in side]


def getis_ord_gi_star(cells: pd.DataFrame, grid: Grid, order: int = 1, region=None) -> pd.DataFrame:
    """Gi* z-score of every cell of the study region (see the module docstring).

    ``cells`` has columns i, j, contacts (cells without contacts may be left out);
    ``region`` is an optional shapely geometry in EPSG:4326 (longitude, latitude).
    Returns i, j, contacts, z, confidence (99/95/90 or 0) and spot ('hot', 'cold', '').
    """
    columns = ["i", "j", "contacts", "z", "confidence", "spot"]
    if cells.empty or cells["contacts"].sum() == 0:
        return pd.DataFrame(columns=columns)
    if region is not None:
        i_all, j_all = _cells_covering(region, grid)
        cells = cells[_isin_pairs(cells, i_all, j_all)]
    else:
        i_all, j_all = cells["i"].to_numpy(), cells["j"].to_numpy()
    if not len(i_all):
        return pd.DataFrame(columns=columns)
    i0, j0 = int(i_all.min()) - order, int(j_all.min()) - order
    if grid.shape == "hexagon":
        i0 -= i0 % 2  # array columns and grid columns of the same parity
    width, height = int(i_all.max()) + order - i0 + 1, int(j_all.max()) + order - j0 + 1
    if width * height > MAX_STUDY_CELLS:
        raise ValueError("the study region spans too many cells: use larger cells")
    counts = np.zeros((width, height))
    np.add.at(counts, (cells["i"].to_numpy() - i0, cells["j"].to_numpy() - j0), cells["contacts"])
    study = np.zeros_like(counts, dtype=bool)
    study[i_all - i0, j_all - j0] = True
    if region is None:
        study[:] = True
    local_sum, weights = _window_sums(counts, study, grid.shape, order)
    values = counts[study]
    n = values.size
    mean = values.mean()
    spread = np.sqrt((values**2).mean() - mean**2)
    denominator = spread * np.sqrt((n * weights - weights**2) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(denominator > 0, (local_sum - mean * weights) / denominator, 0.0)
    ii, jj = np.meshgrid(np.arange(width) + i0, np.arange(height) + j0, indexing="ij")
    result = pd.DataFrame(
        {"i": ii[study], "j": jj[study], "contacts": values.astype(int), "z": z[study]}
    )
    result["confidence"] = confidence_level(result["z"])
    result["spot"] = np.select(
        [(result["confidence"] > 0) & (result["z"] > 0), result["confidence"] > 0],
        ["hot", "cold"],
        "",
    )
    return result[columns]


def _isin_pairs(cells: pd.DataFrame, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    wanted = pd.MultiIndex.from_arrays([i, j])
    return pd.MultiIndex.from_arrays([cells["i"], cells["j"]]).isin(wanted)


def _cells_covering(region, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """The cells whose centre lies in ``region`` (EPSG:4326)."""
    west, south, east, north = region.bounds
    corner_i, corner_j = cell_of([west, east], [south, north], grid)
    ii, jj = np.meshgrid(
        np.arange(corner_i.min() - 1, corner_i.max() + 2),
        np.arange(corner_j.min() - 1, corner_j.max() + 2),
        indexing="ij",
    )
    lon, lat = unmercator(*cell_centres(ii.ravel(), jj.ravel(), grid))
    inside = shapely.contains_xy(region, lon, lat)
    return ii.ravel()[inside], jj.ravel()[inside]


def _window_sums(
    counts: np.ndarray, study: np.ndarray, shape: str, order: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sum of counts over each cell's neighbourhood, and the number of its neighbours in
    the study region (the cell's weight total), for every cell of the array."""
    padded = np.pad(counts * study, order + 1)
    inside = np.pad(study.astype(float), order + 1)
    local_sum = np.zeros_like(counts)
    weights = np.zeros_like(counts)
    width, height = counts.shape
    for parity in (0, 1) if shape == "hexagon" else (0,):
        columns = slice(parity, None, 2) if shape == "hexagon" else slice(None)
        for di, dj in neighbour_offsets(shape, parity, order):
            window = (
                slice(order + 1 + di, order + 1 + di + width),
                slice(order + 1 + dj, order + 1 + dj + height),
            )
            local_sum[columns] += padded[window][columns]
            weights[columns] += inside[window][columns]
    return local_sum, weights


def confidence_level(z) -> np.ndarray:
    """99, 95 or 90 where |z| reaches that level's two-sided critical value, else 0."""
    magnitude = np.abs(np.asarray(z, dtype=float))
    return np.select([magnitude >= limit for limit, _ in CONFIDENCE_Z],
                     [level for _, level in CONFIDENCE_Z], 0)  # fmt: skip


COMPASS = ("E", "NE", "N", "NW", "W", "SW", "S", "SE")


def describe_cells(i, j, grid: Grid, origin_lonlat=LEXINGTON_MARKET_LONLAT) -> list[str]:
    """Where each cell is, in words: "240 m NW of Lexington Market"."""
    cx, cy = cell_centres(i, j, grid)
    ox, oy = mercator(*origin_lonlat)
    dx, dy = (cx - ox) / MERCATOR_SCALE, (cy - oy) / MERCATOR_SCALE
    distance = np.hypot(dx, dy)
    sector = np.round(np.degrees(np.arctan2(dy, dx)) / 45).astype(int) % 8
    return [
        "at Lexington Market"
        if d < grid.cell_m / 2
        else f"{d:,.0f} m {COMPASS[s]} of Lexington Market"
        for d, s in zip(np.round(distance, -1), sector, strict=True)
    ]
