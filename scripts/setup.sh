#!/usr/bin/env bash
# Install what LEAD Ops needs on a Debian machine, idempotently:
#   Debian packages (PostgreSQL 15 + PostGIS 3, Node.js for the map assets; with
#   --scaleout PgBouncer and HAProxy for scripts/scaleout.sh; with --test those two,
#   Chromium and poppler), the Python virtualenv from requirements.txt, and the
#   Leaflet assets served by Streamlit so maps draw without a CDN.
# A second run checks stamps and returns in a second or two.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
want_scaleout=0
[ "${1:-}" = "--test" ] && want_test=1 && want_scaleout=1
[ "${1:-}" = "--scaleout" ] && want_scaleout=1

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- Debian packages ---------------------------------------------------------------
packages=(postgresql-15 postgresql-15-postgis-3)
# Node.js only fetches the map assets; any node/npm already on the PATH will do.
command -v npm >/dev/null || packages+=(nodejs npm)
[ "$want_test" = 1 ] && packages+=(chromium poppler-utils)
# The scale-out stack (scripts/scaleout.sh) runs these as the project's own processes;
# the packages' system services are not used.
[ "$want_scaleout" = 1 ] && packages+=(pgbouncer haproxy)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python virtualenv ---------------------------------------------------------------
python=${PYTHON:-python3.11}
command -v "$python" >/dev/null || python=python3
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages from requirements.txt"
  # (the filter drops this machine's pip notes about absent local package mirrors)
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt 2>&1 \
    | { grep -v "^WARNING: Location .* is ignored" || true; }
  echo "$want" > "$stamp"
fi
# Make the project's packages (db, queries, geo, ingest, demo, dashboard) importable
# from the venv, wherever a command runs from: what an editable install would do.
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$PWD" > "$site/lead_ops.pth"

# --- Front-end assets for offline maps --------------------------------------------------
stamp=assets/node_modules/.lock.sha256
want=$(sha256sum assets/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || [ ! -d dashboard/static/vendor ]; then
  echo "setup: installing map assets from the npm registry"
  npm ci --prefix assets --no-audit --no-fund --loglevel=error >/dev/null
  .venv/bin/python assets/vendor.py
  echo "$want" > "$stamp"
fi
echo "setup: ready"
