"""Forecast of the program census: a seeded Monte Carlo queue simulation.

Every run starts from the census and waiting list of the start day and moves day by day as
:data:`METHOD` says; many runs give a median and an interval. Nothing here reads the
database or draws: inputs are plain numbers, so the capacity page and the tests share it.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

RUNS = 500
SEED = 2017
HORIZON_DAYS = 365
DAYS_PER_MONTH = 365.25 / 12
MIN_FREE_DELAYS = 20  # fewer intakes that never waited at a full program: use all delays
WAIT_COHORT_DAYS = 90  # waits are measured on referrals made in the first 90 days
LOW, HIGH = 0.1, 0.9  # the interval: 10th to 90th percentile of the runs

METHOD = """
- New referrals arrive each day at random (Poisson) at the recent referral rate, plus any
  what-if referrals per month.
- A referral becomes ready for intake after a delay drawn at random from recent
  referral → intake delays. Delays of people who waited while the program was full include
  time spent waiting for a slot, which the simulation adds by itself, so they are left out
  when enough other intakes exist. A referral already waiting on the start day gets a delay
  longer than the time it has already waited (or is ready at once if no recent delay was
  that long).
- While waiting, a referral is closed (never taken in) at the recent daily closure rate
  (closures before intake per person-day of waiting).
- Each participant leaves at the recent daily exit rate (exits per person-day active).
- Ready referrals are taken in first come, first served, whenever the census is below the
  capacity in force that day.
- The whole simulation is run many times with different random draws (seeded, so the
  same data always give the same forecast); the page shows the median of the runs and
  the range from the 10th to the 90th percentile.
"""


@dataclass(frozen=True)
class Rates:
    """Recent rates, estimated over a look-back window."""

    referrals_per_day: float
    exit_rate: float  # per active person-day
    closure_rate: float  # per waiting person-day
    delays: np.ndarray  # referral → intake days to draw from
    delays_exclude_full: bool  # True: delays of people who waited at a full program left out

    @property
    def mean_stay_days(self) -> float:
        return np.inf if self.exit_rate == 0 else 1 / self.exit_rate


def estimate(window: Mapping, delays: pd.DataFrame) -> Rates | None:
    """Rates from a look-back window's figures (``queries/capacity/window.sql``) and its
    intake delays (``queries/capacity/intake_delays.sql``); None without any intake."""
    if delays.intakes.sum() == 0:
        return None
    free = delays[~delays.waited_at_capacity.astype(bool)]
    exclude_full = free.intakes.sum() >= MIN_FREE_DELAYS
    chosen = free if exclude_full else delays
    return Rates(
        referrals_per_day=window["referrals"] / window["days"],
        exit_rate=_per(window["exits"], window["active_days"]),
        closure_rate=_per(window["closures"], window["pending_days"]),
        delays=np.repeat(chosen.delay_days.to_numpy(int), chosen.intakes.to_numpy(int)),
        delays_exclude_full=bool(exclude_full),
    )


def _per(events: int, exposure: int) -> float:
    return 0.0 if not exposure else min(float(events) / float(exposure), 1.0)


@dataclass(frozen=True)
class Start:
    """The program on the start day: the census, the waiting list and the capacity ahead."""

    day: date
    active: int
    pending_ages: np.ndarray  # days since referral of each referral waiting for intake
    capacity: np.ndarray  # capacity in force on each of the following days

    @property
    def horizon(self) -> int:
        return len(self.capacity)


@dataclass(frozen=True)
class Projection:
    """Simulated days 1..horizon after the start day, one row per run."""

    start: Start
    active: np.ndarray  # (runs, horizon)
    pending: np.ndarray  # (runs, horizon)
    first_full: np.ndarray  # (runs,) first day (1-based) at or over capacity; inf: never
    waits: np.ndarray  # days referral → intake of referrals made in the first 90 days
    closed_share: float  # of those referrals, the share closed before intake

    def band(self) -> pd.DataFrame:
        """Per day: median and 10–90% interval of the census and of the waiting list."""
        days = [self.start.day + timedelta(days=d) for d in range(1, self.start.horizon + 1)]
        frame = pd.DataFrame({"day": pd.to_datetime(days), "capacity": self.start.capacity})
        for name, values in (("active", self.active), ("pending", self.pending)):
            low, mid, high = np.quantile(values, [LOW, 0.5, HIGH], axis=0)
            frame[f"{name}_low"], frame[f"{name}_median"], frame[f"{name}_high"] = low, mid, high
        return frame

    def reaches_capacity(self) -> tuple[float, date | None, date | None, date | None]:
        """Share of runs reaching capacity within the horizon, and the date it happens:
        median, 10th and 90th percentile of the runs (None: not within the horizon)."""
        share = float(np.isfinite(self.first_full).mean())
        days = np.quantile(self.first_full, [0.5, LOW, HIGH], method="inverted_cdf")
        dates = [
            None if not np.isfinite(d) else self.start.day + timedelta(days=int(d)) for d in days
        ]
        return share, *dates

    def wait_days(self) -> tuple[float, float, float] | None:
        """Median and 10–90% interval of the days from referral to intake, or None."""
        if not len(self.waits):
            return None
        low, mid, high = np.quantile(self.waits, [LOW, 0.5, HIGH])
        return float(mid), float(low), float(high)


def simulate(
    start: Start, rates: Rates, extra_per_month: float = 0, runs: int = RUNS, seed: int = SEED
) -> Projection:
    """Run the queue simulation ``runs`` times, reproducibly for a given ``seed``.

    A program that stays at or over its capacity in every run takes nobody in: its
    waiting list is then simulated as arrivals and closures alone (:func:`_never_served`).
    Otherwise each day only the runs with a free slot look at their queue, and only at its
    ready part (referrals are sorted by the day they are ready); the waiting list is
    counted once at the end from each referral's days of waiting. The work thus follows
    what the program can take in, not the length of its queue (the benchmark's stress
    profile holds 20,000 active people for 60 places).
    """
    census = _census_without_intakes(np.random.default_rng(seed), start, rates, runs)
    if census is not None:
        return _never_served(start, rates, extra_per_month, census, seed)
    rng = np.random.default_rng(seed)
    arrival, ready, closed = _referrals(rng, start, rates, extra_per_month, runs)
    order = np.lexsort((arrival, ready), axis=1)  # first come (ready), first served
    arrival, ready, closed = (
        np.take_along_axis(a, order, axis=1) for a in (arrival, ready, closed)
    )
    days = np.arange(1, start.horizon + 1)
    ready_by = np.stack([np.searchsorted(row, days, side="right") for row in ready])
    taken_on = np.full(arrival.shape, np.inf)
    active = np.full(runs, start.active, dtype=np.int64)
    census = np.empty((runs, start.horizon), dtype=np.int64)
    first_full = np.full(runs, np.inf)
    for day in days:
        active -= rng.binomial(active, rates.exit_rate)
        free = np.maximum(start.capacity[day - 1] - active, 0)
        rows = np.flatnonzero((free > 0) & (ready_by[:, day - 1] > 0))
        if rows.size:
            width = ready_by[rows, day - 1].max()
            taken = taken_on[rows, :width]
            eligible = (closed[rows, :width] > day) & np.isinf(taken)
            eligible &= ready[rows, :width] <= day
            take = eligible & (np.cumsum(eligible, axis=1) <= free[rows, None])
            taken[take] = day
            taken_on[rows, :width] = taken
            active[rows] += take.sum(axis=1)
        census[:, day - 1] = active
        newly_full = np.isinf(first_full) & (active >= start.capacity[day - 1])
        first_full[newly_full] = day
    cohort = (arrival >= 1) & (arrival <= WAIT_COHORT_DAYS)
    done = cohort & np.isfinite(taken_on)
    return Projection(
        start=start,
        active=census,
        pending=_waiting(arrival, closed, taken_on, start.horizon),
        first_full=first_full,
        waits=taken_on[done] - arrival[done],
        closed_share=float(
            (cohort & (closed <= start.horizon) & ~done).sum() / max(cohort.sum(), 1)
        ),
    )


def _census_without_intakes(rng, start: Start, rates: Rates, runs: int) -> np.ndarray | None:
    """The census of every run and day if exits alone never bring it under the capacity
    in force (so nobody can be taken in); None as soon as one run has a free slot."""
    active = np.full(runs, start.active, dtype=np.int64)
    census = np.empty((runs, start.horizon), dtype=np.int64)
    for day in range(1, start.horizon + 1):
        active -= rng.binomial(active, rates.exit_rate)
        if (active < start.capacity[day - 1]).any():
            return None
        census[:, day - 1] = active
    return census


def _never_served(
    start: Start, rates: Rates, extra_per_month: float, census: np.ndarray, seed: int
) -> Projection:
    """The projection of a program full on every day of every run: each referral waits
    from its arrival until it is closed, a day's waiting list keeps each of the previous
    day's with the daily chance of not being closed (closures are memoryless), plus the
    day's arrivals; nobody is taken in, so no wait is measured."""
    rng = np.random.default_rng([seed, 1])
    runs, horizon = census.shape
    keep = 1.0 - min(max(rates.closure_rate, 0.0), 1.0)
    per_day = rates.referrals_per_day + extra_per_month / DAYS_PER_MONTH
    arrivals = rng.poisson(per_day, size=(runs, horizon))
    waiting = np.empty((runs, horizon), dtype=np.int64)
    queue = np.full(runs, len(start.pending_ages), dtype=np.int64)
    for day in range(horizon):
        queue = rng.binomial(queue, keep) + arrivals[:, day]
        waiting[:, day] = queue
    cohort_days = np.arange(1, min(WAIT_COHORT_DAYS, horizon) + 1)
    cohort = arrivals[:, cohort_days - 1]
    closed = rng.binomial(cohort, 1.0 - keep ** (horizon - cohort_days))
    return Projection(
        start=start,
        active=census,
        pending=waiting,
        first_full=np.ones(runs),
        waits=np.empty(0),
        closed_share=float(closed.sum() / max(cohort.sum(), 1)),
    )


def _waiting(arrival, closed, taken_on, horizon: int) -> np.ndarray:
    """(runs, horizon): referrals waiting at the end of each day 1..horizon, those that
    arrived by then and were neither closed nor taken in by then."""
    runs = arrival.shape[0]
    first = np.maximum(arrival, 1)
    end = np.minimum(np.minimum(closed, taken_on), horizon + 1)  # first day not waiting
    waits = first < end
    row = np.broadcast_to(np.arange(runs)[:, None] * (horizon + 2), arrival.shape)[waits]
    size = runs * (horizon + 2)
    edges = np.bincount(row + first[waits].astype(np.int64), minlength=size)
    edges -= np.bincount(row + end[waits].astype(np.int64), minlength=size)
    edges = edges.reshape(runs, horizon + 2)
    return np.cumsum(edges, axis=1)[:, 1 : horizon + 1]


def _referrals(rng, start: Start, rates: Rates, extra_per_month: float, runs: int):
    """Arrival, ready and closure days (relative to the start day) of every referral of
    every run: those already waiting first, then new ones; padded with inf."""
    per_day = rates.referrals_per_day + extra_per_month / DAYS_PER_MONTH
    counts = rng.poisson(per_day, size=(runs, start.horizon))
    width = len(start.pending_ages) + int(counts.sum(axis=1).max(initial=0))
    arrival = np.full((runs, width), np.inf)
    delay = np.zeros((runs, width))
    ages = np.asarray(start.pending_ages, dtype=float)
    arrival[:, : len(ages)] = -ages
    delay[:, : len(ages)] = _delays_beyond(rng, rates.delays, ages, runs)
    days = np.arange(1, start.horizon + 1)
    for run in range(runs):
        new = np.repeat(days, counts[run])
        arrival[run, len(ages) : len(ages) + len(new)] = new
    delay[:, len(ages) :] = rng.choice(rates.delays, size=(runs, width - len(ages)))
    ready = np.maximum(arrival + delay, np.minimum(arrival, 0) + 1)
    closed = np.maximum(arrival, 0) + _closure_wait(rng, rates.closure_rate, (runs, width))
    return arrival, ready, closed


def _delays_beyond(rng, delays: np.ndarray, ages: np.ndarray, runs: int) -> np.ndarray:
    """For referrals already waiting ``ages`` days: a delay drawn among the longer ones,
    or the age itself (ready now) when no recent delay was longer."""
    columns = []
    for age in ages:
        longer = delays[delays > age]
        columns.append(rng.choice(longer, size=runs) if len(longer) else np.full(runs, age))
    return np.column_stack(columns) if columns else np.zeros((runs, 0))


def _closure_wait(rng, rate: float, shape: tuple[int, int]) -> np.ndarray:
    """Days until a waiting referral is closed: geometric with the daily closure rate."""
    if rate <= 0:
        return np.full(shape, np.inf)
    return rng.geometric(rate, size=shape).astype(float)
