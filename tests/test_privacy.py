"""Small-cell suppression: small counts hidden, and no hidden count recoverable from the
figures shown, checked by brute force on random tables."""

import numpy as np
import pandas as pd
import pytest

from geo.privacy import (
    extend_with_margins,
    protect_extended,
    protect_linked,
    protect_rates,
    suppress_counts,
    suppress_table,
)

THRESHOLD = 10
RNG_SEED = 20260917


def random_tables(count: int, seed: int = RNG_SEED):
    """Tables of people counts shaped like the dashboard's: many zeros and small cells."""
    rng = np.random.default_rng(seed)
    for _ in range(count):
        rows, cols = rng.integers(1, 7), rng.integers(1, 6)
        kind = rng.choice(["small", "mixed", "large"])
        high = {"small": 14, "mixed": 60, "large": 400}[kind]
        table = rng.integers(0, high, size=(rows, cols))
        table[rng.random(size=table.shape) < 0.25] = 0
        yield table


def long_rows(table: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"row": f"r{i}", "col": f"c{j}", "n": int(table[i, j])}
            for i in range(table.shape[0])
            for j in range(table.shape[1])
        ]
    )


def equations(shape: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """Each extended row and column: its entries sum to the last one."""
    rows, cols = shape
    lines = [[(i, j) for j in range(cols)] for i in range(rows)]
    lines += [[(i, j) for i in range(rows)] for j in range(cols)]
    return lines


def recoverable(hidden: np.ndarray, lines) -> list[tuple[int, int]]:
    """Hidden entries fixed by the published equations, whatever the other hidden values:
    entry k is determined iff the unit vector e_k lies in the row space of the equations
    restricted to the hidden entries (any combination of additions and subtractions)."""
    unknown = [tuple(map(int, c)) for c in zip(*np.nonzero(hidden), strict=True)]
    if not unknown:
        return []
    position = {cell: k for k, cell in enumerate(unknown)}
    matrix = []
    for line in lines:
        *cells, total = line
        row = np.zeros(len(unknown))
        for cell in cells:
            if cell in position:
                row[position[cell]] += 1
        if total in position:
            row[position[total]] -= 1
        if row.any():
            matrix.append(row)
    if not matrix:
        return []
    a = np.array(matrix)
    rank = np.linalg.matrix_rank(a)
    found = []
    for cell, k in position.items():
        unit = np.zeros(len(unknown))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.append(cell)
    return found


def lines_with_one_hidden(hidden: np.ndarray, lines) -> list:
    return [line for line in lines if sum(hidden[c] for c in line) == 1]


def assert_protected(extended: np.ndarray, hidden: np.ndarray, lines) -> None:
    small = (extended >= 1) & (extended <= THRESHOLD)
    assert hidden[small].all(), "a count from 1 to 10 is shown"
    assert not hidden[extended == 0].any(), "a zero is hidden"
    assert lines_with_one_hidden(hidden, lines) == [], "a line hides exactly one figure"
    assert recoverable(hidden, lines) == [], "a hidden figure follows from those shown"


def linked_unknowns(tables: dict, links: list) -> tuple[list, dict]:
    """Hidden entries of extended tables ``{name: (values, hidden)}`` as unknowns, linked
    entries (the same figure shown in two tables) as one unknown."""
    ids: dict = {}
    for link in links:
        hidden = [tables[name][1][i, j] for name, i, j in link]
        assert len(set(hidden)) == 1, f"a shared figure is hidden in one table only: {link}"
        if hidden[0]:
            for entry in link:
                ids[entry] = link[0]
    for name, (_, hidden) in tables.items():
        for i, j in zip(*np.nonzero(hidden), strict=True):
            ids.setdefault((name, int(i), int(j)), (name, int(i), int(j)))
    return sorted(set(ids.values())), ids


def assert_nothing_recoverable(tables: dict, links: list) -> None:
    """Per table, no line hides exactly one figure; across all tables together, no
    hidden figure is fixed by the equations of the figures shown."""
    for name, (values, hidden) in tables.items():
        lines = equations(values.shape)
        assert lines_with_one_hidden(hidden, lines) == [], name
        assert recoverable(hidden, lines) == [], name
    unknowns, ids = linked_unknowns(tables, links)
    if not unknowns:
        return
    position = {u: k for k, u in enumerate(unknowns)}
    matrix = []
    for name, (values, _) in tables.items():
        for *cells, total in equations(values.shape):
            row = np.zeros(len(unknowns))
            for cell in cells:
                if (name, *cell) in ids:
                    row[position[ids[(name, *cell)]]] += 1
            if (name, *total) in ids:
                row[position[ids[(name, *total)]]] -= 1
            if row.any():
                matrix.append(row)
    a = np.array(matrix)
    rank = np.linalg.matrix_rank(a)
    for unknown, k in position.items():
        unit = np.eye(len(unknowns))[k]
        assert np.linalg.matrix_rank(np.vstack([a, unit])) > rank, f"{unknown} recoverable"


def displayed_matrix(shown: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Back from display strings to (values with -1 for hidden, mask)."""
    body = shown.iloc[:, 1:]
    hidden = body.map(lambda s: s == "<11").to_numpy()
    values = body.map(lambda s: -1 if s == "<11" else int(s.split(" ")[0].replace(",", "")))
    return values.to_numpy(), hidden


def test_the_recoverability_check_catches_a_lone_hidden_cell_and_a_bridge():
    """The checker itself: one hidden cell in a row, and a hidden cell joining two
    otherwise safe rectangles, are both recoverable."""
    lone = np.zeros((3, 3), dtype=bool)
    lone[0, 0] = lone[1, 0] = True  # row 0 hides one cell beside its shown total
    assert (0, 0) in recoverable(lone, equations((3, 3)))
    bridged = np.zeros((5, 5), dtype=bool)
    for i, j in [(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (1, 2)]:
        bridged[i, j] = True
    assert lines_with_one_hidden(bridged, equations((5, 5))) == []
    assert recoverable(bridged, equations((5, 5))) == [(1, 2)]


def test_a_small_cell_and_its_complements_are_hidden_and_shown_as_less_than_11():
    rows = pd.DataFrame(
        {
            "service": ["Housing", "Housing", "Drug", "Drug", "Mental", "Mental"],
            "outcome": ["engaged", "declined"] * 3,
            "n": [4, 40, 30, 50, 20, 25],
        }
    )
    shown, mask = suppress_table(rows, "service", "outcome", "n")
    table = shown.set_index("service")
    assert table.loc["Housing", "engaged"] == "<11"
    assert table.loc["Housing", "Total"] == "44"
    # the cheapest complements: Mental health's row (20 + 25) rather than Drug's (30 + 50)
    assert table.loc["Mental", "engaged"] == "<11"
    assert table.loc["Mental", "declined"] == "<11"
    assert table.loc["Drug", "engaged"] == "30"
    assert table.loc["Total", "Total"] == "169"
    assert mask.to_numpy().sum() == 4


def test_zero_is_shown_and_a_cell_alone_in_its_row_hides_its_total():
    rows = long_rows(np.array([[0, 7], [30, 40], [25, 35]]))
    shown, mask = suppress_table(rows, "row", "col", "n")
    table = shown.set_index("row")
    assert table.loc["r0", "c0"] == "0"
    assert table.loc["r0", "c1"] == "<11"
    assert table.loc["r0", "Total"] == "<11"
    assert not mask.iloc[:, 0].any()


def test_row_percentages_vanish_with_hidden_cells_and_hidden_row_totals():
    rows = long_rows(np.array([[5, 40], [30, 50], [20, 25], [0, 3]]))
    shown, _ = suppress_table(rows, "row", "col", "n", percent=True)
    table = shown.set_index("row")
    assert table.loc["r1", "c0"] == "30 (38%)"
    assert table.loc["r0", "c0"] == "<11"
    assert table.loc["r3", "c0"] == "0"  # row total hidden: no share that gives it back
    for text in shown.iloc[:, 1:].to_numpy().ravel():
        assert not text.startswith("<11 (")


@pytest.mark.parametrize("seed", range(3))
def test_no_hidden_cell_of_a_random_two_way_table_can_be_recovered(seed):
    for table in random_tables(150, seed=RNG_SEED + seed):
        extended = extend_with_margins(table)
        shown, mask = suppress_table(long_rows(table), "row", "col", "n")
        values, hidden = displayed_matrix(shown)
        assert np.array_equal(hidden, mask.iloc[:, 1:].to_numpy())
        assert np.array_equal(values[~hidden], extended[~hidden]), "a shown figure is wrong"
        assert_protected(extended, hidden, equations(extended.shape))


def test_protection_hides_few_cells_when_counts_are_large():
    """Complements are chosen cheaply: a lone small cell in a large table costs one extra
    row of hiding, not the margins."""
    table = np.full((5, 4), 200)
    table[2, 1] = 3
    hidden = protect_extended(extend_with_margins(table))
    assert hidden.sum() == 4
    assert not hidden[-1, :].any() and not hidden[:, -1].any()


def one_dimensional(table: np.ndarray) -> pd.DataFrame:
    frame = pd.DataFrame(table, columns=[f"c{j}" for j in range(table.shape[1])])
    frame.insert(0, "group", [f"g{i}" for i in range(len(frame))])
    return frame


@pytest.mark.parametrize("with_total_row", [True, False])
def test_no_hidden_count_of_a_random_breakdown_can_be_recovered(with_total_row):
    """Independent count columns over categories, each column total known (shown in a
    total row, or published elsewhere and never hidden)."""
    for table in random_tables(300):
        names = [f"c{j}" for j in range(table.shape[1])]
        shown, mask = suppress_counts(
            one_dimensional(table),
            names,
            total_row={"group": "All"} if with_total_row else None,
        )
        values = np.vstack([table, table.sum(axis=0)])
        hidden = mask[names].to_numpy()
        if not with_total_row:
            hidden = np.vstack([hidden, np.zeros((1, len(names)), dtype=bool)])
        lines = [[(i, j) for i in range(len(values))] for j in range(len(names))]
        small = (values[:-1] >= 1) & (values[:-1] <= THRESHOLD)
        assert hidden[:-1][small].all()
        only_cell = (table > 0).sum(axis=0) == 1  # the cell is its published column total
        check = [line for j, line in enumerate(lines) if with_total_row or not only_cell[j]]
        assert lines_with_one_hidden(hidden, check) == []
        assert recoverable(hidden, check) == []
        assert shown.loc[mask["c0"], "c0"].eq("<11").all()


def test_a_breakdown_with_a_total_column_is_protected_as_a_two_way_table():
    for table in random_tables(300, seed=RNG_SEED + 7):
        frame = one_dimensional(table)
        names = [f"c{j}" for j in range(table.shape[1])]
        frame["all"] = table.sum(axis=1)
        shown, mask = suppress_counts(
            frame, names, total_column="all", total_row={"group": "All"}, shares=None
        )
        extended = extend_with_margins(table)
        hidden = mask[[*names, "all"]].to_numpy()
        assert_protected(extended, hidden, equations(extended.shape))


def test_shares_are_hidden_when_their_numerator_or_denominator_is():
    frame = pd.DataFrame(
        {
            "race": ["A", "B", "C", "D"],
            "diverted": [3, 40, 50, 0],
            "declined": [20, 30, 4, 6],
        }
    )
    frame["offered"] = frame.diverted + frame.declined
    shown, mask = suppress_counts(
        frame,
        ["diverted", "declined"],
        total_column="offered",
        total_row={"race": "All"},
        shares={"Diverted %": ("diverted", "offered")},
    )
    table = shown.set_index("race")
    assert table.loc["A", "diverted"] == "<11"
    assert table.loc["A", "Diverted %"] == "–"
    assert table.loc["B", "Diverted %"] == "57%"
    assert table.loc["D", "offered"] == "<11"  # 6 people offered: a small count
    assert table.loc["D", "Diverted %"] == "–"  # 0% of a hidden total would not disclose,
    assert mask.loc[3, "Diverted %"]  # but a share of a hidden denominator is never shown
    assert (mask["Diverted %"] == (mask.diverted | mask.offered)).all()


def test_a_total_column_that_is_not_the_sum_is_refused():
    frame = pd.DataFrame({"g": ["a"], "x": [3], "y": [4], "all": [9]})
    with pytest.raises(ValueError, match="not the sum"):
        suppress_counts(frame, ["x", "y"], total_column="all")


def test_threshold_comes_from_the_caller():
    rows = long_rows(np.array([[12, 30], [40, 50]]))
    shown, _ = suppress_table(rows, "row", "col", "n", threshold=15)
    assert shown.set_index("row").loc["r0", "c0"] == "<16"


def test_the_joint_check_catches_a_shared_figure_hidden_in_one_table_only():
    a = extend_with_margins(np.array([[3, 50], [40, 60]]))
    b = extend_with_margins(np.array([[20, 33], [50, 50]]))  # row 0 total 53, as in a
    hidden_a, hidden_b = protect_extended(a), protect_extended(b)
    assert not hidden_a[0, 2] and not hidden_b[0, 2]
    for cell in [(0, 0), (0, 2), (1, 0), (1, 2)]:  # b alone is safe, but hides the 53
        hidden_b[cell] = True  # that a shows
    with pytest.raises(AssertionError, match="hidden in one table only"):
        assert_nothing_recoverable(
            {"a": (a, hidden_a), "b": (b, hidden_b)}, [[("a", 0, 2), ("b", 0, 2)]]
        )


def cube_marginals(cube: np.ndarray) -> tuple[dict, list]:
    """The three two-way tables of a 3-D table (a x b, a x c, b x c) with margins, and
    the figures they share: their margins."""
    a, b, c = cube.shape
    tables = {
        "ab": extend_with_margins(cube.sum(axis=2)),
        "ac": extend_with_margins(cube.sum(axis=1)),
        "bc": extend_with_margins(cube.sum(axis=0)),
    }
    links = (
        [[("ab", i, b), ("ac", i, c)] for i in range(a)]
        + [[("ab", a, j), ("bc", j, c)] for j in range(b)]
        + [[("ac", a, k), ("bc", b, k)] for k in range(c)]
        + [[("ab", a, b), ("ac", a, c), ("bc", b, c)]]
    )
    return tables, links


def test_tables_published_together_hide_shared_figures_together_and_stay_safe():
    """Month x service, month x outcome and service x outcome tables of random referral
    cubes: a shared margin is hidden in every table or in none, and no hidden figure
    follows from all the tables' equations taken together."""
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(120):
        cube = rng.poisson(rng.choice([0.5, 2, 6]), size=tuple(rng.integers(2, 6, size=3)))
        tables, links = cube_marginals(cube)
        masks = protect_linked(tables, links, THRESHOLD)
        for name, table in tables.items():
            small = (table >= 1) & (table <= THRESHOLD)
            assert masks[name][small].all()
        assert_nothing_recoverable({name: (tables[name], masks[name]) for name in tables}, links)


def test_a_rate_hides_its_count_when_the_count_or_its_complement_is_small():
    people = np.array([44, 44, 44, 8, 30, 0, 12])
    with_it = np.array([42, 3, 20, 8, 0, 0, 12])
    num, den = protect_rates(with_it, people)
    # 42 of 44: the 2 without are small, so 42 hides; 3 of 44 hides; 20 of 44 shows;
    # 8 people hide everything; 0 of 30 shows; 12 of 12 shows (nobody without)
    assert num.tolist() == [True, True, False, True, False, False, False]
    assert den.tolist() == [False, False, False, True, False, False, False]
