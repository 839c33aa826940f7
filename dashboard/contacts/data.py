"""The contacts map's data: filters, and one function per figure of the page.

Every count is aggregated in PostGIS (``queries/contacts/*.sql``, all starting from the
``contacts_filtered`` SQL function), so the browser only receives what it draws: cells
of the drawn extent (the Central District and 1 km around it), zone totals, posts, the
hour x weekday grid, weeks; and, for the roles allowed to see them, at most
``POINT_LIMIT`` geomasked points. Filter values travel as query parameters only.

Who sees what is ``program.access``: contacts are police records, seen as individual
points (always geomasked, ``geo.geomask``) only by the roles in ``POINTS`` (not BHSB
leadership, who sees cells and totals); outside the person-level roles, breakdowns by
place or time show counts from 1 to the small-cell threshold as "<11" (``geo.privacy``);
program-wide totals are not suppressed.
"""

from dataclasses import dataclass, field
from datetime import date

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard import database
from geo import areas, cells, geomask, privacy
from geo.places import LEXINGTON_MARKET_LONLAT
from program.access import POINTS

PATHWAYS = ("arrest", "social_contact")
DECISIONS = ("diverted", "declined", "ineligible", "arrested", "released")
TRAINED = ("any", "yes", "no")
POINT_LIMIT = 5_000  # about 0.9 MB of deck.gl JSON: the browser payload stays under 2 MB
MAX_CELL_INDEX = 2**31 - 1  # ST_Hexagon/ST_Square take integer cell indices
AREA_TTL_S = 300
REGION_FALLBACK_DEG = 0.05  # about 5 km around the market
DRAW_MARGIN_M = 1_000  # cells drawn this far beyond the Central District's box


@dataclass(frozen=True)
class MapFilters:
    """The period and offences of the sidebar plus the page's own filters.

    Empty ``pathways``, ``decisions``, ``posts`` or ``hours`` mean all; ``trained`` is
    "any", "yes" (the officer held a current LEAD training that day) or "no"; ``hours``
    are local hours of the day (those of the chosen patrol shifts, ``program.shifts``).
    """

    start: date
    end: date
    offenses: tuple[str, ...]
    pathways: tuple[str, ...] = field(default=())
    decisions: tuple[str, ...] = field(default=())
    posts: tuple[str, ...] = field(default=())
    trained: str = "any"
    hours: tuple[int, ...] = field(default=())

    def params(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "offenses": tuple(self.offenses),
            "pathways": tuple(self.pathways),
            "decisions": tuple(self.decisions),
            "posts": tuple(self.posts),
            "trained": self.trained,
            "hours": tuple(int(hour) for hour in self.hours),
        }


def posts(role: str, mf: MapFilters) -> list[str]:
    """Posts recorded on the period's contacts, for the post filter."""
    return database.query(role, "contacts/posts", start=mf.start, end=mf.end, offenses=mf.offenses)[
        "post"
    ].tolist()


def density(role: str, mf: MapFilters, grid: cells.Grid, extent: cells.Extent) -> pd.DataFrame:
    """Cells with contacts whose centre lies in ``extent``: i, j, contacts, diverted
    (exact counts of whole cells)."""
    frame = database.query(
        role, "contacts/cells", shape=grid.shape, size=grid.size,
        **extent.query_box(grid), **mf.params(),
    ).astype({"i": "int64", "j": "int64", "contacts": "int64", "diverted": "int64"})  # fmt: skip
    return frame[extent.holds_cells(frame["i"], frame["j"], grid)].reset_index(drop=True)


def zones(role: str, mf: MapFilters) -> pd.DataFrame:
    """Contacts inside the catchment, in the ring just outside it and further out:
    zone, contacts, eligible_offence (drug or prostitution), diverted, ring_m (the
    setting catchment_ring_m on the period's last day)."""
    ring_m = database.setting(role, "catchment_ring_m", mf.end)
    return database.query(role, "contacts/zones", ring_m=ring_m, **mf.params())


def by_post(role: str, mf: MapFilters) -> pd.DataFrame:
    """Contacts and diverted per post recorded on the contact ('not recorded' without)."""
    return database.query(role, "contacts/by_post", **mf.params())


def when(role: str, mf: MapFilters) -> pd.DataFrame:
    """Contacts on each weekday (1 = Monday) and hour, every one of the 7 x 24 slots."""
    counted = database.query(role, "contacts/when", **mf.params())
    slots = pd.MultiIndex.from_product([range(1, 8), range(24)], names=["weekday", "hour"])
    grid = counted.set_index(["weekday", "hour"])["contacts"].reindex(slots, fill_value=0)
    return grid.astype("int64").reset_index()


def weekly(role: str, mf: MapFilters) -> pd.DataFrame:
    """Contacts and diverted per week (its Monday), in order."""
    return database.query(role, "contacts/by_week", **mf.params())


def cell_detail(role: str, mf: MapFilters, grid: cells.Grid, cell: tuple[int, int]) -> pd.DataFrame:
    """Contacts of one cell by week, offence and decision."""
    i, j = (int(v) for v in cell)
    if max(abs(i), abs(j)) > MAX_CELL_INDEX:
        raise ValueError(f"no such cell: {cell}")
    return database.query(
        role, "contacts/cell_detail", shape=grid.shape, size=grid.size, i=i, j=j, **mf.params()
    )


def points(role: str, mf: MapFilters, limit: int = POINT_LIMIT) -> pd.DataFrame:
    """The period's most recent contacts as geomasked points (lon, lat, day, offense,
    decision); only for the roles that see points (``program.access.POINTS``). The
    recorded location never leaves the server."""
    if role not in POINTS:
        raise PermissionError(f"the {role} role sees cells, not individual contacts")
    limit = max(0, min(int(limit), POINT_LIMIT))
    rows = database.query(role, "contacts/points", limit=limit, **mf.params())
    lon, lat = geomask.donut_mask(rows.pop("lon"), rows.pop("lat"), rows.pop("contact_id"))
    rows.insert(0, "lon", np.round(lon, 5))
    rows.insert(1, "lat", np.round(lat, 5))
    rows["day"] = rows["day"].astype(str)
    return rows


def ring_outline(role: str, day: date) -> list[str]:
    """GeoJSON outlines of the "just outside" ring of the catchment in force on ``day``."""
    return database.query(role, "contacts/ring_outline", day=day)["geojson"].tolist()


@database.cached(ttl=AREA_TTL_S, max_entries=32)
def program_layers(role: str, start: date, end: date) -> gpd.GeoDataFrame:
    """Catchment, district, posts and city line to draw for a period: per area, the
    version in force on the last day (or the latest one overlapping the period)."""
    found = database.run_as(role, lambda conn: areas.areas_in_force(conn, start, end))
    found = found[found["kind"].isin(["catchment", "district", "post", "city"])]
    found = found.sort_values("valid_from").drop_duplicates(["kind", "name"], keep="last")
    return found[["kind", "name", "is_approximation", "source", "geometry"]].reset_index(drop=True)


def shown_counts(
    frame: pd.DataFrame, columns: list[str], threshold: int, person_level: bool, **shares
) -> privacy.Suppressed:
    """Display strings and the hidden mask: small counts hidden unless ``person_level``."""
    return privacy.suppress_counts(
        frame, columns, 0 if person_level else threshold, shares=shares or None
    )


def cell_view(
    frame: pd.DataFrame, grid: cells.Grid, threshold: int, person_level: bool
) -> pd.DataFrame:
    """Cells ready to draw: where (in words), contacts/diverted/rate as shown to the
    role, the rate as a number (NaN when hidden), a heat weight in which a hidden count
    weighs half the threshold, so no small count reaches the browser, and ``heat``: the
    weights summed over each cell and its touching cells, the heat
    layer's value. Summed, the surface shows where contacts gather even when every cell
    is small, and it is still a function of what the cells show."""
    view = frame.reset_index(drop=True).copy()
    if view.empty:
        return view.assign(
            where=[], contacts_shown=[], diverted_shown=[], rate_shown=[], rate=[],
            heat_weight=[], heat=[],
        )  # fmt: skip
    shown = shown_counts(
        view, ["contacts", "diverted"], threshold, person_level, share=("diverted", "contacts")
    )
    view["where"] = cells.describe_cells(view["i"], view["j"], grid)
    view["contacts_shown"] = shown.shown["contacts"]
    view["diverted_shown"] = shown.shown["diverted"]
    view["rate_shown"] = shown.shown["share"]
    view["rate"] = (view["diverted"] / view["contacts"]).where(~shown.mask["share"])
    view["heat_weight"] = view["contacts"].where(~shown.mask["contacts"], threshold / 2)
    view["heat"] = cells.neighbourhood_sums(view["i"], view["j"], view["heat_weight"], grid.shape)
    return view


def hide_small(
    frame: pd.DataFrame, columns: list[str], threshold: int, person_level: bool
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` with hidden counts set to NaN (for charts), and the display strings."""
    shown = shown_counts(frame, columns, threshold, person_level)
    hidden = frame.copy()
    for column in columns:
        hidden[column] = privacy.hide(frame[column].astype(float), shown.mask[column])
    return hidden, shown.shown


def study_region(layers: gpd.GeoDataFrame):
    """The Central District (or, without a district boundary, about 5 km around
    Lexington Market): the region of the hot-spot statistics and of the drawn cells."""
    district = layers[layers["kind"] == "district"]
    if len(district):
        return shapely.union_all(district.geometry.values)
    return shapely.Point(LEXINGTON_MARKET_LONLAT).buffer(REGION_FALLBACK_DEG)


def drawn_extent(layers: gpd.GeoDataFrame) -> cells.Extent:
    """Where the map draws cells: the study region's box and ``DRAW_MARGIN_M`` around it.
    Bounded, so the cells sent to the browser are bounded whatever the period: at the
    smallest cell size a district-sized extent holds a few thousand cells."""
    return cells.Extent.around(study_region(layers), DRAW_MARGIN_M)


def hot_spots(
    view: pd.DataFrame, grid: cells.Grid, order: int, layers: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Gi* over the cells of the study region, from the counts as the role sees them:
    ``view`` is :func:`cell_view`'s, whose heat weight is the count, or half the
    threshold where the count is hidden. A z-score is a sum over neighbouring cells, so
    computed from exact counts it would let a reader work a hidden count out."""
    counts = view[["i", "j"]].assign(contacts=view["heat_weight"])
    return cells.getis_ord_gi_star(counts, grid, order, study_region(layers))
