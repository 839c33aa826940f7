"""Which pages exist and who may open them."""

from pathlib import Path

import streamlit as st

from dashboard.auth import User

PAGES = Path(__file__).resolve().parent / "pages"

ALL_ROLES = {"command", "leadership", "case_manager", "admin"}

# (file, title, icon, roles allowed), in navigation order
PAGE_SPECS = [
    ("home.py", "Overview", ":material/dashboard:", ALL_ROLES),
    ("review.py", "Review", ":material/slideshow:", ALL_ROLES),
    ("contacts_map.py", "Contacts map", ":material/map:", ALL_ROLES),
    ("training.py", "Officer training", ":material/school:", ALL_ROLES),
    ("outcomes.py", "Referral outcomes", ":material/diversity_3:", ALL_ROLES),
    ("settings.py", "Settings", ":material/tune:", {"admin"}),
    ("audit_log.py", "Audit log", ":material/policy:", {"admin"}),
    ("accounts.py", "Accounts", ":material/manage_accounts:", {"admin"}),
]


def pages_for(user: User) -> list:
    """The st.Page objects this user's role may open, the first one the default."""
    allowed = [spec for spec in PAGE_SPECS if user.role in spec[3]]
    return [
        st.Page(PAGES / file, title=title, icon=icon, default=index == 0)
        for index, (file, title, icon, _roles) in enumerate(allowed)
    ]
