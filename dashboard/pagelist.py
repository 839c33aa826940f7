"""The pages: each one's file, title and address, and who may open it
(``program.access.PAGE_ROLES``)."""

from pathlib import Path

import streamlit as st

from program.access import PAGE_ROLES, User, allowed_pages

DASHBOARD = Path(__file__).resolve().parent

# page (its folder) -> (title, URL path), in navigation order.
# No icons: Material icon names are fetched from Google's font servers and emoji need an
# emoji font, and a police workstation on a closed network may have neither.
TITLES = {
    "home": ("Overview", "home"),
    "contacts": ("Contacts map", "contacts_map"),
    "capacity": ("Program capacity", "capacity"),
    "training": ("Officer training", "training"),
    "outcomes": ("Referral outcomes", "outcomes"),
    "review": ("Review", "review"),
    "legal_clock": ("Legal clock", "legal_clock"),
    "settings": ("Settings", "settings"),
    "audit_log": ("Audit log", "audit_log"),
    "accounts": ("Accounts", "accounts"),
    "imports": ("Imports", "imports"),
}

# (file relative to dashboard/, title, roles allowed), in navigation order
PAGE_SPECS = [(f"{page}/page.py", TITLES[page][0], roles) for page, roles in PAGE_ROLES.items()]


def pages_for(user: User | None) -> list:
    """The st.Page objects this user may open, the first one the default. Before sign-in
    (``user`` None) every page, so that the address asked for survives signing in; the
    frame runs none of them until someone is signed in."""
    names = list(PAGE_ROLES) if user is None else allowed_pages(user.role)
    return [
        st.Page(
            DASHBOARD / page / "page.py",
            title=TITLES[page][0],
            url_path=TITLES[page][1],
            default=index == 0,
        )
        for index, page in enumerate(names)
    ]
