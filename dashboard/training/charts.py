"""Charts of the Training page (altair): coverage over the months and by sector or shift."""

from datetime import date

import altair as alt
import pandas as pd

from dashboard.training.mapping import CLASSES
from dashboard.vega import unvalidated
from program.training import coverage_by


@unvalidated
def trend_chart(trend: pd.DataFrame, period: str) -> alt.Chart:
    """Monthly share of active officers with current training."""
    frame = trend.assign(
        share=100 * trend.trained_officers / trend.active_officers.where(trend.active_officers > 0),
        day=pd.to_datetime(trend.day),
    )
    return (
        alt.Chart(frame, title=f"Active officers with current LEAD training, month ends, {period}")
        .mark_line(point=True)
        .encode(
            x=alt.X("day:T", title="Month end", axis=alt.Axis(format="%b %Y")),
            y=alt.Y(
                "share:Q", title="Officers trained (% of active)", scale=alt.Scale(domain=[0, 100])
            ),
            tooltip=[
                alt.Tooltip("day:T", title="On"),
                alt.Tooltip("trained_officers:Q", title="Trained"),
                alt.Tooltip("active_officers:Q", title="Active"),
                alt.Tooltip("share:Q", title="Coverage (%)", format=".0f"),
            ],
        )
        .properties(height=280)
    )


@unvalidated
def coverage_bars(cells: pd.DataFrame, column: str, label: str, day: date) -> alt.Chart:
    """Horizontal bars: share of active officers trained, by sector or shift."""
    table = coverage_by(cells, column)
    table["percent"] = 100 * table.share
    table["text"] = [
        f"{t} of {a}" for t, a in zip(table.trained_officers, table.active_officers, strict=True)
    ]
    base = alt.Chart(table, title=f"Coverage by {label.lower()}, {day:%d %b %Y}").encode(
        y=alt.Y(f"{column}:N", title=label),
        x=alt.X(
            "percent:Q", title="Officers trained (% of active)", scale=alt.Scale(domain=[0, 100])
        ),
    )
    bars = base.mark_bar(color=CLASSES[0][2])
    text = base.mark_text(align="left", dx=4).encode(text=alt.Text("text:N"))
    return (bars + text).properties(height=alt.Step(28))
