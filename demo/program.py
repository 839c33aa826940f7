"""The program's census, day by day: referrals, intakes under the cap, exits.

Each diversion refers the person to LEAD unless they are already waiting or enrolled; it
enters by the door of its contact (arrest diversion or social contact). Community
referrals (no police contact: outreach workers, providers, the person) arrive on about
one day in COMMUNITY_EVERY_DAYS, for people police may never have met, and are turned
away like slot-sensitive diversions while the program is full.
A referral is ready for intake after a delay (median about 8 days, a tail past 30); it is
taken in only when a slot is open, so at most CAPACITY people are ever active, counting
a person as active on both their intake and exit days. Officers hear when the program is
full and then divert less (see ``demo.contacts``), which keeps the waiting list short.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from demo import ID_PREFIX

CAPACITY = 60  # the pilot rule; dashboards read theirs from program_setting
WAITING_ALLOWED = 3  # the program counts as full once this many wait on top of a full census
INTAKE_DELAY_MEDIAN_DAYS = 7
INTAKE_DELAY_SPREAD = 0.8  # sigma of the log-normal delay: about 5% take over 30 days
LOST_SHARE = 0.12  # referrals never ready for intake: the person cannot be found
LOST_AFTER_DAYS = (14, 75)
GIVE_UP_WAITING_DAYS = 60  # ready referrals still waiting this long are closed
CLOSED_REASON = "closed before intake"
COMMUNITY_EVERY_DAYS = 6
# Why people leave and how long they stayed: (reason, share, (min, max) days after intake)
EXITS = [
    ("completed", 0.40, (150, 450)),
    ("disengaged", 0.33, (30, 200)),
    ("incarcerated", 0.13, (20, 300)),
    ("moved", 0.10, (30, 300)),
    ("deceased", 0.04, (15, 450)),
]


@dataclass
class Census:
    """Who is waiting and who is active; ``open_people`` are waiting or active."""

    waiting: list[int] = field(default_factory=list)
    active: list[int] = field(default_factory=list)
    open_people: set[str] = field(default_factory=set)

    def full(self) -> bool:
        return len(self.active) + len(self.waiting) >= CAPACITY + WAITING_ALLOWED


def simulate(
    rng: np.random.Generator,
    contacts: pd.DataFrame,
    managers: pd.DataFrame,
    days: int,
    community: np.ndarray,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Final contact decisions and the enrollments (day numbers; NaN = not yet).

    ``community``: the person keys community referrals draw from.
    """
    contacts = contacts.copy()
    census, rows = Census(), []
    by_day = np.searchsorted(contacts["day"].to_numpy(), np.arange(days + 1))
    for day in range(days):
        todays = range(by_day[day], by_day[day + 1])
        _refer(rng, contacts, todays, census, rows, day)
        _refer_community(rng, community, census, rows, day)
        _close_waiting(census, rows, day)
        _admit(rng, census, rows, managers, day)
        _discharge(census, rows, day)
    enrollments = pd.DataFrame(rows)
    enrollments.insert(
        0, "enrollment_id", [f"{ID_PREFIX}e{n:05d}" for n in range(1, len(rows) + 1)]
    )
    for column in ("intake_day", "exit_day"):
        enrollments.loc[enrollments[column] >= days, column] = np.nan
    enrollments.loc[enrollments["exit_day"].isna(), "exit_reason"] = None
    return contacts, enrollments


def _refer(rng, contacts: pd.DataFrame, todays: range, census: Census, rows: list, day: int):
    decision = contacts["decision"].to_numpy()
    for index in todays:
        if decision[index] != "diverted":
            continue
        contact = contacts.iloc[index]
        if contact["person_key"] in census.open_people:
            continue  # already waiting or enrolled: back to their case manager, no new slot
        if contact["slot_sensitive"] and census.full():
            contacts.iat[index, contacts.columns.get_loc("decision")] = contact["fallback"]
            continue
        census.open_people.add(contact["person_key"])
        census.waiting.append(len(rows))
        rows.append(_referral(rng, contact["person_key"], day, contact))


def _refer_community(rng, community: np.ndarray, census: Census, rows: list, day: int):
    if rng.random() >= 1 / COMMUNITY_EVERY_DAYS or census.full():
        return
    person = community[rng.integers(len(community))]
    if person not in census.open_people:
        census.open_people.add(person)
        census.waiting.append(len(rows))
        rows.append(_referral(rng, person, day, None))


def _referral(rng, person: str, day: int, contact: pd.Series | None) -> dict:
    """A referral by the contact's door, or a community referral without ``contact``."""
    delay = rng.lognormal(np.log(INTAKE_DELAY_MEDIAN_DAYS), INTAKE_DELAY_SPREAD)
    lost = rng.random() < LOST_SHARE
    return {
        "person_key": person,
        "contact_id": None if contact is None else contact["contact_id"],
        "door": "community" if contact is None else contact["pathway"],
        "referred_day": day,
        "ready_day": np.inf if lost else day + round(delay),
        "lost_day": day + rng.integers(*LOST_AFTER_DAYS) if lost else np.inf,
        "intake_day": np.nan,
        "exit_day": np.nan,
        "exit_reason": None,
        "case_manager_id": None,
    }


def _close_waiting(census: Census, rows: list, day: int) -> None:
    """Referrals lost to contact, or waiting too long for a slot, are closed."""
    for index in list(census.waiting):
        row = rows[index]
        if row["lost_day"] <= day or day - row["ready_day"] >= GIVE_UP_WAITING_DAYS:
            row.update(exit_day=day, exit_reason=CLOSED_REASON)
            census.waiting.remove(index)
            census.open_people.discard(row["person_key"])


def _admit(rng, census: Census, rows: list, managers: pd.DataFrame, day: int) -> None:
    """Ready referrals, first come first served, fill the open slots."""
    ready = sorted((rows[i]["ready_day"], i) for i in census.waiting if rows[i]["ready_day"] <= day)
    for _, index in ready[: CAPACITY - len(census.active)]:
        reason, stay = _exit(rng)
        rows[index].update(
            intake_day=day,
            exit_day=day + stay,
            exit_reason=reason,
            case_manager_id=_case_manager(rng, census, rows, managers, day),
        )
        census.waiting.remove(index)
        census.active.append(index)


def _exit(rng) -> tuple[str, int]:
    shares = np.array([share for _, share, _ in EXITS])
    reason, _, (low, high) = EXITS[rng.choice(len(EXITS), p=shares / shares.sum())]
    return reason, int(rng.integers(low, high + 1))


def _case_manager(rng, census: Census, rows: list, managers: pd.DataFrame, day: int) -> str:
    """Usually the case manager with most room for their share, sometimes the runner-up."""
    serving = managers[managers["joined_day"] <= day]
    caseload = pd.Series([rows[i]["case_manager_id"] for i in census.active]).value_counts()
    load = serving["case_manager_id"].map(caseload).fillna(0).to_numpy()
    order = np.argsort((load + 1) / serving["share"].to_numpy(), kind="stable")
    pick = order[1] if len(order) > 1 and rng.random() < 0.25 else order[0]
    return serving["case_manager_id"].iloc[pick]


def _discharge(census: Census, rows: list, day: int) -> None:
    """People whose exit day is today leave; their slot opens tomorrow."""
    for index in [i for i in census.active if rows[i]["exit_day"] <= day]:
        census.active.remove(index)
        census.open_people.discard(rows[index]["person_key"])
