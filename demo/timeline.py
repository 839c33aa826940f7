"""The demo pilot's calendar: three years ending on the chosen end date."""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

PILOT_YEARS = 3


@dataclass(frozen=True)
class Timeline:
    """Days of the pilot, ``start`` to ``end`` inclusive; day numbers count from start."""

    end: date

    @property
    def start(self) -> date:
        day = 28 if (self.end.month, self.end.day) == (2, 29) else self.end.day
        return self.end.replace(year=self.end.year - PILOT_YEARS, day=day) + timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self, offsets: np.ndarray) -> pd.Index:
        """Day numbers as ISO date strings."""
        return (pd.Timestamp(self.start) + pd.to_timedelta(offsets, unit="D")).strftime("%Y-%m-%d")
