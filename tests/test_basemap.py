"""Closed networks: a basemap from a local MBTiles or PMTiles file, unpacked into the
dashboard's static folder and drawn by Leaflet from there (no tile server, no internet).

The archives are written here by hand: MBTiles with sqlite3 (rows in TMS order), PMTiles
v3 by the spec (header, varint directory, Hilbert tile ids computed forward, as the
spec's reference does), each tile a solid-colour PNG whose colour names its z/x/y.
"""

import json
import sqlite3
import struct
import zlib
from pathlib import Path

import folium
import pytest

from dashboard import maps
from geo import tile_archives as basemap
from tests.support.pages import ARTIFACTS

MARKET_TILE_Z14 = (14, 4704, 6244)  # the tile holding Lexington Market at zoom 14


def png(rgb: tuple[int, int, int], size: int = 256) -> bytes:
    """A solid-colour RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes(rgb) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def colour(z: int, x: int, y: int) -> tuple[int, int, int]:
    return (z * 10 % 256, x % 256, y % 256)


def tiles_around_market() -> list[tuple[int, int, int]]:
    """Zoom 13 to 16 tiles covering about 3 km around the market."""
    z0, x0, y0 = MARKET_TILE_Z14
    found = []
    for z in (13, 14, 15, 16):
        scale = 2 ** (z - z0)
        cx, cy = int((x0 + 0.5) * scale), int((y0 + 0.5) * scale)
        reach = max(1, scale)
        found += [(z, x, y) for x in range(cx - reach, cx + reach + 1)
                  for y in range(cy - reach, cy + reach + 1)]  # fmt: skip
    return found


def write_mbtiles(path: Path, tiles) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name text, value text)")
        db.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer,"
                   " tile_row integer, tile_data blob)")  # fmt: skip
        db.executemany("INSERT INTO metadata VALUES (?, ?)",
                       [("format", "png"), ("attribution", "Test MBTiles")])  # fmt: skip
        db.executemany(
            "INSERT INTO tiles VALUES (?, ?, ?, ?)",
            [(z, x, (1 << z) - 1 - y, png(colour(z, x, y))) for z, x, y in tiles],
        )
    db.close()


def hilbert_id(z: int, x: int, y: int) -> int:
    """Tile id, forward: tiles of lower zooms, then xy2d along the Hilbert curve."""
    n, d, s = 1 << z, 0, (1 << z) // 2
    while s > 0:
        rx, ry = int(x & s > 0), int(y & s > 0)
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x, y = n - 1 - x, n - 1 - y
            x, y = y, x
        s //= 2
    return sum(4**k for k in range(z)) + d


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def write_pmtiles(path: Path, tiles) -> None:
    """One root directory, uncompressed, each tile stored once (run length 1)."""
    entries = sorted((hilbert_id(*t), png(colour(*t))) for t in tiles)
    data, offsets = b"", []
    for _, blob in entries:
        offsets.append(len(data))
        data += blob
    ids = [e[0] - (entries[k - 1][0] if k else 0) for k, e in enumerate(entries)]
    directory = varint(len(entries)) + b"".join(map(varint, ids))
    directory += b"".join(varint(1) for _ in entries)
    directory += b"".join(varint(len(blob)) for _, blob in entries)
    directory += b"".join(varint(offset + 1) for offset in offsets)
    metadata = json.dumps({"attribution": "Test PMTiles"}).encode()
    root_at = 127
    meta_at = root_at + len(directory)
    data_at = meta_at + len(metadata)
    zooms = [t[0] for t in tiles]
    header = struct.pack(
        "<7sB11Q6B4iB2i", b"PMTiles", 3, root_at, len(directory), meta_at, len(metadata),
        0, 0, data_at, len(data), len(entries), len(entries), len(entries),
        1, 1, 1, 2, min(zooms), max(zooms), -767000000, 392000000, -766000000, 393000000,
        14, -766217500, 392918900,
    )  # fmt: skip
    path.write_bytes(header + directory + metadata + data)


@pytest.mark.parametrize("kind", ["mbtiles", "pmtiles"])
def test_every_tile_is_unpacked_where_leaflet_asks_for_it(tmp_path, kind):
    tiles = tiles_around_market()
    archive = tmp_path / f"test.{kind}"
    (write_mbtiles if kind == "mbtiles" else write_pmtiles)(archive, tiles)
    static = tmp_path / "static"
    served = basemap.served_tiles(archive, static)
    assert (served.min_zoom, served.max_zoom, served.count) == (13, 16, len(tiles))
    assert served.attribution == ("Test MBTiles" if kind == "mbtiles" else "Test PMTiles")
    assert served.url.startswith("/app/static/basemap/") and served.url.endswith("{y}.png")
    folder = static / served.url.removeprefix("/app/static/").split("/{z}")[0]
    for z, x, y in tiles:
        assert (folder / str(z) / str(x) / f"{y}.png").read_bytes() == png(colour(z, x, y))
    assert len(list(folder.rglob("*.png"))) == len(tiles)
    again = basemap.served_tiles(archive, static)  # unpacked once per version of the file
    assert again == served and len(list((static / "basemap").iterdir())) == 1


def test_pmtiles_ids_follow_the_hilbert_curve_of_the_spec():
    # the spec's examples: zoom 0 is id 0; zoom 1 starts at 1 and runs (0,0),(0,1),(1,1),(1,0)
    assert [basemap.tile_zxy(k) for k in range(5)] == [
        (0, 0, 0), (1, 0, 0), (1, 0, 1), (1, 1, 1), (1, 1, 0)
    ]  # fmt: skip
    for z, x, y in tiles_around_market():
        assert basemap.tile_zxy(hilbert_id(z, x, y)) == (z, x, y)


def test_a_file_that_is_no_raster_archive_is_refused(tmp_path):
    bad = tmp_path / "bad.pmtiles"
    bad.write_bytes(b"not a pmtiles file" * 10)
    with pytest.raises(basemap.BasemapError):
        basemap.served_tiles(bad, tmp_path)
    with pytest.raises(basemap.BasemapError):
        basemap.served_tiles(tmp_path / "missing.mbtiles", tmp_path)
    vector = tmp_path / "vector.mbtiles"
    with sqlite3.connect(vector) as db:
        db.execute("CREATE TABLE metadata (name text, value text)")
        db.execute("INSERT INTO metadata VALUES ('format', 'pbf')")
    db.close()
    with pytest.raises(basemap.BasemapError, match="not raster"):
        basemap.served_tiles(vector, tmp_path)
    assert not list((tmp_path / "basemap").glob("*/tiles.json"))  # nothing half unpacked


def test_the_map_draws_the_file_s_tiles_from_the_dashboard(tmp_path, monkeypatch):
    archive = tmp_path / "city.mbtiles"
    write_mbtiles(archive, tiles_around_market())
    monkeypatch.setattr(basemap, "STATIC", tmp_path / "static")
    monkeypatch.setenv("LEADOPS_BASEMAP", str(archive))
    html = maps.offline(maps.base_map((39.29189, -76.62175), 15)).get_root().render()
    assert "/app/static/basemap/" in html and "Test MBTiles" in html
    assert '"maxNativeZoom": 16' in html
    assert "local file" in maps.basemap_description()
    monkeypatch.setenv("LEADOPS_BASEMAP", str(tmp_path / "gone.mbtiles"))
    fmap = maps.base_map((39.29189, -76.62175), 15)  # a warning, and a map with no basemap
    assert not any(isinstance(c, folium.TileLayer) for c in fmap._children.values())


@pytest.mark.browser
def test_chromium_draws_the_local_basemap_with_no_network(chromium, demo_url, tmp_path):
    """The dashboard served with LEADOPS_BASEMAP=<file.mbtiles>: the Contacts map's tiles
    come from /app/static/basemap and nothing leaves the machine."""
    from bench import serve
    from tests.conftest import app_login
    from tests.support.pages import open_page, screenshot

    archive = tmp_path / "city.mbtiles"
    write_mbtiles(archive, tiles_around_market())
    with serve.served(app_login(demo_url), basemap=str(archive),
                      log_path=ARTIFACTS / "streamlit_basemap.log") as server:  # fmt: skip
        context = chromium.new_context(viewport={"width": 1024, "height": 768})
        page = context.new_page()
        refused, tiles = [], []
        page.on("response", lambda r: tiles.append(r) if "/basemap/" in r.url else None)

        def only_local(route):
            if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:")):
                route.continue_()
            else:
                refused.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        page.base_url = server.base
        open_page(page, "command", "Contacts map", height=768)
        page.set_viewport_size({"width": 1024, "height": 768})
        frame = page.frame_locator("iframe[title='streamlit_folium.st_folium']")
        frame.locator(".leaflet-tile-loaded").first.wait_for(timeout=90_000)
        page.wait_for_timeout(2_000)
        screenshot(page, "contacts_map_local_mbtiles_1024")
        page.locator("iframe[title='streamlit_folium.st_folium']").screenshot(
            path=ARTIFACTS / "contacts_map_local_mbtiles_1024_map.png"
        )
        loaded = frame.locator(".leaflet-tile-loaded").count()
        context.close()
    assert loaded >= 4
    assert tiles and all(r.status == 200 and r.url.endswith(".png") for r in tiles)
    assert not refused
