"""The Referral outcomes page's data: every figure from the aggregate outcome functions
in the database (``queries/outcomes/*.sql``), read as the user's role, then shaped and
protected by ``program.outcomes`` and ``program.equity``."""

from datetime import date

import pandas as pd

from dashboard import database
from program import equity as eq
from program import outcomes as rules


def referral_tables(role: str, start: date, end: date, t: int, suppress: bool) -> dict:
    """Referrals by period x service, period x outcome, the funnel and days to
    engagement, protected together (``program.outcomes.referral_tables``)."""
    cube = database.query(role, "outcomes/referrals", start=start, end=end)
    bins = database.query(role, "outcomes/engagement_bins", start=start, end=end)
    return rules.referral_tables(cube, bins, start, end, t, suppress)


def timing_summary(role: str, start: date, end: date, timing: rules.Table) -> pd.DataFrame:
    """Quartiles of days to engagement per service, where the timing table shows them."""
    quantiles = database.query(role, "outcomes/engagement_quantiles", start=start, end=end)
    return rules.timing_summary(quantiles, timing)


def cohort_tables(role: str, start: date, end: date, as_of: date, t: int, suppress: bool):
    """Intake cohorts at 3, 6 and 12 months, protected together."""
    rows = database.query(role, "outcomes/cohorts", start=start, end=end, as_of=as_of)
    return rules.cohort_tables(rows, as_of, t, suppress)


def recontact(role: str, start: date, end: date, as_of: date, t: int, suppress: bool):
    """Share with a new police contact within 6 and 12 months: participants, decliners."""
    rows = database.query(role, "outcomes/recontact", start=start, end=end, as_of=as_of)
    return eq.recontact_table(rows, t, suppress)


def equity(role: str, start, end, offenses, t: int, suppress: bool) -> dict:
    """Per dimension (race, sex, age group): diversion of eligible contacts and engagement
    of participants by group, with shares and 95% Wilson intervals."""
    diversion = database.query(
        role, "outcomes/equity_diversion", start=start, end=end, offenses=offenses
    )
    engagement = database.query(role, "outcomes/equity_engagement", start=start, end=end)
    return eq.equity_tables(diversion, engagement, t, suppress)
