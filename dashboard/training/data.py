"""The Training page's data, read as the user's role (``queries/training/*.sql``).

Officer ids are police personnel data: the officer-level list of expiring trainings is
read only for users who see officer rows (``program.access``); everyone else gets counts
by sector.
"""

from datetime import date

import geopandas as gpd
import pandas as pd

from dashboard import database
from geo.areas import areas_in_force
from program.access import OFFICER_ROWS


def settings(role: str, day: date) -> pd.Series:
    """Expiry warning days and the trained-officer target in force on ``day``."""
    return database.query(role, "training/settings_on", day=day).iloc[0]


def roster(role: str, day: date) -> pd.DataFrame:
    """Active and trained officers per sector, post and shift on ``day``."""
    return database.query(role, "training/coverage_cells", day=day)


def contact_outcomes(role: str, start: date, end: date, offenses, **scope) -> pd.DataFrame:
    """Eligible contacts by post, officer shift and training at the time, with outcomes."""
    return database.query(
        role, "training/contact_outcomes", start=start, end=end, offenses=offenses, **scope
    )


def expiring_by_sector(role: str, day: date, days: int, **scope) -> pd.DataFrame:
    return database.query(role, "training/expiring_by_sector", day=day, days=days, **scope)


def expiring_officers(role: str, day: date, days: int, **scope) -> pd.DataFrame:
    """One row per officer whose training runs out within ``days`` (officer-row roles)."""
    if role not in OFFICER_ROWS:
        raise PermissionError(f"the {role} role sees officers by sector only")
    return database.query(role, "training/expiring", day=day, days=days, **scope)


def monthly_coverage(role: str, start: date, end: date, **scope) -> pd.DataFrame:
    return database.query(role, "training/coverage_monthly", start=start, end=end, **scope)


@database.cached(max_entries=64)
def areas_on(role: str, day: date) -> gpd.GeoDataFrame:
    """Program areas in force on a day (geo.areas), read as the role's database user."""
    return database.run_as(role, lambda conn: areas_in_force(conn, day, day))
