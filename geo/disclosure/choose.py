"""Which figures to hide as complements.

Two steps, both greedy and deterministic. *Closure* needs no solver: an equation with
exactly one hidden cell gives that cell away, so while one exists a figure of it is
hidden too; this settles the long chains of additivity links (a month hidden in a
quarter, a quarter in its year) at the cost of counting. *Repair* answers the audit: a
cell that still fails (its interval too narrow, not a single value) gets one more
figure from its equations. Both take the cheapest candidate: a shown, non-public,
non-zero figure that leaves the fewest equations newly holding a single hidden cell,
then an inner cell before a total, then the smallest value, then the first added.
"""

import heapq
from collections.abc import Callable

import numpy as np

from geo.disclosure.bounds import Component
from geo.disclosure.model import System


class Chooser:
    """Complementary suppression over one system; ``hidden`` is updated in place.

    ``known``: cells that public and zero figures alone give away, whatever is hidden
    (alone among the hideable cells of an equation, then in turn). Hiding one helps no
    one, so none is ever a complement, and a small one is hopeless from the start."""

    def __init__(self, system: System, hideable: np.ndarray, hidden: np.ndarray):
        self.system, self.hidden = system, hidden
        pattern = system.rows.copy()
        pattern.data[:] = 1
        self.pattern = pattern
        self.known = self._given_away(hideable)
        self.hideable = hideable & ~self.known
        self.count = self._counts(hidden)

    def hopeless(self) -> set[int]:
        """Hidden cells given away by public and zero figures alone."""
        return set(np.flatnonzero(self.hidden & self.known).tolist())

    def close(self, hopeless: set[int]) -> None:
        """Until every equation holds zero or at least two hidden cells, hide a figure of
        each equation holding one; a cell pinned by public and zero figures alone is
        added to ``hopeless`` (nothing can protect it)."""
        queue = np.flatnonzero(self.count == 1).tolist()
        heapq.heapify(queue)
        while queue:
            r = heapq.heappop(queue)
            if self.count[r] != 1:
                continue
            cells = self._cells(r)
            c = int(cells[self.hidden[cells]][0])
            if c in hopeless:
                continue
            pick = self._cheapest([r])
            if pick is None:
                hopeless.add(c)
                continue
            for row in self._hide(pick):
                if self.count[row] == 1:
                    heapq.heappush(queue, int(row))

    def repair(
        self,
        failing: list[int],
        parts: list[Component],
        protectable: Callable[[int], bool],
        tried: set[int],
        hopeless: set[int],
    ) -> None:
        """One round for the cells failing the audit: each whose equations got no new
        hidden cell yet this round gets one, from its equations with the fewest hidden
        cells, else its other equations, else any equation of its component.
        A cell failing a second time is checked against hiding everything
        (``protectable``); if that fails too, or no candidate is left, it is hopeless."""
        touched = np.zeros(len(self.count), dtype=bool)
        part_rows = {int(c): part.rows for part in parts for c in part.cells}
        for c in failing:
            own = self._rows(c)
            if touched[own].any():
                continue
            if c in tried and not protectable(c):
                hopeless.add(c)
                continue
            tried.add(c)
            fewest = own[self.count[own] == self.count[own].min()] if len(own) else own
            pick = next(
                (
                    d
                    for rows in (fewest, own, part_rows[c])
                    if (d := self._cheapest(rows)) is not None
                ),
                None,
            )
            if pick is None:
                # nothing left to hide near it: hopeless, unless this round hid part of
                # its component (then the next audit decides)
                if not touched[part_rows[c]].any():
                    hopeless.add(c)
                continue
            touched[self._hide(pick)] = True

    def _given_away(self, hideable: np.ndarray) -> np.ndarray:
        free, known = hideable.copy(), np.zeros(len(hideable), dtype=bool)
        count = self._counts(free)
        queue = np.flatnonzero(count == 1).tolist()
        while queue:
            r = queue.pop()
            if count[r] != 1:
                continue
            cells = self._cells(r)
            d = int(cells[free[cells]][0])
            free[d], known[d] = False, True
            rows = self._rows(d)
            count[rows] -= 1
            queue.extend(rows[count[rows] == 1].tolist())
        return known

    def _counts(self, mask: np.ndarray) -> np.ndarray:
        return (self.pattern @ mask.astype(np.int64)).astype(np.int64)

    def _cheapest(self, rows) -> int | None:
        best = None
        for r in rows:
            cells = self._cells(r)
            for d in cells[self.hideable[cells] & ~self.hidden[cells]]:
                others = self._rows(d)
                others = others[others != r]
                made = int((self.count[others] == 0).sum() - (self.count[others] == 1).sum())
                key = (made, bool(self.system.total[d]), int(self.system.values[d]), int(d))
                best = key if best is None or key < best else best
        return None if best is None else best[-1]

    def _hide(self, d: int) -> np.ndarray:
        self.hidden[d] = True
        rows = self._rows(d)
        self.count[rows] += 1
        return rows

    def _cells(self, r: int) -> np.ndarray:
        m = self.system.rows
        return m.indices[m.indptr[r] : m.indptr[r + 1]]

    def _rows(self, c: int) -> np.ndarray:
        m = self.system.cols
        return m.indices[m.indptr[c] : m.indptr[c + 1]]
