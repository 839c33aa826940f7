"""Contacts map: where drug and prostitution contacts happen around Lexington Market, how
many are diverted, and whether the catchment line fits where the need is.

Roles: command, leadership, case managers, admins. Individual (geomasked) points for the
roles that see points (``program.access``); leadership sees cells and totals.
"""

import streamlit as st
from streamlit_folium import st_folium

from dashboard import access, auth, filters, maps, url_state
from dashboard.components import chart, figure_caption
from dashboard.contacts import charts, controls, mapping, sections
from dashboard.contacts import data as cd
from geo import cells
from geo.places import LEXINGTON_MARKET_LONLAT as MARKET
from reports import contacts_map

user = auth.require_user()
f = filters.current()
person_level = user.sees_person_level
period = f"{f.label}, {f.offense_label}"

choices = controls.address_choices(user.sees_points)
url_state.page_choices("contacts", choices)
mf = controls.contact_filters(user.role, f)
threshold = access.threshold(user, f.end)

# The tiles stand above the map but are filled after it: the map takes longer to draw,
# so its data goes to the browser first.
tiles = st.container()

grid, colour_by, order = controls.map_options()
shown_layers = controls.map_layers(user.sees_points)
url_state.write_choices(choices)
layers = cd.program_layers(user.role, f.start, f.end)
density = cd.density(user.role, mf, grid, cd.drawn_extent(layers))
view = cd.cell_view(density, grid, threshold, person_level)
hot = cd.hot_spots(view, grid, order, layers)
classes = mapping.density_classes(access.small_cell_setting(user.role, f.end), density["contacts"])
# Points are fetched and sent only on request: the minimum necessary by default.
points = cd.points(user.role, mf) if "points" in shown_layers else None
ring = cd.ring_outline(user.role, f.end)
drawn = (layers, ring, view, hot, grid, colour_by, classes, MARKET)
fmap = mapping.contacts_map(*drawn, on=shown_layers, points=points)
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
sections.map_caption(zones, density, grid, threshold, person_level, period, points)
sections.map_download(
    user, period, (f.start, f.end),
    lambda: contacts_map.map_png(
        drawn, on=shown_layers, points=points,
        title=f"Police contacts around Lexington Market, {period}",
        notes=sections.image_notes(user, grid, points),
    ),
)  # fmt: skip
sections.how_calculated(grid, order, zones)

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
    no_contact = "No police contact matches the filters in this period."
    chart(
        charts.hour_weekday(grid_counts, shown["contacts"], f.label),
        grid_counts["contacts"],
        no_contact,
        threshold=threshold,
    )
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
    chart(charts.weekly_trend(weeks, f.label), weeks["contacts"], no_contact, threshold=threshold)
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
