"""Shares with 95% Wilson intervals for the Referral outcomes page: re-contact after
diversion and equity by race, sex and age group, small counts hidden together with the
shares made from them (no Streamlit, no SQL)."""

import numpy as np
import pandas as pd

from geo import privacy
from program.stats import format_interval, wilson

DIMENSIONS = {"race": "Race", "sex": "Sex", "age": "Age group"}
AGE_ORDER = ("Under 25", "25–34", "35–44", "45–54", "55 and over", "Unknown")
RECONTACT_CAVEAT = (
    "**Descriptive, not causal.** People who accept diversion are not comparable to those "
    "who decline it (selection), the groups are small, and only police contacts in this "
    "data count (not arrests elsewhere, charges or convictions). For context, the Seattle "
    "LEAD evaluation (Collins, Lonczak & Clifasefi 2017, *Evaluation and Program Planning* "
    "64:49–56) reported 58% lower odds of arrest for participants than for a "
    "system-as-usual comparison group over the longer term (60% lower in the first six "
    "months), in a non-randomised study of 318 people (203 LEAD, 115 comparison) with "
    "statistical weighting. The figures here are not an estimate of that effect."
)


def rate_rows(frame: pd.DataFrame, numerator: str, denominator: str, hidden) -> pd.DataFrame:
    """Share and 95% Wilson interval columns; '–' where either count is hidden."""
    num_hidden, den_hidden = hidden
    gone = np.asarray(num_hidden) | np.asarray(den_hidden)
    out = frame.copy()
    out["share"] = [
        np.nan if g or not d else n / d
        for n, d, g in zip(frame[numerator], frame[denominator], gone, strict=True)
    ]
    intervals = [
        None if g else wilson(int(n), int(d))
        for n, d, g in zip(frame[numerator], frame[denominator], gone, strict=True)
    ]
    out["low"] = [np.nan if i is None else i[0] for i in intervals]
    out["high"] = [np.nan if i is None else i[1] for i in intervals]
    out["Share"] = out.share.map(lambda x: "–" if np.isnan(x) else f"{100 * x:.0f}%")
    out["95% CI"] = [format_interval(i) for i in intervals]
    return out


def count_text(values, hidden, t: int) -> list[str]:
    return [
        privacy.small_label(t) if h else f"{int(v):,}" for v, h in zip(values, hidden, strict=True)
    ]


def recontact_table(rows: pd.DataFrame, t: int, suppress: bool) -> pd.DataFrame:
    """Share with a new police contact within 6 and 12 months: participants, decliners
    (``rows`` from ``queries/outcomes/recontact``)."""
    if suppress:
        num_hidden, den_hidden = privacy.protect_rates(rows.recontacted, rows.people, t)
    else:
        num_hidden = den_hidden = np.zeros(len(rows), dtype=bool)
    out = rate_rows(rows, "recontacted", "people", (num_hidden, den_hidden))
    out["Group"] = out.grp.map({"participants": "LEAD participants", "declined": "Declined"})
    out["Within"] = out.months.map(lambda k: f"{k} months")
    out["People"] = count_text(rows.people, den_hidden, t)
    out["With a new contact"] = count_text(rows.recontacted, num_hidden, t)
    return out


def equity_tables(
    diversion: pd.DataFrame, engagement: pd.DataFrame, t: int, suppress: bool
) -> dict:
    """Per dimension: eligible contacts diverted, and participants engaged with a service,
    by group, with shares and 95% Wilson intervals. The 'All' row is the program-wide
    total; where counts are suppressed it is protected with the groups (a small number
    of people declining in a period is a count of people too)."""
    diversion = diversion.assign(
        not_offered=diversion.eligible - diversion.diverted - diversion.declined
    )
    engagement = engagement.assign(not_engaged=engagement.participants - engagement.engaged)
    result = {}
    for dimension in DIMENSIONS:
        result[dimension] = (
            _equity_table(
                diversion,
                dimension,
                ["diverted", "declined", "not_offered"],
                "eligible",
                t,
                suppress,
            ),
            _equity_table(
                engagement, dimension, ["engaged", "not_engaged"], "participants", t, suppress
            ),
        )
    return result


def _equity_table(rows, dimension, parts, total, t, suppress) -> pd.DataFrame:
    frame = rows[rows.dimension == dimension].drop(columns="dimension")
    frame = frame.set_index("grp").reindex(_group_order(frame.grp, dimension)).reset_index()
    everyone = frame[[*parts, total]].sum().to_frame().T.assign(grp="All")
    if suppress:  # the 'All' row is protected with the groups: its parts are counts too
        everyone_label = {"grp": "All"}
        hidden = privacy.suppress_counts(
            frame, parts, t, total_column=total, total_row=everyone_label
        ).mask
    else:
        hidden = pd.DataFrame(False, index=range(len(frame) + 1), columns=[*parts, total])
    frame = pd.concat([frame, everyone], ignore_index=True)
    out = rate_rows(frame, parts[0], total, (hidden[parts[0]].to_numpy(), hidden[total].to_numpy()))
    for column in [total, *parts]:
        out[column] = count_text(frame[column], hidden[column].to_numpy(), t)
    return out


def equity_view(table: pd.DataFrame, total: str) -> pd.DataFrame:
    """The columns shown for an equity table, with readable names."""
    names = {
        "grp": "Group",
        "eligible": "Eligible contacts",
        "diverted": "Diverted",
        "declined": "Declined",
        "not_offered": "Not offered",
        "participants": "Participants",
        "engaged": "Engaged with a service",
    }
    columns = ["grp", total] + [c for c in names if c in table and c not in ("grp", total)]
    return table[[*columns, "Share", "95% CI"]].rename(columns=names)


def _group_order(groups: pd.Series, dimension: str) -> list[str]:
    if dimension == "age":
        return [g for g in AGE_ORDER if g in set(groups)]
    return sorted(set(groups) - {"Unknown"}) + (["Unknown"] if "Unknown" in set(groups) else [])
