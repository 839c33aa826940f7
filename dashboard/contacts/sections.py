"""Sections of the contacts map page that take more than a few lines to draw."""

import re

import pandas as pd
import streamlit as st

from dashboard import audit, components, maps
from dashboard.components import Tile, figure_caption, tiles
from dashboard.contacts import charts
from dashboard.contacts import data as cd
from dashboard.contacts.mapping import MAP_ZOOM
from geo import cells, geomask
from geo.privacy import small_label, suppress_table
from program import clock
from program.access import ROLE_LABELS

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
        "of its edge (setting catchment_ring_m, measured on the ground)",
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
        "A **hot spot** is a cell that, together with its neighbours "
        f"({neighbours}), holds clearly more contacts than the cells of the Central District "
        "do on average; a **cold spot** clearly fewer. The confidence says how unlikely "
        "such a cluster would be by chance. The method is under “How is this calculated?” "
        "below the map."
    )
    if spots.empty:
        st.info("No cell is a hot or cold spot at 90 % confidence or more.")
        return
    table = pd.DataFrame({
        "Cell": cells.describe_cells(spots["i"], spots["j"], grid),
        "Spot": spots["spot"].str.capitalize(),
        "Confidence": spots["confidence"].map(lambda c: f"{int(c)} %"),
        "Strength": spots["z"].round(2),
    })  # fmt: skip
    st.dataframe(table, hide_index=True)


def map_caption(zones, density, grid, threshold, person_level, period, points) -> None:
    """What the map counts, in plain words (the method is in :func:`how_calculated`)."""
    shown_points = (
        f"; points: the {len(points):,} most recent contacts (at most {cd.POINT_LIMIT:,}), "
        "each moved 50–150 m from where it happened"
        if points is not None
        else ""
    )
    figure_caption(
        counts=f"police contacts matching the filters per cell ({grid.describe()}); "
        "the heat layer spreads each cell's count around its centre" + shown_points,
        period=period,
        denominator="share diverted = diverted ÷ contacts in the cell",
        method=f"cells drawn over the Central District and {cd.DRAW_MARGIN_M:,} m around it "
        f"({undrawn(zones, density, threshold, person_level)} contacts further away are in "
        "the tiles above, not on the map); boundaries marked (approx.) are approximations",
    )


def how_calculated(grid: cells.Grid, order: int, zones: pd.DataFrame) -> None:
    """The methods behind the map, with their technical names, for those who ask."""
    ring_m = float(zones["ring_m"].iloc[0] or 0)
    neighbours = "the six touching cells" if grid.shape == "hexagon" else "the eight touching cells"
    if order == 2:
        neighbours = "the cells up to two steps away"
    components.how_calculated(
        rf"""
**Cells.** Each contact is counted in the cell ({grid.describe()}) that holds its recorded
location. The cells are those of PostGIS's `ST_HexagonGrid`/`ST_SquareGrid` in **Web
Mercator** (EPSG:3857), the projection of web maps, sized so each cell covers the ground
area chosen (Web Mercator stretches distances by 1/cos(latitude), about 1.29 in Baltimore).

**Just outside.** A contact is "just outside" when it lies within {ring_m:,.0f} m of the
catchment's edge: the distance is measured on the ground, in **Maryland State Plane**
(EPSG:2248, a projection that keeps distances true in Maryland); the dotted outline is the
catchment buffered by that distance.

**Hot spots.** **Getis-Ord Gi\*** compares the contacts of each cell and {neighbours}
(binary weights, the cell itself included) with the average over the study region: the
cells whose centre lies in the Central District, empty cells counted as 0. The result is a
**z-score**: how many standard deviations the neighbourhood's total lies above (hot) or
below (cold) what chance would give; |z| ≥ 1.645, 1.960, 2.576 means 90, 95, 99 %
confidence (normal distribution). There is no correction for testing many cells, so expect
a few cells flagged by chance. A spot's **strength** in the table is its z-score. Outside
the case-manager role a cell of 1 to the small-cell threshold counts as half the threshold,
as in the heat layer: a z-score sums neighbouring cells, so one computed from a hidden
count could give it away.

**Heat.** A smoothed surface from the cell centres, each weighted by the contacts of the
cell and the cells touching it, so that where many cells hold a few contacts it glows as
much as one busy cell; the busiest neighbourhood takes the darkest colour at the map's
opening zoom ({MAP_ZOOM}). Outside the case-manager role a cell of 1 to the small-cell
threshold counts as half the threshold before the sums, so the surface is made only of
what the cells show and never reveals a small count.

**Points.** Shown only to police command, case managers and admins: each contact moved at
a random bearing by {geomask.DEFAULT_R_MIN_M:.0f}–{geomask.DEFAULT_R_MAX_M:.0f} m (donut
geomasking), never at its recorded location.

**Basemap.** {maps.basemap_description()}
"""
    )


def image_notes(user, grid: cells.Grid, points) -> list[str]:
    """What the exported image counts, for whom and when, printed under it."""
    notes = [
        f"Police contacts matching the page's filters per cell ({grid.describe()}); counts "
        "of 1 to the small-cell threshold are hidden outside the case-manager role.",
        f"Drawn for {ROLE_LABELS[user.role]} on {clock.now():%Y-%m-%d %H:%M} (Baltimore time); "
        "no basemap; boundaries marked (approx.) are approximations.",
    ]
    if points is not None:
        notes.append(
            "Points: the most recent contacts, each moved 50–150 m from where it happened."
        )
    return notes


def map_download(user, period: str, days: tuple, draw_png) -> None:
    """A PNG of the map as chosen, drawn on the server when the button is pressed
    (``draw_png`` returns the bytes); the download is audited like every export."""
    audit.file_download(
        user,
        draw_png,
        what="Contacts map image",
        period=period,
        label="Download the map (PNG)",
        file_name=f"lead-ops-contacts-map-{days[0]:%Y-%m-%d}-to-{days[1]:%Y-%m-%d}.png",
        key="contacts_map_png",
        icon=":material/download:",
    )
