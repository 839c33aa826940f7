"""The contacts map's two maps.

folium (Leaflet, through streamlit-folium) draws the main map: program boundaries with
labels and tooltips, the density cells as a choropleth, the heat layer and the hot-spot
outlines, a layer list, and it reports which cell was clicked. Cells travel as their
grid indices and counts (``cell_layer``: the browser rebuilds the outlines), only
within the drawn extent around the Central District, and boundaries are simplified,
so the payload stays well under 2 MB and Leaflet's canvas renderer draws it quickly.

pydeck (deck.gl, WebGL) draws the individual geomasked points: thousands of points stay
fluid in WebGL where Leaflet would create one object each. It runs with no basemap
(``map_provider=None``: Streamlit would otherwise fetch Carto's style from the internet)
and draws the program outlines itself, so it is never blank on a closed network.
"""

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from folium.plugins import HeatMap

from dashboard import maps
from dashboard.contacts.cell_layer import CellLayer
from geo import cells

SIMPLIFY_DEG = 0.00002  # about 2 m: boundaries keep their shape at street zoom
DECIMALS = 5  # about 1 m
AREA_STYLE = {
    "city": {"color": "#9e9e9e", "weight": 1, "fill": False},
    "district": {"color": "#263238", "weight": 3, "fill": False},
    "post": {"color": "#546e7a", "weight": 1.2, "fill": False},
    "catchment": {"color": "#d95f02", "weight": 3.5, "fill": True, "fillOpacity": 0.04},
}
AREA_LABELS = {
    "city": "City line",
    "district": "Central District",
    "post": "Posts",
    "catchment": "LEAD catchment",
}
DENSITY_COLORS = ["#fff5b1", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
RATE_BREAKS = [(0.0, "0%"), (0.10, "10%+"), (0.25, "25%+"), (0.50, "50%+")]
RATE_COLORS = ["#f7fcf5", "#a1d99b", "#41ab5d", "#005a32"]
HIDDEN_COLOR = "#bdbdbd"
SPOT_COLORS = {
    ("hot", 99): "#67000d",
    ("hot", 95): "#cb181d",
    ("hot", 90): "#fb6a4a",
    ("cold", 99): "#08306b",
    ("cold", 95): "#2171b5",
    ("cold", 90): "#6baed6",
}
DECISION_COLORS = {
    "diverted": [27, 158, 119],
    "declined": [117, 112, 179],
    "ineligible": [120, 120, 120],
    "arrested": [217, 95, 2],
    "released": [31, 120, 180],
}


def display_areas(layers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Boundaries simplified to about 2 m and rounded to about 1 m: a small payload."""
    shown = layers.copy()
    simplified = shown.geometry.simplify(SIMPLIFY_DEG, preserve_topology=True)
    shown["geometry"] = shapely.set_precision(simplified.values, 10**-DECIMALS)
    shown["label"] = [
        area_label(kind, name, approx)
        for kind, name, approx in zip(shown.kind, shown.name, shown.is_approximation, strict=True)
    ]
    return shown


def area_label(kind: str, name: str, is_approximation: bool) -> str:
    text = f"Post {name}" if kind == "post" else AREA_LABELS.get(kind, name)
    return f"{text} (approx.)" if is_approximation else text


def density_classes(threshold: int, counts: pd.Series) -> list[tuple[int, str]]:
    """Lower bounds and labels of the density colour classes (at most five). The first
    class is always 1 to the small-cell threshold, so a colour never tells a small
    count apart; the others split the range above it geometrically."""
    top = int(counts.max()) if len(counts) else 0
    if top <= threshold:
        return [(1, f"1–{threshold}")]
    steps = np.geomspace(threshold + 1, top, len(DENSITY_COLORS) - 1)
    bounds = [1, *sorted({int(round(step)) for step in steps})]
    labels = []
    for n, low in enumerate(bounds):
        high = bounds[n + 1] - 1 if n + 1 < len(bounds) else None
        labels.append(f"{low}+" if high is None else f"{low}–{high}" if high > low else f"{low}")
    return list(zip(bounds, labels, strict=True))


def density_class(count: int, classes: list[tuple[int, str]]) -> int:
    """Index of the density class (and of its colour in DENSITY_COLORS)."""
    return max(n for n, (low, _) in enumerate(classes) if count >= low)


def _rate_class(rate: float | None) -> int:
    """Index into RATE_COLORS, or one past it (HIDDEN_COLOR) for a hidden rate."""
    if rate is None or np.isnan(rate):
        return len(RATE_COLORS)
    return max(n for n, (low, _) in enumerate(RATE_BREAKS) if rate >= low)


def contacts_map(
    layers: gpd.GeoDataFrame,
    ring: list[str],
    cell_view: pd.DataFrame,
    hot: pd.DataFrame,
    grid: cells.Grid,
    colour_by: str,
    classes: list[tuple[int, str]],
    market: tuple[float, float],
) -> folium.Map:
    """The main map. ``cell_view`` has i, j, contacts, where, contacts_shown,
    diverted_shown, rate_shown, rate (NaN when hidden) and heat_weight."""
    fmap = maps.base_map(center=(market[1], market[0]), zoom=15)
    _add_program_layers(fmap, display_areas(layers), ring)
    _add_cells(fmap, cell_view, grid, colour_by, classes)
    _add_heat(fmap, cell_view, grid)
    _add_hot_spots(fmap, hot, grid)
    _add_market(fmap, (market[1], market[0]))
    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    return fmap


def _add_market(fmap: folium.Map, location: tuple[float, float]) -> None:
    """A dot and a label above it. The label is a marker, not a permanent tooltip: Leaflet
    places a permanent tooltip once, at the map's first (zero) size inside the iframe."""
    folium.CircleMarker(
        location, radius=7, color="#b71c1c", fill=True, fill_opacity=1, tooltip="Lexington Market"
    ).add_to(fmap)
    folium.Marker(
        location,
        icon=folium.DivIcon(
            html='<div class="market-label">Lexington Market</div>',
            icon_size=(140, 20),
            icon_anchor=(70, 32),
        ),
        interactive=False,
    ).add_to(fmap)
    fmap.get_root().header.add_child(
        folium.Element(
            "<style>.market-label{font:600 12px sans-serif;color:#b71c1c;background:#fff;"
            "border:1px solid #b71c1c;border-radius:3px;padding:1px 4px;text-align:center;"
            "white-space:nowrap;box-shadow:0 1px 3px rgba(0,0,0,.3)}</style>"
        )
    )


def _add_program_layers(fmap: folium.Map, shown: gpd.GeoDataFrame, ring: list[str]) -> None:
    for kind in ("city", "district", "post", "catchment"):
        subset = shown[shown.kind == kind]
        if subset.empty:
            continue
        style = AREA_STYLE[kind]
        group = folium.FeatureGroup(name=AREA_LABELS[kind], show=kind != "city")
        folium.GeoJson(
            subset[["label", "source", "is_approximation", "geometry"]].__geo_interface__,
            style_function=lambda feature, style=style: {
                **style,
                "dashArray": "6 4" if feature["properties"]["is_approximation"] else None,
            },
            tooltip=folium.GeoJsonTooltip(["label", "source"], aliases=["", "Source"]),
        ).add_to(group)
        if kind == "post":
            for label, point in zip(subset.label, subset.representative_point(), strict=True):
                folium.Marker(
                    (round(point.y, DECIMALS), round(point.x, DECIMALS)),
                    icon=folium.DivIcon(
                        html=f'<div class="post-label">{label}</div>',
                        icon_size=(90, 14),
                        icon_anchor=(45, 7),
                    ),
                ).add_to(group)
        group.add_to(fmap)
    if ring:
        group = folium.FeatureGroup(name="Just-outside ring")
        for outline in ring:
            folium.GeoJson(
                outline,
                style_function=lambda _: {
                    "color": "#d95f02",
                    "weight": 1.5,
                    "dashArray": "2 6",
                    "fill": False,
                },
            ).add_to(group)
        group.add_to(fmap)
    fmap.get_root().header.add_child(
        folium.Element(
            "<style>.post-label{font:600 11px sans-serif;color:#37474f;text-align:center;"
            "white-space:nowrap;text-shadow:0 0 3px #fff,0 0 3px #fff}</style>"
        )
    )


CELL_FIELDS = ["k", "where", "contacts_shown", "diverted_shown", "rate_shown"]


def _add_cells(fmap, cell_view, grid, colour_by, classes) -> None:
    if cell_view.empty:
        return
    if colour_by == "rate":
        colours = [*RATE_COLORS, HIDDEN_COLOR]
        k = [_rate_class(r) for r in cell_view["rate"]]
    else:
        colours = DENSITY_COLORS
        k = [density_class(c, classes) for c in cell_view["contacts"]]
    shown = cell_view.assign(k=k)
    CellLayer(
        _rows(shown, CELL_FIELDS),
        grid,
        name="Density cells",
        fields=CELL_FIELDS,
        style={"fillOpacity": 0.65, "color": "#6d4c41", "weight": 0.4},
        colour_option="fillColor",
        colour_field="k",
        colours=colours,
        tooltip=[("where", "Cell"), ("contacts_shown", "Contacts"),
                 ("diverted_shown", "Diverted"), ("rate_shown", "Share diverted")],
        highlight={"weight": 2.5, "color": "#000000"},
    ).add_to(fmap)  # fmt: skip


def _rows(frame: pd.DataFrame, fields: list[str]) -> list[list]:
    """[i, j, *fields] per cell, as plain Python values for JSON."""
    columns = [frame["i"].astype(int), frame["j"].astype(int), *(frame[f] for f in fields)]
    return [list(row) for row in zip(*(c.tolist() for c in columns), strict=True)]


def _add_heat(fmap, cell_view, grid) -> None:
    """A heat surface from the cell centres weighted by their (suppression-safe) counts:
    no point location reaches the browser for it."""
    if cell_view.empty:
        return
    lon, lat = cells.cell_centres_lonlat(cell_view["i"], cell_view["j"], grid)
    weights = cell_view["heat_weight"].to_numpy(dtype=float)
    heat = [[float(a), float(o), float(w)] for a, o, w in zip(lat, lon, weights, strict=True)]
    HeatMap(
        heat,
        name="Heat",
        show=False,
        radius=28,
        blur=22,
        min_opacity=0.25,
        max_zoom=16,
    ).add_to(fmap)


SPOT_FIELDS = ["k", "where", "label", "z_text"]


def _add_hot_spots(fmap, hot: pd.DataFrame, grid: cells.Grid) -> None:
    spots = hot[hot["spot"] != ""]
    if spots.empty:
        return
    classes = list(SPOT_COLORS)
    spots = spots.assign(
        k=[classes.index((s, int(c))) for s, c in zip(spots.spot, spots.confidence, strict=True)],
        label=[
            f"{s} spot, {int(c)}% confidence"
            for s, c in zip(spots.spot, spots.confidence, strict=True)
        ],
        z_text=spots["z"].map(lambda z: f"{z:+.2f}"),
        where=cells.describe_cells(spots["i"], spots["j"], grid),
    )
    CellLayer(
        _rows(spots, SPOT_FIELDS),
        grid,
        name="Hot spots (Gi*)",
        fields=SPOT_FIELDS,
        style={"weight": 3, "fill": True, "fillOpacity": 0},
        colour_option="color",
        colour_field="k",
        colours=list(SPOT_COLORS.values()),
        tooltip=[("where", "Cell"), ("label", "Gi*"), ("z_text", "z-score")],
    ).add_to(fmap)


def points_deck(points: pd.DataFrame, layers: gpd.GeoDataFrame, market: tuple[float, float]):
    """pydeck map of geomasked points, one layer per decision, over program outlines."""
    shown = display_areas(layers)
    paths = [
        {"path": [list(xy) for xy in ring.coords], "kind": kind}
        for kind, geometry in zip(shown.kind, shown.geometry, strict=True)
        if kind != "city"
        for polygon in getattr(geometry, "geoms", [geometry])
        for ring in [polygon.exterior]
    ]
    outline_colors = {"district": [38, 50, 56], "post": [120, 144, 156], "catchment": [217, 95, 2]}
    deck_layers = [
        pdk.Layer(
            "PathLayer",
            data=[{**p, "color": outline_colors[p["kind"]]} for p in paths],
            get_path="path",
            get_color="color",
            width_units=pdk.types.String("pixels"),
            get_width=2,
        )
    ]
    for decision, color in DECISION_COLORS.items():
        subset = points[points["decision"] == decision]
        if subset.empty:
            continue
        deck_layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=f"points-{decision}",
                data=subset,
                get_position=["lon", "lat"],
                get_fill_color=[*color, 190],
                radius_units=pdk.types.String("pixels"),
                get_radius=4,
                pickable=True,
            )
        )
    labels = shown[shown.kind == "post"]
    deck_layers.append(
        pdk.Layer(
            "TextLayer",
            data=[
                {"position": [p.x, p.y], "text": label}
                for label, p in zip(labels.label, labels.representative_point(), strict=True)
            ],
            get_position="position",
            get_text="text",
            get_size=12,
            get_color=[55, 71, 79],
        )
    )
    return pdk.Deck(
        layers=deck_layers,
        initial_view_state=pdk.ViewState(longitude=market[0], latitude=market[1], zoom=14.3),
        map_provider=None,
        tooltip={"text": "{offense} · {decision}\n{day}"},
    )
