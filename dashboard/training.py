"""Officer training coverage: data shaping, tables, charts and the post map for the
Training page.

Officers are police staff, not program participants: coverage counts of officers are shown
as they are. Contacts are about people: their counts go through ``geo.privacy`` outside the
person-level roles. Officer ids are police personnel data: the officer-level list of
expiring trainings is drawn for police command staff and admins only (:data:`ROSTER_ROLES`);
everyone else sees counts by sector.
"""

import html
from datetime import date

import altair as alt
import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from branca.element import MacroElement, Template

from dashboard import data, maps
from dashboard.components import Tile
from geo.areas import areas_in_force
from geo.places import market_point
from geo.privacy import Suppressed, suppress_counts, suppress_table

ALL = "All"
ELIGIBLE_OFFENSES = {"drug", "prostitution"}  # the program's eligibility rule
ROSTER_ROLES = frozenset({"command", "admin"})
EXPIRING_COLUMNS = {
    "officer_id": "Officer",
    "sector": "Sector",
    "post": "Post",
    "shift": "Shift",
    "expires_on": "Expires on",
    "days_left": "Days left",
}
SHIFT_ORDER = ["day", "evening", "night", "unknown", "not on roster"]
# Coverage classes (share of active officers trained) and their fill, ColorBrewer YlGnBu.
CLASSES = [
    (0.75, "75–100%", "#225ea8"),
    (0.5, "50–74%", "#41b6c4"),
    (0.25, "25–49%", "#a1dab4"),
    (0.0, "0–24%", "#ffffcc"),
]
NO_OFFICERS = ("No active officers (in the selection)", "#d9d9d9")
LABEL_STYLE = "font:bold 12px sans-serif;color:#111;text-shadow:0 0 3px #fff,0 0 3px #fff"
CATCHMENT_COLOR = "#d95f0e"
OFFICER = "Officer at contact time"
DIVERSION_COLUMNS = {"diverted": "Diversions", "eligible": "Eligible contacts"}


def scope_options(cells: pd.DataFrame, column: str) -> list[str]:
    """The choices of a page-local filter: All, then the values present in the roster."""
    values = sorted(cells[column].unique())
    if column == "shift":
        values = sorted(values, key=lambda s: (SHIFT_ORDER + values).index(s))
    return [ALL, *values]


def in_scope(cells: pd.DataFrame, sector: str | None, shift: str | None) -> pd.DataFrame:
    keep = pd.Series(True, index=cells.index)
    if sector is not None:
        keep &= cells.sector == sector
    if shift is not None:
        keep &= cells["shift"] == shift
    return cells[keep]


def coverage_by(cells: pd.DataFrame, column: str) -> pd.DataFrame:
    """Trained and active officers and the share trained, by one roster column."""
    table = cells.groupby(column, as_index=False)[["trained_officers", "active_officers"]].sum()
    table["share"] = table.trained_officers / table.active_officers
    return table


def share_text(trained: int, active: int) -> str:
    return "–" if not active else f"{100 * trained / active:.0f}%"


def coverage_table(cells: pd.DataFrame, column: str, label: str) -> pd.DataFrame:
    """A display table: <label>, Trained, Active, Coverage."""
    table = coverage_by(cells, column)
    return pd.DataFrame(
        {
            label: table[column],
            "Trained": table.trained_officers,
            "Active": table.active_officers,
            "Coverage": [
                share_text(t, a)
                for t, a in zip(table.trained_officers, table.active_officers, strict=True)
            ],
        }
    )


def diversion_by_training(outcomes: pd.DataFrame, threshold: int) -> Suppressed:
    """Eligible contacts and diversions by the officer's training at the contact time,
    with the diversion rate; counts from 1 to ``threshold`` hidden (0 = show all)."""
    sums = outcomes.groupby("trained")[["diverted", "eligible"]].sum()
    sums = sums.reindex([True, False], fill_value=0)
    frame = pd.DataFrame(
        {
            OFFICER: ["LEAD-trained", "Not trained"],
            "diverted": sums.diverted.to_numpy(),
            "eligible": sums.eligible.to_numpy(),
        }
    )
    shown, mask = suppress_counts(
        frame,
        ["diverted", "eligible"],
        threshold,
        total_row={OFFICER: "All eligible contacts"},
        shares={"Diverted": ("diverted", "eligible")},
    )
    order, names = [OFFICER, "Diverted", "diverted", "eligible"], DIVERSION_COLUMNS
    return Suppressed(shown[order].rename(columns=names), mask[order].rename(columns=names))


def missed_opportunities(outcomes: pd.DataFrame, threshold: int) -> Suppressed:
    """Eligible contacts ending in arrest by an officer without current training, by the
    post where they happened x the officer's shift, with totals; small cells hidden."""
    missed = outcomes[~outcomes.trained.astype(bool)]
    shifts = [s for s in SHIFT_ORDER if s in set(missed.officer_shift)]
    return suppress_table(
        missed,
        "post",
        "officer_shift",
        "arrested",
        threshold,
        columns=shifts + sorted(set(missed.officer_shift) - set(shifts)),
    )


@st.cache_data(ttl=data.RESULT_TTL_S, max_entries=64, show_spinner=False)
def areas_on(role: str, day: date) -> gpd.GeoDataFrame:
    """Program areas in force on a day (geo.areas), read as the role's database user."""
    return data.run_as(role, lambda conn: areas_in_force(conn, day, day))


def coverage_class(trained: int, active: int) -> tuple[str, str]:
    """(legend label, fill colour) of a post's coverage."""
    if not active:
        return NO_OFFICERS
    share = trained / active
    return next((label, color) for floor, label, color in CLASSES if share >= floor)


def posts_layer(areas: gpd.GeoDataFrame, cells: pd.DataFrame) -> gpd.GeoDataFrame:
    """Post polygons with their coverage, class colour and tooltip texts."""
    posts = areas[areas.kind == "post"].rename(columns={"name": "post"})
    counts = coverage_by(cells, "post").set_index("post")
    trained = posts.post.map(counts.trained_officers).fillna(0).astype(int)
    active = posts.post.map(counts.active_officers).fillna(0).astype(int)
    return gpd.GeoDataFrame(
        {
            "post": posts.post.map(html.escape),
            "boundary": posts.is_approximation.map(
                {True: "approximate (not the official layer)", False: "official"}
            ),
            "officers": [
                f"{t} of {a} active ({share_text(t, a)})"
                for t, a in zip(trained, active, strict=True)
            ],
            "fill": [coverage_class(t, a)[1] for t, a in zip(trained, active, strict=True)],
        },
        geometry=posts.geometry,
        crs=posts.crs,
    )


def coverage_map(areas: gpd.GeoDataFrame, cells: pd.DataFrame) -> folium.Map:
    """Posts coloured by coverage, the catchment drawn over them, and a legend."""
    posts = posts_layer(areas, cells)
    shown = posts if not posts.empty else gpd.GeoSeries([market_point().buffer(0.01)])
    west, south, east, north = shown.total_bounds
    fmap = maps.base_map(((south + north) / 2, (west + east) / 2), zoom=14)
    fmap.options["zoom_snap"] = 0.25  # let fit_bounds fill the frame
    if not posts.empty:
        add_posts(fmap, posts)
    catchment = areas[areas.kind == "catchment"]
    if not catchment.empty:
        folium.GeoJson(
            catchment[["name", "geometry"]].to_json(),
            name="LEAD catchment",
            style_function=lambda f: {"color": CATCHMENT_COLOR, "weight": 3, "fill": False},
            interactive=False,
        ).add_to(fmap)
    fmap.fit_bounds([[south, west], [north, east]])
    Legend().add_to(fmap)
    return fmap


def add_posts(fmap: folium.Map, posts: gpd.GeoDataFrame) -> None:
    """Post polygons filled by coverage class, with tooltips and a number label each."""
    folium.GeoJson(
        posts.to_json(),
        name="Posts (approximate boundaries)",
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "color": "#555",
            "weight": 1,
            "fillOpacity": 0.75,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(
            ["post", "officers", "boundary"],
            aliases=["Post", "LEAD-trained officers", "Boundary"],
        ),
    ).add_to(fmap)
    for post, point in zip(posts.post, posts.representative_point(), strict=True):
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div style="{LABEL_STYLE}">{post}</div>',  # escaped in posts_layer
                icon_size=(30, 14),
                icon_anchor=(15, 7),
            ),
            interactive=False,
        ).add_to(fmap)


class Legend(MacroElement):
    """The map's key as a Leaflet control, so it travels with the map."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var legend = L.control({position: 'topright'});
        legend.onAdd = function () {
            var div = L.DomUtil.create('div', 'lead-legend');
            div.style.cssText = 'background:#fff;padding:6px 8px;font:12px sans-serif;'
                + 'line-height:18px;border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)';
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        legend.addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self):
        super().__init__()
        swatch = (
            '<i style="display:inline-block;width:14px;height:14px;margin-right:6px;'
            'vertical-align:middle;background:{};border:1px solid #555"></i>{}'
        )
        rows = [swatch.format(color, label) for _floor, label, color in CLASSES]
        rows.append(swatch.format(NO_OFFICERS[1], NO_OFFICERS[0]))
        line = (
            f'<i style="display:inline-block;width:14px;height:0;margin-right:6px;'
            f'vertical-align:middle;border-top:3px solid {CATCHMENT_COLOR}"></i>'
            "LEAD catchment"
        )
        self.html = "<b>Officers trained</b><br>" + "<br>".join([*rows, line])


def trend_chart(trend: pd.DataFrame, period: str) -> alt.Chart:
    """Monthly share of active officers with current training."""
    frame = trend.assign(
        share=100 * trend.trained_officers / trend.active_officers.where(trend.active_officers > 0),
        day=pd.to_datetime(trend.day),
    )
    return (
        alt.Chart(frame, title=f"Active officers with current LEAD training, month ends, {period}")
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title="Month end", axis=alt.Axis(format="%b %Y")),
            y=alt.Y(
                "share:Q", title="Officers trained (% of active)", scale=alt.Scale(domain=[0, 100])
            ),
            tooltip=[
                alt.Tooltip("day:T", title="On"),
                alt.Tooltip("trained_officers:Q", title="Trained"),
                alt.Tooltip("active_officers:Q", title="Active"),
                alt.Tooltip("share:Q", title="Coverage (%)", format=".0f"),
            ],
        )
        .properties(height=280)
    )


def coverage_bars(cells: pd.DataFrame, column: str, label: str, day: date) -> alt.Chart:
    """Horizontal bars: share of active officers trained, by sector or shift."""
    table = coverage_by(cells, column)
    table["percent"] = 100 * table.share
    table["text"] = [
        f"{t} of {a}" for t, a in zip(table.trained_officers, table.active_officers, strict=True)
    ]
    base = alt.Chart(table, title=f"Coverage by {label.lower()}, {day:%d %b %Y}").encode(
        y=alt.Y(f"{column}:N", title=label),
        x=alt.X(
            "percent:Q", title="Officers trained (% of active)", scale=alt.Scale(domain=[0, 100])
        ),
    )
    bars = base.mark_bar(color=CLASSES[0][2])
    text = base.mark_text(align="left", dx=4).encode(text="text:N")
    return (bars + text).properties(height=alt.Step(28))


def headline(
    cells: pd.DataFrame,
    before: pd.DataFrame,
    diversion: Suppressed,
    missed: Suppressed,
    expiring: int,
    settings: pd.Series,
    expires_by: date,
) -> list[Tile]:
    """The page's KPI tiles: coverage, diversion by trained officers, missed
    opportunities, trainings about to run out."""
    trained, active = int(cells.trained_officers.sum()), int(cells.active_officers.sum())
    rates = diversion.shown.set_index(OFFICER)
    return [
        Tile(
            "Officers with current LEAD training",
            f"{trained} of {active}",
            f"{share_text(trained, active)} of active officers · target "
            f"{settings.target} trained officers (all sectors and shifts)",
            change=trained - int(before.trained_officers.sum()),
            better="higher",
        ),
        Tile(
            "Diverted by trained officers",
            rates.loc["LEAD-trained", "Diverted"],
            f"of {rates.loc['LEAD-trained', 'Eligible contacts']} eligible contacts · "
            f"untrained officers: {rates.loc['Not trained', 'Diverted']}",
            better="higher",
        ),
        Tile(
            "Missed opportunities",
            missed.shown.iloc[-1, -1],
            "eligible contacts arrested by officers without current training",
            better="lower",
        ),
        Tile(
            f"Trainings expiring within {settings.warning_days} days",
            f"{expiring}",
            f"active officers whose training runs out by {expires_by:%d %b %Y}",
            better="lower",
        ),
    ]
