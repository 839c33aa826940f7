"""Jail bookings of the demo's participants (issue 20, cost avoided).

People referred to LEAD are often booked again and again for low-level offences; in the
year before their first intake a participant is booked about once on average (some many
times), in the year after less often, and most stays at Central Booking end within a day
or two while a few last weeks (held pending trial). Bookings are drawn around each
person's first intake, from a year before it to the end of the demo; a stay running past
the end date is still held (no release time).

Drawn from a generator of their own (seeded from the demo's seed), so the rest of the
demo data set is the same as without them.
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX

YEAR = 365
BOOKINGS_PER_YEAR = {"before": 1.1, "after": 0.55}  # mean per person (gamma-Poisson)
DISPERSION = 0.8  # gamma shape: a few people carry most bookings
STAY_MEDIAN_DAYS = 1.5
STAY_SPREAD = 1.1  # sigma of the log-normal stay
FACILITIES = (
    ("Baltimore Central Booking and Intake Center", 0.85),
    ("Baltimore City Detention Center", 0.15),
)


def bookings(seed: int, enrollments: pd.DataFrame, start: pd.Timestamp, days: int):
    """(booking_id, person_key, booked_at, released_at, facility) as native import text:
    local ISO times; ``released_at`` blank while still held on the last day (``days``
    after ``start``)."""
    rng = np.random.default_rng([seed, 25])
    first = enrollments.dropna(subset=["intake_day"]).groupby("person_key")["intake_day"].min()
    rows = []
    for person, intake in first.items():
        frailty = rng.gamma(DISPERSION, 1 / DISPERSION)
        for phase, low, high in (("before", intake - YEAR, intake), ("after", intake, days)):
            share = (high - low) / YEAR
            count = rng.poisson(BOOKINGS_PER_YEAR[phase] * frailty * share)
            for day in rng.uniform(low, high, count):
                rows.append((person, day))
    frame = pd.DataFrame(rows, columns=["person_key", "day"]).sort_values("day", kind="stable")
    stays = rng.lognormal(np.log(STAY_MEDIAN_DAYS), STAY_SPREAD, len(frame))
    booked = start + pd.to_timedelta(frame["day"].to_numpy(), unit="D")
    released = booked + pd.to_timedelta(stays, unit="D")
    end = start + pd.Timedelta(days=days)
    names, weights = zip(*FACILITIES, strict=True)
    return pd.DataFrame(
        {
            "booking_id": [f"{ID_PREFIX}b{n:05d}" for n in range(1, len(frame) + 1)],
            "person_key": frame["person_key"].to_numpy(),
            "booked_at": booked.strftime("%Y-%m-%dT%H:%M:00"),
            "released_at": np.where(released < end, released.strftime("%Y-%m-%dT%H:%M:00"), ""),
            "facility": rng.choice(names, len(frame), p=weights),
        }
    )
