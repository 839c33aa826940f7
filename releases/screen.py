"""A cheap first look for figures that no suppression can protect.

Each figure (a table of one release, a cohort row...) is looked at alone: its own cells,
the equations among them and the public figures, every one of its non-zero counts
hidden under its label. That is a relaxation of what a reader knows (fewer equations,
more cells hidden), so a cell that fails the rule here fails whatever the engine
hides: the figure is withdrawn or merged (:mod:`releases.plan`) before the much more
expensive protection of all releases together, which then finds few such cells left.
A larger count is only checked by the engine: it is hidden only if the engine picks it
as a complement, and a figure without small counts (say 12 + 11 = 23, which two hidden
parts of at least 11 would narrow to 22 or more) is published as it is.
"""

import math
from collections import defaultdict

import numpy as np
from scipy.optimize import linprog

from releases.model import Model

WHOLE = 1e-6  # distance to a whole number below which an LP value is whole


def hopeless_units(
    model: Model, threshold: int, protection: int, seen: dict | None = None
) -> list[tuple]:
    """The units holding a count that fails the rule even with all of its figure
    hidden. ``seen`` keeps verdicts between calls: a figure met again with the same
    cells, values and equations is not looked at twice."""
    seen = {} if seen is None else seen
    system = model.figures.compile()
    values, public = system.values, system.public
    names = list(dict.fromkeys(model.units.values()))
    number = {unit: i for i, unit in enumerate(names)}
    position = {key: i for i, key in enumerate(system.keys)}
    unit = np.full(len(values), -1)
    for key, u in model.units.items():
        unit[position[key]] = number[u]
    hidden = ~public & (values > 0) & (unit >= 0)
    rows_of = defaultdict(list)
    for r in range(system.rows.shape[0]):
        cells = system.rows.indices[system.rows.indptr[r] : system.rows.indptr[r + 1]]
        owners = set(unit[cells[hidden[cells]]].tolist())
        if len(owners) == 1 and not (~hidden[cells] & ~public[cells] & (values[cells] > 0)).any():
            rows_of[owners.pop()].append(r)
    failing = []
    for u, rows in rows_of.items():
        cells = np.flatnonzero(hidden & (unit == u))
        signature = (names[u], _signature(system, rows))
        if signature not in seen:
            seen[signature] = _passes(system, rows, cells, threshold, protection)
        if not seen[signature]:
            failing.append(names[u])
    return failing


def _signature(system, rows) -> tuple:
    """The equations of a figure with the values of their cells: what its verdict
    depends on."""
    found = []
    for r in rows:
        span = slice(system.rows.indptr[r], system.rows.indptr[r + 1])
        cells, coefs = system.rows.indices[span], system.rows.data[span]
        found.append(
            tuple(
                (system.keys[c], float(k), int(system.values[c]))
                for c, k in zip(cells, coefs, strict=True)
            )
        )
    return tuple(found)


def _passes(system, rows, cells, t: int, p: int) -> bool:
    values = system.values
    block = system.rows[rows]
    a = block[:, cells]
    shown = np.where(np.isin(np.arange(len(values)), cells), 0, values)
    b = -(block @ shown)
    small = values[cells] <= t
    if not small.any():
        return True
    box = np.column_stack([np.where(small, 1.0, t + 1.0), np.where(small, float(t), np.inf)])
    need_lo = np.maximum(box[:, 0], values[cells] - p)
    need_hi = np.minimum(box[:, 1], values[cells] + p)
    low_ok = _sweep(a, b, box, need_lo, 1.0, ~small)
    high_ok = _sweep(a, b, box, need_hi, -1.0, ~small)
    for j in np.flatnonzero(small):
        lo = need_lo[j] if low_ok[j] else _extreme(a, b, box, j, 1.0)
        hi = need_hi[j] if high_ok[j] else _extreme(a, b, box, j, -1.0)
        if not (lo <= need_lo[j] and hi >= need_hi[j] and lo < hi):
            return False
    return True


def _sweep(a, b, box, need, sign: float, skip: np.ndarray) -> np.ndarray:
    """Which cells some completion puts at or beyond ``need`` (below it for sign +1,
    above for -1): found by pushing every undecided cell at once, a few times. The box
    is capped above so that pushing up has an optimum (a capped completion is still
    one). Cells in ``skip`` are not looked at."""
    capped = box.copy()
    capped[:, 1] = np.minimum(capped[:, 1], np.maximum(capped[:, 0], need.max() + 1000))
    ok = skip.copy()
    for _ in range(3):
        if ok.all():
            break
        cost = np.where(ok, 0.0, sign)
        result = linprog(cost, A_eq=a, b_eq=b, bounds=capped, method="highs")
        if result.status != 0:
            break
        x = np.round(result.x, 6)
        newly = (np.ceil(x - WHOLE) <= need) if sign > 0 else (np.floor(x + WHOLE) >= need)
        if not (newly & ~ok).any():
            break
        ok |= newly
    return ok


def _extreme(a, b, box, j: int, sign: float) -> float:
    cost = np.zeros(box.shape[0])
    cost[j] = sign
    result = linprog(cost, A_eq=a, b_eq=b, bounds=box, method="highs")
    if result.status == 3:
        return math.inf
    if result.status != 0:  # the true figures are a solution
        raise RuntimeError(f"screening problem not solved: {result.message}")
    value = sign * result.fun
    return math.ceil(value - WHOLE) if sign > 0 else math.floor(value + WHOLE)
