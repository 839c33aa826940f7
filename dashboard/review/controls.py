"""The Review page's choices kept in the address (``dashboard.url_state``):
``?review=quarter&containing=2026-09-30&present=on&topic=map``; its topics, and what a
figure says when it has nothing to draw."""

from dashboard import url_state
from dashboard.filters import Filters
from program.access import User
from program.review import KINDS, last_complete_month

EMPTY = {  # what a figure of the review says when it has nothing to draw
    "Map": "No police contact matches the filters in this period: there is nothing to map.",
    "Census": "No participant was active or waiting for intake in this period.",
    "Contacts": "No police contact matches the filters in this period.",
    "Training": "No active officer on the roster at the end of the period.",
}
TOPICS = (
    "Figures", "What changed", "Map", "Census", "Contacts", "Training", "Referrals",
    "Cost avoided", "Action items",
)  # fmt: skip


def address_choices(user: User, f: Filters) -> list[url_state.Choice]:
    """Presentation mode and its topic; for person-level roles the kind of period and a
    day it contains (release roles: the release, kept by ``releases.picker``)."""
    choices = [
        url_state.Choice("present", "review_presenting", (False, True), False),
        url_state.Choice("topic", "review_topic", TOPICS, TOPICS[0]),
    ]
    if user.sees_person_level:
        choices += [
            url_state.Choice("review", "review_kind", KINDS, "Month"),
            url_state.DayChoice(
                "containing", "review_anchor", (f.first, f.as_of), last_complete_month(f.as_of).end
            ),
        ]
    return choices
