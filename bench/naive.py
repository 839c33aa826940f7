"""The map page a hurried team would write, for comparison: load every contact with
``geopandas.read_postgis``, filter and count in pandas, draw one folium marker per
contact, and render the map's HTML (what st_folium would ship to the browser).

Run as ``python -m bench.naive`` (DATABASE_URL set) it prints its figures as JSON, so
its peak memory is its own process's.
"""

import json
import sys
import time
import warnings

import folium
import geopandas

import queries
from db.config import database_dsn
from db.connect import connect
from geo.places import LEXINGTON_MARKET_LONLAT


def naive_map(dsn: str) -> dict:
    """Seconds for each step and the HTML size, over every contact (pilot to date)."""
    started = time.perf_counter()
    conn = connect(dsn)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas prefers SQLAlchemy
        contacts = geopandas.read_postgis(
            queries.load("bench/naive_contacts").sql, conn, geom_col="geom"
        )
    conn.close()
    loaded = time.perf_counter()
    counts = contacts.groupby(["offense", "decision"]).size()
    diverted_share = (contacts.decision == "diverted").mean()
    aggregated = time.perf_counter()
    lon, lat = LEXINGTON_MARKET_LONLAT
    fmap = folium.Map(location=[lat, lon], zoom_start=13, tiles=None)
    for row in contacts.itertuples():
        folium.Marker([row.geom.y, row.geom.x], popup=f"{row.offense} · {row.decision}").add_to(
            fmap
        )
    drawn = time.perf_counter()
    html = fmap.get_root().render()
    rendered = time.perf_counter()
    return {
        "contacts": len(contacts),
        "groups": len(counts),
        "diverted_share": round(float(diverted_share), 4),
        "load_s": loaded - started,
        "aggregate_s": aggregated - loaded,
        "markers_s": drawn - aggregated,
        "html_s": rendered - drawn,
        "total_s": rendered - started,
        "html_bytes": len(html.encode()),
    }


if __name__ == "__main__":
    json.dump(naive_map(database_dsn()), sys.stdout)
