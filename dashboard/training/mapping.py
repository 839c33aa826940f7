"""The Training page's map: posts coloured by the share of active officers trained, the
catchment over them, and a legend that travels with the map."""

import html

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from dashboard import maps
from geo.places import market_point
from program.training import coverage_by, share_text

# Coverage classes (share of active officers trained) and their fill, ColorBrewer YlGnBu.
CLASSES = [
    (0.75, "75–100%", "#225ea8"),
    (0.5, "50–74%", "#41b6c4"),
    (0.25, "25–49%", "#a1dab4"),
    (0.0, "0–24%", "#ffffcc"),
]
NO_OFFICERS = ("No active officers (in the selection)", "#d9d9d9")
LABEL_STYLE = "font:bold 12px sans-serif;color:#111;text-shadow:0 0 3px #fff,0 0 3px #fff"
CATCHMENT_COLOR = "#d95f0e"


def coverage_class(trained: int, active: int) -> tuple[str, str]:
    """(legend label, fill colour) of a post's coverage."""
    if not active:
        return NO_OFFICERS
    share = trained / active
    return next((label, color) for floor, label, color in CLASSES if share >= floor)


def posts_layer(areas: gpd.GeoDataFrame, cells: pd.DataFrame) -> gpd.GeoDataFrame:
    """Post polygons with their coverage, class colour and tooltip texts."""
    posts = areas[areas.kind == "post"].rename(columns={"name": "post"})
    counts = coverage_by(cells, "post").set_index("post")
    trained = posts.post.map(counts.trained_officers).fillna(0).astype(int)
    active = posts.post.map(counts.active_officers).fillna(0).astype(int)
    return gpd.GeoDataFrame(
        {
            "post": posts.post.map(html.escape),
            "boundary": posts.is_approximation.map(
                {True: "approximate (not the official layer)", False: "official"}
            ),
            "officers": [
                f"{t} of {a} active ({share_text(t, a)})"
                for t, a in zip(trained, active, strict=True)
            ],
            "fill": [coverage_class(t, a)[1] for t, a in zip(trained, active, strict=True)],
        },
        geometry=posts.geometry,
        crs=posts.crs,
    )


def coverage_map(areas: gpd.GeoDataFrame, cells: pd.DataFrame) -> folium.Map:
    """Posts coloured by coverage, the catchment drawn over them, and a legend."""
    posts = posts_layer(areas, cells)
    shown = posts if not posts.empty else gpd.GeoSeries([market_point().buffer(0.01)])
    west, south, east, north = shown.total_bounds
    fmap = maps.base_map(((south + north) / 2, (west + east) / 2), zoom=14)
    fmap.options["zoom_snap"] = 0.25  # let fit_bounds fill the frame
    if not posts.empty:
        add_posts(fmap, posts)
    catchment = areas[areas.kind == "catchment"]
    if not catchment.empty:
        folium.GeoJson(
            catchment[["name", "geometry"]].to_json(),
            name="LEAD catchment",
            style_function=lambda f: {"color": CATCHMENT_COLOR, "weight": 3, "fill": False},
            interactive=False,
        ).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    Legend().add_to(fmap)
    return fmap


def add_posts(fmap: folium.Map, posts: gpd.GeoDataFrame) -> None:
    """Post polygons filled by coverage class, with tooltips and a number label each."""
    folium.GeoJson(
        posts.to_json(),
        name="Posts (approximate boundaries)",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#555",
            "weight": 1,
            "fillOpacity": 0.75,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            ["post", "officers", "boundary"],
            aliases=["Post", "LEAD-trained officers", "Boundary"],
        ),
    ).add_to(fmap)
    for post, point in zip(posts.post, posts.representative_point(), strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div style="{LABEL_STYLE}">{post}</div>',  # escaped in posts_layer
                icon_size=(30, 14),
                icon_anchor=(15, 7),
            ),
            interactive=False,
        ).add_to(fmap)


class Legend(MacroElement):
    """The map's key as a Leaflet control, so it travels with the map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var legend = L.control({position: 'topright'});
        legend.onAdd = function () {
            var div = L.DomUtil.create('div', 'lead-legend');
            div.style.cssText = 'background:#fff;padding:6px 8px;font:12px sans-serif;'
                + 'line-height:18px;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)';
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        legend.addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        swatch = (
            '<i style="display:inline-block;width:14px;height:14px;margin-right:6px;'
            'vertical-align:middle;background:{};border:1px solid #555"></i>{}'
        )
        rows = [swatch.format(color, label) for _floor, label, color in CLASSES]
        rows.append(swatch.format(NO_OFFICERS[1], NO_OFFICERS[0]))
        line = (
            f'<i style="display:inline-block;width:14px;height:0;margin-right:6px;'
            f'vertical-align:middle;border-top:3px solid {CATCHMENT_COLOR}"></i>'
            "LEAD catchment"
        )
        self.html = "<b>Officers trained</b><br>" + "<br>".join([*rows, line])
