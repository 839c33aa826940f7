"""The default program geography loaded through the importer.

The files are data committed in ``geo/data`` and imported like any other areas file, so a
real catchment or official post layer replaces them the same way (docs/geography.md).
Migrating a database that has no catchment, city line or district at all installs them
(:func:`install_if_absent`), so real data never meets an empty map.
"""

import json
import tempfile
from datetime import date
from pathlib import Path

import queries
from geo.places import CATCHMENT_FILE, CITY_LINE_FILE, LEGACY_CENTRAL_FILE
from ingest.api import ImportResult, import_file
from ingest.areas import AreaOptions

ALWAYS = date(1900, 1, 1)
REDISTRICTING = date(2023, 7, 9)  # BPD's new district boundaries took effect
CATCHMENT_SOURCE = (
    "Default LEAD catchment: MLK Jr Blvd, W Monument St, N/S Charles St and W Pratt St "
    "around Lexington Market (geo/data/lead_catchment.geojson); replace with the "
    "program's own polygon"
)
CITY_SOURCE = "Open Baltimore city line, simplified to 7 vertices (public domain)"
STAND_IN_NOTE = "Demo stand-in: legacy posts reused; import the official current layer. "
LEGACY_KINDS = ("district", "sector", "post")
MIGRATE_ACTOR = "migrate"


def install_if_absent(conn, actor: str = MIGRATE_ACTOR) -> list[str]:
    """The default geography, only on a database with no catchment, city line or
    district at all; what was done, in words (nothing when areas exist)."""
    if queries.fetch_value(conn, "session/has_base_geography"):
        conn.commit()
        return []
    results = load_default_geography(conn, actor=actor)
    loaded = sum(result.new + result.updated for result in results)
    return [
        f"installed the default program geography ({loaded} areas, marked approximate; "
        "an import of the program's own areas replaces them: docs/geography.md)"
    ]


def load_default_geography(
    conn,
    *,
    legacy_valid_to: date = REDISTRICTING,
    also_current_stand_in: bool = False,
    actor: str = "setup",
) -> list[ImportResult]:
    """Import the default catchment, the city line and the approximate legacy Central
    District (posts, sectors, district) valid until ``legacy_valid_to``.

    With ``also_current_stand_in`` the same legacy geometry is also loaded as valid from
    ``legacy_valid_to`` on, marked as a stand-in for the official current layer.
    Returns the importer's result for each file.
    """

    def load(path: Path, kind: str, source: str, valid_from=ALWAYS, valid_to=None):
        options = AreaOptions(
            kind=kind,
            name_field="name",
            valid_from=valid_from,
            valid_to=valid_to,
            source=source,
            is_approximation=True,
        )
        return import_file(conn, "areas", path, actor=actor, area_options=options)

    results = [
        load(CATCHMENT_FILE, "catchment", CATCHMENT_SOURCE),
        load(CITY_LINE_FILE, "city", CITY_SOURCE),
    ]
    with tempfile.TemporaryDirectory(prefix="lead-areas-") as folder:
        for kind, (path, source) in legacy_files_by_kind(Path(folder)).items():
            results.append(load(path, kind, source, valid_to=legacy_valid_to))
            if also_current_stand_in:
                results.append(load(path, kind, STAND_IN_NOTE + source, legacy_valid_to))
    return results


def legacy_files_by_kind(folder: Path) -> dict[str, tuple[Path, str]]:
    """The legacy Central District file split into one GeoJSON per kind, with the
    source text its features carry."""
    collection = json.loads(LEGACY_CENTRAL_FILE.read_text())
    files = {}
    for kind in LEGACY_KINDS:
        features = [f for f in collection["features"] if f["properties"]["kind"] == kind]
        path = folder / f"legacy_central_{kind}.geojson"
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
        files[kind] = (path, features[0]["properties"]["source"])
    return files
