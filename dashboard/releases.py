"""Releases for roles without person-level access (issue 15): the picker every release
page draws, and the stored figures read as they were published.

Police command and BHSB leadership read figures about participants and service records
only from releases (``python -m releases refresh``, ``db/migrations/0016_releases.sql``):
fixed closed periods, protected together, stored with a label per cell. Pages show the
stored label (a count, ``<11`` for a primary cell, ``suppressed`` for a complementary
one) and chart the stored value (NaN when hidden): no suppression is computed here.
"""

from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import access, database, url_state
from dashboard.components import how_calculated
from dashboard.filters import Filters
from program.access import User

KIND_LABELS = {"month": "Month", "quarter": "Quarter", "year": "Year", "pilot": "Pilot to date"}
TOTAL = "Total"
NOT_PUBLISHED = "–"
METHOD = """
**Releases.** Figures about participants and their services are published for whole,
closed periods (months, quarters, years, the pilot to date), all of a period's tables
protected together, and stored: every reader of a release sees the same numbers.

**Small counts.** A count of 1 to 10 people is shown as "<11" (*small-cell suppression*),
so that no one can be recognised. A count can sometimes be worked out from a total and the
other counts beside it; such counts are hidden too and shown as "suppressed"
(*complementary suppression*). Counts are hidden until, for every hidden count, the
smallest and largest value anyone could work out from everything published (computed
exactly by linear programming, over all the tables of all releases) leave a margin of at
least the protection level (a setting, 3) on each side of the true value. A figure that
cannot be protected for a period on its own is not published for it ("–"). Zeros are
always shown.
"""


@dataclass(frozen=True)
class Release:
    release_id: int
    kind: str
    first_day: date
    last_day: date
    label: str
    data_as_of: date
    computed_at: datetime

    @property
    def span(self) -> str:
        """'1 Jul – 30 Sep 2026'."""
        first = f"{self.first_day.day} {self.first_day:%b}"
        if self.first_day.year != self.last_day.year:
            first += f" {self.first_day.year}"
        return f"{first} – {self.last_day.day} {self.last_day:%b %Y}"

    @property
    def title(self) -> str:
        """'Q3 2026 (1 Jul – 30 Sep 2026)'."""
        return f"{self.label} ({self.span})"


def protection_text(threshold: int) -> str:
    return (
        f"protected: counts 1–{threshold} show as <{threshold + 1}, others hidden to "
        "protect them show as 'suppressed'"
    )


def caption(release: Release, threshold: int) -> str:
    """The line every release page shows under its picker."""
    return (
        f"Release: **{release.title}**, computed {release.computed_at:%d %b %Y} from data "
        f"as of {release.data_as_of:%d %b %Y}; {protection_text(threshold)}."
    )


def stored(role: str) -> list[Release]:
    """Every stored release, by kind, oldest first."""
    frame = database.query(role, "releases_read/list")
    return [
        Release(
            int(r.release_id),
            r.period_kind,
            r.first_day,
            r.last_day,
            r.label,
            r.data_as_of,
            r.computed_at,
        )
        for r in frame.itertuples()
    ]


def snap(releases: list[Release], day: date) -> Release:
    """The release that contains ``day`` (the shortest if several do), else the latest
    ending before it, else the latest of all."""
    containing = [r for r in releases if r.first_day <= day <= r.last_day]
    if containing:
        return min(containing, key=lambda r: (r.last_day, -r.first_day.toordinal()))
    before = [r for r in releases if r.last_day <= day]
    return max(before or releases, key=lambda r: (r.last_day, r.first_day))


def release_threshold(user: User, release: Release) -> int:
    """The small-cell threshold the release was protected with (in force on its as-of
    date)."""
    return access.small_cell_setting(user.role, release.data_as_of)


def picker(
    user: User, f: Filters, key: str = "release", kinds=tuple(KIND_LABELS), method: str = ""
) -> Release:
    """Kind and period of the release to show: by default the month containing the
    sidebar period's end (else the latest month); a new sidebar period snaps the choice
    again; under it how releases are protected, after the page's own ``method``, in the
    page's "How is this calculated?". Stops the page with a notice when no release is
    stored yet."""
    releases = [r for r in stored(user.role) if r.kind in kinds]
    if not releases:
        st.info(
            "No release is stored yet: these figures are published as releases "
            "(`python -m releases refresh`, run after each import)."
        )
        st.stop()
    present = [k for k in kinds if any(r.kind == k for r in releases)]
    # ?release=<id> in the address, on the page's first run in the session: that release
    asked = {str(r.release_id): r for r in releases}.get(url_state.once(key, "release") or "")
    if asked is not None:
        st.session_state[f"{key}_kind"] = asked.kind
        st.session_state[f"{key}_{asked.kind}"] = asked.release_id
        st.session_state[f"{key}_{asked.kind}_anchor"] = f.end
    st.session_state.setdefault(f"{key}_kind", present[0])
    left, right = st.columns([1, 2])
    kind = (
        left.segmented_control("Release", present, format_func=KIND_LABELS.get, key=f"{key}_kind")
        or present[0]
    )
    of_kind = [r for r in releases if r.kind == kind]
    by_id = {r.release_id: r for r in of_kind}
    choice, anchor = f"{key}_{kind}", f"{key}_{kind}_anchor"
    if st.session_state.get(anchor) != f.end or st.session_state.get(choice) not in by_id:
        st.session_state[choice] = snap(of_kind, f.end).release_id
        st.session_state[anchor] = f.end
    chosen = right.selectbox(
        "Period",
        list(reversed(by_id)),
        format_func=lambda i: by_id[i].title,
        key=choice,
    )
    release = by_id[chosen]
    url_state.put("release", str(release.release_id))
    st.caption(caption(release, release_threshold(user, release)))
    how_calculated(method + METHOD)
    return release


def figure(role: str, release: Release, name: str) -> pd.DataFrame:
    """The stored cells of one figure of a release (none when it was not published)."""
    return database.query(role, "releases_read/figure", release_id=release.release_id, figure=name)


def statistics(role: str, release: Release) -> pd.DataFrame:
    """Medians and quartiles of a release (value NaN when withheld) with their labels."""
    return database.query(role, "releases_read/statistics", release_id=release.release_id)


@dataclass(frozen=True)
class Grid:
    """A figure as rows x columns: the labels to show, the values to chart (NaN when
    hidden or not published)."""

    labels: pd.DataFrame
    values: pd.DataFrame

    @property
    def published(self) -> bool:
        return bool(
            self.values.notna().to_numpy().any() or (self.labels != NOT_PUBLISHED).any().any()
        )

    def hidden(self) -> np.ndarray:
        return self.values.isna().to_numpy()

    def table(self, row_name: str, rows: dict | None = None, cols: dict | None = None):
        """The labels as a table: a first column ``row_name``, columns renamed."""
        out = self.labels.rename(index=rows or {}, columns=cols or {})
        return out.rename_axis(row_name).reset_index()


def grid(cells: pd.DataFrame, rows: list | None = None, cols: list | None = None) -> Grid:
    """``cells`` (row_key, col_key, value, label) laid out in ``rows`` x ``cols`` order
    (by default as found); cells not published say '–'."""
    rows = rows if rows is not None else list(dict.fromkeys(cells.row_key))
    cols = cols if cols is not None else list(dict.fromkeys(cells.col_key))
    labels = cells.pivot(index="row_key", columns="col_key", values="label")
    values = cells.pivot(index="row_key", columns="col_key", values="value").astype(float)
    labels = labels.reindex(index=rows, columns=cols).astype(object).fillna(NOT_PUBLISHED)
    values = values.reindex(index=rows, columns=cols)
    return Grid(
        labels.rename_axis(index=None, columns=None), values.rename_axis(index=None, columns=None)
    )


def statistic(stats: pd.DataFrame, name: str, row: str = TOTAL, col: str = "median"):
    """(value or None, label) of one statistic; ('–' when not published)."""
    found = stats[(stats.statistic == name) & (stats.row_key == row) & (stats.col_key == col)]
    if found.empty:
        return None, NOT_PUBLISHED
    value = found.value.iloc[0]
    return (None if pd.isna(value) else float(value)), found.label.iloc[0]
