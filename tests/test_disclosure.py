"""The protection engine (geo.disclosure): pure, no database.

Every verdict is checked against an independent answer: a brute-force enumeration of
the whole numbers consistent with what is shown and with the labels (``completions``),
or a linear program written here with scipy directly.
"""

import math

import numpy as np
import pytest
from scipy.optimize import linprog

from geo import privacy
from geo.disclosure import SUPPRESSED, TOTAL, Figures, audit, protect

T, P = 10, 3  # the defaults: "<11", protection level 3


# --- an independent attacker ----------------------------------------------------------


def completions(figures_spec, hidden, threshold, cap):
    """Lowest and highest value of each hidden cell over every integer completion:
    hidden counts of 1..t in [1, t], other hidden figures in [t + 1, cap] (``cap`` well
    above any finite bound), shown
    figures fixed, every equation exact. Depth-first, an equation with one unknown
    left fixes it."""
    values, equations, _ = figures_spec
    order = sorted(hidden, key=list(values).index)
    domain = {
        k: range(1, threshold + 1) if values[k] <= threshold else range(threshold + 1, cap + 1)
        for k in order
    }
    known = {k: v for k, v in values.items() if k not in hidden}
    touching = {k: [e for e in equations if k in e] for k in order}
    low, high = {}, {}

    def holds(assign, key):
        for eq in touching[key]:
            if all(c in assign for c in eq) and sum(a * assign[c] for c, a in eq.items()):
                return False
        return True

    def forced(assign, key):
        for eq in touching[key]:
            if all(c in assign or c == key for c in eq):
                rest = sum(a * assign[c] for c, a in eq.items() if c != key)
                if rest % eq[key]:
                    return []
                value = -rest // eq[key]
                return [value] if value in domain[key] else []
        return domain[key]

    def visit(assign, i):
        if i == len(order):
            for k in order:
                low[k] = min(low.get(k, math.inf), assign[k])
                high[k] = max(high.get(k, -math.inf), assign[k])
            return
        key = order[i]
        for value in forced(assign, key):
            assign[key] = value
            if holds(assign, key):
                visit(assign, i + 1)
            del assign[key]

    visit(dict(known), 0)
    return low, high


def spec_of(build):
    """Figures built by ``build``, and the same as plain data for the brute force:
    values, equations (``{key: coefficient}``, each summing to zero), public keys."""
    figures = Figures()
    build(figures)
    system = figures.compile()
    values = dict(zip(system.keys, system.values.tolist(), strict=True))
    rows = system.rows.tocsr()
    equations = []
    for r in range(rows.shape[0]):
        cols = rows.indices[rows.indptr[r] : rows.indptr[r + 1]]
        data = rows.data[rows.indptr[r] : rows.indptr[r + 1]]
        equations.append({system.keys[c]: int(a) for c, a in zip(cols, data, strict=True)})
    public = {k for k, p in zip(system.keys, system.public, strict=True) if p}
    return figures, (values, equations, public)


def rule_holds(value, label_lo, label_hi, lo, hi, p):
    return lo <= max(label_lo, value - p) and hi >= min(label_hi, value + p) and lo < hi


def check_against_brute_force(figures_spec, rows, threshold, p):
    """Every audit row equals the brute-force bounds, and its verdict follows from them.
    Here every equation is a total of non-negative parts, so a finite bound never
    exceeds the largest figure: the enumeration runs to three times that (and more)."""
    values = figures_spec[0]
    bound = max(values.values()) + threshold + 1
    hidden = {row.key for row in rows}
    low, high = completions(figures_spec, hidden, threshold, 3 * bound)
    for row in rows:
        small = values[row.key] <= threshold
        assert row.lo == low[row.key], row
        if math.isinf(row.hi):  # bounded only by the enumeration's own cap
            assert high[row.key] > bound, row
        else:
            assert row.hi == high[row.key] < bound, row
        label_lo, label_hi = (1, threshold) if small else (threshold + 1, math.inf)
        assert row.passed == rule_holds(row.value, label_lo, label_hi, row.lo, row.hi, p)


def check_labels(protection, values, threshold=T):
    for key, label in protection.labels.items():
        assert values[key] > 0
        if values[key] <= threshold:
            assert label == f"<{threshold + 1}" == protection.text(key)
        else:
            assert label == SUPPRESSED == protection.text(key)
    for key, value in values.items():
        if key not in protection.labels:
            assert protection.text(key) == f"{value:,}"


# --- the caseload attack --------------------------------------------------------------

CASELOADS = [17, 12, 11, 10, 10]


def caseloads(f):
    f.breakdown("active", {f"cm{i}": v for i, v in enumerate(CASELOADS)}, public_total=True)


def test_caseload_attack_pins_the_naive_labelling_and_protection_stops_it():
    figures, spec = spec_of(caseloads)
    # Today's one-dimensional rule hides just the two small caseloads...
    old = privacy.protect_columns(np.array([[v] for v in [*CASELOADS, sum(CASELOADS)]]))
    assert old[:, 0].tolist() == [False, False, False, True, True, False]
    # ... and beside "60 active" both are pinned: x3 + x4 = 60 - 17 - 12 - 11, 1 <= x <= 10.
    for sign in (1, -1):
        lp = linprog([sign, 0], A_eq=[[1, 1]], b_eq=[60 - 17 - 12 - 11], bounds=[(1, 10)] * 2)
        assert lp.status == 0 and round(lp.x[0]) == 10
    naive = audit(figures, ["cm3", "cm4"])
    assert [(r.lo, r.hi, r.passed) for r in naive] == [(10, 10, False), (10, 10, False)]

    protection = protect(figures)
    assert protection.ok and not protection.unprotectable
    assert {"cm3", "cm4"} < set(protection.labels)
    for row in protection.audit:
        assert row.lo <= row.need_lo and row.hi >= row.need_hi and row.lo < row.hi
    check_against_brute_force(spec, protection.audit, T, P)
    check_labels(protection, spec[0])
    assert protection.text("active") == "60"


# --- tables ---------------------------------------------------------------------------


def referrals(f):
    f.two_way(
        "referrals",
        [[25, 3, 14], [18, 22, 0], [12, 16, 31]],
        ["treatment", "housing", "mental health"],
        ["engaged", "pending", "declined"],
    )


def test_two_way_table_with_margins():
    figures, spec = spec_of(referrals)
    protection = protect(figures)
    assert protection.ok
    cell = ("referrals", "treatment", "pending")
    assert protection.text(cell) == "<11"
    # its row and its column each hide another figure; the zero stays shown
    row = [k for k in protection.labels if k[1] == "treatment" and k[2] != TOTAL]
    column = [k for k in protection.labels if k[2] == "pending" and k[1] != TOTAL]
    assert len(row) >= 2 and len(column) >= 2
    assert protection.text(("referrals", "housing", "declined")) == "0"
    check_against_brute_force(spec, protection.audit, T, P)
    check_labels(protection, spec[0])


def engagement(f):
    f.add("referred", 30)
    f.add("engaged", 1)
    f.rate("engaged %", "engaged", "referred")


def test_a_rate_with_numerator_one():
    figures, spec = spec_of(engagement)
    protection = protect(figures)
    assert protection.ok
    assert protection.text("engaged") == "<11"
    assert protection.share("engaged %") == privacy.HIDDEN_SHARE
    # 30 referred beside "29 not engaged" (told by any rate shown) pins the 1; hiding
    # the 29 too leaves it known within 20..29, short of 29 + 3: the 30 goes as well
    assert [(r.lo, r.hi) for r in audit(figures, ["engaged"])] == [(1, 1)]
    complement = ("engaged %", "complement")
    assert not audit(figures, ["engaged", complement])[1].passed
    assert protection.labels == {"engaged": "<11", complement: SUPPRESSED, "referred": SUPPRESSED}
    check_against_brute_force(spec, protection.audit, T, P)
    check_labels(protection, spec[0])


def cell_equal_to_public_total(f):
    f.breakdown("census", {"cm a": 5, "cm b": 0, "cm c": 0}, public_total=True)
    f.breakdown("caseloads", {"cm a": 5, "cm d": 40, "cm e": 33})


def test_a_hidden_cell_equal_to_a_public_total_is_reported_not_chased():
    figures, spec = spec_of(cell_equal_to_public_total)
    protection = protect(figures)
    assert not protection.ok
    assert protection.unprotectable == ("cm a",)
    row = next(r for r in protection.audit if r.key == "cm a")
    assert (row.lo, row.hi, row.passed) == (5, 5, False)
    # hiding anything else would not help, so nothing of the other table is hidden
    assert protection.labels == {"cm a": "<11"}
    check_against_brute_force(spec, protection.audit, T, P)


def quarter(f):
    f.breakdown("Q1", {"Jan": 25, "Feb": 4, "Mar": 30})


def test_months_linked_to_a_shown_quarter():
    figures, spec = spec_of(quarter)
    assert not audit(figures, ["Feb"])[0].passed  # 59 - 25 - 30
    protection = protect(figures)
    assert protection.ok
    assert protection.text("Feb") == "<11"
    assert protection.text("Jan") == SUPPRESSED  # the cheapest month, not the total
    assert protection.text("Q1") == "59"
    check_against_brute_force(spec, protection.audit, T, P)
    check_labels(protection, spec[0])


def test_lp_bounds_contain_the_integer_completions_and_the_audit_is_integer_exact():
    # 2a + 3b = 12 with a, b in 1..10: the only whole solution is a = 3, b = 2, while the
    # LP relaxation lets a run from 1 to 4.5
    def build(f):
        f.add("a", 3)
        f.add("b", 2)
        f.add("s", 12)
        f.equation({"a": 2, "b": 3, "s": -1})

    figures, spec = spec_of(build)
    low, high = completions(spec, {"a", "b"}, T, cap=50)
    relaxed = [
        linprog([sign, 0], A_eq=[[2, 3]], b_eq=[12], bounds=[(1, 10)] * 2).fun * sign
        for sign in (1, -1)
    ]
    assert relaxed[0] <= low["a"] <= high["a"] <= relaxed[1]
    assert relaxed == pytest.approx([1, 4.5])
    rows = audit(figures, ["a", "b"])
    assert [(r.lo, r.hi) for r in rows] == [(3, 3), (2, 2)]
    check_against_brute_force(spec, rows, T, P)


# --- display, medians, errors ---------------------------------------------------------


def test_display_strings_shares_and_medians():
    def build(f):
        f.breakdown("referred", {"engaged": 40, "not engaged": 3})
        f.rate("engaged %", "engaged", "referred")
        f.breakdown("intakes", {"women": 12, "men": 31, "other": 0})
        f.rate("women %", "women", "intakes")

    figures, spec = spec_of(build)
    protection = protect(figures)
    shown = protection.display()
    assert shown["not engaged"] == "<11"
    assert shown["engaged %"] == privacy.HIDDEN_SHARE
    assert shown["women %"] == f"{100 * 12 / 43:.0f}%" and shown["intakes"] == "43"
    assert protection.shows_median("intakes") and protection.shows_median("men")
    assert not protection.shows_median("not engaged")  # hidden
    assert not protection.shows_median("other")  # nobody
    check_labels(protection, spec[0])


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda f: f.add("x", -1), "whole number >= 0"),
        (lambda f: f.add("x", 2.5), "whole number >= 0"),
        (lambda f: (f.add("x", 1), f.add("x", 2)), "different values"),
        (lambda f: f.breakdown("t", {"a": 1}, total_value=3), "do not satisfy"),
        (lambda f: f.additive("t", ["a"]), "unknown cell"),
        (lambda f: (f.add("a", 5), f.add("b", 3), f.rate("r", "a", "b")), "exceeds"),
    ],
)
def test_bad_input_gets_a_clear_error(build, message):
    with pytest.raises(ValueError, match=message):
        build(Figures())


def test_settings_are_checked():
    figures, _ = spec_of(caseloads)
    with pytest.raises(ValueError, match="threshold"):
        protect(figures, threshold=1)
    with pytest.raises(ValueError, match="public or zero"):
        audit(figures, ["active"])


# --- determinism and random tables ----------------------------------------------------


def test_same_input_same_output():
    first, second = protect(spec_of(referrals)[0]), protect(spec_of(referrals)[0])
    assert first.audit == second.audit and first.labels == second.labels


def random_figures(rng, threshold):
    """A small random release: a 2 x 2 table with a public grand total, a breakdown
    with a public or a hideable total, two months of a period each split in two, or a
    rate (kept small for the brute force)."""
    kind = int(rng.integers(4))

    def count():
        small, large = (
            rng.integers(1, threshold + 1),
            rng.integers(threshold + 1, 2 * threshold + 2),
        )
        return int(rng.choice([0, small, large]))

    def build(f):
        if kind == 0:
            columns = ["c0", "c1"]
            body = [[count() for _ in columns] for _ in range(2)]
            f.two_way("t", body, ["r0", "r1"], columns, public_total=True)
        elif kind == 1:
            parts = {f"p{i}": count() for i in range(int(rng.integers(2, 4)))}
            f.breakdown("total", parts, public_total=bool(rng.integers(2)))
        elif kind == 2:
            months = {f"m{i}": count() for i in range(2)}
            f.breakdown("quarter", months)
            for m, v in months.items():
                split = int(rng.integers(0, v + 1))
                f.breakdown(m, {(m, "a"): split, (m, "b"): v - split})
        else:
            f.add("den", count())
            f.add("num", int(rng.integers(0, f.value("den") + 1)))
            f.rate("share", "num", "den")

    return build


def test_without_the_full_audit_only_the_unprotectable_cells_are_audited():
    """What ``releases`` asks for while it still withdraws figures: the same verdict and
    cells to remedy, without the exact bounds of every other hidden cell."""
    figures, _spec = spec_of(cell_equal_to_public_total)
    full = protect(figures)
    short = protect(figures, audit_unprotectable=False)
    assert not short.ok and short.unprotectable == full.unprotectable == ("cm a",)
    assert [(r.key, r.lo, r.hi, r.passed) for r in short.audit] == [("cm a", 5, 5, False)]
    rng = np.random.default_rng(7)
    for _ in range(20):
        figures, _spec = spec_of(random_figures(rng, 3))
        full, short = protect(figures, 3, 1), protect(figures, 3, 1, audit_unprotectable=False)
        assert short.unprotectable == full.unprotectable and short.ok == full.ok
        if full.ok:
            assert short.audit == full.audit


def test_random_tables_pass_their_own_audit_and_agree_with_brute_force():
    rng = np.random.default_rng(20261202)
    for _ in range(60):
        threshold, p = int(rng.integers(2, 4)), int(rng.integers(0, 3))
        figures, spec = spec_of(random_figures(rng, threshold))
        values = spec[0]
        protection = protect(figures, threshold=threshold, protection=p)
        check_labels(protection, values, threshold)
        check_against_brute_force(spec, protection.audit, threshold, p)
        failing = {row.key for row in protection.audit if not row.passed}
        assert failing == set(protection.unprotectable)
        assert protection.ok == (not failing)
        # an unprotectable cell fails even with every non-public non-zero figure hidden
        everything = [k for k, v in values.items() if v and k not in spec[2]]
        if protection.unprotectable and len(everything) <= 6:
            widest = audit(figures, everything, threshold, p)
            check_against_brute_force(spec, widest, threshold, p)
            assert not any(r.passed for r in widest if r.key in protection.unprotectable)


def test_random_tables_same_input_same_output():
    for seed in range(10):
        runs = [protect(spec_of(random_figures(np.random.default_rng(seed), 3))[0], 3, 1)]
        runs.append(protect(spec_of(random_figures(np.random.default_rng(seed), 3))[0], 3, 1))
        assert runs[0].audit == runs[1].audit and runs[0].labels == runs[1].labels


# --- a secondary figure beside a primary one (releases: referrals by door) --------------


def with_secondary(a: int, doors: dict):
    """A primary total T = a + 18 and a secondary breakdown of its ``a`` by door."""

    def build(f):
        f.breakdown("T", {"a": a, "b": 18})
        if doors:
            f.breakdown("a", doors)

    return build


def fixed_pattern(a: int) -> dict:
    """The primary's pattern, protected alone: what :func:`protect` holds fixed."""
    alone = protect(spec_of(with_secondary(a, {}))[0])
    assert alone.ok and not alone.labels  # no small count: nothing hidden
    return {"hidden": set(alone.labels), "shown": set(alone.values) - set(alone.labels)}


def test_a_secondary_figure_held_to_the_primary_pattern_never_costs_it_a_cell():
    """By door, a = 12 is 9 + 3: protected together, the primary loses ``a`` (9 and 3
    beside a shown 12 tell 3 is at least 2). With the primary's pattern fixed nothing of
    it is hidden, and the door cells are reported (to be collapsed or withdrawn)."""
    figures, _ = spec_of(with_secondary(12, {"x": 9, "y": 3}))
    together = protect(figures)
    assert together.ok and together.hidden("a")
    fixed = protect(figures, **fixed_pattern(12))
    assert not fixed.ok and set(fixed.unprotectable) <= {"x", "y"} and fixed.unprotectable
    assert not set(fixed.labels) & {"T", "a", "b"}


def test_a_secondary_figure_is_protected_by_its_own_cells():
    """a = 24 is 9 + 3 + 12 by door: the 12 is the complement, the primary stays shown,
    and the brute force agrees with the audit."""
    figures, spec = spec_of(with_secondary(24, {"x": 9, "y": 3, "z": 12}))
    fixed = protect(figures, **fixed_pattern(24))
    assert fixed.ok
    assert fixed.labels == {"x": "<11", "y": "<11", "z": SUPPRESSED}
    check_against_brute_force(spec, fixed.audit, T, P)
    check_labels(fixed, spec[0])
