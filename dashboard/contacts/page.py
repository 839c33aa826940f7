"""Contacts map: where drug and prostitution contacts happen around Lexington Market, how
many are diverted, and whether the catchment line fits where the need is.

Roles: command, leadership, case managers, admins. Individual (geomasked) points for the
roles that see points (``program.access``); leadership sees cells and totals.
"""

import streamlit as st
from streamlit_folium import st_folium

from dashboard import access, auth, filters, maps
from dashboard.components import figure_caption
from dashboard.contacts import charts, controls, mapping, sections
from dashboard.contacts import data as cd
from geo import cells
from geo.places import LEXINGTON_MARKET_LONLAT as MARKET

POINTS_TOGGLE = "Show individual contacts (geomasked points)"

user = auth.require_user()
f = filters.current()
person_level = user.sees_person_level
period = f"{f.label}, {f.offense_label}"

mf = controls.contact_filters(user.role, f)
threshold = access.threshold(user, f.end)

# The tiles stand above the map but are filled after it: the map takes longer to draw,
# so its data goes to the browser first.
tiles = st.container()

grid, colour_by, order = controls.map_options()
layers = cd.program_layers(user.role, f.start, f.end)
density = cd.density(user.role, mf, grid, cd.drawn_extent(layers))
view = cd.cell_view(density, grid, threshold, person_level)
hot = cd.hot_spots(density, grid, order, layers)
classes = mapping.density_classes(access.small_cell_setting(user.role, f.end), density["contacts"])
fmap = mapping.contacts_map(
    layers, cd.ring_outline(user.role, f.end), view, hot, grid, colour_by, classes, MARKET
)
result = st_folium(
    maps.offline(fmap),
    key="contacts_map",
    height=620,
    use_container_width=True,
    returned_objects=["last_active_drawing"],
)
zones = cd.zones(user.role, mf)
with tiles:
    sections.zone_tiles(zones, threshold, person_level, period)
legend = " · ".join(
    f"<span style='background:{mapping.DENSITY_COLORS[n]};padding:0 6px'>&nbsp;</span> {label}"
    for n, (_, label) in enumerate(classes)
)
st.caption(f"Contacts per cell: {legend}", unsafe_allow_html=True)
figure_caption(
    counts=f"police contacts matching the filters per cell ({grid.describe()}); "
    "the heat layer weighs each cell's centre by its count",
    period=period,
    denominator="share diverted = diverted ÷ contacts in the cell",
    method="cells computed in PostGIS by arithmetic in Web Mercator (the cells of "
    "ST_HexagonGrid/ST_SquareGrid), drawn over the Central District and "
    f"{cd.DRAW_MARGIN_M:,} m around it "
    f"({sections.undrawn(zones, density, threshold, person_level)} contacts further away "
    "are in the tiles above, not on the map); hot spots: Getis-Ord Gi* (see Hot spots); "
    f"boundaries marked (approx.) are approximations; basemap: {maps.basemap_setting()}",
)

# Points are fetched and sent only on request: the minimum necessary by default.
if user.sees_points and st.toggle(POINTS_TOGGLE, key="contacts_points"):
    sections.points_section(user.role, mf, layers, MARKET, period)

inside_tab, when_tab, hot_tab, cell_tab = st.tabs(
    ["Inside vs outside", "When", "Hot spots", "Cell drill-down"]
)
with inside_tab:
    posts = cd.by_post(user.role, mf)
    shown = cd.shown_counts(
        posts, ["contacts", "diverted"], threshold, person_level, share=("diverted", "contacts")
    ).shown
    st.dataframe(
        shown.rename(
            columns={"post": "Post", "contacts": "Contacts", "diverted": "Diverted",
                     "share": "Share diverted"}
        ),
        hide_index=True,
    )  # fmt: skip
    figure_caption(
        counts="police contacts matching the filters by the post recorded on the contact",
        period=period,
        denominator="share diverted = diverted ÷ contacts of the post",
    )
with when_tab:
    grid_counts, shown = cd.hide_small(
        cd.when(user.role, mf), ["contacts"], threshold, person_level
    )
    st.altair_chart(charts.hour_weekday(grid_counts, shown["contacts"], f.label), width="stretch")
    figure_caption(
        counts="police contacts matching the filters by hour and weekday (grey: hidden, 1–"
        f"{threshold})"
        if not person_level
        else "police contacts matching the filters",
        period=period,
        method="local Baltimore time of the contact",
    )
    weeks, _ = cd.hide_small(
        cd.weekly(user.role, mf), ["contacts", "diverted"], threshold, person_level
    )
    st.altair_chart(charts.weekly_trend(weeks, f.label), width="stretch")
    figure_caption(
        counts="police contacts matching the filters, and those diverted, per week",
        period=f"{period}; first and last weeks may be partial",
    )
with hot_tab:
    sections.hot_spot_table(hot, grid, order)
with cell_tab:
    chosen = sections.choose_cell(view, sections.clicked_cell(result))
    if chosen is not None:
        where = cells.describe_cells([chosen[0]], [chosen[1]], grid)[0]
        sections.cell_detail(user.role, mf, grid, chosen, where, threshold, person_level, period)
