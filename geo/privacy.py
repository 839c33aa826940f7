"""Small-cell suppression with complementary suppression.

Outside the person-level roles, a count of people from 1 to ``threshold`` (the
``small_cell_threshold`` setting, 10 by default) is shown as ``"<11"``. Zero is shown: it
says that nobody is in the cell, which discloses nothing about a person, and hiding zeros
would only tell readers that every hidden cell holds at least one person.

Hiding the small cells alone is not enough: a reader who sees a total and every other cell
of its row can subtract. So more cells are hidden ("complementary suppression") until no
hidden figure can be recovered from the figures shown by adding and subtracting.

The model. A two-way table with margins is extended to an (R+1) x (C+1) matrix whose last
row and column hold the totals. Every extended row and column is one published equation
(cells sum to their total). Read it as a bipartite graph: one node per extended row, one
per extended column, and one edge per cell (margins included) joining its row and column.
Given the shown figures, a hidden cell is determined by the equations exactly when its
edge is a bridge of the graph formed by the hidden cells, i.e. lies on no cycle of hidden
cells (the kernel of the equations is spanned by alternating sums around cycles). So every
hidden cell is put on a cycle: for a hidden cell that is a bridge, the cheapest path of
non-zero cells joining its two ends is hidden too. Costs favour small inner cells; margins
cost more and the grand total most, so they are hidden only when nothing else closes the
cycle. In particular no row or column ever has exactly one hidden entry.

A one-dimensional breakdown (each count column summed over the rows, no row totals) is one
equation per column: there it suffices that each column hides none or at least two
entries, its total included. A table of rates (each row a count of a denominator, no totals
across rows) is one equation per row: count + complement = denominator.

Tables published together that share figures (a month's total appears by service and by
outcome) are protected together: a shared figure hidden in one table is hidden in all,
and each table is protected again until nothing changes (``protect_linked``).

Every hidden figure shows the same mark, ``"<11"``, whether it is small or a larger
complement: marking complements apart would tell readers they exceed the threshold, and
then a row "hidden + hidden = 12" gives back the small one (12 - 11 = 1). Pages say so in
their captions.

Percentages are hidden where their numerator or denominator is hidden: a share shown
beside a shown denominator gives back the numerator, and beside a shown numerator gives
back the denominator.

Pure functions of DataFrames; no Streamlit.
"""

import heapq
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

DEFAULT_THRESHOLD = 10
HIDDEN_SHARE = "–"


class Suppressed(NamedTuple):
    """``shown``: display strings; ``mask``: True where a figure is hidden (same shape)."""

    shown: pd.DataFrame
    mask: pd.DataFrame


def small_label(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The text shown instead of a small count, e.g. ``"<11"``."""
    return f"<{threshold + 1}"


def format_count(value: int) -> str:
    return f"{int(value):,}"


def format_share(numerator: float, denominator: float) -> str:
    if not denominator:
        return HIDDEN_SHARE
    return f"{100 * numerator / denominator:.0f}%"


def is_small(values: np.ndarray, threshold: int) -> np.ndarray:
    """Primary suppression: counts from 1 to ``threshold``."""
    return (values >= 1) & (values <= threshold)


# --- two-way tables -------------------------------------------------------------------


def extend_with_margins(matrix: np.ndarray) -> np.ndarray:
    """``matrix`` with row totals appended as a last column and column totals as a last
    row (grand total in the corner)."""
    matrix = np.asarray(matrix, dtype=np.int64)
    with_rows = np.column_stack([matrix, matrix.sum(axis=1)])
    return np.vstack([with_rows, with_rows.sum(axis=0)])


def protect_extended(
    extended: np.ndarray,
    threshold: int = DEFAULT_THRESHOLD,
    fixed_last_row: bool = False,
    forced: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask of the entries to hide in an extended matrix (last row and column are
    totals). ``fixed_last_row``: the column totals are published elsewhere and may not be
    hidden (they still count as known equations). ``forced``: entries to hide whatever
    their value (hidden in another table that shows the same figure)."""
    values = np.asarray(extended, dtype=np.int64)
    hidden = is_small(values, threshold)
    if forced is not None:
        hidden |= forced & (values != 0)
    if fixed_last_row:
        hidden[-1, :] = False
    cost = _costs(values, fixed_last_row)
    unprotectable: set = set()  # only with fixed totals: a cell equal to a published total
    while (bridge := _first_bridge(hidden, values, unprotectable)) is not None:
        path = _cheapest_path(bridge, hidden, cost)
        if path is None:
            unprotectable.add(bridge)
        for cell in path or []:
            hidden[cell] = True
    return hidden


def _costs(values: np.ndarray, fixed_last_row: bool) -> np.ndarray:
    """Price of hiding each entry: its value; margins and the grand total much dearer;
    zeros and fixed totals never (infinite)."""
    penalty = float(values[-1, -1]) * values.size + 1
    cost = values.astype(float)
    cost[-1, :] += penalty
    cost[:, -1] += penalty
    cost[-1, -1] += penalty
    cost[values == 0] = np.inf
    if fixed_last_row:
        cost[-1, :] = np.inf
    return cost


def _first_bridge(hidden: np.ndarray, values: np.ndarray, skip: set) -> tuple[int, int] | None:
    """A hidden entry that lies on no cycle of hidden entries, smallest value first."""
    cells = sorted(zip(*np.nonzero(hidden), strict=True), key=lambda c: (values[c], c))
    for cell in cells:
        cell = (int(cell[0]), int(cell[1]))
        if cell not in skip and not _connected_without(cell, hidden):
            return cell
    return None


def _connected_without(cell: tuple[int, int], hidden: np.ndarray) -> bool:
    """Are row ``cell[0]`` and column ``cell[1]`` joined by hidden entries other than it?"""
    rows, cols = hidden.shape
    start, goal = ("r", cell[0]), ("c", cell[1])
    seen, todo = {start}, [start]
    while todo:
        kind, index = todo.pop()
        line = hidden[index, :] if kind == "r" else hidden[:, index]
        for other in np.nonzero(line)[0]:
            entry = (index, other) if kind == "r" else (other, index)
            if entry == tuple(cell):
                continue
            node = ("c", other) if kind == "r" else ("r", other)
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return False


def _cheapest_path(
    cell: tuple[int, int], hidden: np.ndarray, cost: np.ndarray
) -> list[tuple[int, int]] | None:
    """Entries to hide so that ``cell`` lies on a cycle: the cheapest path from its row to
    its column through other non-zero entries (already hidden ones are free)."""
    start, goal = ("r", int(cell[0])), ("c", int(cell[1]))
    best = {start: 0.0}
    came: dict = {}
    queue = [(0.0, start)]
    while queue:
        dist, node = heapq.heappop(queue)
        if node == goal:
            break
        if dist > best.get(node, np.inf):
            continue
        kind, index = node
        size = cost.shape[1] if kind == "r" else cost.shape[0]
        for other in range(size):
            entry = (index, other) if kind == "r" else (other, index)
            if entry == (start[1], goal[1]) or not np.isfinite(cost[entry]):
                continue
            step = 0.0 if hidden[entry] else cost[entry]
            nxt = ("c", other) if kind == "r" else ("r", other)
            if dist + step < best.get(nxt, np.inf):
                best[nxt] = dist + step
                came[nxt] = (node, entry)
                heapq.heappush(queue, (dist + step, nxt))
    if goal not in came:
        return None
    path, node = [], goal
    while node != start:
        node, entry = came[node]
        path.append(entry)
    return [entry for entry in path if not hidden[entry]]


Entry = tuple[str, int, int]  # (table name, row, column) in an extended matrix


def protect_linked(
    tables: Mapping[str, np.ndarray],
    links: Iterable[Sequence[Entry]],
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, np.ndarray]:
    """Masks for extended tables published together. Each link lists entries of different
    tables that are the same figure (a margin shared by two tables); a figure hidden in one
    table is hidden in all, then the tables are protected again, until nothing changes."""
    links = [list(link) for link in links]
    forced = {name: np.zeros(np.shape(t), dtype=bool) for name, t in tables.items()}
    while True:
        masks = {
            name: protect_extended(table, threshold, forced=forced[name])
            for name, table in tables.items()
        }
        changed = False
        for link in links:
            if any(masks[name][i, j] for name, i, j in link):
                for name, i, j in link:
                    if not forced[name][i, j] and tables[name][i, j] != 0:
                        forced[name][i, j] = changed = True
        if not changed:
            return masks


def suppress_table(
    df: pd.DataFrame,
    row: str,
    col: str,
    value: str,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    rows: Sequence | None = None,
    columns: Sequence | None = None,
    total: str = "Total",
    percent: bool = False,
) -> Suppressed:
    """A two-way table of ``value`` by ``row`` x ``col`` from long rows, with row and
    column totals, small cells and their complements hidden.

    ``rows``/``columns`` fix the order and keep empty categories (shown as 0).
    ``percent``: each cell also shows its share of the row total, ``"12 (40%)"``; no share
    is shown for a hidden cell or in a row whose total is hidden.
    Returns ``shown`` with ``row`` as first column, one column per category and ``total``,
    the last row being the totals, and the matching ``mask``.
    """
    table = pivot(df, row, col, value, rows, columns)
    extended = extend_with_margins(table.to_numpy())
    hidden = protect_extended(extended, threshold)
    labels = [*table.index, total]
    names = [*table.columns, total]
    return render_two_way(extended, hidden, labels, names, row, threshold, percent)


def pivot(
    df: pd.DataFrame,
    row: str,
    col: str,
    value: str,
    rows: Sequence | None = None,
    columns: Sequence | None = None,
) -> pd.DataFrame:
    """Integer cross-table of ``value`` summed by ``row`` x ``col`` (missing cells 0)."""
    if df.empty:
        table = pd.DataFrame(index=pd.Index([], name=row), columns=pd.Index([], name=col))
    else:
        table = df.pivot_table(index=row, columns=col, values=value, aggfunc="sum", fill_value=0)
    row_order = list(rows) if rows is not None else list(table.index)
    col_order = list(columns) if columns is not None else list(table.columns)
    table = table.reindex(index=row_order, columns=col_order, fill_value=0)
    return table.fillna(0).astype(np.int64)


def render_two_way(
    extended: np.ndarray,
    hidden: np.ndarray,
    labels: Sequence,
    names: Sequence,
    row: str,
    threshold: int = DEFAULT_THRESHOLD,
    percent: bool = False,
) -> Suppressed:
    """Display strings of an extended matrix: ``labels`` name its rows (totals last) in a
    first column called ``row``, ``names`` its columns (totals last)."""
    shown = pd.DataFrame({row: labels})
    mask = pd.DataFrame({row: [False] * len(labels)})
    row_totals = extended[:, -1]
    for j, name in enumerate(names):
        texts = []
        for i in range(len(labels)):
            if hidden[i, j]:
                texts.append(small_label(threshold))
                continue
            text = format_count(extended[i, j])
            if percent and j < len(names) - 1 and not hidden[i, -1] and extended[i, j]:
                text += f" ({format_share(extended[i, j], row_totals[i])})"
            texts.append(text)
        shown[name] = texts
        mask[name] = hidden[:, j]
    return Suppressed(shown, mask)


# --- one-dimensional breakdowns -------------------------------------------------------


def protect_columns(values: np.ndarray, threshold: int = DEFAULT_THRESHOLD) -> np.ndarray:
    """Mask for a matrix whose columns are independent breakdowns and whose last row holds
    each column's total: each column hides none or at least two entries."""
    values = np.asarray(values, dtype=np.int64)
    hidden = is_small(values, threshold)
    for j in range(values.shape[1]):
        column = hidden[:, j]
        if column.sum() != 1:
            continue
        candidates = [i for i in range(len(column) - 1) if values[i, j] > 0 and not column[i]]
        if candidates:
            column[min(candidates, key=lambda i: (values[i, j], i))] = True
        else:  # the hidden cell is the only non-zero one: its total equals it
            column[-1] = True
    return hidden


def suppress_counts(
    df: pd.DataFrame,
    count_columns: Sequence[str],
    threshold: int = DEFAULT_THRESHOLD,
    total_column: str | None = None,
    *,
    total_row: Mapping[str, str] | None = None,
    shares: Mapping[str, tuple[str, str]] | None = None,
) -> Suppressed:
    """Hide small counts in a breakdown whose rows are categories.

    Each count column is read as a breakdown over the rows whose column total is known
    (shown in ``total_row`` when given, e.g. ``{"race": "All"}``; otherwise assumed
    published elsewhere, and never hidden). ``total_column`` names a column equal to the
    sum of ``count_columns`` in each row (the rows are then a two-way table with margins).
    ``shares`` adds percentage columns: ``{"Diverted %": ("diverted", "offered")}``, hidden
    when either count is hidden.
    Other columns are kept as they are. Returns display strings and the mask of hidden
    figures (False for label columns).
    """
    counts = list(count_columns) + ([total_column] if total_column else [])
    body = df[counts].fillna(0).to_numpy(dtype=np.int64)
    values = np.vstack([body, body.sum(axis=0)])
    if total_column:
        if not np.array_equal(body[:, :-1].sum(axis=1), body[:, -1]):
            raise ValueError(f"{total_column} is not the sum of {list(count_columns)}")
        hidden = protect_extended(values, threshold, fixed_last_row=total_row is None)
    else:
        hidden = protect_columns(values, threshold)
        if total_row is None:
            hidden[-1, :] = False
    frame = df.reset_index(drop=True)
    if total_row is not None:
        extra = {c: "" for c in frame.columns if c not in counts}
        extra.update({c: str(v) for c, v in total_row.items()})
        frame = pd.concat([frame, pd.DataFrame([extra])], ignore_index=True)
    else:
        values, hidden = values[:-1], hidden[:-1]
    return _render_counts(frame, counts, values, hidden, threshold, shares or {})


def _render_counts(frame, counts, values, hidden, threshold, shares) -> Suppressed:
    shown = frame.copy()
    mask = pd.DataFrame(False, index=frame.index, columns=frame.columns)
    for j, name in enumerate(counts):
        shown[name] = [
            small_label(threshold) if h else format_count(v)
            for v, h in zip(values[:, j], hidden[:, j], strict=True)
        ]
        mask[name] = hidden[:, j]
    for name, (numerator, denominator) in shares.items():
        num, den = counts.index(numerator), counts.index(denominator)
        gone = hidden[:, num] | hidden[:, den]
        shown[name] = [
            HIDDEN_SHARE if g else format_share(n, d)
            for n, d, g in zip(values[:, num], values[:, den], gone, strict=True)
        ]
        mask[name] = gone
    return Suppressed(shown, mask)


def protect_rates(
    numerators: Sequence[int], denominators: Sequence[int], threshold: int = DEFAULT_THRESHOLD
) -> tuple[np.ndarray, np.ndarray]:
    """Hidden numerators and denominators of rows that are each a rate of its own (no
    totals across rows published). A row publishes numerator and denominator, so the
    complement (denominator - numerator) is known too: each of the three figures is
    protected, e.g. 42 of 44 people hides 42 and the rate because 2 people are not."""
    num = np.asarray(numerators, dtype=np.int64)
    den = np.asarray(denominators, dtype=np.int64)
    hidden = protect_columns(np.vstack([num, den - num, den]), threshold)
    return hidden[0], hidden[2]


def hide(values: pd.Series, mask: Iterable[bool]) -> pd.Series:
    """``values`` with hidden positions set to NaN (for charts drawn from hidden tables)."""
    return values.where(~pd.Series(list(mask), index=values.index, dtype=bool))
