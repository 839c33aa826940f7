"""The approximate street reference layer built from geocoded BPD block addresses."""

import json
from pathlib import Path

import pandas as pd

from geo import streets

ROOT = Path(__file__).resolve().parent.parent
BPD_ARRESTS = ROOT.parent / "shared" / "data" / "bpd_arrests_2017.csv"


def test_street_names_drop_the_block_number_and_direction():
    assert streets.street_name("400 W LEXINGTON ST") == "Lexington St"
    assert streets.street_name("200 EAST  LEXINGTON ST") == "Lexington St"
    assert streets.street_name("N/A") is None


def test_block_points_are_joined_in_order_and_split_at_gaps():
    # five blocks along a west-east street, given out of order; then a 1.2 km gap
    lon = [-76.620, -76.616, -76.618, -76.614, -76.622, -76.600]
    points = pd.DataFrame({"lon": lon, "lat": [39.2919] * 6})
    lines = streets.centre_lines(points)
    assert [[p[0] for p in line] for line in lines] in (
        [[-76.622, -76.62, -76.618, -76.616, -76.614]],
        [[-76.614, -76.616, -76.618, -76.62, -76.622]],
    )  # the lone far point makes no line


def test_the_committed_layer_is_what_the_command_builds_from_the_bpd_data():
    built = streets.build(BPD_ARRESTS)
    committed = json.loads(streets.STREETS.read_text())
    assert committed == json.loads(json.dumps(built))
    names = {f["properties"]["name"] for f in built["features"]}
    assert {"Lexington St", "Eutaw St", "Howard St"} <= names
    assert streets.STREETS.stat().st_size < 2e6
