"""Program capacity rules: the census words, open slots, caseload status, medians that
summarise too few people, and the forecast's outlook in sentences (no Streamlit, no SQL).

Program-wide operational totals (the census against capacity, open slots, pending and
overdue intakes, intakes and exits of the whole program) are shown as they are, for every
role: the daily census is published anyway and its day-to-day changes are the flows.
Caseloads break participants down by case manager: counts from 1 to the small-cell
threshold are hidden outside the person-level roles (``geo.privacy``). Medians of stays
and waits are shown only when they summarise more people than the threshold.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd

from geo.privacy import suppress_counts
from program import forecast

DEFINITIONS = """
- **Active** on a day: intake on or before that day, and no exit, or an exit after it
  (someone who leaves on a day no longer counts on that day).
- **Pending intake**: referred on or before the day, no intake yet, and not closed.
  Pending for longer than the intake window ({window} days, a program setting) it is
  **overdue**.
- **Capacity**: the program setting in force on the day ({capacity} on {day:%d %b %Y});
  it can change from a given date, so the capacity line is drawn as steps.
- **Open slots**: capacity minus active, never below zero.
- **Length of stay**: days from intake to exit, of participants who left in the period.
- **Referral → intake**: days from referral to intake, of intakes in the period.
- **Caseload**: active participants assigned to a case manager. Above {flag} a caseload is
  flagged; above {breach} it breaches the national LEAD guidance (typically 12–20 per
  case manager, never above 25).
"""
LOOKBACK_DAYS = (90, 180, 365)
NOT_ASSIGNED = "Not assigned"
HIDDEN = "hidden"


def definitions(settings, day: date) -> str:
    """The definitions in plain words, with the settings in force on ``day``."""
    return DEFINITIONS.format(
        window=settings.intake_window_days,
        capacity=settings.capacity,
        day=day,
        flag=settings.caseload_flag,
        breach=settings.caseload_breach,
    )


def period_of(as_of: date, days: int, first_day: date) -> tuple[date, date]:
    """The sidebar period's length, ending on the as-of date (not before the pilot)."""
    return max(first_day, as_of - timedelta(days=days - 1)), as_of


def open_slots(active: int, capacity: int) -> int:
    return max(capacity - active, 0)


def median_text(value: float | None, people: int, threshold: int) -> str:
    """A median in days; "hidden" when it summarises ``threshold`` people or fewer."""
    if people == 0 or value is None or pd.isna(value):
        return "–"
    if people <= threshold:
        return HIDDEN
    return f"{value:g} days"


def caseload_status(caseload: int, flag: int, breach: int) -> str:
    if caseload > breach:
        return "Breach"
    return "Flagged" if caseload > flag else "Within guidance"


def caseload_view(caseloads: pd.DataFrame, flag: int, breach: int, threshold: int):
    """The caseload table as shown to the role, and the same figures for the chart (hidden
    caseloads as NaN)."""
    frame = caseloads.assign(name=caseloads.case_manager.fillna(NOT_ASSIGNED))
    shown, mask = suppress_counts(frame, ["caseload", "in_the_wind"], threshold)
    status = [
        "" if who == NOT_ASSIGNED else caseload_status(n, flag, breach)
        for who, n in zip(frame.name, frame.caseload, strict=True)
    ]
    table = pd.DataFrame(
        {
            "Case manager": frame.name,
            "Active participants": shown.caseload,
            "In the wind": shown.in_the_wind,
            "Status": status,
            "Organization": frame.organization.fillna(""),
        }
    )
    chart_data = pd.DataFrame(
        {
            "name": frame.name,
            "caseload": frame.caseload.where(~mask.caseload),
            "label": shown.caseload,
            "status": [s or "Within guidance" for s in status],
        }
    )
    return table, chart_data


def parameters(rates: forecast.Rates, extra: int, first: date, day: date) -> pd.DataFrame:
    """The simulation's inputs, in words, for the method note."""
    delays = (
        "intakes that did not wait at a full program"
        if rates.delays_exclude_full
        else ("all intakes (too few never waited at a full program)")
    )
    stay = "no exits seen" if rates.exit_rate == 0 else f"mean stay {rates.mean_stay_days:.0f} days"
    rows = [
        ("Recent rates from", f"{first:%d %b %Y} – {day:%d %b %Y}"),
        ("Referrals per month", f"{rates.referrals_per_day * forecast.DAYS_PER_MONTH:.1f}"),
        ("What-if referrals per month", f"+{extra}"),
        (
            "Intake delay drawn from",
            f"{len(rates.delays)} {delays}; median {np.median(rates.delays):.0f} days",
        ),
        (
            "Exits per 100 participant-months",
            f"{100 * rates.exit_rate * forecast.DAYS_PER_MONTH:.1f} ({stay})",
        ),
        (
            "Closures before intake per 100 waiting-months",
            f"{100 * rates.closure_rate * forecast.DAYS_PER_MONTH:.1f}",
        ),
        (
            "Runs · seed · horizon",
            f"{forecast.RUNS} · {forecast.SEED} · {forecast.HORIZON_DAYS} days",
        ),
    ]
    return pd.DataFrame(rows, columns=["Parameter", "Value"])


def outlook(result: forecast.Projection, full_now: bool) -> list[str]:
    """Plain sentences: when the cap binds, or the waiting list and wait when full."""
    band = result.band()
    sentences = []
    if full_now:
        sentences.append(
            f"The program is **full** on {result.start.day:%d %b %Y}: "
            "no date to reach capacity, the forecast is of the waiting list."
        )
    else:
        share, median, low, high = result.reaches_capacity()
        if median is None:
            sentences.append(
                f"In {share:.0%} of runs the census reaches capacity within a year: "
                "at these rates **the cap is not expected to bind** in the next "
                f"{forecast.HORIZON_DAYS} days."
            )
        else:
            upper = f"{high:%d %b %Y}" if high else "beyond a year"
            sentences.append(
                f"At these rates the census reaches capacity around **{median:%d %b %Y}** "
                f"(10–90% of runs: {low:%d %b %Y} – {upper}; within a year in {share:.0%})."
            )
    for days in (30, 90):
        row = band.iloc[days - 1]
        sentences.append(
            f"In {days} days: **{row.active_median:.0f}** active "
            f"({row.active_low:.0f}–{row.active_high:.0f}) and "
            f"**{row.pending_median:.0f}** waiting for intake "
            f"({row.pending_low:.0f}–{row.pending_high:.0f})."
        )
    wait = result.wait_days()
    if wait:
        sentences.append(
            f"A referral made in the next {forecast.WAIT_COHORT_DAYS} days waits a median "
            f"**{wait[0]:.0f} days** for intake (10–90%: {wait[1]:.0f}–{wait[2]:.0f}); "
            f"{result.closed_share:.0%} are closed before intake."
        )
    return sentences
