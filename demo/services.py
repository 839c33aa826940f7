"""Service referrals made for participants, with outcomes that unfold over months.

LEAD case managers refer a participant to several services, not one: at intake (drug
treatment for most, identification and benefits, housing, mental health) and again as
needs come up while the person is enrolled (a new treatment episode after a no-show,
housing once ID is in hand...). Identification and benefits are the schema's ``other``.
A referral stays pending until its first outcome (engaged, declined, no-show); engaged
referrals may later complete. Outcomes later than the end date are not known yet.
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX

SERVICES = np.array(["drug_treatment", "mental_health", "housing", "other"])
# Chance of a referral to each service within FIRST_REFERRAL_DAYS of intake (at least one).
AT_INTAKE = np.array([0.75, 0.30, 0.45, 0.60])
FIRST_REFERRAL_DAYS = (0, 8)  # after intake
# Later referrals while enrolled: days between two, and the service of each.
LATER_REFERRAL_GAP_DAYS = (10, 56)
LATER_SERVICE_WEIGHTS = np.array([0.35, 0.22, 0.25, 0.18])
# First outcome by service: probabilities of engaged, declined (else no-show).
ENGAGED = {"drug_treatment": 0.62, "mental_health": 0.55, "housing": 0.48, "other": 0.65}
DECLINED = 0.15
ENGAGED_AFTER_DAYS = (1, 21)  # a first appointment kept, within three weeks
REFUSED_AFTER_DAYS = (1, 14)  # declined, or the appointment missed
COMPLETED_SHARE = 0.55
COMPLETED_AFTER_DAYS = (45, 240)  # after engagement


def service_referrals(
    rng: np.random.Generator, enrollments: pd.DataFrame, days: int
) -> pd.DataFrame:
    """Referrals of every admitted participant, dated no later than the end date."""
    rows = []
    admitted = enrollments.dropna(subset=["intake_day"])
    for enrollment in admitted.itertuples():
        last_day = days - 1 if np.isnan(enrollment.exit_day) else enrollment.exit_day
        for service, day in _referral_days(rng, enrollment.intake_day, last_day):
            if day <= last_day:
                rows.append(
                    {"enrollment_id": enrollment.enrollment_id, "service": service, "day": day}
                    | _outcome(rng, service, day, days)
                )
    frame = pd.DataFrame(rows)
    frame.insert(0, "referral_id", [f"{ID_PREFIX}r{n:05d}" for n in range(1, len(frame) + 1)])
    return frame


def _referral_days(rng, intake_day: float, last_day: float) -> list[tuple[str, int]]:
    """The referrals of one enrollment up to its last day: a first set at intake, then
    one every few weeks."""
    first = int(intake_day) + rng.integers(*FIRST_REFERRAL_DAYS)
    chosen = rng.random(len(SERVICES)) < AT_INTAKE
    if not chosen.any():
        chosen[0] = True
    found = [(s, first + rng.integers(0, 3)) for s in SERVICES[chosen]]
    day = first + rng.integers(*LATER_REFERRAL_GAP_DAYS)
    while day <= last_day:
        found.append((rng.choice(SERVICES, p=LATER_SERVICE_WEIGHTS), day))
        day += rng.integers(*LATER_REFERRAL_GAP_DAYS)
    return found


def _outcome(rng, service: str, day: int, days: int) -> dict:
    """The outcome known at the end date and the day it was recorded (NaN if pending)."""
    draw = rng.random()
    if draw < ENGAGED[service]:
        outcome, after = "engaged", rng.integers(*ENGAGED_AFTER_DAYS)
    else:
        outcome = "declined" if draw < ENGAGED[service] + DECLINED else "no_show"
        after = rng.integers(*REFUSED_AFTER_DAYS)
    outcome_day = day + after
    if outcome == "engaged" and rng.random() < COMPLETED_SHARE:
        completed_day = outcome_day + rng.integers(*COMPLETED_AFTER_DAYS)
        if completed_day < days:
            outcome, outcome_day = "completed", completed_day
    if outcome_day >= days:
        return {"outcome": "pending", "outcome_day": np.nan}
    return {"outcome": outcome, "outcome_day": outcome_day}
