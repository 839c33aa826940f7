"""Donut geomasking of contact locations before they are drawn as points.

Each point is moved along a random bearing (uniform over 0-360°) by a random distance
between ``r_min`` and ``r_max`` metres, drawn uniformly over the donut's area (so the
masked point is equally likely to land anywhere in the ring), along the WGS84
ellipsoid. Since ``r_min`` > 0 the shown point is never the recorded location
(Hampton et al. 2010, "Mapping health data: improved privacy protection with donut
method geomasking", Am J Epidemiol 172(9)).

Seeding. The bearing and distance of a contact come from a keyed hash (BLAKE2b) of its
id under a secret key: the same contact is displaced the same way on every page view,
so averaging many views cannot recover where it happened. The key is
``LEADOPS_GEOMASK_KEY`` when set (stable across restarts and servers); otherwise a
random key drawn when the process starts, so displacements change on restart.

Run it on rows already filtered for a role allowed to see points; the recorded
coordinates stay on the server.
"""

import hashlib
import os
import secrets
from functools import cache

import numpy as np
from pyproj import Geod

DEFAULT_R_MIN_M = 50.0
DEFAULT_R_MAX_M = 150.0
WGS84 = Geod(ellps="WGS84")


@cache
def mask_key() -> bytes:
    """The secret the displacements derive from (see the module docstring)."""
    configured = os.environ.get("LEADOPS_GEOMASK_KEY")
    return configured.encode() if configured else secrets.token_bytes(32)


def keyed_uniforms(ids, key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Two independent uniform [0, 1) numbers per id, fixed by (key, id)."""
    u = np.empty(len(ids))
    v = np.empty(len(ids))
    for n, identifier in enumerate(ids):
        digest = hashlib.blake2b(str(identifier).encode(), key=key[:64], digest_size=16).digest()
        u[n] = int.from_bytes(digest[:8], "big") / 2**64
        v[n] = int.from_bytes(digest[8:], "big") / 2**64
    return u, v


def donut_distances(u: np.ndarray, r_min: float, r_max: float) -> np.ndarray:
    """Distances uniform over the area of the ring r_min..r_max, from uniforms u."""
    if not 0 < r_min < r_max:
        raise ValueError("the donut needs 0 < r_min < r_max")
    return np.sqrt(r_min**2 + u * (r_max**2 - r_min**2))


def donut_mask(
    lon,
    lat,
    ids,
    *,
    r_min: float = DEFAULT_R_MIN_M,
    r_max: float = DEFAULT_R_MAX_M,
    key: bytes | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Masked (lon, lat) of each point, displaced r_min..r_max metres (see above)."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if not len(lon):
        return lon, lat
    u, v = keyed_uniforms(ids, mask_key() if key is None else key)
    distance = donut_distances(u, r_min, r_max)
    bearing = 360.0 * v
    masked_lon, masked_lat, _ = WGS84.fwd(lon, lat, bearing, distance)
    return np.asarray(masked_lon), np.asarray(masked_lat)
