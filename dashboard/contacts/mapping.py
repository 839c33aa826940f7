"""The contacts map.

folium (Leaflet, through streamlit-folium) draws one interactive map: program boundaries
with labels and tooltips, the density cells as a choropleth, the heat layer, the hot-spot
outlines, the geomasked points (for the roles that see them), and a legend of exactly
the layers drawn; it reports which cell was clicked. Which layers are drawn is a page
widget (``LAYERS``), not Leaflet's layer list, so the choice survives a rerun. Cells
travel as their grid indices and counts (``cell_layer``: the browser rebuilds the
outlines), only within the drawn extent around the Central District, and boundaries are
simplified, so the payload stays well under 2 MB and Leaflet's canvas renderer draws it
quickly. Points travel as one small GeoJSON layer per decision (at most
``data.POINT_LIMIT``), drawn as canvas circle markers.
"""

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from folium.plugins import HeatMap

from dashboard import maps
from dashboard.contacts.cell_layer import CellLayer
from geo import cells
from geo.streets import approximate_streets

SIMPLIFY_DEG = 0.00002  # about 2 m: boundaries keep their shape at street zoom
DECIMALS = 5  # about 1 m
AREA_STYLE = {
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
# The overlays a user chooses (the page's "Layers" widget): key -> label.
LAYERS = {
    "cells": "Density cells",
    "heat": "Heat",
    "hot": "Hot spots",
    "posts": "Posts",
    "ring": "Just-outside ring",
    "points": "Contacts (geomasked points)",
    "streets": "Streets (approx.)",
}
DEFAULT_LAYERS = ("cells", "hot", "posts", "ring")
STREET_COLOUR = "#78909c"
MAP_ZOOM = 15
# Heat colours from a light yellow (a little) to dark red (as many as the busiest cell).
HEAT_GRADIENT = {0.2: "#ffffb2", 0.45: "#fecc5c", 0.65: "#fd8d3c", 0.85: "#f03b20", 1.0: "#bd0026"}
HEAT_MIN_RADIUS_PX = 12
M_PER_PX_Z0 = 156_543.03  # Web Mercator metres per pixel at zoom 0 on the equator
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


def cell_colours(cell_view: pd.DataFrame, colour_by: str, classes) -> tuple[list[str], list[int]]:
    """The palette of the colour mode and each cell's index into it."""
    if colour_by == "rate":
        return [*RATE_COLORS, HIDDEN_COLOR], [_rate_class(r) for r in cell_view["rate"]]
    return DENSITY_COLORS, [density_class(c, classes) for c in cell_view["contacts"]]


def contacts_map(
    layers: gpd.GeoDataFrame,
    ring: list[str],
    cell_view: pd.DataFrame,
    hot: pd.DataFrame,
    grid: cells.Grid,
    colour_by: str,
    classes: list[tuple[int, str]],
    market: tuple[float, float],
    on=DEFAULT_LAYERS,
    points: pd.DataFrame | None = None,
) -> folium.Map:
    """The main map with the layers named in ``on`` (keys of ``LAYERS``; the catchment,
    the district and the market are always drawn). ``cell_view`` has i, j, contacts,
    where, contacts_shown, diverted_shown, rate_shown, rate (NaN when hidden) and heat
    (the heat layer's weights); ``points`` (lon, lat, day, offense, decision) are drawn
    with "points"."""
    on = set(on)
    fmap = maps.base_map(center=(market[1], market[0]), zoom=MAP_ZOOM)
    _add_program_layers(fmap, display_areas(layers), ring if "ring" in on else [], "posts" in on)
    if "streets" in on:
        _add_streets(fmap, layers)
    if "cells" in on:
        _add_cells(fmap, cell_view, grid, colour_by, classes)
    if "heat" in on:
        _add_heat(fmap, cell_view, grid)
    if "hot" in on:
        _add_hot_spots(fmap, hot, grid)
    if "points" in on and points is not None:
        _add_points(fmap, points)
    _add_market(fmap, (market[1], market[0]))
    fmap.get_root().html.add_child(folium.Element(legend_html(legend(colour_by, classes, on))))
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


def _add_program_layers(
    fmap: folium.Map, shown: gpd.GeoDataFrame, ring: list[str], with_posts: bool
) -> None:
    for kind in ("district", "post", "catchment") if with_posts else ("district", "catchment"):
        subset = shown[shown.kind == kind]
        if subset.empty:
            continue
        style = AREA_STYLE[kind]
        group = folium.FeatureGroup(name=AREA_LABELS[kind])
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
    colours, k = cell_colours(cell_view, colour_by, classes)
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


def heat_options(cell_view: pd.DataFrame, grid: cells.Grid, latitude: float) -> dict:
    """leaflet.heat options scaled to the data: the busiest cell reaches the top of the
    gradient (``max``; the plugin's default of 1 turns every cell red), intensities are
    full at the map's opening zoom, and a cell's glow is about one cell across."""
    m_per_px = M_PER_PX_Z0 * np.cos(np.radians(latitude)) / 2**MAP_ZOOM
    radius = max(HEAT_MIN_RADIUS_PX, round(grid.cell_m / m_per_px))
    top = float(cell_view["heat"].max()) if len(cell_view) else 1.0
    return {
        "max": max(top, 1.0),
        "max_zoom": MAP_ZOOM,
        "radius": radius,
        "blur": round(radius * 0.8),
        "min_opacity": 0.3,
        "gradient": HEAT_GRADIENT,
    }


def _add_heat(fmap, cell_view, grid) -> None:
    """A heat surface from the cell centres weighted by their (suppression-safe) counts:
    no point location reaches the browser for it."""
    if cell_view.empty:
        return
    lon, lat = cells.cell_centres_lonlat(cell_view["i"], cell_view["j"], grid)
    weights = cell_view["heat"].to_numpy(dtype=float)
    heat = [[float(a), float(o), float(w)] for a, o, w in zip(lat, lon, weights, strict=True)]
    options = heat_options(cell_view, grid, fmap.location[0])
    HeatMap(heat, name="Heat", **options).add_to(fmap)


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
        name=LAYERS["hot"],
        fields=SPOT_FIELDS,
        style={"weight": 3, "fill": True, "fillOpacity": 0},
        colour_option="color",
        colour_field="k",
        colours=list(SPOT_COLORS.values()),
        tooltip=[("where", "Cell"), ("label", "Spot"), ("z_text", "Strength")],
    ).add_to(fmap)


def streets_near(layers: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The approximate street lines (``geo.streets``) within about 1.5 km of the
    program areas drawn."""
    box = layers.total_bounds if len(layers) else (-76.64, 39.28, -76.60, 39.30)
    west, south, east, north = box
    return approximate_streets().cx[west - 0.02 : east + 0.02, south - 0.015 : north + 0.015]


def _add_streets(fmap: folium.Map, layers: gpd.GeoDataFrame) -> None:
    """Approximate centre lines with their names on hover, under everything else."""
    near = streets_near(layers)
    if near.empty:
        return
    folium.GeoJson(
        near[["name", "geometry"]].__geo_interface__,
        name=LAYERS["streets"],
        style_function=lambda _: {"color": STREET_COLOUR, "weight": 2, "opacity": 0.8},
        tooltip=folium.GeoJsonTooltip(["name"], aliases=["Street (approximate)"]),
    ).add_to(fmap)


def _add_points(fmap: folium.Map, points: pd.DataFrame) -> None:
    """Geomasked points as canvas circle markers, one GeoJSON layer per decision."""
    group = folium.FeatureGroup(name=LAYERS["points"])
    for decision, colour in DECISION_COLORS.items():
        subset = points[points["decision"] == decision]
        if subset.empty:
            continue
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
                "properties": {"day": day, "offense": offense, "decision": decision},
            }
            for x, y, day, offense in zip(
                subset["lon"], subset["lat"], subset["day"], subset["offense"], strict=True
            )
        ]
        hex_colour = "#{:02x}{:02x}{:02x}".format(*colour)
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            marker=folium.CircleMarker(
                radius=4, weight=1, color="#ffffff", fill=True, fill_color=hex_colour,
                fill_opacity=0.85,
            ),
            tooltip=folium.GeoJsonTooltip(["day", "offense", "decision"],
                                          aliases=["Day", "Offence", "Decision"]),
        ).add_to(group)  # fmt: skip
    group.add_to(fmap)


# A legend entry: (how it is drawn: fill, line, dashed, outline, dot or gradient; CSS
# colour or gradient; label). A section: (title, entries).
LegendSection = tuple[str, list[tuple[str, str, str]]]


def legend(colour_by: str, classes: list[tuple[int, str]], on) -> list[LegendSection]:
    """The legend of the layers in ``on``; the cells' part follows the colour mode."""
    sections = [
        (
            "Boundaries",
            [("line", AREA_STYLE["catchment"]["color"], "LEAD catchment"),
             ("line", AREA_STYLE["district"]["color"], "Central District")]
            + ([("line", AREA_STYLE["post"]["color"], "Police posts")] if "posts" in on else [])
            + ([("dashed", AREA_STYLE["catchment"]["color"], "Just outside the catchment")]
               if "ring" in on else []),
        )
    ]  # fmt: skip
    if "streets" in on:
        sections[0][1].append(("line", STREET_COLOUR, "Streets (approximate)"))
    if "cells" in on and colour_by == "rate":
        sections.append(
            (
                "Share of contacts diverted",
                [("fill", c, label) for c, (_, label) in zip(RATE_COLORS, RATE_BREAKS, strict=True)]
                + [("fill", HIDDEN_COLOR, "hidden: too few contacts")],
            )
        )
    elif "cells" in on:
        sections.append(
            (
                "Contacts per cell",
                [("fill", DENSITY_COLORS[n], lbl) for n, (_, lbl) in enumerate(classes)],
            )
        )
    if "heat" in on:
        stops = ", ".join(f"{colour} {share:.0%}" for share, colour in HEAT_GRADIENT.items())
        sections.append(
            ("Heat", [("gradient", f"linear-gradient(to right, {stops})", "few → most contacts")])
        )
    if "hot" in on:
        sections.append(
            (
                "Hot and cold spots",
                [("outline", colour, f"{spot.capitalize()} spot, {level} % sure")
                 for (spot, level), colour in SPOT_COLORS.items()],
            )
        )  # fmt: skip
    if "points" in on:
        sections.append(
            (
                "Contacts (moved 50–150 m)",
                [
                    ("dot", "rgb({},{},{})".format(*c), d.capitalize())
                    for d, c in DECISION_COLORS.items()
                ],
            )
        )
    return sections


SWATCH = {
    "fill": "background:{c};border:1px solid #8d6e63",
    "line": "border-top:3px solid {c};height:0;margin-top:6px",
    "dashed": "border-top:2px dashed {c};height:0;margin-top:6px",
    "outline": "border:2.5px solid {c}",
    "dot": "background:{c};border-radius:50%;width:10px;height:10px;margin:1px 3px",
    "gradient": "background:{c};width:64px;flex:none",
}


def legend_html(sections: list[LegendSection]) -> str:
    """The legend as a box in the map's upper-right corner (inside the map's iframe)."""
    parts = []
    for title, entries in sections:
        rows = "".join(
            f'<div class="lg-row"><span class="lg-key" style="{SWATCH[kind].format(c=colour)}">'
            f"</span>{html.escape(label)}</div>"
            for kind, colour, label in entries
        )
        parts.append(f'<div class="lg-title">{html.escape(title)}</div>{rows}')
    return (
        "<style>.map-legend{position:absolute;right:10px;top:10px;z-index:1000;"
        "background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3);font:11px/1.35 sans-serif;color:#263238;"
        "max-height:70%;overflow:auto}.lg-title{font-weight:600;margin-top:3px}"
        ".lg-row{display:flex;align-items:center;gap:5px}"
        ".lg-key{display:inline-block;width:16px;height:11px;box-sizing:border-box}</style>"
        f'<div class="map-legend" data-testid="map-legend">{"".join(parts)}</div>'
    )
