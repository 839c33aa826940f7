"""Referral doors, the warm handoff and caseload targets in words and tables (issue 20;
no Streamlit, no SQL).

Three doors into LEAD: arrest diversion, social contact (an officer refers someone
without an arrest) and community referral (no police contact). The warm handoff is the
time from the officer's contact to the case manager meeting the person, against a target
(30 minutes, a dated setting); its share within target counts every referral through a
police door, so a referral whose handoff never happened is not within target. Case
managers aim at 12-15 participants each, at most 20 on average, never above 25
(settings); a participant is "in the wind" after ``in_the_wind_days`` without a meeting.
"""

import pandas as pd

from geo.disclosure import TOTAL

DOORS = ("arrest", "social_contact", "community")
POLICE_DOORS = ("arrest", "social_contact")
DOOR_LABELS = {
    "arrest": "Arrest diversion",
    "social_contact": "Social contact",
    "community": "Community referral",
    TOTAL: TOTAL,
}
COUNTS = {
    "referrals": "Referrals",
    "intakes": "Intakes",
    "active": "Active at end",
    "handoffs": "Warm handoffs",
    "within_target": "Within target",
}
NOT_APPLICABLE = "n/a"
DEFINITIONS = """
- **Referral doors**: *arrest diversion* (an officer diverts instead of booking), *social
  contact* (an officer refers someone without an arrest), *community referral* (an
  outreach worker, a provider or the person; no police contact).
- **Warm handoff**: minutes from the officer's contact to the case manager meeting the
  person, for referrals of the period through a police door. *Within target*: at most
  {warm_handoff_target_minutes} minutes (setting `warm_handoff_target_minutes`); the
  share counts every such referral, so one without a handoff is not within target. The
  median is of the handoffs that happened.
- **In the wind**: active, with neither a meeting with the case manager nor the intake in
  the last {in_the_wind_days} days (setting `in_the_wind_days`).
- **Caseload targets**: {caseload_target_low}–{caseload_target_high} participants per
  case manager, at most {caseload_average_max} on average, never above {caseload_breach}
  (settings).
"""


def definitions(settings) -> str:
    """The definitions with the settings in force (``settings``: a mapping by setting name)."""
    return DEFINITIONS.format_map(settings)


def share_text(part, whole) -> str:
    """'7 of 10 (70%)', or '–' with nothing to share."""
    if pd.isna(part) or pd.isna(whole) or not whole:
        return "–"
    return f"{int(part)} of {int(whole)} ({part / whole:.0%})"


def minutes_text(value) -> str:
    return "–" if value is None or pd.isna(value) else f"{value:g} min"


def door_table(flow: pd.DataFrame) -> pd.DataFrame:
    """The exact figures by door (``doors/flow``) with a Total row, as shown to case
    managers and administrators."""
    rows = flow.set_index("door").reindex(list(DOORS))
    medians = rows.pop("median_handoff")
    rows = rows.fillna(0)
    total = rows[list(COUNTS)].sum()
    police = rows.loc[list(POLICE_DOORS)]
    table = pd.DataFrame(
        {
            "Door": [DOOR_LABELS[d] for d in (*DOORS, TOTAL)],
            **{
                label: [int(v) for v in [*rows[name], total[name]]]
                for name, label in COUNTS.items()
                if name != "within_target"
            },
            "Within target": [
                *(share_text(rows.at[d, "within_target"], rows.at[d, "referrals"]) for d in DOORS),
                share_text(police.within_target.sum(), police.referrals.sum()),
            ],
            "Median handoff": [*(minutes_text(v) for v in medians), "–"],
        }
    )
    return _community_without_handoffs(table)


def _community_without_handoffs(table: pd.DataFrame) -> pd.DataFrame:
    """Community referrals have no officer's contact: no handoff to measure. A column of
    numbers stays numeric with the cell missing (pages show it as "n/a", files blank);
    a column of text says "n/a"."""
    community = table["Door"] == DOOR_LABELS["community"]
    for column in ("Warm handoffs", "Within target", "Median handoff"):
        if pd.api.types.is_numeric_dtype(table[column]):
            table[column] = table[column].astype("Int64").mask(community)
        else:
            table[column] = table[column].astype(object)
            table.loc[community, column] = NOT_APPLICABLE
    return table


def release_door_table(labels: pd.DataFrame, medians: dict) -> pd.DataFrame:
    """The stored labels of release figure ``doors`` (rows: doors and Total) as a table;
    ``medians``: door -> the stored median label."""
    rows = labels.reindex([*DOORS, TOTAL])
    table = pd.DataFrame(
        {
            "Door": [DOOR_LABELS[d] for d in rows.index],
            **{label: rows[name].fillna("–").to_numpy() for name, label in COUNTS.items()},
            "Median handoff": [medians.get(d, "–") for d in rows.index],
        }
    )
    return _community_without_handoffs(table)


def caseload_summary(caseloads: pd.DataFrame, settings) -> str:
    """Average caseload against the targets, case managers within the target range and
    participants in the wind, from exact caseloads (``capacity/caseloads``)."""
    assigned = caseloads[caseloads.case_manager.notna() & (caseloads.caseload > 0)]
    if assigned.empty:
        return "No case manager has an active participant."
    low, high = settings.caseload_target_low, settings.caseload_target_high
    average = assigned.caseload.mean()
    within = assigned.caseload.between(low, high).sum()
    verdict = "within" if average <= settings.caseload_average_max else "above"
    over = (assigned.caseload > settings.caseload_breach).sum()
    return (
        f"Average caseload **{average:.1f}** ({verdict} the {settings.caseload_average_max} "
        f"average limit); **{within} of {len(assigned)}** case managers within the "
        f"{low}–{high} target; **{over}** above {settings.caseload_breach}. In the wind: "
        f"**{share_text(caseloads.in_the_wind.sum(), caseloads.caseload.sum())}** of active "
        "participants."
    )
