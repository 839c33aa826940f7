"""The legal clock's counts (issue 20): no Streamlit, no SQL.

The statuses come from the database (db/functions/legal_clock.sql): a due-list row is
``met``, ``overdue`` or ``pending`` as of a day; the liaison's row answers ``yes``, ``no``
or ``pending`` to "intake by the deadline?".
"""

from collections.abc import Iterable

# How soon a pending deadline counts as "due soon" on the due list, in days.
DUE_SOON_DAYS = 7
STATUS_LABELS = {"met": "Intake by deadline", "overdue": "Overdue", "pending": "Pending"}
ANSWER_LABELS = {"yes": "Yes", "no": "No", "pending": "Pending"}


def due_counts(statuses: Iterable[str], days_left: Iterable[int]) -> dict[str, int]:
    """Pending, due within :data:`DUE_SOON_DAYS` (pending, 0 to 7 days left), overdue and
    met, from a due list's ``status`` and ``days_left`` columns."""
    counts = {"pending": 0, "due_soon": 0, "overdue": 0, "met": 0}
    for status, left in zip(statuses, days_left, strict=True):
        counts[status] += 1
        if status == "pending" and 0 <= left <= DUE_SOON_DAYS:
            counts["due_soon"] += 1
    return counts
