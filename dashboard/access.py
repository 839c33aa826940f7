"""The access policy (``program.access``) where it needs the database.

Pages ask the signed-in user what it may see (``user.sees_points``...) and this module
for the small-cell threshold of a day; the release layer will answer here too.
"""

from datetime import date

from dashboard import database
from program import access
from program.access import THRESHOLD_SETTING, User


def small_cell_setting(role: str, day: date) -> int:
    """The ``small_cell_threshold`` setting in force on ``day``, whoever looks (for what
    follows it whatever the role, such as the map's colour classes)."""
    return int(database.setting(role, THRESHOLD_SETTING, day))


def threshold(user: User, day: date) -> int:
    """Counts of people from 1 to this are hidden from ``user`` on ``day`` (0: none)."""
    return access.threshold(user, day, lambda on: small_cell_setting(user.role, on))
