"""The published figures a reader sees and the exact equations that link them.

Build one :class:`Figures` per audience (every figure of every release that audience can
read, plus the public program figures), then hand it to :func:`geo.disclosure.protect`.
A cell is one figure, named by any hashable key; a figure that appears in several tables
is one cell (use the same key) or two cells joined by :meth:`Figures.same`. Every
equation is homogeneous with integer coefficients, ``sum(coef * cell) == 0``; a known
constant is a public cell.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

Key = Hashable
TOTAL = "Total"


@dataclass(frozen=True)
class System:
    """The compiled model: cell ``i`` is ``keys[i]``; ``matrix @ values == 0`` (one row
    per equation, CSR and CSC copies for row and column access)."""

    keys: tuple
    values: np.ndarray
    public: np.ndarray
    total: np.ndarray
    rows: sparse.csr_array
    cols: sparse.csc_array
    rates: Mapping


class Figures:
    """A growing set of cells and equations, checked as it is built.

    Cells are *counts of people* (hidden as ``"<11"`` when 1..t, candidates for
    complementary suppression otherwise) unless ``public``: a public figure (e.g. the
    program census) is always shown, is known to every reader and is never hidden.
    ``total`` marks a margin or total, which complementary suppression hides only after
    inner cells.
    """

    def __init__(self) -> None:
        self._index: dict = {}
        self._values: list[int] = []
        self._public: list[bool] = []
        self._total: list[bool] = []
        self._equations: list[dict[int, int]] = []
        self._rates: dict = {}

    def __contains__(self, key: Key) -> bool:
        return key in self._index

    def value(self, key: Key) -> int:
        return self._values[self._position(key)]

    def add(self, key: Key, value: int, *, public: bool = False, total: bool = False) -> Key:
        """Add a cell, or meet an existing one again (same value and publicity required;
        a cell is a total if any table treats it as one)."""
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise ValueError(f"{key!r}: a count must be a whole number >= 0, not {value!r}")
        value = int(value)
        if key in self._index:
            i = self._index[key]
            if self._values[i] != value or self._public[i] != public:
                raise ValueError(
                    f"{key!r} added twice with different values or publicity: "
                    f"{self._values[i]} vs {value}"
                )
            self._total[i] = self._total[i] or total
            return key
        self._index[key] = len(self._values)
        self._values.append(value)
        self._public.append(bool(public))
        self._total.append(bool(total))
        return key

    def equation(self, terms: Mapping[Key, int]) -> None:
        """A relation every reader knows: ``sum(coef * cell) == 0`` over existing cells."""
        row: dict[int, int] = {}
        for key, coef in terms.items():
            if isinstance(coef, bool) or not isinstance(coef, int | np.integer):
                raise ValueError(f"{key!r}: coefficients must be whole numbers, not {coef!r}")
            i = self._position(key)
            row[i] = row.get(i, 0) + int(coef)
        row = {i: c for i, c in row.items() if c}
        if not row:
            raise ValueError("an equation needs at least one non-zero coefficient")
        if sum(c * self._values[i] for i, c in row.items()):
            shown = " + ".join(f"{c}*{self._key(i)!r}" for i, c in row.items())
            raise ValueError(f"the figures do not satisfy {shown} = 0")
        self._equations.append(row)

    def additive(self, parent: Key, children: Iterable[Key]) -> None:
        """``parent`` is the sum of ``children`` (a total and its parts, a quarter's
        additive count and its months)."""
        terms: dict = {parent: 1}
        for child in children:
            terms[child] = terms.get(child, 0) - 1
        self.equation(terms)

    def same(self, a: Key, b: Key) -> None:
        """Two cells are the same figure published twice."""
        self.equation({a: 1, b: -1})

    def breakdown(
        self,
        total: Key,
        parts: Mapping[Key, int],
        *,
        total_value: int | None = None,
        public_total: bool = False,
    ) -> None:
        """A one-way breakdown with its total (the sum of ``parts`` unless given, e.g. a
        public census that the parts must add up to)."""
        for key, value in parts.items():
            self.add(key, value)
        value = sum(parts.values()) if total_value is None else total_value
        self.add(total, value, public=public_total, total=True)
        self.additive(total, parts)

    def two_way(
        self,
        name: Hashable,
        values: Sequence[Sequence[int]],
        rows: Sequence[Hashable],
        columns: Sequence[Hashable],
        *,
        public_total: bool = False,
    ) -> list[list[tuple]]:
        """A table with row and column totals; cell ``(name, row, column)``, margins use
        :data:`TOTAL` as the row or column label. Returns the keys, margins last."""
        body = np.asarray(values, dtype=np.int64).reshape(len(rows), len(columns))
        keys = [[(name, r, c) for c in [*columns, TOTAL]] for r in [*rows, TOTAL]]
        for i in range(len(rows)):
            self.breakdown(keys[i][-1], {keys[i][j]: body[i, j] for j in range(len(columns))})
        for j in range(len(columns)):
            self.add(keys[-1][j], int(body[:, j].sum()), total=True)
            self.additive(keys[-1][j], [keys[i][j] for i in range(len(rows))])
        grand = keys[-1][-1]
        self.add(grand, int(body.sum()), public=public_total, total=True)
        self.additive(grand, [keys[i][-1] for i in range(len(rows))])
        self.additive(grand, keys[-1][:-1])
        return keys

    def rate(self, key: Hashable, numerator: Key, denominator: Key) -> Key:
        """A share ``numerator / denominator`` of existing cells, shown only when both are
        shown. Showing both also tells the complement ``denominator - numerator`` (e.g. the
        people *not* engaged), a count of people in its own right: it is added as cell
        ``(key, "complement")`` (unless the caller added it) and protected like any other,
        though no table shows it."""
        if key in self._rates or key in self._index:
            raise ValueError(f"{key!r} is already a rate or a cell")
        if self.value(numerator) > self.value(denominator):
            raise ValueError(f"rate {key!r}: {numerator!r} exceeds {denominator!r}")
        complement = (key, "complement")
        if complement not in self._index:
            self.add(complement, self.value(denominator) - self.value(numerator))
        self.equation({numerator: 1, complement: 1, denominator: -1})
        self._rates[key] = (numerator, denominator)
        return key

    def compile(self) -> System:
        """The model as arrays and a sparse matrix, for the audit."""
        data, row_ids, col_ids = [], [], []
        for r, row in enumerate(self._equations):
            for i, coef in row.items():
                row_ids.append(r)
                col_ids.append(i)
                data.append(coef)
        shape = (len(self._equations), len(self._values))
        matrix = sparse.csr_array((np.array(data, dtype=float), (row_ids, col_ids)), shape)
        return System(
            keys=tuple(self._index),
            values=np.array(self._values, dtype=np.int64),
            public=np.array(self._public, dtype=bool),
            total=np.array(self._total, dtype=bool),
            rows=matrix,
            cols=sparse.csc_array(matrix),
            rates=dict(self._rates),
        )

    def _position(self, key: Key) -> int:
        try:
            return self._index[key]
        except KeyError:
            raise ValueError(f"unknown cell {key!r}: add it first") from None

    def _key(self, i: int) -> Key:
        return next(k for k, j in self._index.items() if j == i)
