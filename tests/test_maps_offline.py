"""Maps draw on a closed network: every script and stylesheet a folium map asks for is a
file the dashboard serves itself, and a map that would need anything else is refused."""

import re

import folium
import pytest
from folium.plugins import HeatMap, MarkerCluster

from dashboard import maps

STATIC = maps.MANIFEST.parent.parent
MARKET = (39.29189, -76.62175)


def resources(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)


def test_every_resource_of_a_map_is_a_file_the_dashboard_serves():
    fmap = maps.base_map(MARKET, 15, basemap="none")
    HeatMap([MARKET]).add_to(fmap)
    folium.CircleMarker(MARKET, popup="Lexington Market").add_to(fmap)
    urls = resources(maps.offline(fmap).get_root().render())
    assert urls and all(url.startswith(maps.STATIC_URL) for url in urls)
    assert all((STATIC / url.removeprefix(maps.STATIC_URL)).is_file() for url in urls)
    assert {"leaflet.js", "leaflet.css", "leaflet-heat.js", "jquery.min.js"} <= {
        url.rsplit("/", 1)[1] for url in urls
    }


def test_styles_for_icons_no_map_uses_are_not_sent():
    html = maps.offline(maps.base_map(MARKET, 15, basemap="none")).get_root().render()
    assert not re.search("bootstrap|fontawesome|awesome-markers", html)


def test_a_folium_icon_is_refused_because_its_assets_are_not_served():
    fmap = maps.base_map(MARKET, 15, basemap="none")
    folium.Marker(MARKET, icon=folium.Icon(color="red")).add_to(fmap)
    with pytest.raises(ValueError, match="awesome-markers"):
        maps.offline(fmap)


def test_a_plugin_whose_scripts_are_not_served_is_refused_not_drawn_blank():
    fmap = maps.base_map(MARKET, 15, basemap="none")
    MarkerCluster().add_to(fmap)
    with pytest.raises(ValueError, match="markercluster"):
        maps.offline(fmap)
