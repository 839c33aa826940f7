"""The demo's work-group action items (issue 20): three items from the last two monthly
reviews before the demo's end, one done, two open (one of them carried), written with the
Review page's own queries by the demo loader (``created_by`` = the loader's actor)."""

from datetime import date, timedelta

import queries

# (months before the last complete one, title, owner, days to the due date, done?)
ITEMS = (
    (1, "Roll-call refresher on LEAD eligibility for the Central District day shift",
     "BPD Central District", 21, True),
    (1, "Find evening cover for referrals made after 7 pm", "BCRI", 45, False),
    (0, "Weekly legal-clock check with the State's Attorney's liaison",
     "SAO liaison and BCRI", 14, False),
)  # fmt: skip


def month_end(end: date, months_back: int) -> date:
    """The last day of the month ``months_back`` months before the last month that ended
    on or before ``end``."""
    day = end if (end + timedelta(days=1)).day == 1 else end.replace(day=1) - timedelta(days=1)
    for _ in range(months_back):
        day = day.replace(day=1) - timedelta(days=1)
    return day


def add_action_items(conn, end: date, actor: str) -> None:
    """Write :data:`ITEMS` (the caller commits)."""
    for back, title, owner, due_in, done in ITEMS:
        raised = month_end(end, back)
        due = raised + timedelta(days=due_in)
        item_id = queries.fetch_value(
            conn, "review/action_item_add", title=title, owner=owner, due_on=due, notes="",
            raised_on=raised, actor=actor,
        )  # fmt: skip
        if done:
            queries.execute(
                conn, "review/action_item_change", item_id=item_id, owner=owner, due_on=due,
                status="done", notes="Done at the next roll calls.", actor=actor,
            )  # fmt: skip
