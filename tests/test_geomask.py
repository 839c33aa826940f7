"""Donut geomasking: every shown point is r_min..r_max metres from where the contact
happened, never on it, in a random but repeatable direction."""

import numpy as np
import pytest
from pyproj import Geod

from geo import geomask

MARKET = (-76.62175, 39.29189)
KEY = b"test key"


def sample(n: int, key: bytes = KEY, **radii):
    rng = np.random.default_rng(7)
    lon = MARKET[0] + rng.uniform(-0.01, 0.01, n)
    lat = MARKET[1] + rng.uniform(-0.01, 0.01, n)
    ids = [f"c{k:06d}" for k in range(n)]
    return lon, lat, ids, *geomask.donut_mask(lon, lat, ids, key=key, **radii)


def test_every_point_moves_between_r_min_and_r_max_metres():
    lon, lat, _, masked_lon, masked_lat = sample(3000, r_min=50, r_max=150)
    _, _, distance = Geod(ellps="WGS84").inv(lon, lat, masked_lon, masked_lat)
    assert distance.min() >= 50 - 1e-6
    assert distance.max() <= 150 + 1e-6
    assert not np.any((masked_lon == lon) & (masked_lat == lat))


def test_bearings_cover_every_direction_evenly():
    lon, lat, _, masked_lon, masked_lat = sample(4000)
    azimuth, _, _ = Geod(ellps="WGS84").inv(lon, lat, masked_lon, masked_lat)
    quadrant = np.floor((azimuth % 360) / 90).astype(int)
    shares = np.bincount(quadrant, minlength=4) / len(quadrant)
    assert np.all(np.abs(shares - 0.25) < 0.03), shares


def test_distances_are_uniform_over_the_donut_area():
    lon, lat, _, masked_lon, masked_lat = sample(4000, r_min=50, r_max=150)
    _, _, distance = Geod(ellps="WGS84").inv(lon, lat, masked_lon, masked_lat)
    # Half the ring's area lies within sqrt((50² + 150²) / 2) = 111.8 m.
    assert abs(np.mean(distance < np.sqrt((50**2 + 150**2) / 2)) - 0.5) < 0.03


def test_the_same_contact_moves_the_same_way_each_time_under_one_key():
    first = sample(100)
    again = sample(100)
    other_key = sample(100, key=b"another key")
    assert np.array_equal(first[3], again[3]) and np.array_equal(first[4], again[4])
    assert not np.any(np.isclose(first[3], other_key[3], rtol=0, atol=1e-9))


def test_the_key_comes_from_the_environment_when_set(monkeypatch):
    monkeypatch.setenv("LEADOPS_GEOMASK_KEY", "configured")
    geomask.mask_key.cache_clear()
    try:
        assert geomask.mask_key() == b"configured"
    finally:
        geomask.mask_key.cache_clear()


def test_without_a_configured_key_each_process_draws_a_random_one(monkeypatch):
    monkeypatch.delenv("LEADOPS_GEOMASK_KEY", raising=False)
    geomask.mask_key.cache_clear()
    try:
        first = geomask.mask_key()
        geomask.mask_key.cache_clear()
        assert len(first) == 32 and geomask.mask_key() != first
    finally:
        geomask.mask_key.cache_clear()


@pytest.mark.parametrize(("r_min", "r_max"), [(0, 100), (100, 50), (-5, 10)])
def test_a_donut_without_a_hole_is_refused(r_min, r_max):
    with pytest.raises(ValueError):
        geomask.donut_mask([MARKET[0]], [MARKET[1]], ["c1"], r_min=r_min, r_max=r_max, key=KEY)
