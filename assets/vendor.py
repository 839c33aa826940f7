"""Copy the map assets installed by npm into dashboard/static/vendor.

Streamlit serves that folder at /app/static/vendor/ (server.enableStaticServing), so
folium maps load Leaflet and its plugins from the dashboard itself, never from a CDN.
`manifest.json` maps the names folium gives its JS/CSS resources to the served files;
``dashboard/maps`` rewrites folium's resource lists with it.
"""

import json
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
VENDOR = HERE.parent / "dashboard" / "static" / "vendor"

# folium resource name -> (npm package folder to copy, file inside it). folium.Map also
# lists Bootstrap, Font Awesome and awesome-markers; our maps draw DivIcon labels and
# circle markers, never folium.Icon, so those are not served and ``dashboard.maps``
# leaves them out (about 0.4 MB less on a first visit). jQuery stays: folium popups use it.
RESOURCES = {
    "leaflet": ("leaflet/dist", "leaflet.js"),
    "leaflet_css": ("leaflet/dist", "leaflet.css"),
    "jquery": ("jquery/dist", "jquery.min.js"),
    "leaflet-heat.js": ("leaflet.heat/dist", "leaflet-heat.js"),
}
FOLDERS = {
    "leaflet/dist": "leaflet",
    "jquery/dist": "jquery",
    "leaflet.heat/dist": "leaflet-heat",
}


def main() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for source, target in FOLDERS.items():
        ignore = shutil.ignore_patterns("*.map", "*.esm.js")
        shutil.copytree(MODULES / source, VENDOR / target, ignore=ignore)
    manifest = {
        name: f"vendor/{FOLDERS[folder]}/{file}" for name, (folder, file) in RESOURCES.items()
    }
    for path in manifest.values():
        if not (VENDOR.parent / path).is_file():
            raise SystemExit(f"vendor: {path} is missing after copying the npm packages")
    (VENDOR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"vendor: {len(manifest)} map assets in {VENDOR.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
