"""Service referrals made for participants, with outcomes that unfold over months.

A referral stays pending until its first outcome (engaged, declined, no-show); engaged
referrals may later complete. Outcomes later than the end date are not known yet.
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX

SERVICES = np.array(["drug_treatment", "mental_health", "housing", "other"])
SERVICE_WEIGHTS = np.array([0.45, 0.22, 0.25, 0.08])
REFERRALS_PER_PERSON = [1, 2, 3]
REFERRALS_PER_PERSON_WEIGHTS = [0.35, 0.45, 0.20]
FIRST_REFERRAL_DAYS = (0, 8)  # after intake
LATER_REFERRAL_DAYS = (7, 90)
# First outcome by service: probabilities of engaged, declined (else no-show).
ENGAGED = {"drug_treatment": 0.62, "mental_health": 0.55, "housing": 0.48, "other": 0.65}
DECLINED = 0.15
ENGAGED_AFTER_DAYS = (7, 90)
REFUSED_AFTER_DAYS = (7, 45)
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
        for service, day in _referral_days(rng, enrollment.intake_day):
            if day <= last_day:
                rows.append(
                    {"enrollment_id": enrollment.enrollment_id, "service": service, "day": day}
                    | _outcome(rng, service, day, days)
                )
    frame = pd.DataFrame(rows)
    frame.insert(0, "referral_id", [f"{ID_PREFIX}r{n:05d}" for n in range(1, len(frame) + 1)])
    return frame


def _referral_days(rng, intake_day: float) -> list[tuple[str, int]]:
    count = rng.choice(REFERRALS_PER_PERSON, p=REFERRALS_PER_PERSON_WEIGHTS)
    services = rng.choice(SERVICES, size=count, replace=False, p=SERVICE_WEIGHTS)
    first = int(intake_day) + rng.integers(*FIRST_REFERRAL_DAYS)
    later = first + np.sort(rng.integers(*LATER_REFERRAL_DAYS, size=count - 1))
    return list(zip(services, [first, *later], strict=True))


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
