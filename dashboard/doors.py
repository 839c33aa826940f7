"""The referral-door sections the Capacity, Referral outcomes and Review pages share
(issue 20): referrals, intakes, active participants and warm handoffs by door, and
service-referral outcomes by door.

Case managers and administrators read the exact figures of any window
(``queries/doors/*.sql``); police command and BHSB leadership read the chosen release's
stored figures ``doors`` and ``door_outcomes`` (``dashboard.releases``): a hidden count
shows as its stored label, a withheld median as its label.
"""

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import database, releases
from dashboard.components import figure_caption, short_headers
from geo.disclosure import TOTAL
from program import doors
from program.access import User
from program.outcomes import OUTCOMES
from reports.tables import plain


def settings(role: str, day: date) -> pd.Series:
    """The settings in force on ``day`` (handoff target, in-the-wind days, caseload targets)."""
    return database.query(role, "capacity/settings_on", day=day).iloc[0]


def flow_table(user: User, first: date, last: date, release=None) -> pd.DataFrame:
    """Referrals, intakes, active and warm handoffs by door, as the role may see them."""
    if release is None:
        return doors.door_table(database.query(user.role, "doors/flow", start=first, end=last))
    cells = releases.figure(user.role, release, "doors")
    grid = releases.grid(cells, rows=[*doors.DOORS, TOTAL], cols=list(doors.COUNTS))
    stats = releases.statistics(user.role, release)
    medians = {}
    for door in doors.POLICE_DOORS:
        value, label = releases.statistic(stats, "median_handoff", door)
        medians[door] = label if value is None else doors.minutes_text(value)
    return doors.release_door_table(grid.labels, medians)


WITHDRAWN = "Too few referrals by door in this period to show them without revealing a small count."
COLLAPSED = (
    "Shown as totals by door only: by outcome, too few referrals through some door to "
    "show them without revealing a small count."
)


def outcomes_table(user: User, first: date, last: date, release=None) -> pd.DataFrame:
    """Service referrals by door (rows) and outcome as known on the last day; from a
    release, the columns it publishes (door totals only where the outcomes could not be
    protected), or why none (:func:`released_note`)."""
    labels = [doors.DOOR_LABELS[d] for d in (*doors.DOORS, TOTAL)]
    if release is not None:
        grid = _released_outcomes(user.role, release)
        if not grid.published:
            return pd.DataFrame({"Service referrals by door": [WITHDRAWN]})
        published = grid.labels.loc[:, (grid.labels != releases.NOT_PUBLISHED).any()]
        return published.set_axis(labels).rename_axis("Door").reset_index()
    found = database.query(user.role, "doors/outcomes", start=first, end=last)
    table = found.pivot_table(
        index="door", columns="outcome", values="referrals", aggfunc="sum", fill_value=0
    ).reindex(index=list(doors.DOORS), columns=list(OUTCOMES), fill_value=0)
    table[TOTAL] = table.sum(axis=1)
    table.loc[TOTAL] = table.sum()
    return table.astype(int).set_axis(labels).rename_axis("Door").reset_index()


def _released_outcomes(role: str, release) -> releases.Grid:
    cells = releases.figure(role, release, "door_outcomes")
    return releases.grid(cells, rows=[*doors.DOORS, TOTAL], cols=[*OUTCOMES, TOTAL])


def released_note(role: str, release) -> str | None:
    """Why a release's service referrals by door are shown collapsed (door totals only)
    or not at all (:data:`COLLAPSED`, :data:`WITHDRAWN`); None when shown in full. They
    are the secondary figure beside the referral table (docs/access.md, "Releases")."""
    grid = _released_outcomes(role, release)
    if not grid.published:
        return WITHDRAWN
    if (grid.labels[list(OUTCOMES)] == releases.NOT_PUBLISHED).all().all():
        return COLLAPSED
    return None


def draw_flow(user: User, first: date, last: date, release=None, key: str = "doors") -> None:
    """The section 'By referral door' for ``first``..``last`` (or the release)."""
    st.subheader("By referral door")
    # a count a door does not have (community referrals' warm handoffs) is blank, "n/a"
    st.dataframe(
        flow_table(user, first, last, release),
        hide_index=True,
        key=key,
        placeholder=doors.NOT_APPLICABLE,
    )
    rules = settings(user.role, last)
    figure_caption(
        counts="referrals (people referred to LEAD) and intakes in the period, participants "
        "active on its last day, warm handoffs of the period's police referrals",
        period=f"{first:%d %b %Y} – {last:%d %b %Y}",
        denominator=f"within target: handoffs of at most {rules.warm_handoff_target_minutes} "
        "minutes over all referrals through that door (no handoff: not within target)",
        method="the door recorded on the enrollment; handoff minutes from the officer's "
        "contact to the case manager meeting the person; median of the handoffs that happened"
        + (
            "; the release's stored figures: counts by door are published for quarters, "
            "years and pilots to date at a quarter's end, active by door for every release"
            if release is not None
            else "; exact figures"
        ),
    )
    with st.expander("Doors, warm handoff and caseload definitions"):
        st.markdown(doors.definitions(rules))


def draw_outcomes(user: User, first: date, last: date, release=None, key: str = "door_out"):
    """The section 'Service referrals by door' for ``first``..``last`` (or the release)."""
    st.subheader("Service referrals by referral door")
    note = released_note(user.role, release) if release is not None else None
    if note:
        st.info(note)
    if note == WITHDRAWN:
        return
    table = plain("Service referrals by door", outcomes_table(user, first, last, release))
    st.dataframe(table, hide_index=True, key=key, column_config=short_headers(table))
    figure_caption(
        counts="service referrals made in the period, by the referral door of the "
        "participant's enrollment and outcome as known on the period's last day",
        period=f"{first:%d %b %Y} – {last:%d %b %Y}",
        method="the release's stored figures: a hidden count shows as '<11' or 'suppressed'"
        if release is not None
        else "exact figures",
    )
