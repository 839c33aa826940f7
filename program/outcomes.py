"""Referral outcome rules: periods, granularity, and the tables of the Referral outcomes
page protected together (no Streamlit, no SQL: rows arrive from the page's queries).

For roles without person-level access, small counts are hidden by ``geo.privacy``; tables
that share a figure (a month's referrals appear by service and by outcome, a service's
engaged referrals in the funnel and in the timing table...) are protected together so a
figure hidden in one is hidden in all.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geo import privacy

SERVICES = ("drug_treatment", "mental_health", "housing", "other")
SERVICE_LABELS = {s: s.replace("_", " ").capitalize() for s in SERVICES}  # Drug treatment
OUTCOMES = ("pending", "engaged", "completed", "declined", "no_show")
OUTCOME_LABELS = {o: o.replace("_", "-").capitalize() for o in OUTCOMES}  # No-show
BINS = ((0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, None))
HORIZONS = (3, 6, 12)
STATUSES = {"active": "Active", "returned": "Returned", "exited": "Exited"}
HIDDEN_PART = "Hidden figures"
TOTAL = "Total"


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


def protect(matrices: dict, links: list, threshold_: int, suppress: bool) -> dict:
    extended = {name: privacy.extend_with_margins(m.to_numpy()) for name, m in matrices.items()}
    if suppress:
        masks = privacy.protect_linked(extended, links, threshold_)
    else:
        masks = {name: np.zeros(e.shape, dtype=bool) for name, e in extended.items()}
    return {name: (extended[name], masks[name]) for name in matrices}


def referral_tables(
    cube: pd.DataFrame, bins: pd.DataFrame, start: date, end: date, t: int, suppress: bool
) -> dict:
    """Referrals by period x service, period x outcome, service x outcome (the funnel) and
    engaged referrals by service x days to engagement, protected together. ``cube`` holds
    referrals by month, service and outcome; ``bins`` engaged referrals by service and
    days to engagement (``queries/outcomes/referrals``, ``engagement_bins``)."""
    by = granularity(suppress)
    cube = cube.assign(period=[bucket_of(d, by) for d in cube.month])
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


def timing_summary(quantiles: pd.DataFrame, timing: Table) -> pd.DataFrame:
    """Quartiles of days to engagement per service (``quantiles``), shown where the
    service's count of engaged referrals is shown and not zero."""
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


def cohort_tables(rows: pd.DataFrame, as_of: date, t: int, suppress: bool) -> dict:
    """Intake cohorts (by month, or quarter where cells are hidden) at 3, 6 and 12 months,
    protected together: a cohort's size appears in each horizon's table. A horizon is
    shown for a cohort once all its members have reached it. ``rows``: statuses by
    intake month and horizon (``queries/outcomes/cohorts``)."""
    by = granularity(suppress)
    rows = rows.assign(cohort=[bucket_of(d, by) for d in rows.intake_month])
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
