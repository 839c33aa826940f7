"""The program's clock: dates and times are Baltimore's, whatever the server's zone is.

Servers run in UTC, where "today" turns over at 19:00 or 20:00 Baltimore time; a page
opened in the evening must still default to the Baltimore date.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

BALTIMORE = ZoneInfo("America/New_York")


def now() -> datetime:
    return datetime.now(BALTIMORE)


def today() -> date:
    return now().date()
