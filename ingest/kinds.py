"""The import contract: for each kind, its columns, their types and allowed values.

``Column.type`` is one of: ``id`` (required text key), ``text``, ``required_text``,
``enum`` (with ``allowed``), ``timestamp`` (ISO 8601; no offset = America/New_York),
``date`` (YYYY-MM-DD), ``optional_date``, ``optional_enum`` and ``optional_timestamp`` (may
be empty), ``latitude``, ``longitude``,
``integer`` (with ``low``/``high``), ``boolean`` (true/false, yes/no, 1/0).
``required`` means the header must have the column; values of ``text`` and
``optional_*`` columns may still be empty. Order = the staging table's column order.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # (later column, earlier column): later must not be before earlier when both present
    order_checks: tuple[tuple[str, str], ...] = field(default=())

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


OFFENSES = ("drug", "prostitution", "other")
PATHWAYS = ("arrest", "social_contact")
DECISIONS = ("diverted", "declined", "ineligible", "arrested", "released")
SERVICES = ("drug_treatment", "mental_health", "housing", "other")
OUTCOMES = ("pending", "engaged", "completed", "declined", "no_show")
DOORS = ("arrest", "social_contact", "community")

KINDS = {
    "contacts": Kind(
        "contacts",
        "contact",
        ("contact_id",),
        (
            Column("contact_id", "id"),
            Column("occurred_at", "timestamp"),
            Column("latitude", "latitude"),
            Column("longitude", "longitude"),
            Column("offense", "enum", allowed=OFFENSES),
            Column("pathway", "enum", allowed=PATHWAYS),
            Column("decision", "enum", allowed=DECISIONS),
            Column("officer_id", "text"),
            Column("person_key", "text"),
            Column("age", "integer", required=False, low=0, high=120),
            Column("sex", "text", required=False),
            Column("race", "text", required=False),
            Column("ineligible_reason", "text", required=False),
            Column("district", "text", required=False),
            Column("post", "text", required=False),
            Column("charge", "text", required=False),
        ),
    ),
    "officers": Kind(
        "officers",
        "officer",
        ("officer_id",),
        (
            Column("officer_id", "id"),
            Column("district", "text"),
            Column("sector", "text"),
            Column("post", "text"),
            Column("shift", "text"),
            Column("active", "boolean"),
        ),
    ),
    "trainings": Kind(
        "trainings",
        "training",
        ("officer_id", "course", "completed_on"),
        (
            Column("officer_id", "id"),
            Column("course", "required_text"),
            Column("completed_on", "date"),
            Column("expires_on", "optional_date", required=False),
        ),
        order_checks=(("expires_on", "completed_on"),),
    ),
    "case-managers": Kind(
        "case-managers",
        "case_manager",
        ("case_manager_id",),
        (
            Column("case_manager_id", "id"),
            Column("name", "required_text"),
            Column("organization", "required_text"),
        ),
    ),
    "enrollments": Kind(
        "enrollments",
        "enrollment",
        ("enrollment_id",),
        (
            Column("enrollment_id", "id"),
            Column("person_key", "required_text"),
            Column("contact_id", "text"),
            Column("referred_on", "date"),
            Column("intake_on", "optional_date"),
            Column("exited_on", "optional_date"),
            Column("exit_reason", "text"),
            Column("case_manager_id", "text"),
            Column("door", "optional_enum", required=False, allowed=DOORS),
            Column("handoff_at", "optional_timestamp", required=False),
            Column("sao_consent_on", "optional_date", required=False),
            Column("case_reference", "text", required=False),
        ),
        order_checks=(
            ("intake_on", "referred_on"),
            ("exited_on", "intake_on"),
            ("exited_on", "referred_on"),
        ),
    ),
    "referrals": Kind(
        "referrals",
        "service_referral",
        ("referral_id",),
        (
            Column("referral_id", "id"),
            Column("enrollment_id", "required_text"),
            Column("service", "enum", allowed=SERVICES),
            Column("referred_on", "date"),
            Column("outcome", "enum", allowed=OUTCOMES),
            Column("outcome_on", "optional_date"),
        ),
        order_checks=(("outcome_on", "referred_on"),),
    ),
    "meetings": Kind(
        "meetings",
        "case_meeting",
        ("enrollment_id", "met_on"),
        (
            Column("enrollment_id", "id"),
            Column("met_on", "date"),
        ),
    ),
    "jail-bookings": Kind(
        "jail-bookings",
        "jail_booking",
        ("booking_id",),
        (
            Column("booking_id", "id"),
            Column("person_key", "required_text"),
            Column("booked_at", "timestamp"),
            Column("released_at", "optional_timestamp"),
            Column("facility", "text"),
        ),
    ),
}
