"""The Accounts page's data: every account without its password hash, read fresh."""

import pandas as pd

from dashboard import database
from program.access import User


def accounts(user: User) -> pd.DataFrame:
    """Accounts as ``queries/accounts/list.sql`` lists them (admins only, by grant)."""
    return database.query_fresh(user.role, "accounts/list")
