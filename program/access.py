"""The access policy: who may open which page and see what, in one place.

Five roles (docs/access.md): four program roles and the State's Attorney's liaison.
Each runs its page queries as its own PostgreSQL role
(:data:`DB_ROLES`), which is what the database enforces; this module is what the
dashboard shows on top of it. Pages ask the signed-in :class:`User` (``sees_points``,
``sees_person_level``...) and :func:`threshold`, never a role name.

No Streamlit and no SQL here: the small-cell setting in force on a day is read by the
caller (``dashboard.database.setting``) and passed in.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

ROLES = ("command", "leadership", "case_manager", "admin", "prosecutor_liaison")
ROLE_LABELS = {
    "command": "Police command",
    "leadership": "BHSB leadership",
    "case_manager": "Case manager",
    "admin": "Administrator",
    "prosecutor_liaison": "Prosecutor liaison (SAO)",
}
DB_ROLES = {role: f"lead_{role}" for role in ROLES}
# The program's own roles: every page but the legal clock's.
PROGRAM = frozenset({"command", "leadership", "case_manager", "admin"})
ADMINS = frozenset({"admin"})
# Person-level rows and unsuppressed counts of people (treatment records, 42 CFR Part 2).
PERSON_LEVEL = frozenset({"case_manager", "admin"})
# Individual contacts as geomasked points (police records): not BHSB leadership.
POINTS = frozenset({"command", "case_manager", "admin"})
# Officer-level training rows (police personnel data): police command staff and admins.
OFFICER_ROWS = frozenset({"command", "admin"})
# The State's Attorney's liaison: only whether intake happened by each consenting
# person's legal-clock deadline (legal_clock_liaison(), migration 0022), nothing else.
SAO_SLICE = frozenset({"prosecutor_liaison"})
# Who creates and updates the work group's action items on the Review page (command
# reads them): the BHSB chair of the review, case managers and admins.
ACTION_EDITORS = frozenset({"leadership", "case_manager", "admin"})
# The pages (folders under dashboard/) each role may open, in navigation order.
PAGE_ROLES = {
    "home": PROGRAM,
    "contacts": PROGRAM,
    "capacity": PROGRAM,
    "training": PROGRAM,
    "outcomes": PROGRAM,
    "review": PROGRAM,
    "legal_clock": PERSON_LEVEL | SAO_SLICE,
    "settings": ADMINS,
    "audit_log": ADMINS,
    "accounts": ADMINS,
    "imports": ADMINS,
}
THRESHOLD_SETTING = "small_cell_threshold"


def _granted_to(roles: frozenset[str], doc: str) -> property:
    """A ``User`` property: whether the user's role is one of ``roles``."""
    return property(lambda user: user.role in roles, doc=doc)


@dataclass(frozen=True)
class User:
    """A signed-in user; what the role may see is asked of it."""

    username: str
    role: str

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role {self.role!r}: one of {', '.join(ROLES)}")

    sees_person_level = _granted_to(
        PERSON_LEVEL, "Person-level rows and counts of people as they are, small ones included."
    )
    sees_points = _granted_to(POINTS, "Geomasked contact points on the map.")
    sees_officer_rows = _granted_to(OFFICER_ROWS, "Rows about individual officers.")
    sees_sao_slice = _granted_to(
        SAO_SLICE, "Only the consenting people's intake-by-deadline answers (the liaison)."
    )
    edits_action_items = _granted_to(ACTION_EDITORS, "Adds and updates work-group items.")

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.role]


def allowed_pages(role: str) -> list[str]:
    """The pages ``role`` may open, in navigation order."""
    return [page for page, roles in PAGE_ROLES.items() if role in roles]


def threshold(user: User, day: date, setting: Callable[[date], int]) -> int:
    """Counts of people from 1 to this are hidden from ``user`` on ``day``: 0 (nothing
    hidden) for person-level roles, otherwise the ``small_cell_threshold`` setting in
    force that day, read with ``setting(day)`` only when needed."""
    return 0 if user.sees_person_level else setting(day)
