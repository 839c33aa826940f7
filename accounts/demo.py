"""Demo accounts, one per role, created only while the demo data set is loaded.

Their passwords are public (README) because the data behind them is generated; they are
flagged ``is_demo`` and removed when real data replaces the demo (``remove_demo``).
"""

from accounts.store import add_or_reset

DEMO_PASSWORD = "lead-ops-demo"
DEMO_ACCOUNTS = {
    "command": "command",
    "leadership": "leadership",
    "casemanager": "case_manager",
    "admin": "admin",
}


def create_demo_accounts(conn) -> list[str]:
    """Create (or reset) the demo accounts; the caller commits."""
    for username, role in DEMO_ACCOUNTS.items():
        add_or_reset(conn, username, role, DEMO_PASSWORD, demo=True)
    return list(DEMO_ACCOUNTS)
