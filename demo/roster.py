"""Central District officers, their LEAD trainings, and the BCRI case managers.

Day numbers count from the pilot start (see ``demo.timeline``).
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX

OFFICERS = 230
LEAVERS = 9  # officers who leave the district during the pilot (inactive at the end)
POSTS = [f"{sector}{beat}" for sector in (11, 12, 13, 14) for beat in (1, 2, 3)]
POST_WEIGHTS = np.array([3, 2, 2, 2, 1.5, 1.5, 1.5, 1.5, 1.5, 2, 2, 1.5])
SHIFTS = ["day", "evening", "night"]
SHIFT_WEIGHTS = [0.36, 0.36, 0.28]

COURSE = "LEAD core"
VALID_DAYS = 730
# Training sessions for officers not yet trained: (day, officers). The third wave, a
# little over a year in, falls due for renewal within 90 days of the end date.
WAVES = [(14, 55), (150, 40), (410, 13), (600, 12), (820, 10), (1000, 10)]
# Sectors 11 and 12 (around the market) were trained first and most.
TRAINING_SECTOR_WEIGHT = {"11": 2.0, "12": 1.5, "13": 1.0, "14": 0.8}
RENEWAL_SHARE = 0.9
RENEWAL_LEAD_DAYS = 30  # refresher sessions run about a month before expiry

CASE_MANAGERS = [
    # id suffix, name, day joined, relative share of new participants
    ("cm1", "Renee Whitfield", 0, 1.6),
    ("cm2", "Marcus Greene", 0, 1.1),
    ("cm3", "Tanya Odom", 0, 1.0),
    ("cm4", "Luis Navarro", 0, 1.0),
    ("cm5", "Keisha Bryant", 450, 1.0),
]
ORGANIZATION = "Baltimore Crisis Response Inc. (BCRI)"


def officer_roster(rng: np.random.Generator, days: int) -> pd.DataFrame:
    """The Central District roster; ``left_day`` (NaN = stayed) is for the generator only."""
    posts = rng.choice(POSTS, size=OFFICERS, p=POST_WEIGHTS / POST_WEIGHTS.sum())
    left_day = np.full(OFFICERS, np.nan)
    leavers = rng.choice(OFFICERS, size=LEAVERS, replace=False)
    left_day[leavers] = rng.integers(200, days - 10, size=LEAVERS)
    return pd.DataFrame(
        {
            "officer_id": [f"{ID_PREFIX}o{n:04d}" for n in range(1, OFFICERS + 1)],
            "district": "Central",
            "sector": [post[:2] for post in posts],
            "post": posts,
            "shift": rng.choice(SHIFTS, size=OFFICERS, p=SHIFT_WEIGHTS),
            "active": np.isnan(left_day),
            "left_day": left_day,
        }
    )


def training_history(rng: np.random.Generator, roster: pd.DataFrame, days: int) -> pd.DataFrame:
    """First trainings in waves, then refreshers before expiry for most officers still
    in the district; columns officer_id, course, completed_day, expires_day."""
    first = _first_trainings(rng, roster)
    rows = [first]
    current = first
    while len(current):
        current = _renewals(rng, current, roster, days)
        rows.append(current)
    history = pd.concat(rows, ignore_index=True)
    history["course"] = COURSE
    return history.sort_values(["completed_day", "officer_id"], ignore_index=True)


def _first_trainings(rng: np.random.Generator, roster: pd.DataFrame) -> pd.DataFrame:
    weights = roster["sector"].map(TRAINING_SECTOR_WEIGHT).to_numpy(dtype=float, copy=True)
    weights[~np.isnan(roster["left_day"].to_numpy())] *= 0.6
    trained_count = sum(size for _, size in WAVES)
    chosen = rng.choice(len(roster), size=trained_count, replace=False, p=weights / weights.sum())
    days = np.repeat([day for day, _ in WAVES], [size for _, size in WAVES])
    days = days + rng.integers(0, 3, size=trained_count)  # sessions run over a few days
    frame = pd.DataFrame(
        {"officer_id": roster["officer_id"].to_numpy()[chosen], "completed_day": days}
    )
    frame["expires_day"] = frame["completed_day"] + VALID_DAYS
    return frame


def _renewals(rng, trainings: pd.DataFrame, roster: pd.DataFrame, days: int) -> pd.DataFrame:
    """Refreshers for trainings that fall due before the end, by officers still serving."""
    left = trainings["officer_id"].map(roster.set_index("officer_id")["left_day"])
    session = trainings["expires_day"] - RENEWAL_LEAD_DAYS + rng.integers(-7, 8, len(trainings))
    renewing = (
        (session <= days - 1) & ~(left <= session) & (rng.random(len(trainings)) < RENEWAL_SHARE)
    )
    renewed = pd.DataFrame(
        {"officer_id": trainings["officer_id"][renewing], "completed_day": session[renewing]}
    )
    renewed["expires_day"] = renewed["completed_day"] + VALID_DAYS
    return renewed.reset_index(drop=True)


def trained_at(trainings: pd.DataFrame, officer_ids: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Whether each officer held a current training on the matching day."""
    contacts = pd.DataFrame({"officer_id": officer_ids, "day": days, "row": np.arange(len(days))})
    pairs = contacts.merge(trainings, on="officer_id")
    current = pairs[
        (pairs["completed_day"] <= pairs["day"]) & (pairs["day"] < pairs["expires_day"])
    ]
    trained = np.zeros(len(days), dtype=bool)
    trained[current["row"].to_numpy()] = True
    return trained


def case_managers() -> pd.DataFrame:
    """BCRI case managers with the day they joined and their share of new participants."""
    return pd.DataFrame(
        [
            {
                "case_manager_id": f"{ID_PREFIX}{suffix}",
                "name": name,
                "organization": ORGANIZATION,
                "joined_day": joined,
                "share": share,
            }
            for suffix, name, joined, share in CASE_MANAGERS
        ]
    )
