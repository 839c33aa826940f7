"""The contacts map as a PNG image, drawn on the server (matplotlib, Agg backend).

The image shows what the interactive map shows for the same choices: the program
boundaries, the layers chosen (cells in the chosen colour mode, heat, hot spots,
geomasked points), their legend (``mapping.legend``, the same entries as on screen),
the title, the period and what is counted. It is drawn from the same suppression-safe
frames the browser receives, needs no tile server and no network, so it works on a
closed network; it has no basemap but can carry the approximate street layer.
"""

import io
import json

import matplotlib

matplotlib.use("Agg")
import geopandas as gpd  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.collections import PolyCollection  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from scipy.ndimage import gaussian_filter  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from dashboard.contacts import mapping  # noqa: E402
from geo import cells  # noqa: E402

INK = "#263238"
HEAT_PIXELS = 400  # heat surface resolution across the image
PADDING = 0.12  # share of the program area's size added around it


def _bounds(areas: gpd.GeoDataFrame, market: tuple[float, float]):
    """West, south, east, north: the catchment and district with some room around."""
    shown = areas[areas.kind.isin(["catchment", "district"])]
    if shown.empty:
        return market[0] - 0.012, market[1] - 0.009, market[0] + 0.012, market[1] + 0.009
    west, south, east, north = shown.total_bounds
    dx, dy = (east - west) * PADDING, (north - south) * PADDING
    return west - dx, south - dy, east + dx, north + dy


def _legend_handles(sections) -> list:
    handles = []
    for title, entries in sections:
        handles.append(Patch(color="none", label=title))
        for kind, colour, label in entries:
            if kind == "fill":
                handles.append(Patch(facecolor=colour, edgecolor="#8d6e63", label=label))
            elif kind in ("line", "dashed"):
                style = "--" if kind == "dashed" else "-"
                handles.append(Line2D([], [], color=colour, linestyle=style, lw=2, label=label))
            elif kind == "outline":
                handles.append(Patch(facecolor="none", edgecolor=colour, lw=2, label=label))
            elif kind == "dot":
                rgb = tuple(int(v) / 255 for v in colour[4:-1].split(","))
                handles.append(Line2D([], [], marker="o", ls="", color=rgb, label=label))
            else:  # the heat gradient, shown by its top colour
                top = mapping.HEAT_GRADIENT[max(mapping.HEAT_GRADIENT)]
                handles.append(Patch(facecolor=top, alpha=0.7, label=f"{label} (darkest)"))
    return handles


def _draw_heat(ax, view: pd.DataFrame, grid: cells.Grid, bounds) -> None:
    """The heat surface: cell weights on a raster, blurred by about a cell, scaled so
    the busiest spot takes the top colour (as on screen)."""
    west, south, east, north = bounds
    lon, lat = cells.cell_centres_lonlat(view["i"], view["j"], grid)
    ny = int(HEAT_PIXELS * (north - south) / (east - west) / np.cos(np.radians(lat.mean())))
    raster, _, _ = np.histogram2d(
        lat, lon, bins=(max(ny, 10), HEAT_PIXELS), range=((south, north), (west, east)),
        weights=view["heat"].to_numpy(dtype=float),
    )  # fmt: skip
    metres_per_pixel = (east - west) * 111_320 * np.cos(np.radians(lat.mean())) / HEAT_PIXELS
    surface = gaussian_filter(raster, sigma=grid.cell_m / metres_per_pixel / 1.5)
    if surface.max() <= 0:
        return
    stops = sorted(mapping.HEAT_GRADIENT.items())
    cmap = LinearSegmentedColormap.from_list("heat", [(0, (1, 1, 1, 0))] + stops)
    ax.imshow(
        surface / surface.max(), extent=(west, east, south, north), origin="lower",
        cmap=cmap, vmin=0, vmax=1, alpha=0.8, zorder=3, interpolation="bilinear",
    )  # fmt: skip


def _draw_cells(ax, frame: pd.DataFrame, grid: cells.Grid, faces, edges, width, z) -> None:
    outlines = cells.cell_outlines(frame["i"], frame["j"], grid)
    ax.add_collection(
        PolyCollection(outlines, facecolors=faces, edgecolors=edges, linewidths=width, zorder=z)
    )


def _draw_areas(ax, areas: gpd.GeoDataFrame, ring: list[str], on) -> None:
    for row in areas.itertuples():
        if row.kind not in mapping.AREA_STYLE or (row.kind == "post" and "posts" not in on):
            continue
        style = mapping.AREA_STYLE[row.kind]
        dashes = "--" if row.is_approximation else "-"
        for polygon in getattr(row.geometry, "geoms", [row.geometry]):
            ax.plot(*polygon.exterior.xy, color=style["color"], lw=style["weight"] * 0.7,
                    ls=dashes, zorder=5)  # fmt: skip
        if row.kind == "post":
            point = row.geometry.representative_point()
            ax.annotate(row.label, (point.x, point.y), fontsize=6, color=INK, ha="center",
                        zorder=6)  # fmt: skip
    if "ring" in on:
        for outline in ring:
            geometry = shape(json.loads(outline))
            for polygon in getattr(geometry, "geoms", [geometry]):
                ax.plot(*polygon.exterior.xy, color=mapping.AREA_STYLE["catchment"]["color"],
                        lw=1, ls=":", zorder=5)  # fmt: skip


def map_png(
    drawn: tuple,
    *,
    on,
    points: pd.DataFrame | None,
    title: str,
    notes: list[str],
) -> bytes:
    """The map as PNG bytes (1,650 x 1,200 pixels). ``drawn`` holds the positional
    arguments of ``mapping.contacts_map`` (program areas, ring, cells, hot spots, grid,
    colour mode, classes, market); ``notes`` are printed under the map."""
    areas, ring, cell_view, hot, grid, colour_by, classes, market = drawn
    on = set(on)
    shown = mapping.display_areas(areas)
    bounds = _bounds(shown, market)
    fig, ax = plt.subplots(figsize=(11, 8))
    if "streets" in on:
        for line in mapping.streets_near(areas).geometry:
            ax.plot(*line.xy, color=mapping.STREET_COLOUR, lw=0.8, alpha=0.7, zorder=1)
    if "cells" in on and len(cell_view):
        colours, k = mapping.cell_colours(cell_view, colour_by, classes)
        _draw_cells(ax, cell_view, grid, [colours[n] for n in k], "#6d4c41", 0.3, 2)
    if "heat" in on and len(cell_view):
        _draw_heat(ax, cell_view, grid, bounds)
    spots = hot[hot["spot"] != ""] if "hot" in on else hot.iloc[:0]
    if len(spots):
        palette = mapping.SPOT_COLORS
        edges = [palette[(s, int(c))] for s, c in zip(spots.spot, spots.confidence, strict=True)]
        _draw_cells(ax, spots, grid, "none", edges, 1.8, 4)
    _draw_areas(ax, shown, ring, on)
    if "points" in on and points is not None:
        for decision, colour in mapping.DECISION_COLORS.items():
            subset = points[points["decision"] == decision]
            ax.scatter(subset.lon, subset.lat, s=9, color=np.array(colour) / 255,
                       edgecolors="white", linewidths=0.3, zorder=7)  # fmt: skip
    ax.plot(*market, marker="o", markersize=8, color="#b71c1c", zorder=8)
    ax.annotate("Lexington Market", market, xytext=(0, 9), textcoords="offset points",
                ha="center", fontsize=8, weight="bold", color="#b71c1c", zorder=8)  # fmt: skip
    west, south, east, north = bounds
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / np.cos(np.radians(market[1])))  # metres east and north alike
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, loc="left", fontsize=12, color=INK)
    legend = ax.legend(
        handles=_legend_handles(mapping.legend(colour_by, classes, on)),
        loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False,
    )  # fmt: skip
    for text in legend.get_texts():
        if text.get_text() in {title for title, _ in mapping.legend(colour_by, classes, on)}:
            text.set_weight("bold")
    fig.text(0.01, 0.01, "\n".join(notes), fontsize=7, color=INK, va="bottom", wrap=True)
    fig.subplots_adjust(left=0.01, right=0.78, top=0.94, bottom=0.04 + 0.018 * len(notes))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150)
    plt.close(fig)
    return buffer.getvalue()
