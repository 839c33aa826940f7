"""Sections of the contacts map page that take more than a few lines to draw."""

import re

import pandas as pd
import streamlit as st

from dashboard.components import Tile, figure_caption, tiles
from dashboard.contacts import charts
from dashboard.contacts import data as cd
from dashboard.contacts.mapping import DECISION_COLORS, points_deck
from geo import cells, geomask
from geo.privacy import small_label, suppress_table

CELL_ID = re.compile(r"^(-?\d{1,10}):(-?\d{1,10})$")
ZONE_COLUMNS = ["contacts", "eligible_offence", "diverted"]


def zone_tiles(zones: pd.DataFrame, threshold: int, person_level: bool, period: str) -> None:
    """Inside the catchment, just outside it, further out."""
    shown = cd.shown_counts(
        zones, ZONE_COLUMNS, threshold, person_level, share=("diverted", "contacts")
    )
    z = shown.shown.set_index(zones["zone"])
    ring_m = float(zones["ring_m"].iloc[0] or 0)
    total, eligible = int(zones["contacts"].sum()), int(zones["eligible_offence"].sum())
    tiles(
        [
            Tile("Contacts", f"{total:,}", f"{eligible:,} of them drug or prostitution",
                 better="neither"),
            Tile("Inside the catchment", z.loc["inside", "contacts"],
                 f"{z.loc['inside', 'diverted']} diverted ({z.loc['inside', 'share']})",
                 better="neither"),
            Tile(f"Just outside (≤ {ring_m:,.0f} m)", z.loc["ring", "eligible_offence"],
                 f"drug or prostitution contacts · {z.loc['ring', 'contacts']} contacts in all",
                 better="neither",
                 help="Would be eligible if the catchment line moved out by the ring width."),
            Tile("Further out", z.loc["outside", "contacts"],
                 f"{z.loc['outside', 'eligible_offence']} of them drug or prostitution",
                 better="neither"),
        ]
    )  # fmt: skip
    figure_caption(
        counts="police contacts matching the filters, by where they happened",
        period=period,
        denominator="share diverted = diverted ÷ contacts in the zone",
        method=f"inside: in the catchment in force that day; just outside: within {ring_m:,.0f} m "
        "of its edge (setting catchment_ring_m, ground distance; the map's dotted outline is that "
        "distance buffered in Maryland State Plane); computed in PostGIS",
    )


def undrawn(zones: pd.DataFrame, density: pd.DataFrame, threshold: int, person_level: bool):
    """Contacts beyond the drawn extent, as shown to the role (small counts hidden)."""
    beyond = pd.DataFrame({"contacts": [int(zones["contacts"].sum() - density["contacts"].sum())]})
    return cd.shown_counts(beyond, ["contacts"], threshold, person_level).shown["contacts"].iloc[0]


def clicked_cell(result: dict | None) -> str | None:
    """The "i:j" id of the cell clicked on the folium map, if any."""
    drawing = (result or {}).get("last_active_drawing") or {}
    cell = (drawing.get("properties") or {}).get("cell")
    return cell if isinstance(cell, str) and CELL_ID.match(cell) else None


def choose_cell(view: pd.DataFrame, clicked: str | None) -> tuple[int, int] | None:
    """A selectbox of cells (most contacts first) that follows clicks on the map."""
    if view.empty:
        st.info("No contacts match the filters in this period.")
        return None
    ranked = view.sort_values("contacts", ascending=False)
    ids = [f"{i}:{j}" for i, j in zip(ranked["i"], ranked["j"], strict=True)]
    labels = [
        f"{w} · {n} contacts"
        for w, n in zip(ranked["where"], ranked["contacts_shown"], strict=True)
    ]
    names = dict(zip(ids, labels, strict=True))
    if clicked and clicked != st.session_state.get("contacts_last_click"):
        st.session_state["contacts_last_click"] = clicked
        if clicked in names:
            st.session_state["contacts_cell"] = clicked
    if st.session_state.get("contacts_cell") not in names:
        st.session_state.pop("contacts_cell", None)
    chosen = st.selectbox(
        "Cell (click one on the map, or pick it here)", ids, format_func=names.get,
        key="contacts_cell",
    )  # fmt: skip
    i, j = CELL_ID.match(chosen).groups()
    return int(i), int(j)


def cell_detail(role, mf, grid, cell, where, threshold, person_level, period) -> None:
    detail = cd.cell_detail(role, mf, grid, cell)
    table = suppress_table(
        detail.assign(offense=detail["offense"].str.capitalize()), "offense", "decision",
        "contacts", 0 if person_level else threshold,
        columns=[d for d in charts.DECISION_ORDER if d in set(detail["decision"])],
    )  # fmt: skip
    shown = table.shown.rename(columns={"offense": "Offence"})
    st.dataframe(shown.rename(columns=str.capitalize), hide_index=True)
    if person_level and not detail.empty:
        st.altair_chart(charts.cell_over_time(detail, where, period), width="stretch")
    elif not person_level:
        st.caption(
            "Weekly counts of one cell are too small to show outside the case-manager role; "
            f"the table hides counts from 1 to {threshold} as “{small_label(threshold)}”."
        )
    figure_caption(
        counts=f"police contacts in the cell {where} ({grid.describe()}), by offence and decision",
        period=period,
        method="the cell of each contact computed in PostGIS (contact_cell)",
    )


def hot_spot_table(hot: pd.DataFrame, grid: cells.Grid, order: int) -> None:
    spots = hot[hot["spot"] != ""].sort_values("z", ascending=False)
    neighbours = "the touching cells" if order == 1 else "cells up to two steps away"
    st.markdown(
        f"**Method:** Getis-Ord Gi* on the contact count of each cell ({grid.describe()}), "
        f"binary weights over {neighbours} and the cell itself; study region: the cells whose "
        "centre lies in the Central District, empty cells counted as 0; z-scores "
        "against the normal distribution: "
        "|z| ≥ 1.645, 1.960, 2.576 for 90, 95, 99 % confidence; no correction for testing "
        "many cells, so expect some flagged cells by chance."
    )
    if spots.empty:
        st.info("No cell is a hot or cold spot at 90 % confidence or more.")
        return
    table = pd.DataFrame({
        "Cell": cells.describe_cells(spots["i"], spots["j"], grid),
        "Spot": spots["spot"].str.capitalize(),
        "Confidence": spots["confidence"].map(lambda c: f"{int(c)} %"),
        "z-score": spots["z"].round(2),
    })  # fmt: skip
    st.dataframe(table, hide_index=True)


def points_section(role, mf, layers, market, period) -> None:
    points = cd.points(role, mf)
    st.pydeck_chart(points_deck(points, layers, market), height=520)
    dots = [
        f"<span style='color:rgb{tuple(c)};font-size:1.3em'>●</span> {d}"
        for d, c in DECISION_COLORS.items()
    ]
    st.caption("Colours: " + " · ".join(dots), unsafe_allow_html=True)
    figure_caption(
        counts=f"the {len(points):,} most recent police contacts matching the filters "
        f"(at most {cd.POINT_LIMIT:,})",
        period=period,
        method=f"each point displaced at a random bearing by {geomask.DEFAULT_R_MIN_M:.0f}–"
        f"{geomask.DEFAULT_R_MAX_M:.0f} m (donut geomasking): never the recorded location",
    )
