"""Exact bounds of hidden cells: the smallest and largest value a reader can deduce.

The reader's knowledge is a polytope: hidden cell ``c`` lies within its label's interval
``[lower_c, upper_c]``, shown cells are fixed, every equation holds. Its linear
programming relaxation is an outer bound of the integer completions (every integer
completion is a point of it), so ``min x_c`` and ``max x_c`` over it bound what a reader
can deduce. When the optimal vertex HiGHS returns is integral, that bound *is* the
integer bound; when it is not (possible once tables overlap in three or more ways, or
with coefficients other than +-1), the same problem is solved again with integrality
(HiGHS branch and bound), so the bounds returned are always those of the integer
completions, the tightest an attacker who knows counts are whole numbers can reach.

Hidden cells fall into independent components (cells that share an equation, then
closure); each component is one problem, cached, so an audit after a few more cells are
hidden solves only the components that changed. Few problems are solved per cell:

- *Witnesses.* Every integral solution found is a completion the reader cannot rule
  out; for each cell the lowest and highest value seen in one is kept (the true figures
  are the first). A cell seen at its label's bound has that bound exactly, and a cell
  seen at or beyond what the rule requires passes that side. Hiding more cells only
  relaxes the polytope, so witnesses stay valid while the hidden set grows.
- *Sweeps.* One problem pushes all undecided cells of a component at once toward their
  targets (each capped at its target, so pushing one does not pay for another), which
  settles most cells; only the rest get a problem of their own, re-solved warm from the
  component's last basis (:class:`Simplex`).
- *Rays.* A cell with an unbounded label (a complement) is unbounded above exactly when
  a direction ``r >= 0`` with ``A r = 0`` moves it and no bounded cell; one problem over
  such directions finds many of them at once.
"""

import math
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.optimize._highspy import _core as highs
from scipy.sparse.csgraph import connected_components

from geo.disclosure.model import System

INTEGRAL = 1e-6  # distance to a whole number below which a solver value is whole


class Simplex:
    """One component's LP kept loaded in HiGHS, re-solved for each new objective from the
    last optimal basis. ``linprog(method="highs")`` drives the same solver through the
    same binding but loads the model and starts from scratch on every call: on
    components of a few hundred cells that is about ten times slower, and the audit
    solves one such problem per side of every hidden cell. (scipy is pinned; the tests
    run every path.)"""

    def __init__(self, matrix: sparse.csc_array, rhs: np.ndarray, bounds: np.ndarray):
        lp = highs.HighsLp()
        lp.num_row_, lp.num_col_ = matrix.shape
        lp.col_cost_ = np.zeros(matrix.shape[1])
        lp.col_lower_ = bounds[:, 0]
        lp.col_upper_ = np.where(np.isinf(bounds[:, 1]), highs.kHighsInf, bounds[:, 1])
        lp.row_lower_ = lp.row_upper_ = rhs
        lp.a_matrix_.format_ = highs.MatrixFormat.kColwise
        lp.a_matrix_.num_row_, lp.a_matrix_.num_col_ = matrix.shape
        lp.a_matrix_.start_, lp.a_matrix_.index_ = matrix.indptr, matrix.indices
        lp.a_matrix_.value_ = matrix.data
        self.solver = highs._Highs()
        self.solver.setOptionValue("output_flag", False)
        self.solver.passModel(lp)
        self.columns = np.arange(matrix.shape[1], dtype=np.int32)

    def solve(self, cost: np.ndarray) -> tuple[str, np.ndarray | None]:
        """``("optimal", vertex)`` for ``min cost @ x``, ``("unbounded", None)``, or
        ``("unknown", None)`` when the warm start gets stuck (then solve it cold)."""
        self.solver.changeColsCost(len(cost), self.columns, cost)
        self.solver.run()
        status = self.solver.getModelStatus()
        if status == highs.HighsModelStatus.kOptimal:
            return "optimal", np.array(self.solver.getSolution().col_value)
        if status in (
            highs.HighsModelStatus.kUnbounded,
            highs.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return "unbounded", None  # the true figures are feasible: not infeasible
        self.solver.clearSolver()  # drop the basis that led nowhere
        return "unknown", None


@dataclass(frozen=True)
class Component:
    """Hidden cells linked by equations (``cells``), and every equation touching them."""

    cells: np.ndarray
    rows: np.ndarray


def components(system: System, hidden: np.ndarray) -> list[Component]:
    """The components of the hidden cells, ordered by their first cell."""
    cells = np.flatnonzero(hidden)
    if not len(cells):
        return []
    touching = sparse.csr_array(system.cols[:, cells])
    rows = np.flatnonzero(np.diff(touching.indptr))
    pattern = touching[rows]
    pattern.data[:] = 1
    graph = sparse.block_array([[None, pattern.T], [pattern, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    cell_labels, row_labels = labels[: len(cells)], labels[len(cells) :]
    found = []
    for label in dict.fromkeys(cell_labels.tolist()):
        found.append(Component(cells[cell_labels == label], rows[row_labels == label]))
    return found


class Witnesses:
    """The lowest and highest value of each cell in any integral completion seen."""

    def __init__(self, values: np.ndarray):
        self.low = values.astype(float)
        self.high = values.astype(float)


class Problem:
    """One component's polytope: exact integer extremes of its cells, and the rule's
    verdict for each (``need_lo``/``need_hi``: what a reader must not be able to rule
    out, arrays over all cells)."""

    def __init__(self, system: System, part: Component, lower, upper, hidden, seen):
        shown = np.where(hidden, 0, system.values)
        block = system.rows[part.rows]
        self.cells = part.cells
        self.matrix = sparse.csc_array(block[:, part.cells])
        self.rhs = -(block @ shown)
        self.bounds = np.column_stack([lower[part.cells], upper[part.cells]])
        self.seen = seen
        rowwise = sparse.csr_array(self.matrix)
        alone = np.flatnonzero(np.diff(rowwise.indptr) == 1)
        self.pinned = np.zeros(len(part.cells), dtype=bool)
        self.pinned[rowwise[alone].indices] = True  # alone in an equation: given away
        values = system.values[part.cells]
        exact = {int(j): float(values[j]) for j in np.flatnonzero(self.pinned)}
        self._min: dict[int, float] = dict(exact)
        self._max: dict[int, float] = dict(exact)
        self._rays_done = False
        self._simplex: Simplex | None = None

    def passes(self, need_lo: np.ndarray, need_hi: np.ndarray, known: np.ndarray) -> np.ndarray:
        """Per cell: ``lo <= need_lo``, ``hi >= need_hi`` and ``lo < hi``; cells
        ``known`` to fail are not examined."""
        need_lo, need_hi = need_lo[self.cells], need_hi[self.cells]
        self._sweep(need_lo, 1.0)
        self._sweep(need_hi, -1.0)
        ok = ~known & ~self.pinned
        for j in np.flatnonzero(ok & (self.seen.low[self.cells] > need_lo)):
            ok[j] = self.minimum(j) <= need_lo[j]
        for j in np.flatnonzero(ok & (self.seen.high[self.cells] < need_hi)):
            ok[j] = self.maximum(j) >= need_hi[j]
        for j in np.flatnonzero(ok & (self.seen.low[self.cells] >= self.seen.high[self.cells])):
            ok[j] = self.minimum(j) < self.maximum(j)
        return ok

    def extremes(self) -> list[tuple[float, float]]:
        """Exact integer ``(min, max)`` of every cell (``max`` may be inf)."""
        lower, upper = self.bounds[:, 0], self.bounds[:, 1]
        self._sweep(lower, 1.0)
        self._sweep(upper, -1.0)
        self._rays()
        return [(self.minimum(j), self.maximum(j)) for j in range(len(self.cells))]

    def minimum(self, j: int) -> float:
        if j not in self._min:
            at_bound = self.seen.low[self.cells[j]] <= self.bounds[j, 0]
            self._min[j] = self.bounds[j, 0] if at_bound else self._optimum(j, 1.0)
        return float(self._min[j])

    def maximum(self, j: int) -> float:
        if j not in self._max:
            at_bound = self.seen.high[self.cells[j]] >= self.bounds[j, 1]
            self._max[j] = self.bounds[j, 1] if at_bound else -self._optimum(j, -1.0)
        return float(self._max[j])

    def _optimum(self, j: int, sign: float) -> float:
        """``min sign * x_j`` over the integer completions."""
        if not len(self.rhs):
            return sign * self.bounds[j, 0 if sign > 0 else 1]
        cost = np.zeros(len(self.cells))
        cost[j] = sign
        if self._simplex is None:
            self._simplex = Simplex(self.matrix, self.rhs, self.bounds)
        status, x = self._simplex.solve(cost)
        if status == "unknown":
            result = linprog(cost, A_eq=self.matrix, b_eq=self.rhs, bounds=self.bounds)
            status, x = ("unbounded", None) if result.status == 3 else ("optimal", result.x)
            if result.status not in (0, 3):
                raise RuntimeError(f"audit problem not solved: {result.message}")
        if status == "unbounded":  # only a maximum of an unbounded label
            return -math.inf
        if np.abs(x - np.round(x)).max() > INTEGRAL:
            x = self._solve(cost, self.bounds, integral=True).x
        return sign * self._record(x)[j]

    def _sweep(self, target: np.ndarray, sign: float) -> None:
        """Push every cell not yet seen at ``target`` toward it, all in one problem,
        while that settles more cells."""
        while len(self.rhs):
            seen = self.seen.low if sign > 0 else self.seen.high
            gap = sign * (seen[self.cells] - target)
            open_ = np.flatnonzero((gap > 0) & np.isfinite(target))
            if len(open_) < 2:
                return
            capped = self.bounds.copy()
            capped[open_, 0 if sign > 0 else 1] = target[open_]
            cost = np.zeros(len(self.cells))
            cost[open_] = sign
            x = self._solve(cost, capped).x
            if np.abs(x - np.round(x)).max() > INTEGRAL:
                return
            x = self._record(x)
            if not (sign * (x[open_] - target[open_]) <= 0).any():
                return

    def _rays(self) -> None:
        """Settle which unbounded-label cells are unbounded above: maximise the share of
        still undecided ones in a recession direction, until none moves."""
        if self._rays_done or not len(self.rhs):
            return
        self._rays_done = True
        free = np.isinf(self.bounds[:, 1])
        directions = np.column_stack([np.zeros(len(free)), free.astype(float)])
        while (open_ := [j for j in np.flatnonzero(free) if j not in self._max]) != []:
            cost = np.zeros(len(self.cells))
            cost[open_] = -1.0
            result = linprog(
                cost, A_eq=self.matrix, b_eq=np.zeros(len(self.rhs)), bounds=directions
            )
            moved = [j for j in open_ if result.status == 0 and result.x[j] > INTEGRAL]
            if not moved:
                return
            self._max.update({j: math.inf for j in moved})

    def _record(self, x: np.ndarray) -> np.ndarray:
        x = np.round(x)
        low, high = self.seen.low, self.seen.high
        low[self.cells] = np.minimum(low[self.cells], x)
        high[self.cells] = np.maximum(high[self.cells], x)
        return x

    def _solve(self, cost, bounds, integral: bool = False):
        result = linprog(
            cost,
            A_eq=self.matrix,
            b_eq=self.rhs,
            bounds=bounds,
            method="highs",
            integrality=np.ones(len(cost)) if integral else None,
            options={"mip_rel_gap": 0.0} if integral else None,
        )
        if result.status != 0:  # the true figures are a solution: this is a bug
            raise RuntimeError(f"audit problem not solved: {result.message}")
        return result
        if result.status != 0:  # the true figures are a solution: this is a bug
            raise RuntimeError(f"audit problem not solved: {result.message}")
        return result


class Bounds:
    """The audit of a growing hidden set: problems cached by component, witnesses kept
    while each hidden set contains the previous one (reset otherwise)."""

    def __init__(self, system: System, lower, upper, need_lo, need_hi):
        self.system, self.lower, self.upper = system, lower, upper
        self.need_lo, self.need_hi = need_lo, need_hi
        self.seen = Witnesses(system.values)
        self._problems: dict[bytes, Problem] = {}
        self._passes: dict[bytes, np.ndarray] = {}
        self._last = np.zeros(len(system.values), dtype=bool)

    def passing(
        self, hidden: np.ndarray, skip: Collection[int] = ()
    ) -> tuple[dict[int, bool], list[Component]]:
        """``{cell: passes the rule}`` for every hidden cell, and the components; cells
        in ``skip`` (known to fail) are not examined."""
        found, parts = {}, self._parts(hidden)
        for part in parts:
            key = part.cells.tobytes()
            problem = self._problem(part, hidden)
            if key not in self._passes:
                known = np.isin(part.cells, list(skip))
                self._passes[key] = problem.passes(self.need_lo, self.need_hi, known)
            found.update(zip(part.cells.tolist(), self._passes[key].tolist(), strict=True))
        return found, parts

    def exact(self, hidden: np.ndarray) -> dict[int, tuple[float, float]]:
        """``{cell: (lo, hi)}``, exact integer bounds of every hidden cell."""
        found = {}
        for part in self._parts(hidden):
            extremes = self._problem(part, hidden).extremes()
            found.update(zip(part.cells.tolist(), extremes, strict=True))
        return found

    def of_cell(self, cell: int, hidden: np.ndarray) -> tuple[float, float]:
        """Exact bounds of one hidden cell, solving only its own problems."""
        for part in self._parts(hidden):
            where = np.flatnonzero(part.cells == cell)
            if len(where):
                problem = self._problem(part, hidden)
                return problem.minimum(int(where[0])), problem.maximum(int(where[0]))
        raise ValueError(f"cell {cell} is not hidden")

    def _parts(self, hidden: np.ndarray) -> list[Component]:
        if (self._last & ~hidden).any():
            self.seen = Witnesses(self.system.values)
            self._problems.clear()
        self._last = hidden.copy()
        return components(self.system, hidden)

    def _problem(self, part: Component, hidden: np.ndarray) -> Problem:
        key = part.cells.tobytes()
        if key not in self._problems:
            self._problems[key] = Problem(
                self.system, part, self.lower, self.upper, hidden, self.seen
            )
        return self._problems[key]
