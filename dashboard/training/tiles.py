"""The Training page's KPI tiles."""

from datetime import date

import pandas as pd

from dashboard.components import Tile
from geo.privacy import Suppressed
from program.training import OFFICER, share_text


def headline(
    cells: pd.DataFrame,
    before: pd.DataFrame,
    diversion: Suppressed,
    missed: Suppressed,
    expiring: int,
    settings: pd.Series,
    expires_by: date,
) -> list[Tile]:
    """The page's KPI tiles: coverage, diversion by trained officers, missed
    opportunities, trainings about to run out."""
    trained, active = int(cells.trained_officers.sum()), int(cells.active_officers.sum())
    rates = diversion.shown.set_index(OFFICER)
    return [
        Tile(
            "Officers with current LEAD training",
            f"{trained} of {active}",
            f"{share_text(trained, active)} of active officers · target "
            f"{settings.target} trained officers (all sectors and shifts)",
            change=trained - int(before.trained_officers.sum()),
            better="higher",
        ),
        Tile(
            "Diverted by trained officers",
            rates.loc["LEAD-trained", "Diverted"],
            f"of {rates.loc['LEAD-trained', 'Eligible contacts']} eligible contacts · "
            f"untrained officers: {rates.loc['Not trained', 'Diverted']}",
            better="higher",
        ),
        Tile(
            "Missed opportunities",
            missed.shown.iloc[-1, -1],
            "eligible contacts arrested by officers without current training",
            better="lower",
        ),
        Tile(
            f"Trainings expiring within {settings.warning_days} days",
            f"{expiring}",
            f"active officers whose training runs out by {expires_by:%d %b %Y}",
            better="lower",
        ),
    ]
