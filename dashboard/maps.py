"""Folium maps that draw on a closed network.

folium normally pulls Leaflet and its plugins from CDNs; :func:`offline` rewrites each
element's resources to the copies served by the dashboard itself (``/app/static/vendor``,
installed from npm by ``scripts/setup.sh``), and drops the resources we do not serve
(Bootstrap, glyphicons, Font Awesome, awesome-markers: no map here uses ``folium.Icon``).
The basemap is a setting (:func:`basemap_setting`): public OSM or Carto tiles, an
internal tile server URL template, a local MBTiles/PMTiles file the dashboard serves
(``geo.tile_archives``), or none at all; the program layers draw in every case.
"""

import json
import os
from functools import cache
from pathlib import Path

import folium
import streamlit as st

from geo import tile_archives as basemap_file

STATIC_URL = "/app/static/"
MANIFEST = Path(__file__).resolve().parent / "static" / "vendor" / "manifest.json"
BASEMAPS = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png",
        "© OpenStreetMap contributors © CARTO",
    ),
}


@cache
def local_resources() -> dict[str, str]:
    """folium resource name -> URL of the copy the dashboard serves."""
    manifest = json.loads(MANIFEST.read_text())
    return {name: STATIC_URL + path for name, path in manifest.items()}


# Resources folium.Map lists that no map here needs: they serve folium.Icon only.
UNSERVED = {"bootstrap", "bootstrap_css", "glyphicons_css", "awesome_markers",
            "awesome_markers_css", "awesome_markers_font_css", "awesome_rotate_css"}  # fmt: skip


def offline(fmap: folium.Map) -> folium.Map:
    """Point every JS/CSS resource of the map and its children at local copies.

    Raises ValueError for a resource the dashboard does not serve (a new plugin must be
    added to ``assets/``) and for ``folium.Icon``, which needs the unserved ones."""
    local = local_resources()

    def walk(element):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        if isinstance(element, folium.Icon):
            raise ValueError("folium.Icon needs awesome-markers, which is not served")
        for attribute in ("default_js", "default_css"):
            resources = getattr(element, attribute, None)
            if resources:
                missing = {name for name, _ in resources} - local.keys() - UNSERVED
                if missing:
                    raise ValueError(f"map resources not served from assets/: {missing}")
                setattr(
                    element,
                    attribute,
                    [(name, local[name]) for name, _ in resources if name in local],
                )
    return fmap


def basemap_setting() -> str:
    """``LEADOPS_BASEMAP`` or ``basemap`` in secrets: osm, carto, none, a URL template or
    the path of a raster MBTiles/PMTiles file (``geo.tile_archives``)."""
    value = os.environ.get("LEADOPS_BASEMAP")
    if value is None:
        try:
            value = st.secrets.get("basemap")
        except FileNotFoundError:
            value = None
    return (value or "carto").strip()


def basemap_description(basemap: str | None = None) -> str:
    """The basemap in words, for the method notes under a map."""
    basemap = basemap_setting() if basemap is None else basemap
    if basemap in BASEMAPS:
        return f"{BASEMAPS[basemap][1]} tiles, fetched by the browser (setting {basemap})."
    if basemap_file.is_archive(basemap):
        return (
            f"tiles of the local file {basemap}, served by the dashboard itself "
            "(no tile server, no internet)."
        )
    if basemap.startswith(("http://", "https://", "/")):
        return f"tiles from the internal tile server {basemap}."
    return "none (setting none): the program boundaries are drawn on a blank background."


def base_map(center: tuple[float, float], zoom: int, basemap: str | None = None) -> folium.Map:
    """An offline-ready folium map with the configured basemap (or none)."""
    basemap = basemap_setting() if basemap is None else basemap
    fmap = folium.Map(
        location=center, zoom_start=zoom, tiles=None, control_scale=True, prefer_canvas=True
    )
    if basemap in BASEMAPS:
        tiles, attribution = BASEMAPS[basemap]
        folium.TileLayer(tiles, name="Basemap", attr=attribution).add_to(fmap)
    elif basemap_file.is_archive(basemap):
        try:
            local = basemap_file.served_tiles(basemap)
        except (basemap_file.BasemapError, OSError) as error:
            st.warning(f"The basemap file cannot be served, so the map has none: {error}")
            return fmap
        folium.TileLayer(
            local.url, name="Basemap", attr=local.attribution, min_zoom=local.min_zoom,
            max_native_zoom=local.max_zoom, max_zoom=19,
        ).add_to(fmap)  # fmt: skip
    elif basemap.startswith(("http://", "https://", "/")):
        folium.TileLayer(basemap, name="Basemap", attr="Internal tile server").add_to(fmap)
    return fmap
