"""A basemap from a local MBTiles or PMTiles file, unpacked for the dashboard to serve.

On a closed network ``LEADOPS_BASEMAP`` may name a raster tile archive instead of a tile
server: ``/srv/maps/baltimore.mbtiles`` or ``.pmtiles``. Streamlit serves one folder of
static files (``dashboard/static``, at ``/app/static``) and no custom routes, so the
archive's tiles are unpacked once into ``dashboard/static/basemap/<key>/{z}/{x}/{y}.<ext>``
(``key`` changes when the file does) and Leaflet reads them as an ordinary tile layer.
Unpacking happens on the first map drawn after the setting changes, or beforehand with
``python -m geo.tile_archives FILE`` (worth it for a large archive).

MBTiles is SQLite (rows in TMS order: y counted from the south). PMTiles v3 is one file
of a header, gzip-compressed directories and the tiles, addressed along a Hilbert curve
per zoom level (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md). Only
raster tiles (PNG, JPEG, WebP) are served: vector tiles need a style renderer.
"""

import argparse
import gzip
import hashlib
import json
import shutil
import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "dashboard" / "static"
FOLDER = "basemap"
SUFFIXES = (".mbtiles", ".pmtiles")
DONE = "tiles.json"  # written last: its presence means the folder is complete
PMTILES_TYPES = {2: "png", 3: "jpg", 4: "webp"}
PMTILES_COMPRESSION = {1: lambda data: data, 2: gzip.decompress}
# magic, version, 11 offsets/lengths/counts, clustered, internal and tile compression,
# tile type, zoom range, bounds, centre: 127 bytes
HEADER = struct.Struct("<7sB11Q6B4iB2i")
RASTER = {"png", "jpg", "jpeg", "webp"}


class BasemapError(ValueError):
    """The file is not a raster MBTiles/PMTiles archive this module can serve."""


@dataclass(frozen=True)
class Tiles:
    """Where the unpacked tiles are served and what Leaflet needs to know of them."""

    url: str  # template under /app/static, e.g. /app/static/basemap/ab12/{z}/{x}/{y}.png
    min_zoom: int
    max_zoom: int
    attribution: str
    count: int


def is_archive(setting: str) -> bool:
    return setting.lower().endswith(SUFFIXES)


def served_tiles(path: str | Path, static: Path | None = None) -> Tiles:
    """Unpack ``path`` (once per version of the file) into ``static`` (the dashboard's
    static folder) and describe the served tiles."""
    static = STATIC if static is None else static
    path = Path(path).expanduser().resolve()
    if not path.is_file():
        raise BasemapError(f"basemap file not found: {path}")
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = static / FOLDER / key
    if not (target / DONE).is_file():
        _unpack(path, target)
    info = json.loads((target / DONE).read_text())
    return Tiles(
        url=f"/app/static/{FOLDER}/{key}/{{z}}/{{x}}/{{y}}.{info['format']}",
        min_zoom=info["min_zoom"],
        max_zoom=info["max_zoom"],
        attribution=info["attribution"],
        count=info["count"],
    )


def _unpack(path: Path, target: Path) -> None:
    """Write every tile to a fresh folder and move it into place in one rename, so a
    concurrent reader never serves half an archive."""
    reader = _mbtiles if path.suffix.lower() == ".mbtiles" else _pmtiles
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=".unpacking-"))
    try:
        fmt, attribution, zooms = reader(path, work)
        if not zooms:
            raise BasemapError(f"{path} holds no tiles")
        info = {
            "format": fmt,
            "attribution": attribution or f"Local basemap ({path.name})",
            "min_zoom": min(zooms),
            "max_zoom": max(zooms),
            "count": sum(zooms.values()),
        }
        (work / DONE).write_text(json.dumps(info))
        try:
            work.rename(target)
        except OSError:  # another process finished first
            shutil.rmtree(work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def _write(folder: Path, z: int, x: int, y: int, fmt: str, data: bytes, zooms: dict) -> None:
    tile = folder / str(z) / str(x) / f"{y}.{fmt}"
    tile.parent.mkdir(parents=True, exist_ok=True)
    tile.write_bytes(data)
    zooms[z] = zooms.get(z, 0) + 1


def _mbtiles(path: Path, folder: Path) -> tuple[str, str, dict]:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            meta = dict(db.execute("SELECT name, value FROM metadata").fetchall())
            fmt = meta.get("format", "png").lower()
            if fmt not in RASTER:
                raise BasemapError(f"{path.name}: {fmt} tiles are not raster tiles")
            fmt = "jpg" if fmt == "jpeg" else fmt
            zooms: dict[int, int] = {}
            rows = db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")
            for z, x, tms_y, data in rows:
                _write(folder, z, x, (1 << z) - 1 - tms_y, fmt, data, zooms)
    except sqlite3.DatabaseError as error:
        raise BasemapError(f"{path.name} is not an MBTiles file: {error}") from error
    return fmt, meta.get("attribution", ""), zooms


def _varints(data: bytes):
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            yield value
            value = shift = 0


def _directory(data: bytes) -> list[tuple[int, int, int, int]]:
    """(tile_id, run_length, offset, length) entries of a PMTiles v3 directory."""
    numbers = _varints(data)
    count = next(numbers)
    ids, runs, lengths = ([next(numbers) for _ in range(count)] for _ in range(3))
    tile_id = 0
    entries = []
    for k in range(count):
        tile_id += ids[k]
        raw = next(numbers)
        offset = entries[-1][2] + entries[-1][3] if raw == 0 and k > 0 else raw - 1
        entries.append((tile_id, runs[k], offset, lengths[k]))
    return entries


def tile_zxy(tile_id: int) -> tuple[int, int, int]:
    """PMTiles tile id -> (z, x, y): ids count the tiles of lower zooms first, then
    follow the Hilbert curve over the 2^z x 2^z tiles of the zoom."""
    z, first = 0, 0
    while first + (1 << (2 * z)) <= tile_id:
        first += 1 << (2 * z)
        z += 1
    d, x, y, s = tile_id - first, 0, 0, 1
    while s < (1 << z):
        rx = 1 & (d // 2)
        ry = 1 & (d ^ rx)
        if ry == 0:
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        x, y = x + s * rx, y + s * ry
        d //= 4
        s *= 2
    return z, x, y


def _pmtiles(path: Path, folder: Path) -> tuple[str, str, dict]:
    with path.open("rb") as file:
        head = file.read(HEADER.size)
        if len(head) < HEADER.size or head[:7] != b"PMTiles" or head[7] != 3:
            raise BasemapError(f"{path.name} is not a PMTiles v3 file")
        h = HEADER.unpack(head)
        root, metadata, leaves, tile_data = (h[2], h[3]), (h[4], h[5]), (h[6], h[7]), h[8]
        internal, tile_compression, tile_type = h[14], h[15], h[16]
        if tile_type not in PMTILES_TYPES:
            raise BasemapError(f"{path.name}: tile type {tile_type} is not a raster format")
        if internal not in PMTILES_COMPRESSION or tile_compression not in PMTILES_COMPRESSION:
            raise BasemapError(f"{path.name}: compression other than none or gzip")
        unpack, unpack_tile = PMTILES_COMPRESSION[internal], PMTILES_COMPRESSION[tile_compression]

        def read(offset: int, length: int) -> bytes:
            file.seek(offset)
            return file.read(length)

        meta = json.loads(unpack(read(*metadata)) or b"{}") if metadata[1] else {}
        fmt, zooms = PMTILES_TYPES[tile_type], {}
        pending = [root]
        while pending:
            offset, length = pending.pop()
            for tile_id, run, at, size in _directory(unpack(read(offset, length))):
                if run == 0:  # a leaf directory
                    pending.append((leaves[0] + at, size))
                    continue
                data = unpack_tile(read(tile_data + at, size))
                for k in range(run):
                    _write(folder, *tile_zxy(tile_id + k), fmt, data, zooms)
    return fmt, meta.get("attribution", ""), zooms


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Unpack a raster MBTiles/PMTiles basemap into dashboard/static/basemap."
    )
    parser.add_argument("file", type=Path)
    tiles = served_tiles(parser.parse_args(argv).file)
    print(f"basemap: {tiles.count} tiles, zoom {tiles.min_zoom}-{tiles.max_zoom}, at {tiles.url}")


if __name__ == "__main__":
    main()
