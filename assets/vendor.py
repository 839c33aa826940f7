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

# folium resource name -> (npm package folder to copy, file inside it)
RESOURCES = {
    "leaflet": ("leaflet/dist", "leaflet.js"),
    "leaflet_css": ("leaflet/dist", "leaflet.css"),
    "jquery": ("jquery/dist", "jquery.min.js"),
    "bootstrap": ("bootstrap/dist", "js/bootstrap.bundle.min.js"),
    "bootstrap_css": ("bootstrap/dist", "css/bootstrap.min.css"),
    "awesome_markers": ("leaflet.awesome-markers/dist", "leaflet.awesome-markers.js"),
    "awesome_markers_css": ("leaflet.awesome-markers/dist", "leaflet.awesome-markers.css"),
    "awesome_markers_font_css": ("@fortawesome/fontawesome-free", "css/all.min.css"),
    "leaflet-heat.js": ("leaflet.heat/dist", "leaflet-heat.js"),
}
FOLDERS = {
    "leaflet/dist": "leaflet",
    "jquery/dist": "jquery",
    "bootstrap/dist": "bootstrap",
    "leaflet.awesome-markers/dist": "awesome-markers",
    "@fortawesome/fontawesome-free": "fontawesome",
    "leaflet.heat/dist": "leaflet-heat",
}


def main() -> None:
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    for source, target in FOLDERS.items():
        ignore = shutil.ignore_patterns("*.map", "*.esm.js", "scss", "js/*.ts", "svgs", "sprites")
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
