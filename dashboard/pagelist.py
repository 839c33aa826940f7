"""Which pages exist and who may open them."""

from pathlib import Path

import streamlit as st

from dashboard.auth import User

PAGES = Path(__file__).resolve().parent / "pages"

ALL_ROLES = {"command", "leadership", "case_manager", "admin"}

# (file, title, icon, roles allowed), in navigation order
# Icons are emoji, not :material/...: names, which the browser fetches from Google's font
# servers: a closed police network would show them as blanks.
PAGE_SPECS = [
    ("home.py", "Overview", "🏠", ALL_ROLES),
    ("contacts_map.py", "Contacts map", "🗺️", ALL_ROLES),
    ("capacity.py", "Program capacity", "👥", ALL_ROLES),
    ("training.py", "Officer training", "🎓", ALL_ROLES),
    ("outcomes.py", "Referral outcomes", "🤝", ALL_ROLES),
    ("review.py", "Review", "📊", ALL_ROLES),
    ("settings.py", "Settings", "⚙️", {"admin"}),
    ("audit_log.py", "Audit log", "📜", {"admin"}),
    ("accounts.py", "Accounts", "🔑", {"admin"}),
]


def pages_for(user: User) -> list:
    """The st.Page objects this user's role may open, the first one the default."""
    allowed = [spec for spec in PAGE_SPECS if user.role in spec[3]]
    return [
        st.Page(PAGES / file, title=title, icon=icon, default=index == 0)
        for index, (file, title, icon, _roles) in enumerate(allowed)
    ]
