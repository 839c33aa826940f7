"""Police contacts (stops and arrests) over the pilot, with the officer's LEAD decision.

Decisions here assume the program has room. Diversions marked ``slot_sensitive`` are the
ones an officer would not make while the program is full; ``demo.program`` turns them
into the ``fallback`` decision (arrested, or released for a social contact) on such days.
"""

import numpy as np
import pandas as pd

from demo import ID_PREFIX, hotspots, people, roster
from demo.timeline import Timeline

CONTACTS_PER_DAY = 5.0
# Relative contact volume by hour of day (0-23) and by weekday (Monday first).
HOUR_WEIGHTS = np.array(
    [
        3,
        2,
        1.5,
        1,
        0.7,
        0.6,
        0.8,
        1.5,
        3,
        4.5,
        5.5,
        6,
        6.5,
        7,
        7.5,
        7.5,
        7,
        6.5,
        6,
        5.5,
        5,
        4.5,
        4,
        3.5,
    ]
)
WEEKDAY_WEIGHTS = np.array([0.95, 1.0, 1.05, 1.1, 1.15, 1.0, 0.75])
SUMMER_PEAK = 0.12  # contacts rise this much above average in mid-summer
SHIFT_OF_HOUR = np.array(["night"] * 7 + ["day"] * 8 + ["evening"] * 8 + ["night"])

SOCIAL_CONTACT_SHARE = 0.15
SAME_SECTOR_WEIGHT = 4.0  # officers mostly work contacts in their own sector
# Trained officers, eligible person inside the catchment, program open:
DIVERT, DECLINED = 0.62, 0.18  # the rest are arrested at the officer's discretion
RAMP_DAYS = 180  # officers divert less in the first months, learning the process
UNTRAINED_DIVERT = 0.05
SOCIAL_REFER = 0.90  # social contacts in the catchment referred to LEAD; the rest released
WHEN_FULL = 0.25  # share of diversions still made while the program is full
# Exclusions screened by trained officers: (reason, probability, offences it applies to)
EXCLUSIONS = [
    ("violent history", 0.10, ("drug", "prostitution")),
    ("dealing for profit", 0.12, ("drug",)),
    ("open warrant", 0.04, ("drug", "prostitution")),
]


def generate_contacts(
    rng: np.random.Generator,
    timeline: Timeline,
    officers: pd.DataFrame,
    trainings: pd.DataFrame,
    pool: pd.DataFrame,
    geography: hotspots.Geography,
) -> pd.DataFrame:
    """Every contact of the pilot in time order, with where, who, and what was decided."""
    day, minute = _when(rng, timeline)
    first_training = trainings["completed_day"].min()
    social = (rng.random(len(day)) < SOCIAL_CONTACT_SHARE) & (day > first_training)
    places = hotspots.sample_places(rng, len(day), hot_spots_only=social)
    lon, lat = hotspots.sample_points(rng, places, geography)
    offense = hotspots.sample_offenses(rng, places)
    picks = people.pick_people(rng, pool, offense)
    post = geography.post_of(lon, lat)
    shift = SHIFT_OF_HOUR[minute // 60]
    officer = _officers(rng, officers, trainings, day, shift, post, social)
    frame = pd.DataFrame(
        {
            "contact_id": [f"{ID_PREFIX}c{n:06d}" for n in range(1, len(day) + 1)],
            "day": day,
            "occurred_at": _local_times(timeline, day, minute),
            "latitude": lat.round(6),
            "longitude": lon.round(6),
            "offense": offense,
            "pathway": np.where(social, "social_contact", "arrest"),
            "officer_id": officer,
            "person_key": pool["person_key"].to_numpy()[picks],
            "age": people.ages(pool, picks, day),
            "sex": pool["sex"].to_numpy()[picks],
            "race": pool["race"].to_numpy()[picks],
            "district": "Central",
            "post": post,
            "in_catchment": geography.in_catchment(lon, lat),
            "trained": roster.trained_at(trainings, officer, day),
        }
    )
    return _decide(rng, frame)


def _when(rng: np.random.Generator, timeline: Timeline) -> tuple[np.ndarray, np.ndarray]:
    """Day number and minute of day of each contact, sorted in time."""
    days = np.arange(timeline.days)
    weekdays = (pd.Timestamp(timeline.start).day_of_week + days) % 7
    day_of_year = pd.Timestamp(timeline.start).day_of_year + days
    season = 1 + SUMMER_PEAK * np.sin(2 * np.pi * (day_of_year - 110) / 365.25)
    counts = rng.poisson(CONTACTS_PER_DAY * WEEKDAY_WEIGHTS[weekdays] * season)
    day = np.repeat(days, counts)
    hour = rng.choice(24, size=len(day), p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    minute = hour * 60 + rng.integers(0, 60, size=len(day))
    order = np.lexsort((minute, day))
    return day[order], minute[order]


def _local_times(timeline: Timeline, day: np.ndarray, minute: np.ndarray) -> np.ndarray:
    """ISO local times without offset; a time skipped by the spring-forward moves on."""
    naive = pd.Timestamp(timeline.start) + pd.to_timedelta(day * 1440 + minute, unit="min")
    local = naive.tz_localize(
        "America/New_York", ambiguous=np.ones(len(day), dtype=bool), nonexistent="shift_forward"
    )
    return local.strftime("%Y-%m-%dT%H:%M:%S").to_numpy()


def _officers(rng, officers, trainings, day, shift, post, social) -> np.ndarray:
    """An officer per contact: on that shift, still in the district, usually of the
    contact's sector; social contacts are made by officers trained on the day."""
    ids = officers["officer_id"].to_numpy()
    left = officers["left_day"].fillna(np.inf).to_numpy()
    chosen = np.empty(len(day), dtype=object)
    todo = np.arange(len(day))
    while len(todo):
        for (shift_name, sector), group in pd.DataFrame(
            {"shift": shift[todo], "sector": [p[:2] for p in post[todo]], "row": todo}
        ).groupby(["shift", "sector"]):
            weights = np.where(officers["sector"] == sector, SAME_SECTOR_WEIGHT, 1.0)
            weights = weights * (officers["shift"] == shift_name).to_numpy()
            rows = group["row"].to_numpy()
            chosen[rows] = rng.choice(ids, size=len(rows), p=weights / weights.sum())
        gone = left[pd.Index(ids).get_indexer(chosen[todo])] <= day[todo]
        untrained = social[todo] & ~roster.trained_at(trainings, chosen[todo], day[todo])
        todo = todo[gone | untrained]
    return chosen


def _decide(rng: np.random.Generator, frame: pd.DataFrame) -> pd.DataFrame:
    """LEAD decision of each contact, assuming the program has room."""
    n = len(frame)
    u = rng.random(n)
    social = (frame["pathway"] == "social_contact").to_numpy()
    drug_or_sex = frame["offense"].isin(["drug", "prostitution"]).to_numpy()
    trained = frame["trained"].to_numpy()
    inside = frame["in_catchment"].to_numpy()
    reason = _exclusions(rng, frame["offense"].to_numpy())
    reason[trained & drug_or_sex & ~inside] = "outside catchment"
    ramp = np.minimum(1.0, 0.4 + 0.6 * frame["day"].to_numpy() / RAMP_DAYS)
    divert = np.where(trained, DIVERT * ramp, UNTRAINED_DIVERT)
    screened = drug_or_sex & inside & (reason == "")
    decision = np.full(n, "arrested", dtype=object)
    decision[screened & (u < divert)] = "diverted"
    decision[screened & trained & (u >= divert) & (u < divert + DECLINED)] = "declined"
    decision[trained & drug_or_sex & (reason != "")] = "ineligible"
    referred = social & inside & (u < SOCIAL_REFER)
    decision[social] = np.where(referred[social], "diverted", "released")
    frame["decision"] = decision
    frame["ineligible_reason"] = np.where(decision == "ineligible", reason, "")
    cutoff = np.where(social, SOCIAL_REFER, divert) * WHEN_FULL
    frame["slot_sensitive"] = (decision == "diverted") & (u >= cutoff)
    frame["fallback"] = np.where(social, "released", "arrested")
    return frame


def _exclusions(rng: np.random.Generator, offense: np.ndarray) -> np.ndarray:
    """The first exclusion that applies to each contact, or ''."""
    reason = np.full(len(offense), "", dtype=object)
    for name, probability, offenses in reversed(EXCLUSIONS):
        hit = np.isin(offense, offenses) & (rng.random(len(offense)) < probability)
        reason[hit] = name
    return reason
