"""Static charts and the printed map for the review PDF (matplotlib, Agg backend).

Each function returns PNG bytes sized for a US Letter page; every chart carries a title,
axis titles with units, and the period.
"""

import io
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from shapely.geometry import shape  # noqa: E402

from geo.places import LEXINGTON_MARKET_LONLAT  # noqa: E402

INK = "#1f2933"
BLUE = "#1f4e79"
ORANGE = "#d9822b"
GREY = "#9aa5b1"
DENSITY_COLOURS = {"1–10": "#fde0c5", "11–25": "#facba6", "26–50": "#f59e72", "51+": "#c8553d"}


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()


def _frame(title: str, width: float = 7.0, height: float = 2.6):
    fig, ax = plt.subplots(figsize=(width, height))
    ax.set_title(title, loc="left", fontsize=10, color=INK)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)
    return fig, ax


MAX_DATE_TICKS = 8


def date_axis(ax, days: pd.Series) -> None:
    """Dates on the x axis as people write them ("6 Nov"; "Nov 2025" over a long span),
    at most ``MAX_DATE_TICKS`` of them, horizontal, so labels never overlap."""
    days = pd.to_datetime(pd.Series(days))
    span = (days.max() - days.min()).days if len(days) else 0
    locator = mdates.AutoDateLocator(minticks=3, maxticks=MAX_DATE_TICKS)
    if span <= 200:
        locator.intervald[mdates.DAILY] = [1, 7, 14, 21]  # weeks, not odd day counts
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(
        plt.FuncFormatter(
            lambda x, _: (
                f"{mdates.num2date(x).day} {mdates.num2date(x):%b}"
                if span <= 200
                else f"{mdates.num2date(x):%b %Y}"
            )
        )
    )
    ax.tick_params(axis="x", labelrotation=0)


def census_chart(census: pd.DataFrame, period_label: str) -> bytes:
    fig, ax = _frame(f"Active participants per day against capacity, {period_label}")
    ax.plot(census.day, census.active, color=BLUE, label="Active")
    ax.step(
        census.day, census.capacity, where="post", color=ORANGE, linestyle="--", label="Capacity"
    )
    ax.plot(census.day, census.pending, color=GREY, label="Pending intake")
    ax.set_ylabel("people", fontsize=8)
    ax.set_xlabel("day", fontsize=8)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    date_axis(ax, census.day)
    return _png(fig)


def weekly_contacts_chart(weekly: pd.DataFrame, period_label: str, offenses: str) -> bytes:
    fig, ax = _frame(f"Police contacts per week ({offenses}), {period_label}")
    weeks = pd.to_datetime(weekly.week)
    ax.bar(weeks, weekly.not_diverted, width=5, color=GREY, label="Not diverted")
    ax.bar(
        weeks,
        weekly.diverted,
        width=5,
        bottom=weekly.not_diverted,
        color=BLUE,
        label="Diverted",
    )
    ax.set_ylabel("contacts per week", fontsize=8)
    ax.set_xlabel("week starting (Monday; the first and last weeks may be partial)", fontsize=8)
    date_axis(ax, weeks)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return _png(fig)


def coverage_chart(coverage: pd.DataFrame, day_label: str) -> bytes:
    fig, ax = _frame(
        f"Share of active officers with current LEAD training by sector, {day_label}", height=2.2
    )
    ax.barh(coverage.sector.astype(str), coverage.coverage_pct, color=BLUE)
    for y, (pct, trained, active) in enumerate(
        zip(coverage.coverage_pct, coverage.trained_officers, coverage.active_officers, strict=True)
    ):
        ax.text(min(pct, 100) + 1, y, f"{trained} of {active}", va="center", fontsize=7)
    ax.set_xlim(0, 115)
    ax.set_xlabel("officers trained (%)", fontsize=8)
    ax.set_ylabel("sector", fontsize=8)
    return _png(fig)


def catchment_map(areas: pd.DataFrame, cells: pd.DataFrame, period_label: str) -> bytes:
    """Program layers and contact density classes; no basemap, so it prints anywhere."""
    fig, ax = plt.subplots(figsize=(7.0, 5.2))
    ax.set_title(
        f"Contacts around Lexington Market, {period_label} (100 m cells)",
        loc="left",
        fontsize=10,
        color=INK,
    )
    for label, colour in DENSITY_COLOURS.items():
        chosen = cells[cells.density_class == label]
        ax.scatter(chosen.x, chosen.y, s=28, marker="s", color=colour, label=label, linewidths=0)
    for row in areas.itertuples():
        geometry = shape(json.loads(row.geojson))
        style = {"catchment": (ORANGE, 2.0, "-"), "district": (INK, 1.2, "-")}.get(
            row.kind, (GREY, 0.6, ":")
        )
        for polygon in getattr(geometry, "geoms", [geometry]):
            x, y = polygon.exterior.xy
            ax.plot(x, y, color=style[0], linewidth=style[1], linestyle=style[2])
        if row.kind == "post":
            point = geometry.representative_point()
            ax.annotate(row.name, (point.x, point.y), fontsize=6, color=GREY, ha="center")
    ax.plot(*LEXINGTON_MARKET_LONLAT, marker="*", markersize=12, color=INK)
    ax.annotate(
        "Lexington Market",
        LEXINGTON_MARKET_LONLAT,
        xytext=(6, 6),
        textcoords="offset points",
        fontsize=7,
    )
    ax.set_aspect(1 / 0.7738)  # cos(39.29°): metres east and north at the same scale
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(
        title="contacts per cell",
        fontsize=7,
        title_fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    return _png(fig)
