"""The contacts map page's own widgets (the period and offences are in the sidebar)."""

import streamlit as st

from dashboard import maps, url_state
from dashboard.contacts import data as cd
from dashboard.contacts.mapping import DEFAULT_LAYERS, LAYERS
from dashboard.filters import Filters
from geo import cells
from program.shifts import SHIFTS, hours_of, shift_label

PATHWAY_LABELS = {"arrest": "Arrest", "social_contact": "Social contact"}
DECISION_LABELS = {d: d.capitalize() for d in cd.DECISIONS}
TRAINED_LABELS = {
    "any": "Any officer",
    "yes": "LEAD-trained that day",
    "no": "Not LEAD-trained that day",
}
CELL_SIZES_M = (50, 100, 150, 250, 400)
SHAPE_LABELS = {"hexagon": "Hexagons", "square": "Squares"}
COLOUR_LABELS = {"count": "Contacts", "rate": "Share diverted"}
ORDER_LABELS = {1: "Touching cells", 2: "Cells up to two steps away"}


def _all_means_none(chosen: list[str], options) -> tuple[str, ...]:
    """Every option chosen (or none) filters nothing: pass no values, so the cache key
    and the query stay the same."""
    return () if not chosen or set(chosen) >= set(options) else tuple(chosen)


def contact_filters(role: str, f: Filters) -> cd.MapFilters:
    """Pathway, decision, post, officer-training and patrol-shift filters, in one row."""
    base = cd.MapFilters(f.start, f.end, f.offenses)
    pathway_col, decision_col, post_col, trained_col, shift_col = st.columns(5)
    pathways = pathway_col.multiselect(
        "Pathway", cd.PATHWAYS, placeholder="All pathways",
        format_func=PATHWAY_LABELS.get, key="contacts_pathways",
    )  # fmt: skip
    decisions = decision_col.multiselect(
        "Decision", cd.DECISIONS, placeholder="All decisions",
        format_func=DECISION_LABELS.get, key="contacts_decisions",
    )  # fmt: skip
    known = cd.posts(role, base)
    options = known + [p for p in st.session_state.get("contacts_posts", []) if p not in known]
    chosen_posts = post_col.multiselect(
        "Post", options, placeholder="All posts", key="contacts_posts"
    )
    trained = trained_col.selectbox(
        "Officer", cd.TRAINED, format_func=TRAINED_LABELS.get, key="contacts_trained"
    )
    shifts = shift_col.multiselect(
        "Patrol shift", list(SHIFTS), placeholder="All day", format_func=str.capitalize,
        help=", ".join(map(shift_label, SHIFTS)) + ", Baltimore time",
        key="contacts_shifts",
    )  # fmt: skip
    return cd.MapFilters(
        f.start,
        f.end,
        f.offenses,
        pathways=_all_means_none(pathways, cd.PATHWAYS),
        decisions=_all_means_none(decisions, cd.DECISIONS),
        posts=tuple(chosen_posts),
        trained=trained,
        hours=hours_of(s for s in shifts or () if s in SHIFTS),
    )


def map_options() -> tuple[cells.Grid, str, int]:
    """Cell shape and size, what colours the cells, and the Gi* neighbourhood."""
    # two rows of two: at a projector's 1024 px the segmented controls keep their labels
    shape_col, size_col = st.columns(2)
    colour_col, order_col = st.columns(2)
    shape = shape_col.segmented_control(
        "Cells", cells.SHAPES, format_func=SHAPE_LABELS.get, key="contacts_shape"
    ) or "hexagon"  # fmt: skip
    size = size_col.selectbox(
        "Cell size", CELL_SIZES_M, format_func=lambda m: f"{m} m × {m} m", key="contacts_cell_m"
    )  # fmt: skip
    colour_by = colour_col.segmented_control(
        "Colour cells by", list(COLOUR_LABELS), format_func=COLOUR_LABELS.get,
        key="contacts_colour_by",
    ) or "count"  # fmt: skip
    order = order_col.selectbox(
        "Hot-spot neighbourhood", list(ORDER_LABELS), format_func=ORDER_LABELS.get,
        key="contacts_gi_order",
    )  # fmt: skip
    return cells.Grid(shape, float(size)), colour_by, int(order)


LAYERS_KEY = "contacts_layers"
LAYERS_KEPT = "contacts_layers_kept"  # outlives the widget when another page is open


def address_choices(sees_points: bool) -> list[url_state.Choice]:
    """The page's choices kept in the address (``dashboard.url_state``), with their
    defaults: ``?layers=cells,heat&colour=rate&shift=day&cells=square&cell=250``..."""
    layers = [key for key in LAYERS if key != "points" or sees_points]
    # with no basemap, the approximate streets are drawn unless the user hides them
    default = (*DEFAULT_LAYERS, "streets") if maps.basemap_setting() == "none" else DEFAULT_LAYERS
    kept = st.session_state.get(LAYERS_KEPT, default)
    Choice = url_state.Choice
    return [
        Choice("pathway", "contacts_pathways", cd.PATHWAYS, [], many=True),
        Choice("decision", "contacts_decisions", cd.DECISIONS, [], many=True),
        Choice("officer", "contacts_trained", cd.TRAINED, cd.TRAINED[0]),
        Choice("shift", "contacts_shifts", tuple(SHIFTS), [], many=True),
        Choice("cells", "contacts_shape", cells.SHAPES, "hexagon"),
        Choice("cell", "contacts_cell_m", CELL_SIZES_M, 100),
        Choice("colour", "contacts_colour_by", tuple(COLOUR_LABELS), "count"),
        Choice("neighbourhood", "contacts_gi_order", tuple(ORDER_LABELS), 1),
        Choice("layers", LAYERS_KEY, tuple(layers), [k for k in kept if k in layers], many=True),
    ]


def map_layers(sees_points: bool) -> tuple[str, ...]:
    """Which overlays the map draws (``mapping.LAYERS``); points only for the roles that
    see them. The choice is kept in the session, so reruns and a visit to another page
    keep it (Streamlit forgets the state of a widget that was not drawn in a run)."""
    options = [key for key in LAYERS if key != "points" or sees_points]
    current = st.session_state.get(LAYERS_KEY, st.session_state.get(LAYERS_KEPT))
    st.session_state[LAYERS_KEY] = [key for key in current or () if key in options]
    chosen = st.pills(
        "Layers", options, selection_mode="multi", format_func=LAYERS.get, key=LAYERS_KEY
    )
    chosen = tuple(key for key in chosen or () if key in options)
    st.session_state[LAYERS_KEPT] = chosen
    return chosen
