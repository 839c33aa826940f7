"""The legal clock's demo fields (issue 20): for each arrest diversion, the SAO's case
reference and, for most people, the day they consented to the SAO being told whether
intake happened by the deadline (a day or two after the referral, when the case manager
first meets them).

Drawn from a generator of their own (seeded from the demo's seed), so the rest of the
demo data set is the same as without them.
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX

CONSENT_SHARE = 0.7  # of arrest diversions, consent to share with the SAO recorded
CONSENT_AFTER_DAYS = (0, 3)  # days after the referral, upper bound excluded


def sao_fields(seed: int, enrollments: pd.DataFrame, days: int) -> pd.DataFrame:
    """``enrollments`` (day numbers) with ``case_reference`` for every arrest diversion
    (door ``arrest``) and ``consent_day`` (NaN: no consent recorded, or not before
    day ``days``, the end of the demo)."""
    rng = np.random.default_rng([seed, 20])
    frame = enrollments.copy()
    arrest = (frame["door"] == "arrest").to_numpy()
    numbers = np.arange(1, len(frame) + 1)
    frame["case_reference"] = np.where(arrest, [f"{ID_PREFIX}sao{n:05d}" for n in numbers], None)
    consents = arrest & (rng.random(len(frame)) < CONSENT_SHARE)
    after = rng.integers(*CONSENT_AFTER_DAYS, size=len(frame))
    consent_day = frame["referred_day"].to_numpy() + after
    frame["consent_day"] = np.where(consents & (consent_day < days), consent_day, np.nan)
    return frame
