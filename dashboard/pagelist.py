"""Which pages exist and who may open them."""

from pathlib import Path

import streamlit as st

from dashboard.auth import User

PAGES = Path(__file__).resolve().parent / "pages"

ALL_ROLES = {"command", "leadership", "case_manager", "admin"}

# (file, title, roles allowed), in navigation order
# No icons: Material icon names are fetched from Google's font servers and emoji need an
# emoji font, and a police workstation on a closed network may have neither.
PAGE_SPECS = [
    ("home.py", "Overview", ALL_ROLES),
    ("contacts_map.py", "Contacts map", ALL_ROLES),
    ("capacity.py", "Program capacity", ALL_ROLES),
    ("training.py", "Officer training", ALL_ROLES),
    ("outcomes.py", "Referral outcomes", ALL_ROLES),
    ("review.py", "Review", ALL_ROLES),
    ("settings.py", "Settings", {"admin"}),
    ("audit_log.py", "Audit log", {"admin"}),
    ("accounts.py", "Accounts", {"admin"}),
]


def pages_for(user: User) -> list:
    """The st.Page objects this user's role may open, the first one the default."""
    allowed = [spec for spec in PAGE_SPECS if user.role in spec[2]]
    return [
        st.Page(PAGES / file, title=title, default=index == 0)
        for index, (file, title, _roles) in enumerate(allowed)
    ]
