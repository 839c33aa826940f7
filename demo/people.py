"""The pseudonymous people police meet: a few are contacted many times, most once or twice.

Demographics follow the shape of Baltimore arrest records: mostly Black men in their
thirties; women are most of those arrested for prostitution.
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX

PEOPLE = 2000
SEXES = np.array(["M", "F"])
SEX_WEIGHTS = [0.78, 0.22]
RACES = np.array(["Black", "White", "Hispanic", "Asian", "Other"])
RACE_WEIGHTS = [0.82, 0.14, 0.025, 0.01, 0.005]
# Prostitution contacts pick women this many times more often than men.
PROSTITUTION_FEMALE_FACTOR = 12.0


def person_pool(rng: np.random.Generator) -> pd.DataFrame:
    """People with a key, sex, race, age at the pilot start and how often they are met."""
    return pd.DataFrame(
        {
            "person_key": [f"{ID_PREFIX}p{n:06d}" for n in rng.permutation(10**6)[:PEOPLE]],
            "sex": rng.choice(SEXES, size=PEOPLE, p=SEX_WEIGHTS),
            "race": rng.choice(RACES, size=PEOPLE, p=RACE_WEIGHTS),
            "age_at_start": (18 + rng.gamma(3.2, 6.0, size=PEOPLE)).clip(max=74),
            "propensity": rng.lognormal(0.0, 1.0, size=PEOPLE),
        }
    )


def pick_people(rng: np.random.Generator, pool: pd.DataFrame, offenses: np.ndarray) -> np.ndarray:
    """A row of ``pool`` per contact, weighted by propensity (and sex for prostitution)."""
    base = pool["propensity"].to_numpy()
    female = (pool["sex"] == "F").to_numpy()
    prostitution = np.where(female, base * PROSTITUTION_FEMALE_FACTOR, base)
    picks = np.empty(len(offenses), dtype=int)
    for weights, mine in (
        (base, offenses != "prostitution"),
        (prostitution, offenses == "prostitution"),
    ):
        picks[mine] = rng.choice(len(pool), size=mine.sum(), p=weights / weights.sum())
    return picks


def ages(pool: pd.DataFrame, picks: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Whole years of age on the contact day."""
    return np.floor(pool["age_at_start"].to_numpy()[picks] + days / 365.25).astype(int)
