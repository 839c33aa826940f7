"""``refresh``: compute, protect, audit and store every release, in one transaction.

The figures are read from one snapshot (REPEATABLE READ) and the old release set is
replaced by the new one in the same transaction, so a reader sees either the whole old
set or the whole new one, and a failure anywhere leaves the old set in place. One
refresh runs at a time (an advisory lock).
"""

import time
from dataclasses import dataclass

from psycopg2.extensions import ISOLATION_LEVEL_REPEATABLE_READ

import queries
from geo.disclosure import Protection, protect
from releases import publish, store
from releases.fetch import Exact, add_windows, fetch
from releases.model import Model, build
from releases.plan import SECONDARY, CannotProtect, Plan, unit_of
from releases.screen import hopeless_units

LOCK_KEY = 4_206_015  # arbitrary, constant: the advisory lock of release refreshes


@dataclass(frozen=True)
class Summary:
    releases: int
    cells: int  # published figure cells (rows of release_figure)
    primary: int
    complementary: int
    withdrawn: int  # leaf tables withdrawn and lattice atoms merged away
    min_slack: float  # people between the tightest hidden cell and failing the audit
    seconds: float

    def line(self) -> str:
        return (
            f"releases: {self.releases} releases, {self.cells:,} cells, hidden "
            f"{self.primary:,} primary + {self.complementary:,} complementary, "
            f"{self.withdrawn} withdrawn or merged, audit min slack {self.min_slack:g}, "
            f"{self.seconds:.1f} s"
        )


def refresh(conn) -> Summary:
    """Replace the stored releases with freshly protected ones; commits."""
    started = time.monotonic()
    queries.fetch_value(conn, "releases/lock", key=LOCK_KEY)
    conn.commit()
    isolation = conn.isolation_level
    try:
        conn.set_isolation_level(ISOLATION_LEVEL_REPEATABLE_READ)
        exact = fetch(conn)
        plan = Plan.initial(exact.pilot_start, exact.as_of)
        model, protection = _protected(conn, exact, plan)
        rows = publish.rows(model, protection, exact.periods)
        store.replace_all(conn, rows, exact.pilot_start, exact.as_of)
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
    finally:
        conn.set_isolation_level(isolation)
        queries.fetch_value(conn, "releases/unlock", key=LOCK_KEY)
        conn.commit()
    statuses = [r["status"] for r in rows.figures]
    return Summary(
        releases=len(exact.periods),
        cells=len(rows.figures),
        primary=statuses.count("primary"),
        complementary=statuses.count("complementary"),
        withdrawn=len(plan.withdrawn) + _merged(plan, exact),
        min_slack=publish.slack(protection),
        seconds=time.monotonic() - started,
    )


def _protected(conn, exact: Exact, plan: Plan) -> tuple[Model, Protection]:
    """Protect every figure but the secondary one, then the secondary with that pattern
    of hidden cells held fixed (:mod:`releases.plan`): it may never cost the primary
    figures a cell."""
    _, primary = _protect_until_ok(
        conn, exact, plan, lambda units: plan.remedy(units, exact.periods), secondary=False
    )
    hidden = set(primary.labels)
    return _protect_until_ok(
        conn,
        exact,
        plan,
        lambda units: _degrade(plan, units, exact.periods),
        secondary=True,
        hidden=hidden,
        shown=set(primary.values) - hidden,
    )


def _protect_until_ok(conn, exact: Exact, plan: Plan, remedy, *, secondary: bool, **fixed):
    """Protect, and while cells cannot be protected (first each figure looked at alone,
    then the engine over all releases), ``remedy`` the units holding them and try again."""
    seen: dict = {}
    while True:
        add_windows(conn, exact, plan.windows())
        model = build(exact, plan, secondary=secondary)
        if units := hopeless_units(model, exact.threshold, exact.protection_level, seen):
            remedy(units)
            continue
        protection = protect(
            model.figures,
            exact.threshold,
            exact.protection_level,
            audit_unprotectable=False,
            **fixed,
        )
        if protection.ok:
            return model, protection
        if not protection.unprotectable:
            raise CannotProtect("the audit fails but the engine reports no cell to remedy")
        remedy([unit_of(model.units, k) for k in protection.unprotectable])


def _degrade(plan: Plan, units: list[tuple], periods) -> None:
    """The secondary figure's remedy. A primary cell it leaves unprotectable (its
    pattern is fixed) is blamed on the door figure of the same window; if that changes
    nothing, the door figure is withdrawn from every release."""
    door_units = [(SECONDARY, u[1]) for u in units]
    if not plan.degrade(door_units, periods):
        plan.atoms[SECONDARY] = []


def _merged(plan: Plan, exact: Exact) -> int:
    initial = Plan.initial(exact.pilot_start, exact.as_of)
    return sum(len(initial.atoms[f]) - len(plan.atoms[f]) for f in plan.atoms)
