"""Referral outcomes for the signed-in role: the page's tables and charts.

Every figure comes from the aggregate functions of db/migrations/0007_outcomes.sql. For
roles without person-level access, small counts are hidden by ``geo.privacy``; tables
that share a figure (a month's referrals appear by service and by outcome, a service's
engaged referrals in the funnel and in the timing table...) are protected together so a
figure hidden in one is hidden in all. Charts are drawn from the figures shown only.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from dashboard import data
from dashboard.review import SERVICE_LABELS
from geo import privacy
from program.stats import format_interval, wilson

SERVICES = ("drug_treatment", "mental_health", "housing", "other")
OUTCOMES = ("pending", "engaged", "completed", "declined", "no_show")
OUTCOME_LABELS = {
    "pending": "Pending",
    "engaged": "Engaged",
    "completed": "Completed",
    "declined": "Declined",
    "no_show": "No-show",
}
BINS = ((0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, None))
HORIZONS = (3, 6, 12)
STATUSES = {"active": "Active", "returned": "Returned", "exited": "Exited"}
DIMENSIONS = {"race": "Race", "sex": "Sex", "age": "Age group"}
AGE_ORDER = ("Under 25", "25–34", "35–44", "45–54", "55 and over", "Unknown")
HIDDEN_PART = "Hidden figures"
TOTAL = "Total"
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


def window(start: date, end: date, months: int = 12) -> tuple[date, date]:
    """Outcomes take months to unfold: whole quarters covering at least the ``months``
    calendar months ending at ``end`` (or the chosen period, if longer)."""
    months_back = end.year * 12 + end.month - months
    earliest = date(months_back // 12, months_back % 12 + 1, 1)
    return quarter_start(min(start, earliest)), end


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def bucket_of(day: date, by: str) -> date:
    """The first day of the month or quarter of ``day``."""
    return quarter_start(day) if by == "quarter" else day.replace(day=1)


def bucket_label(first: date, by: str) -> str:
    return f"Q{(first.month - 1) // 3 + 1} {first.year}" if by == "quarter" else f"{first:%b %Y}"


def bucket_end(first: date, by: str) -> date:
    return (pd.Timestamp(first) + pd.DateOffset(months=3 if by == "quarter" else 1, days=-1)).date()


def buckets(start: date, end: date, by: str) -> list[date]:
    freq = "QS" if by == "quarter" else "MS"
    return [d.date() for d in pd.date_range(bucket_of(start, by), end, freq=freq)]


def granularity(suppress: bool) -> str:
    """Months for person-level roles; quarters where small cells are hidden, since monthly
    counts of a 60-place program are mostly below the threshold. One granularity per role:
    showing both would let months be subtracted from quarters."""
    return "quarter" if suppress else "month"


def bin_label(low: int, high: int | None) -> str:
    return f"{low}+ days" if high is None else f"{low}–{high} days"


@dataclass(frozen=True)
class Table:
    """An extended table (totals in the last row and column), its labels, and the figures
    hidden for the role."""

    values: np.ndarray
    hidden: np.ndarray
    labels: list
    names: list
    row_name: str
    threshold: int

    def shown(self, percent: bool = False) -> pd.DataFrame:
        labels, names = [*self.labels, TOTAL], [*self.names, TOTAL]
        return privacy.render_two_way(
            self.values, self.hidden, labels, names, self.row_name, self.threshold, percent
        ).shown

    def long(self) -> pd.DataFrame:
        """Inner cells as rows (row, part, count) for charts: hidden cells are left out;
        where a row total is shown, their sum is one 'hidden' part (it follows from the
        figures shown anyway); rows whose total is hidden are left out entirely."""
        rows = []
        for i, label in enumerate(self.labels):
            if self.hidden[i, -1]:
                continue
            shown = [j for j in range(len(self.names)) if not self.hidden[i, j]]
            rows += [(label, self.names[j], int(self.values[i, j])) for j in shown]
            rest = int(self.values[i, -1] - sum(self.values[i, j] for j in shown))
            if rest:
                rows.append((label, HIDDEN_PART, rest))
        return pd.DataFrame(rows, columns=[self.row_name, "part", "count"])


def threshold(role: str, day: date) -> int:
    return int(data.query(role, "outcomes/threshold", day=day).threshold.iloc[0])


def protect(matrices: dict, links: list, threshold_: int, suppress: bool) -> dict:
    extended = {name: privacy.extend_with_margins(m.to_numpy()) for name, m in matrices.items()}
    if suppress:
        masks = privacy.protect_linked(extended, links, threshold_)
    else:
        masks = {name: np.zeros(e.shape, dtype=bool) for name, e in extended.items()}
    return {name: (extended[name], masks[name]) for name in matrices}


def referral_tables(role: str, start: date, end: date, t: int, suppress: bool) -> dict:
    """Referrals by period x service, period x outcome, service x outcome (the funnel) and
    engaged referrals by service x days to engagement, protected together."""
    by = granularity(suppress)
    cube = data.query(role, "outcomes/referrals", start=start, end=end)
    cube["period"] = [bucket_of(d, by) for d in cube.month]
    bins = data.query(role, "outcomes/engagement_bins", start=start, end=end)
    periods = buckets(start, end, by)
    lows = [low for low, _ in BINS]
    matrices = {
        "by_service": privacy.pivot(cube, "period", "service", "referrals", periods, SERVICES),
        "by_outcome": privacy.pivot(cube, "period", "outcome", "referrals", periods, OUTCOMES),
        "funnel": privacy.pivot(cube, "service", "outcome", "referrals", SERVICES, OUTCOMES),
        "timing": privacy.pivot(bins, "service", "bin_low", "referrals", SERVICES, lows),
    }
    m, s, o, b = len(periods), len(SERVICES), len(OUTCOMES), len(BINS)
    engaged = OUTCOMES.index("engaged")
    links = (
        [[("by_service", i, s), ("by_outcome", i, o)] for i in range(m)]
        + [[("by_service", m, j), ("funnel", j, o)] for j in range(s)]
        + [[("by_outcome", m, j), ("funnel", s, j)] for j in range(o)]
        + [[("timing", j, b), ("funnel", j, engaged)] for j in range(s + 1)]
        + [[("by_service", m, s), ("by_outcome", m, o), ("funnel", s, o)]]
    )
    protected = protect(matrices, links, t, suppress)
    period_labels = [
        bucket_label(d, by) + (f" (to {end:%d %b})" if bucket_end(d, by) > end else "")
        for d in periods
    ]
    service_labels = [SERVICE_LABELS[x] for x in SERVICES]
    outcome_labels = [OUTCOME_LABELS[x] for x in OUTCOMES]
    shape = {
        "by_service": (period_labels, service_labels, by.title()),
        "by_outcome": (period_labels, outcome_labels, by.title()),
        "funnel": (service_labels, outcome_labels, "Service"),
        "timing": (service_labels, [bin_label(*x) for x in BINS], "Service"),
    }
    return {name: Table(*protected[name], *shape[name], threshold=t) for name in matrices}


def funnel_stages(funnel: Table, total: bool = False) -> pd.DataFrame:
    """Referred -> reached engagement (engaged or completed) -> completed, per service
    (and all services with ``total``); a stage is NaN when any figure it is made of is
    hidden."""
    v, h = funnel.values, funnel.hidden
    engaged, completed = OUTCOMES.index("engaged"), OUTCOMES.index("completed")
    rows = []
    for i, service in enumerate([*funnel.labels, TOTAL] if total else funnel.labels):
        stages = {
            "Referred": (v[i, -1], h[i, -1]),
            "Reached engagement": (
                v[i, engaged] + v[i, completed],
                h[i, engaged] or h[i, completed],
            ),
            "Completed": (v[i, completed], h[i, completed]),
        }
        for stage, (count, hidden) in stages.items():
            rows.append((service, stage, np.nan if hidden else float(count)))
    return pd.DataFrame(rows, columns=["Service", "Stage", "referrals"])


def funnel_table(funnel: Table) -> pd.DataFrame:
    """The funnel stages with the share of referrals reaching each (hidden: '<11', '–')."""
    stages = funnel_stages(funnel, total=True)
    stages = stages.pivot(index="Service", columns="Stage", values="referrals")
    stages = stages.reindex([*funnel.labels, TOTAL])
    label = privacy.small_label(funnel.threshold)
    out = pd.DataFrame(index=stages.index)
    for stage in ("Referred", "Reached engagement", "Completed"):
        out[stage] = stages[stage].map(lambda x: label if np.isnan(x) else f"{x:,.0f}")
    for stage in ("Reached engagement", "Completed"):
        out[f"{stage} %"] = [
            "–" if np.isnan(n) or np.isnan(d) else privacy.format_share(n, d)
            for n, d in zip(stages[stage], stages["Referred"], strict=True)
        ]
    return out.reset_index()


def timing_summary(role: str, start: date, end: date, timing: Table) -> pd.DataFrame:
    """Quartiles of days to engagement per service, shown where the service's count of
    engaged referrals is shown and not zero."""
    quantiles = data.query(role, "outcomes/engagement_quantiles", start=start, end=end)
    quantiles = quantiles.set_index("service").reindex(list(SERVICES))
    rows = []
    for i, service in enumerate(SERVICES):
        count, hidden = int(timing.values[i, -1]), bool(timing.hidden[i, -1])
        q = quantiles.loc[service]
        show = not hidden and count > 0
        rows.append(
            {
                "Service": SERVICE_LABELS[service],
                "Engaged referrals": privacy.small_label(timing.threshold)
                if hidden
                else f"{count:,}",
                "Median days": f"{q['median']:.0f}" if show else "–",
                "Middle half (days)": f"{q.p25:.0f}–{q.p75:.0f}" if show else "–",
            }
        )
    return pd.DataFrame(rows)


def cohort_tables(role: str, start: date, end: date, as_of: date, t: int, suppress: bool):
    """Intake cohorts (by month, or quarter where cells are hidden) at 3, 6 and 12 months,
    protected together: a cohort's size appears in each horizon's table. A horizon is
    shown for a cohort once all its members have reached it."""
    by = granularity(suppress)
    rows = data.query(role, "outcomes/cohorts", start=start, end=end, as_of=as_of)
    rows["cohort"] = [bucket_of(d, by) for d in rows.intake_month]
    long = rows.melt(["cohort", "months"], list(STATUSES), "status", "n")
    due = {
        k: [
            c
            for c in sorted(set(rows.cohort[rows.months == k]))
            if (pd.Timestamp(bucket_end(c, by)) + pd.DateOffset(months=k)).date() <= as_of
        ]
        for k in HORIZONS
    }
    matrices = {
        k: privacy.pivot(long[long.months == k], "cohort", "status", "n", due[k], STATUSES)
        for k in HORIZONS
    }
    links = [[(k, due[k].index(c), len(STATUSES)) for k in HORIZONS if c in due[k]] for c in due[3]]
    protected = protect(matrices, [link for link in links if len(link) > 1], t, suppress)
    labels = {k: [bucket_label(c, by) for c in due[k]] for k in HORIZONS}
    name = f"Intake {by}"
    return {
        k: Table(*protected[k], labels[k], list(STATUSES.values()), name, threshold=t)
        for k in HORIZONS
    }


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


def recontact(role: str, start: date, end: date, as_of: date, t: int, suppress: bool):
    """Share with a new police contact within 6 and 12 months: participants, decliners."""
    rows = data.query(role, "outcomes/recontact", start=start, end=end, as_of=as_of)
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


def equity(role: str, start, end, offenses, t: int, suppress: bool) -> dict:
    """Per dimension: eligible contacts diverted, and participants engaged with a service,
    by group, with shares and 95% Wilson intervals. The 'All' row is the program-wide
    total (shown elsewhere unsuppressed), so it is never hidden here."""
    diversion = data.query(
        role, "outcomes/equity_diversion", start=start, end=end, offenses=offenses
    )
    diversion["not_offered"] = diversion.eligible - diversion.diverted - diversion.declined
    engagement = data.query(role, "outcomes/equity_engagement", start=start, end=end)
    engagement["not_engaged"] = engagement.participants - engagement.engaged
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
    if suppress:
        hidden = privacy.suppress_counts(frame, parts, t, total_column=total).mask
    else:
        hidden = pd.DataFrame(False, index=frame.index, columns=[*parts, total])
    everyone = frame[[*parts, total]].sum().to_frame().T.assign(grp="All")
    frame = pd.concat([frame, everyone], ignore_index=True)
    hidden = pd.concat(
        [hidden, pd.DataFrame(False, index=[len(frame) - 1], columns=hidden.columns)]
    )
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
