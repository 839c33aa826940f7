"""Synthetic data at scale: contacts with proportional officers, trainings, case managers,
enrollments and service referrals, generated with numpy and loaded with COPY.

The shape follows a program that went city-wide: contacts over four years ending on
``AS_OF`` all over Baltimore, a third of them clustered around Lexington Market; one
officer per 100 contacts (at least 150), one or two service referrals per participant.
Two profiles of enrollments (``PROFILES``):

- ``stress``: every diversion (about 6% of contacts) becomes a referral, so at 1M about
  20,000 people are active at once, far above a cap of 60: a stress case.
- ``program``: referrals arrive as a program of 60 places receives them (about 0.35 a
  day, drawn from the diversions) and are taken in first come, first served while the
  census is under the cap; the others wait, and some are closed while waiting.

Everything is a pure function of (size, seed, profile), so two runs measure the same data.
Above ``SLICED_ABOVE`` contacts, ``map_only`` data sets (officers and contacts, for the
contacts map) are generated one slice of time after another, never all in memory.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from geo.places import DATA, LEGACY_CENTRAL_FILE, LEXINGTON_MARKET_LONLAT

AS_OF = date(2026, 10, 31)
SPAN_DAYS = 4 * 365
CITY_FILE = DATA / "baltimore_cityline.geojson"
OFFENSES = np.array(["drug", "prostitution", "other"])
OUTER_DISTRICTS = np.array(
    [
        "Northern",
        "Northeastern",
        "Eastern",
        "Southeastern",
        "Southern",
        "Southwestern",
        "Western",
        "Northwestern",
    ]
)
CHARGES = {
    "drug": ["CDS possession", "CDS possession with intent", "Paraphernalia"],
    "prostitution": ["Prostitution", "Solicitation"],
    "other": ["Trespass", "Disorderly conduct", "Theft", "Assault", "Loitering"],
}
INELIGIBLE_REASONS = np.array(["violent history", "open warrant", "outside catchment", "age"])
SERVICES = np.array(["drug_treatment", "mental_health", "housing", "other"])
OUTCOMES = np.array(["pending", "engaged", "completed", "declined", "no_show"])
EXIT_REASONS = np.array(["completed", "disengaged", "moved", "incarcerated", "other"])
PROFILES = ("stress", "program")
CAPACITY = 60  # the pilot's cap (the 'capacity' setting of 0001_core_schema.sql)
PROGRAM_REFERRALS_PER_DAY = 0.35  # x a mean stay of 200 days: demand a little over the cap
PROGRAM_CASE_MANAGERS = 5
SLICES = 10  # map-only data sets are generated in this many slices of time
SLICED_ABOVE = 2_000_000  # larger sizes: map-only, sliced, indexes built after the load


@dataclass
class Dataset:
    """One generated data set, each table a DataFrame in the schema's column names."""

    size: int
    officer: pd.DataFrame
    training: pd.DataFrame
    contact: pd.DataFrame
    case_manager: pd.DataFrame
    enrollment: pd.DataFrame
    service_referral: pd.DataFrame

    def tables(self) -> list[tuple[str, pd.DataFrame]]:
        """Tables in an order that satisfies the foreign keys."""
        return [
            ("officer", self.officer),
            ("training", self.training),
            ("contact", self.contact),
            ("case_manager", self.case_manager),
            ("enrollment", self.enrollment),
            ("service_referral", self.service_referral),
        ]


def parse_size(text: str) -> int:
    """'10k' -> 10_000, '1m' -> 1_000_000, '2500' -> 2500."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def size_label(size: int) -> str:
    """10_000 -> '10k', 1_000_000 -> '1m'."""
    if size % 1_000_000 == 0:
        return f"{size // 1_000_000}m"
    if size % 1_000 == 0:
        return f"{size // 1_000}k"
    return str(size)


def generate(size: int, seed: int = 2017, profile: str = "stress") -> Dataset:
    """Every table for ``size`` contacts, enrollments as ``profile`` says."""
    rng = np.random.default_rng([seed, size])
    officer, training = officers(rng, max(150, size // 100))
    contact = contacts(rng, size, officer.officer_id.to_numpy())
    if profile == "program":
        case_manager = case_managers(PROGRAM_CASE_MANAGERS)
        enrollment = program_enrollments(rng, contact, case_manager.case_manager_id.to_numpy())
    else:
        case_manager = case_managers(max(4, size // 2_500))
        enrollment = enrollments(rng, contact, case_manager.case_manager_id.to_numpy())
    referral = service_referrals(rng, enrollment)
    return Dataset(size, officer, training, contact, case_manager, enrollment, referral)


def map_slices(size: int, seed: int = 2017):
    """Officers, trainings, then the contacts of ``size`` in ``SLICES`` consecutive slices
    of time, as (table, frame) pairs: a data set for the contacts map too large to hold
    at once. Rows stay in time order, as in ``generate``."""
    rng = np.random.default_rng([seed, size, 1])
    officer, training = officers(rng, max(150, size // 100))
    yield "officer", officer
    yield "training", training
    step = size // SLICES
    for part in range(SLICES):
        n = step if part < SLICES - 1 else size - step * (SLICES - 1)
        yield (
            "contact",
            contacts(
                rng,
                n,
                officer.officer_id.to_numpy(),
                part=part,
                first_id=part * step + 1,
                people=size // 3,
            ),
        )


def contacts_only(size: int, seed: int = 2017) -> pd.DataFrame:
    """The contacts of ``generate(size, seed)``, with lon/lat columns."""
    return generate(size, seed).contact


def officers(rng, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The roster and its LEAD trainings: ~45% trained, two-year validity, some renewed."""
    ids = np.char.add("O", np.char.zfill(np.arange(1, n + 1).astype(str), 6))
    districts = np.where(rng.random(n) < 0.3, "Central", rng.choice(OUTER_DISTRICTS, n))
    officer = pd.DataFrame(
        {
            "officer_id": ids,
            "district": districts,
            "sector": rng.integers(1, 5, n).astype(str),
            "post": rng.integers(100, 1000, n).astype(str),
            "shift": rng.choice(np.array(["day", "evening", "night"]), n),
            "active": rng.random(n) < 0.92,
        }
    )
    trained = np.flatnonzero(rng.random(n) < 0.45)
    renewed = trained[rng.random(trained.size) < 0.3]
    first = AS_OF - timedelta(days=SPAN_DAYS)
    done = rng.integers(0, SPAN_DAYS, trained.size)
    again = np.minimum(done[np.isin(trained, renewed)] + 700, SPAN_DAYS)
    completed = np.concatenate([done, again])
    training = pd.DataFrame(
        {
            "officer_id": ids[np.concatenate([trained, renewed])],
            "course": "LEAD core",
            "completed_on": pd.to_datetime(first) + pd.to_timedelta(completed, unit="D"),
        }
    ).drop_duplicates(["officer_id", "course", "completed_on"])
    training["expires_on"] = training.completed_on + pd.Timedelta(days=730)
    return add_hash(officer), add_hash(dates(training, ["completed_on", "expires_on"]))


def contacts(
    rng, n: int, officer_ids: np.ndarray, part: int = 0, first_id: int = 1, people: int = 0
) -> pd.DataFrame:
    """Police contacts over SPAN_DAYS: places, offences, decisions, people, officers.

    ``part`` > 0 (with ``first_id`` and ``people``, the whole set's person count): slice
    ``part`` of ``SLICES`` consecutive slices of SPAN_DAYS (``map_slices``)."""
    lon, lat = points(rng, n)
    offense = OFFENSES[rng.choice(3, n, p=[0.45, 0.10, 0.45])]
    near = np.hypot((lon - LEXINGTON_MARKET_LONLAT[0]) * 0.77, lat - LEXINGTON_MARKET_LONLAT[1])
    decision = decisions(rng, offense, near < 0.008)
    # Sorted: records arrive in time order, so the table is laid out by time as in real use.
    whole = SPAN_DAYS * 86_400
    low, high = (
        (0, whole)
        if not part and not people
        else (part * whole // SLICES, (part + 1) * whole // SLICES)
    )
    seconds = np.sort(rng.integers(low, high, n))
    start = np.datetime64(AS_OF - timedelta(days=SPAN_DAYS - 1)) + np.timedelta64(4 * 3600, "s")
    occurred = np.datetime_as_string(start + seconds.astype("timedelta64[s]"), unit="s")
    people = max(1, people or n // 3)
    district, post = beats(rng, lon, lat)
    frame = pd.DataFrame(
        {
            "contact_id": np.char.add("C", np.arange(first_id, first_id + n).astype(str)),
            "occurred_at": np.char.add(occurred, "+00"),
            "lon": lon.round(6),
            "lat": lat.round(6),
            "offense": offense,
            "pathway": np.where(rng.random(n) < 0.8, "arrest", "social_contact"),
            "decision": decision,
            "officer_id": np.where(rng.random(n) < 0.97, rng.choice(officer_ids, n), "O999999"),
            "person_key": np.char.add("P", (people * rng.random(n) ** 2).astype(int).astype(str)),
            "age": rng.integers(18, 71, n),
            "sex": rng.choice(np.array(["M", "F"]), n, p=[0.7, 0.3]),
            "race": rng.choice(
                np.array(["Black", "White", "Hispanic", "Other"]), n, p=[0.7, 0.2, 0.06, 0.04]
            ),
            "ineligible_reason": np.where(
                decision == "ineligible", rng.choice(INELIGIBLE_REASONS, n), None
            ),
            "district": district,
            "post": post,
            "charge": [
                CHARGES[o][i % len(CHARGES[o])]
                for o, i in zip(offense, rng.integers(0, 5, n), strict=True)
            ],
        }
    )
    return add_hash(frame)


def points(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    """A third near Lexington Market (sd ~600 m), the rest anywhere inside the city line
    (kept 50 m inside it, so coordinates rounded for an import file stay in the city)."""
    city = shape(json.loads(CITY_FILE.read_text())["features"][0]["geometry"]).buffer(-0.0005)
    shapely.prepare(city)
    west, south, east, north = city.bounds
    market_lon, market_lat = LEXINGTON_MARKET_LONLAT
    near = inside(
        city,
        n // 3,
        lambda k: (rng.normal(market_lon, 0.007, k), rng.normal(market_lat, 0.0054, k)),
    )
    spread = inside(
        city,
        n - n // 3,
        lambda k: (rng.uniform(west, east, k), rng.uniform(south, north, k)),
    )
    order = rng.permutation(n)
    return np.concatenate([near[0], spread[0]])[order], np.concatenate([near[1], spread[1]])[order]


def inside(polygon, count: int, draw) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points from ``draw(k) -> (x, y)`` that fall inside ``polygon``."""
    xs, ys, got = [], [], 0
    while got < count:
        x, y = draw(int((count - got) * 1.6) + 16)
        keep = shapely.contains_xy(polygon, x, y)
        xs.append(x[keep])
        ys.append(y[keep])
        got += int(keep.sum())
    return np.concatenate(xs)[:count], np.concatenate(ys)[:count]


def decisions(rng, offense: np.ndarray, near_market: np.ndarray) -> np.ndarray:
    """Diversion is likelier for drug/prostitution contacts near the market."""
    n = offense.size
    eligible = np.isin(offense, ["drug", "prostitution"])
    diverted = rng.random(n) < np.where(eligible & near_market, 0.35, np.where(eligible, 0.05, 0))
    other = np.array(["declined", "ineligible", "arrested", "released"])
    rest = other[rng.choice(4, n, p=[0.08, 0.12, 0.55, 0.25])]
    return np.where(diverted, "diverted", rest)


def beats(rng, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Central District posts by point-in-polygon; elsewhere a district by direction."""
    features = json.loads(LEGACY_CENTRAL_FILE.read_text())["features"]
    post = np.full(lon.size, None, dtype=object)
    for feature in features:
        if feature["properties"].get("kind") != "post":
            continue
        polygon = shape(feature["geometry"])
        shapely.prepare(polygon)
        post[shapely.contains_xy(polygon, lon, lat)] = feature["properties"]["name"]
    angle = np.arctan2(lat - LEXINGTON_MARKET_LONLAT[1], lon - LEXINGTON_MARKET_LONLAT[0])
    octant = ((np.pi / 2 - angle) % (2 * np.pi) // (np.pi / 4)).astype(int)
    outer = OUTER_DISTRICTS[octant]
    district = np.where(post != None, "Central", outer)  # noqa: E711 (elementwise)
    post = np.where(post != None, post, rng.integers(200, 1000, lon.size).astype(str))  # noqa: E711
    return district, post


def case_managers(n: int) -> pd.DataFrame:
    ids = np.char.add("CM", np.char.zfill(np.arange(1, n + 1).astype(str), 4))
    frame = pd.DataFrame(
        {
            "case_manager_id": ids,
            "name": np.char.add("Case manager ", np.arange(1, n + 1).astype(str)),
            "organization": np.where(
                np.arange(n) % 2 == 0, "Behavioral Health System Baltimore", "Partner clinic"
            ),
        }
    )
    return add_hash(frame)


def enrollments(rng, contact: pd.DataFrame, managers: np.ndarray) -> pd.DataFrame:
    """One referral per diversion, plus social-contact referrals without a contact (15%)."""
    diverted = contact[contact.decision == "diverted"]
    social = diverted.sample(frac=0.15, random_state=int(rng.integers(1 << 31)))
    referred = pd.Series(
        pd.to_datetime(np.concatenate([diverted.occurred_at.str[:10], social.occurred_at.str[:10]]))
    )
    n = referred.size
    person = np.concatenate([diverted.person_key, social.person_key])
    contact_id = np.concatenate([diverted.contact_id, np.full(len(social), None)])
    as_of = pd.Timestamp(AS_OF)
    intake = referred + pd.to_timedelta(rng.gamma(2.0, 6.0, n).astype(int), unit="D")
    intake = intake.where((rng.random(n) < 0.85) & (intake <= as_of))
    start = intake.fillna(referred)
    exited = start + pd.to_timedelta(rng.integers(30, 500, n), unit="D")
    closes = (rng.random(n) < 0.7) & (exited <= as_of)
    exited = exited.where(closes)
    frame = pd.DataFrame(
        {
            "enrollment_id": np.char.add("E", np.arange(1, n + 1).astype(str)),
            "person_key": person,
            "contact_id": contact_id,
            "referred_on": referred.to_numpy(),
            "intake_on": intake.to_numpy(),
            "exited_on": exited.to_numpy(),
            "exit_reason": np.where(closes, rng.choice(EXIT_REASONS, n), None),
            "case_manager_id": rng.choice(managers, n),
        }
    )
    return add_hash(dates(frame, ["referred_on", "intake_on", "exited_on"]))


def program_enrollments(rng, contact: pd.DataFrame, managers: np.ndarray) -> pd.DataFrame:
    """Referrals as a program of CAPACITY places receives them: about
    PROGRAM_REFERRALS_PER_DAY, drawn from the diversions in time order. Each is ready for
    intake after a short delay and taken in first come, first served on the first day the
    census is under the cap; a referral still waiting is closed after a patience of 30 to
    150 days. Participants stay 60 to 340 days; a stay not over by AS_OF is still open."""
    diverted = contact[contact.decision == "diverted"]
    n = min(len(diverted), int(PROGRAM_REFERRALS_PER_DAY * SPAN_DAYS))
    chosen = diverted.iloc[np.sort(rng.choice(len(diverted), n, replace=False))]
    referred = pd.to_datetime(chosen.occurred_at.str[:10]).to_numpy().astype("datetime64[D]")
    first = np.datetime64(AS_OF - timedelta(days=SPAN_DAYS - 1), "D")
    end = (np.datetime64(AS_OF, "D") - first).astype(int)
    ref_day = (referred - first).astype(int)
    ready = ref_day + rng.gamma(2.0, 4.0, n).astype(int)
    give_up = ref_day + rng.integers(30, 151, n)
    stay = rng.integers(60, 341, n)
    intake = np.full(n, -1)
    exit_day = np.full(n, -1)
    for i in np.argsort(ready, kind="stable"):
        day, placed = ready[i], exit_day[intake >= 0]
        while day <= min(give_up[i], end):
            staying = placed[placed > day]  # counted from the day each was taken in or before
            if len(staying) < CAPACITY:
                intake[i], exit_day[i] = day, day + stay[i]
                break
            day = staying.min()  # the next exit frees a place
        else:
            if give_up[i] <= end:
                exit_day[i] = give_up[i]  # closed while waiting
    taken = intake >= 0
    exited = (exit_day >= 0) & (exit_day <= end)
    frame = pd.DataFrame(
        {
            "enrollment_id": np.char.add("E", np.arange(1, n + 1).astype(str)),
            "person_key": chosen.person_key.to_numpy(),
            "contact_id": chosen.contact_id.to_numpy(),
            "referred_on": referred,
            "intake_on": np.where(taken, first + intake, np.datetime64("NaT")),
            "exited_on": np.where(exited, first + exit_day, np.datetime64("NaT")),
            "exit_reason": np.where(
                exited, np.where(taken, rng.choice(EXIT_REASONS, n), "other"), None
            ),
            "case_manager_id": np.where(taken, rng.choice(managers, n), None),
        }
    )
    return add_hash(dates(frame, ["referred_on", "intake_on", "exited_on"]))


def service_referrals(rng, enrollment: pd.DataFrame) -> pd.DataFrame:
    """One or two referrals per participant with an intake, after the intake."""
    enrolled = enrollment[enrollment.intake_on.notna()]
    repeat = np.where(rng.random(len(enrolled)) < 0.6, 2, 1)
    base = enrolled.loc[enrolled.index.repeat(repeat)]
    n = len(base)
    as_of = pd.Timestamp(AS_OF)
    days = pd.to_timedelta(rng.integers(0, 90, n), unit="D")
    referred = pd.Series(pd.to_datetime(base.intake_on).to_numpy() + days)
    referred = referred.where(referred <= as_of, as_of)
    outcome = OUTCOMES[rng.choice(5, n, p=[0.2, 0.35, 0.25, 0.1, 0.1])]
    outcome_on = referred + pd.to_timedelta(rng.integers(1, 120, n), unit="D")
    outcome_on = outcome_on.where((outcome != "pending") & (outcome_on <= as_of))
    outcome = np.where((outcome != "pending") & outcome_on.isna(), "pending", outcome)
    frame = pd.DataFrame(
        {
            "referral_id": np.char.add("R", np.arange(1, n + 1).astype(str)),
            "enrollment_id": base.enrollment_id.to_numpy(),
            "service": rng.choice(SERVICES, n, p=[0.45, 0.25, 0.2, 0.1]),
            "referred_on": referred.to_numpy(),
            "outcome": outcome,
            "outcome_on": outcome_on.to_numpy(),
        }
    )
    return add_hash(dates(frame, ["referred_on", "outcome_on"]))


def dates(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Timestamps as ISO dates (None for missing), the way COPY reads them."""
    for column in columns:
        values = pd.to_datetime(frame[column])
        frame[column] = values.dt.strftime("%Y-%m-%d").where(values.notna(), None)
    return frame


def add_hash(frame: pd.DataFrame) -> pd.DataFrame:
    """row_hash: a digest of the row's values, as the import code keeps one."""
    digest = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    frame["row_hash"] = np.char.mod("%016x", digest)
    return frame


def copy_text(frame: pd.DataFrame) -> io.StringIO:
    """The frame as PostgreSQL COPY text (tab separated, \\N for NULL)."""
    buffer = io.StringIO()
    frame.to_csv(
        buffer,
        sep="\t",
        header=False,
        index=False,
        na_rep="\\N",
        quoting=csv.QUOTE_NONE,
        date_format="%Y-%m-%d",
    )
    buffer.seek(0)
    return buffer


def contact_rows(contact: pd.DataFrame) -> pd.DataFrame:
    """Contacts in the table's columns: lon/lat become an EWKT point."""
    geom = "SRID=4326;POINT(" + contact.lon.astype(str) + " " + contact.lat.astype(str) + ")"
    rows = contact.drop(columns=["lon", "lat"])
    rows.insert(2, "geom", geom)
    return rows


def load(conn, tables) -> dict[str, int]:
    """COPY (table, frame) pairs (``Dataset.tables()``, ``map_slices``) into the connected
    (empty) database; return rows per table."""
    counts: dict[str, int] = {}
    with conn.cursor() as cur:
        for table, frame in tables:
            rows = contact_rows(frame) if table == "contact" else frame
            cur.copy_from(copy_text(rows), table, columns=list(rows.columns), null="\\N")
            counts[table] = counts.get(table, 0) + len(rows)
    conn.commit()
    return counts
