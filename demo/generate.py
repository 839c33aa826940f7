"""The whole demo data set as native import tables, and its CSV files.

Everything comes from one ``numpy`` Generator seeded once, so the same seed and end date
give byte-identical files.
"""

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from demo import contacts, followup, jail, legal, people, program, roster, services
from demo.hotspots import Geography
from demo.timeline import Timeline

DEFAULT_SEED = 2017
# Import order: later kinds refer to earlier ones.
KINDS = (
    "case-managers", "officers", "trainings", "contacts", "enrollments", "referrals", "meetings",
    "jail-bookings",
)  # fmt: skip
COLUMNS = {
    "case-managers": ["case_manager_id", "name", "organization"],
    "officers": ["officer_id", "district", "sector", "post", "shift", "active"],
    "trainings": ["officer_id", "course", "completed_on", "expires_on"],
    "contacts": [
        "contact_id", "occurred_at", "latitude", "longitude", "offense", "pathway",
        "decision", "officer_id", "person_key", "age", "sex", "race", "ineligible_reason",
        "district", "post",
    ],
    "enrollments": [
        "enrollment_id", "person_key", "contact_id", "referred_on", "intake_on",
        "exited_on", "exit_reason", "case_manager_id", "door", "handoff_at", "sao_consent_on",
        "case_reference",
    ],
    "referrals": [
        "referral_id", "enrollment_id", "service", "referred_on", "outcome", "outcome_on",
    ],
    "meetings": ["enrollment_id", "met_on"],
    "jail-bookings": ["booking_id", "person_key", "booked_at", "released_at", "facility"],
}  # fmt: skip


def generate(end: date, seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """Native import tables of a three-year pilot ending on ``end``, by kind."""
    rng = np.random.default_rng(seed)
    timeline = Timeline(end)
    officers = roster.officer_roster(rng, timeline.days)
    trainings = roster.training_history(rng, officers, timeline.days)
    pool = people.person_pool(rng)
    met = contacts.generate_contacts(rng, timeline, officers, trainings, pool, Geography.default())
    managers = roster.case_managers()
    met, enrollments = program.simulate(
        rng, met, managers, timeline.days, community=pool["person_key"].to_numpy()
    )
    enrollments = legal.sao_fields(seed, enrollments, timeline.days)
    referrals = services.service_referrals(rng, enrollments, timeline.days)
    enrollments["handoff_at"] = followup.handoffs(rng, enrollments, met, end.isoformat())
    meetings = followup.meetings(rng, enrollments, timeline.days)
    tables = {
        "case-managers": managers,
        "officers": officers.assign(active=np.where(officers["active"], "true", "false")),
        "trainings": _dated(
            timeline, trainings, completed_day="completed_on", expires_day="expires_on"
        ),
        "contacts": met,
        "enrollments": _dated(
            timeline,
            enrollments,
            referred_day="referred_on",
            intake_day="intake_on",
            exit_day="exited_on",
            consent_day="sao_consent_on",
        ),
        "referrals": _dated(timeline, referrals, day="referred_on", outcome_day="outcome_on"),
        "meetings": _dated(timeline, meetings, day="met_on"),
        "jail-bookings": jail.bookings(
            seed, enrollments, pd.Timestamp(timeline.start), timeline.days
        ),
    }
    return {kind: tables[kind][COLUMNS[kind]].reset_index(drop=True) for kind in KINDS}


def _dated(timeline: Timeline, frame: pd.DataFrame, **columns: str) -> pd.DataFrame:
    """Day-number columns turned into ISO date columns (blank where NaN)."""
    frame = frame.copy()
    for day_column, date_column in columns.items():
        days = frame[day_column]
        iso = timeline.dates(days.fillna(0).to_numpy())
        frame[date_column] = np.where(days.isna(), "", iso)
    return frame


def write_csvs(tables: dict[str, pd.DataFrame], folder: Path) -> dict[str, Path]:
    """One ``demo-<kind>.csv`` per kind in ``folder``; returns the paths by kind."""
    paths = {}
    for kind, frame in tables.items():
        paths[kind] = folder / f"demo-{kind}.csv"
        frame.to_csv(paths[kind], index=False, lineterminator="\n")
    return paths
