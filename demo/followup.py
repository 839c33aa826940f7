"""What happens after a referral: the warm handoff and the case manager's meetings.

Warm handoff: after most police referrals the officer calls the case manager, who comes
to the person (median about 25 minutes, some hours at night); the rest are never met at
the scene (no ``handoff_at``). Community referrals have no officer's contact, so none.

Meetings: a participant meets their case manager every few days from intake to exit (or
the end date). Some lose touch for weeks ("in the wind") and come back; most of those who
leave as disengaged or incarcerated stopped meeting weeks before their exit.
"""

import numpy as np
import pandas as pd

HANDOFF_SHARE = 0.8  # police referrals with a recorded warm handoff
HANDOFF_MEDIAN_MINUTES = 25
HANDOFF_SPREAD = 0.7  # sigma of the log-normal handoff time: about 60% within 30 minutes
MEETING_GAP_MEDIAN_DAYS = 5
MEETING_GAP_SPREAD = 0.6
LOST_TOUCH_SHARE = 0.12  # participants with one long gap while enrolled
LOST_TOUCH_DAYS = (31, 75)
SILENT_BEFORE_EXIT = {"disengaged": 0.8, "incarcerated": 0.6}
SILENT_DAYS = (20, 60)


def handoffs(
    rng: np.random.Generator, enrollments: pd.DataFrame, contacts: pd.DataFrame, end: str
) -> pd.Series:
    """The warm-handoff time of each enrollment as local ISO text ('' when none or when it
    falls after the ISO ``end`` date)."""
    at = enrollments["contact_id"].map(contacts.set_index("contact_id")["occurred_at"])
    minutes = rng.lognormal(np.log(HANDOFF_MEDIAN_MINUTES), HANDOFF_SPREAD, len(at))
    met = at.notna() & (rng.random(len(at)) < HANDOFF_SHARE)
    moment = pd.to_datetime(at.where(met)) + pd.to_timedelta(minutes.round(), unit="min")
    text = moment.dt.strftime("%Y-%m-%dT%H:%M:%S")
    return text.where(met & (text.str[:10] <= end), "")


def meetings(rng: np.random.Generator, enrollments: pd.DataFrame, days: int) -> pd.DataFrame:
    """(enrollment_id, day) of every case-manager meeting up to the end date."""
    rows = []
    for e in enrollments.dropna(subset=["intake_day"]).itertuples():
        last = days - 1 if np.isnan(e.exit_day) else int(e.exit_day)
        if rng.random() < SILENT_BEFORE_EXIT.get(e.exit_reason, 0.0):
            last -= int(rng.integers(*SILENT_DAYS))
        gap_from = rng.integers(int(e.intake_day), last + 1) if last >= e.intake_day else None
        lost = gap_from is not None and rng.random() < LOST_TOUCH_SHARE
        day = int(e.intake_day)
        while day <= last:
            rows.append((e.enrollment_id, day))
            step = rng.lognormal(np.log(MEETING_GAP_MEDIAN_DAYS), MEETING_GAP_SPREAD)
            if lost and day >= gap_from:
                step, lost = rng.integers(*LOST_TOUCH_DAYS), False
            day += max(1, round(step))
    return pd.DataFrame(rows, columns=["enrollment_id", "day"])
