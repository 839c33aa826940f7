"""Demo accounts, one per role, created only while the demo data set is loaded.

Their passwords are public (README) because the data behind them is generated; they are
flagged ``is_demo`` and removed when real data replaces the demo (``remove_demo_accounts``).
"""

import queries
from accounts.store import add_or_reset
from program.access import ROLES

DEMO_PASSWORD = "lead-ops-demo"
# user name -> role: the role's name without underscores (casemanager)
DEMO_ACCOUNTS = {role.replace("_", ""): role for role in ROLES}


def demo_data_loaded(conn) -> bool:
    """Is the generated demo data set in the database (dataset_meta demo_data)?"""
    return bool(queries.fetch_value(conn, "session/demo_flag"))


def create_demo_accounts(conn) -> list[str]:
    """Create (or reset) the demo accounts; the caller commits."""
    for username, role in DEMO_ACCOUNTS.items():
        add_or_reset(conn, username, role, DEMO_PASSWORD, demo=True)
    return list(DEMO_ACCOUNTS)


def remove_demo_accounts(conn) -> list[str]:
    """Delete every account flagged as a demo account; the caller commits."""
    return [row[0] for row in queries.fetch_all(conn, "accounts/remove_demo")]
