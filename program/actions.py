"""The operational work group's action items (issue 20): statuses and what a valid item
is, checked before the database's own constraints (migration 0022) so the Review page
can say what is wrong. No Streamlit, no SQL."""

STATUSES = ("open", "done", "dropped")
STATUS_LABELS = {"open": "Open", "done": "Done", "dropped": "Dropped"}
TITLE_MAX, OWNER_MAX, NOTES_MAX = 200, 120, 2000


def problems(title: str, owner: str, notes: str, status: str = "open") -> list[str]:
    """What keeps an item from being saved, in plain words; empty when it may be."""
    found = []
    if not 1 <= len(title.strip()) <= TITLE_MAX:
        found.append(f"The item needs a title of 1 to {TITLE_MAX} characters.")
    if not 1 <= len(owner.strip()) <= OWNER_MAX:
        found.append(f"The item needs an owner (a name or an agency, up to {OWNER_MAX}).")
    if len(notes) > NOTES_MAX:
        found.append(f"Notes are limited to {NOTES_MAX} characters.")
    if status not in STATUSES:
        found.append(f"The status is one of {', '.join(STATUSES)}.")
    return found
