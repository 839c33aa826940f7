"""Confidence intervals for shares computed from counts (no Streamlit, no SQL)."""

import math

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


def wilson(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """Wilson score interval for a proportion (Wilson 1927; Brown, Cai & DasGupta 2001),
    as fractions; None when there are no trials. Unlike the normal approximation it stays
    inside [0, 1] and behaves at 0 and n successes and for small n."""
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError(f"{successes} successes out of {trials} trials")
    p = successes / trials
    z2 = z * z
    centre = (p + z2 / (2 * trials)) / (1 + z2 / trials)
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / (1 + z2 / trials)
    return max(0.0, centre - half), min(1.0, centre + half)


def format_interval(interval: tuple[float, float] | None) -> str:
    """'31–47%' for a fraction interval, '–' when there is none."""
    if interval is None:
        return "–"
    low, high = interval
    return f"{100 * low:.0f}–{100 * high:.0f}%"
