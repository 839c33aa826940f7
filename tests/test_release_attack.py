"""The automated attacker of the releases (issue 15), over the demo pilot.

As the dashboard's own login with ``SET ROLE lead_command`` (and again
``lead_leadership``) it lists every table, view, column and function the role may use,
reads every readable object, checks that every function over enrollments or service
referrals is refused (each windowed one called with a 1-day window), then builds its
own linear programs (scipy ``linprog``, code independent of ``geo.disclosure`` and
``releases``) from what it read and the relations docs/access.md ("Releases") says a
reader knows. For every hidden cell the bounds it reaches must leave the protection
level on each side of the true value (read as the owner from the admin-only audit
table) within the label's range, and never a single value; and no unpublished monthly
count it can work out is pinned to 1..10 people.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import psycopg2
import pytest
from psycopg2 import errors
from psycopg2 import sql as pgsql
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import connected_components

from tests.support.sql import fetch

ROLES = ("lead_command", "lead_leadership")
TREATMENT_TABLES = ("enrollment", "service_referral", "jail_booking")
PER_WINDOW = {
    "referrals", "funnel", "engagement_days", "flow", "equity_race", "equity_sex",
    "equity_age", "intake_delays", "recontact",
}  # fmt: skip
PER_DAY = {"caseloads", "pending_ages"}
DOOR_ADDITIVE = ("referrals", "intakes", "handoffs", "within_target")  # by door, over time
TOTAL = "Total"
EPS = 1e-6


@pytest.fixture(scope="module")
def released(demo_url):
    """The demo database with its releases (refreshed when the demo loaded)."""
    if not fetch(demo_url, "SELECT count(*) FROM release")[0][0]:
        from db.connect import connect
        from releases import refresh

        conn = connect(demo_url)
        refresh(conn)
        conn.close()
    return demo_url


def as_role(url: str, role: str, work):
    conn = psycopg2.connect(url)
    try:
        with conn.cursor() as cur:
            cur.execute(pgsql.SQL("SET ROLE {}").format(pgsql.Identifier(role)))
            return work(conn, cur)
    finally:
        conn.rollback()
        conn.close()


# --- what the role can use -------------------------------------------------------------

RELATIONS = """
    SELECT c.relname, array_agg(a.attname ORDER BY a.attnum)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
      AND has_column_privilege(c.oid, a.attnum, 'SELECT')
    GROUP BY c.relname
"""
FUNCTIONS = """
    SELECT p.oid::regprocedure::text, p.proname, p.prosrc,
           array(SELECT t::regtype::text FROM unnest(p.proargtypes) AS t),
           has_function_privilege(p.oid, 'EXECUTE')
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'public'
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
"""


def inventory(url: str, role: str) -> dict:
    """Every readable relation with its readable columns, every function."""

    def work(conn, cur):
        cur.execute(RELATIONS)
        relations = dict(cur.fetchall())
        cur.execute(FUNCTIONS)
        return {"relations": relations, "functions": cur.fetchall()}

    return as_role(url, role, work)


def read_everything(url: str, role: str, relations: dict) -> dict[str, list[tuple]]:
    def work(conn, cur):
        rows = {}
        for name, columns in sorted(relations.items()):
            statement = pgsql.SQL("SELECT {} FROM {}").format(
                pgsql.SQL(", ").join(map(pgsql.Identifier, columns)), pgsql.Identifier(name)
            )
            cur.execute(statement)
            rows[name] = cur.fetchall()
        return rows

    return as_role(url, role, work)


def treatment_functions(functions) -> dict[str, tuple]:
    """Functions that read enrollments or service referrals, directly or through another
    such function."""
    found = {f[0]: f for f in functions if any(t in f[2] for t in TREATMENT_TABLES)}
    while True:
        names = {f[1] for f in found.values()}
        more = {f[0]: f for f in functions if f[0] not in found and any(n in f[2] for n in names)}
        if not more:
            return found
        found.update(more)


def one_day_call(signature: str, types: list[str]):
    day = date(2026, 10, 1)
    values = {"date": day, "integer": 1, "double precision": 1.0, "text": "capacity"}
    name = signature.split("(")[0]
    args = [values[t] for t in types]
    statement = pgsql.SQL("SELECT * FROM {}({})").format(
        pgsql.Identifier(name), pgsql.SQL(", ").join(pgsql.Placeholder() * len(args))
    )
    return statement, args


@pytest.mark.parametrize("role", ROLES)
def test_the_role_is_refused_every_function_over_treatment_records(released, role):
    functions = inventory(released, role)["functions"]
    treatment = treatment_functions(functions)
    assert {"census_daily", "outcome_referrals", "capacity_caseloads"} <= {
        f[1] for f in treatment.values()
    }
    assert [sig for sig, f in treatment.items() if f[4]] == []
    windowed = [f for f in treatment.values() if "date" in f[3]]
    assert len(windowed) >= 10
    for signature, _name, _src, types, _ in windowed:
        statement, args = one_day_call(signature, types)

        def call(conn, cur, statement=statement, args=args):
            cur.execute(statement, args)

        with pytest.raises(errors.InsufficientPrivilege):
            as_role(released, role, call)


@pytest.mark.parametrize("role", ROLES)
def test_the_role_reads_no_treatment_table_and_no_true_hidden_value(released, role):
    relations = inventory(released, role)["relations"]
    assert not set(TREATMENT_TABLES) & set(relations)
    assert "release_audit" not in relations
    assert "case_manager" not in relations
    rows = read_everything(released, role, relations)
    assert rows["release_figure"], "the role reads the releases"
    columns = relations["release_figure"]
    value, status = columns.index("value"), columns.index("status")
    assert all(r[value] is None for r in rows["release_figure"] if r[status] != "shown")


# --- the attacker's own model ----------------------------------------------------------


@dataclass
class Knowledge:
    """Variables with bounds and linear equations (``sum coef * var == 0``)."""

    index: dict = field(default_factory=dict)
    lower: list = field(default_factory=list)
    upper: list = field(default_factory=list)
    equations: list = field(default_factory=list)
    labels: dict = field(default_factory=dict)  # published cell -> (label, value)

    def var(self, key, lo=0.0, hi=math.inf) -> int:
        if key not in self.index:
            self.index[key] = len(self.lower)
            self.lower.append(lo)
            self.upper.append(hi)
        else:  # the same figure seen again: intersect what is known
            i = self.index[key]
            self.lower[i], self.upper[i] = max(self.lower[i], lo), min(self.upper[i], hi)
        return self.index[key]

    def known(self, key, value: float) -> int:
        return self.var(key, value, value)

    def sum_is(self, total, parts) -> None:
        terms = defaultdict(float)
        terms[self.var(total)] += 1
        for part in parts:
            terms[self.var(part)] -= 1
        self.equations.append(dict(terms))

    def at_most(self, small, big, name) -> None:
        """small <= big, as big = small + slack (slack >= 0)."""
        self.sum_is(big, [small, ("slack", name)])


def cell_key(release: dict, figure: str, row: str, col: str):
    """The identity of a published cell: a cohort's is its own wherever shown, a day's
    table is shared by the releases ending that day, the rest belong to the period."""
    if figure in ("cohorts", "cost"):  # a cohort's cells are its own wherever shown
        return (figure, row, col)
    if figure in PER_DAY or (figure == "doors" and col == "active"):
        return (release["last_day"], figure, row, col)
    return ((release["first_day"], release["last_day"]), figure, row, col)


def learn(rows: dict[str, list[tuple]], relations: dict) -> tuple[Knowledge, dict, int, int]:
    """Everything a reader of these rows knows, as linear constraints."""
    k = Knowledge()
    settings = _settings(rows, relations)
    t = settings["small_cell_threshold"]
    releases = {r["release_id"]: r for r in _dicts(rows, relations, "release")}
    tables = defaultdict(dict)  # (period key, figure) -> {(row, col): key}
    for f in _dicts(rows, relations, "release_figure"):
        release = releases[f["release_id"]]
        key = cell_key(release, f["figure"], f["row_key"], f["col_key"])
        if f["status"] == "shown":
            k.known(key, f["value"])
        elif f["label"] == f"<{t + 1}":
            k.var(key, 1, t)
        else:
            assert f["label"] == "suppressed", f
            k.var(key, t + 1)
        seen = (f["label"], f["value"])
        assert k.labels.setdefault(key, seen) == seen, f"{key} published twice differently"
        if f["figure"] in ("cohorts", "cost"):
            tables[(f["figure"],)][key[1:]] = key
        else:
            tables[key[:2]][key[2:]] = key
    census = {r[0]: r for r in rows["census_day"]}
    columns = relations["census_day"]
    _tables(k, tables, census, columns)
    _additivity(k, tables, releases)
    return k, tables, t, settings["protection_level"]


def _settings(rows, relations) -> dict:
    found = {}
    for s in sorted(_dicts(rows, relations, "program_setting"), key=lambda s: s["effective_from"]):
        found[s["key"]] = int(s["value"])
    found.setdefault("protection_level", 3)
    return found


def _dicts(rows, relations, name):
    return [dict(zip(relations[name], r, strict=True)) for r in rows[name]]


def _tables(k: Knowledge, tables, census, columns) -> None:
    active, pending, overdue = (columns.index(c) for c in ("active", "pending", "overdue"))
    for ident, cells in tables.items():
        if ident == ("cohorts",):
            _cohorts(k, cells, tables)
            continue
        if ident == ("cost",):
            _cost(k, cells)
            continue
        where, figure = ident
        rows_, cols = _axes(cells)
        if figure in ("referrals", "intake_delays", "door_outcomes"):
            _margins(k, cells, rows_, cols)
        if figure == "door_outcomes" and (where, "referrals") in tables:
            ref = tables[(where, "referrals")]  # the same referrals by outcome
            for c in cols:
                k.sum_is(cells[TOTAL, c], [ref[TOTAL, c]])
        if figure == "intake_delays":
            k.sum_is(cells[TOTAL, TOTAL], [_flow(tables, where, "intakes")])
        if figure == "funnel":
            ref = tables[(where, "referrals")]
            for r in rows_:
                k.sum_is(cells[r, "referred"], [ref[r, TOTAL]])
                k.sum_is(cells[r, "completed"], [ref[r, "completed"]])
                k.sum_is(cells[r, "engaged"], [ref[r, "engaged"], ref[r, "completed"]])
        if figure == "flow" and (where, "referrals") in tables:
            k.sum_is(cells[TOTAL, "referrals"], [tables[(where, "referrals")][TOTAL, TOTAL]])
            funnel = tables[(where, "funnel")]
            k.sum_is(cells[TOTAL, "referrals_engaged"], [funnel[TOTAL, "engaged"]])
        if figure == "engagement_days":
            for r in rows_:
                bins = [cells[r, c] for c in cols if c != TOTAL]
                k.sum_is(cells[r, TOTAL], bins)
                k.sum_is(cells[r, TOTAL], [tables[(where, "referrals")][r, "engaged"]])
        if figure.startswith("equity_"):
            groups = [r for r in rows_ if r != TOTAL]
            for col in ("participants", "engaged"):
                k.sum_is(cells[TOTAL, col], [cells[g, col] for g in groups])
            k.sum_is(cells[TOTAL, "participants"], [_flow(tables, where, "intakes")])
            for g in groups:
                k.at_most(cells[g, "engaged"], cells[g, "participants"], (where, figure, g))
            k.sum_is(cells[TOTAL, "engaged"], [("equity engaged", where)])
        if figure == "recontact":
            for r in rows_:
                for c in cols:
                    if c.startswith("people_"):
                        again = cells[r, c.replace("people", "recontacted")]
                        k.at_most(again, cells[r, c], (where, r, c))
        if figure == "caseloads":
            for col in cols:
                k.sum_is(cells[TOTAL, col], [cells[r, col] for r in rows_ if r != TOTAL])
            k.known(cells[TOTAL, "active"], census[where][active])
            for r in rows_:
                if (r, "in_the_wind") in cells:
                    k.at_most(cells[r, "in_the_wind"], cells[r, "active"], (where, "wind", r))
        if figure == "doors":
            _doors(k, tables, where, cells, census[where][active] if "active" in cols else None)
        if figure == "pending_ages":
            k.sum_is(cells[TOTAL, "pending"], [cells[r, "pending"] for r in rows_ if r != TOTAL])
            k.known(cells[TOTAL, "pending"], census[where][pending])
            k.known(cells["overdue", "pending"], census[where][overdue])


def _doors(k: Knowledge, tables, where, cells, active) -> None:
    """Counts by door add up to their totals (intakes: the flow's; active on the day: the
    census), and handoffs within target <= handoffs <= referrals through a door."""
    rows_, cols = _axes(cells)
    for col in cols:
        k.sum_is(
            cells[TOTAL, col], [cells[r, col] for r in rows_ if (r, col) in cells and r != TOTAL]
        )
    if active is not None:
        k.known(cells[TOTAL, "active"], active)
    if "intakes" in cols and (where, "flow") in tables:
        k.sum_is(cells[TOTAL, "intakes"], [_flow(tables, where, "intakes")])
    for r in rows_:
        if (r, "handoffs") in cells:
            k.at_most(cells[r, "handoffs"], cells[r, "referrals"], (where, "handoffs", r))
            k.at_most(cells[r, "within_target"], cells[r, "handoffs"], (where, "within", r))


def _axes(cells):
    return list(dict.fromkeys(r for r, _ in cells)), list(dict.fromkeys(c for _, c in cells))


def _margins(k: Knowledge, cells, rows_, cols) -> None:
    inner_rows, inner_cols = [r for r in rows_ if r != TOTAL], [c for c in cols if c != TOTAL]
    for r in rows_ if inner_cols else ():  # service referrals by door may be totals only
        k.sum_is(cells[r, TOTAL], [cells[r, c] for c in inner_cols])
    for c in cols:
        k.sum_is(cells[TOTAL, c], [cells[r, c] for r in inner_rows])


def _flow(tables, where, col):
    return tables[(where, "flow")][TOTAL, col]


def _cohorts(k: Knowledge, cells, tables) -> None:
    for month, col in cells:
        if not col.startswith("people_"):
            continue
        horizon = col.removeprefix("people_")
        parts = [cells[month, f"{m}_{horizon}"] for m in ("active", "returned", "exited")]
        k.sum_is(cells[month, col], parts)
        first = date.fromisoformat(month)
        window = (first, _month_end(first))
        if (window, "flow") in tables:
            k.sum_is(cells[month, col], [_flow(tables, window, "intakes")])


def _cost(k: Knowledge, cells) -> None:
    """Cost avoided by intake-year cohort: people booked or held before (after) intake are
    some of the cohort's participants (bookings, bed-days and cost are sums published
    only over more than the threshold of people, outside the linear audit)."""
    for year, col in cells:
        if col.startswith("booked_"):
            k.at_most(cells[year, col], cells[year, "participants"], ("cost", year, col))


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def _units(releases: dict) -> list[tuple[date, date]]:
    """Calendar months within the pilot: the finest period of any additive figure."""
    start = min(r["first_day"] for r in releases.values())
    end = max(r["last_day"] for r in releases.values())
    units, day = [], start
    while day <= end:
        units.append((day, min(_month_end(day), end)))
        day = units[-1][1] + timedelta(days=1)
    return units


def _additivity(k: Knowledge, tables, releases) -> None:
    """Referrals made by service, participants by group, intakes by wait, referrals,
    intakes and handoffs by door, service referrals made by door: each published
    period's count is the sum of its months' (unknown unless published); a month's
    service referrals by door add up to those by service."""
    units = _units(releases)
    for ident, cells in list(tables.items()):
        where, figure = ident if len(ident) == 2 else (None, None)
        if not isinstance(where, tuple) or figure not in (
            "referrals",
            "equity_race",
            "equity_sex",
            "equity_age",
            "intake_delays",
            "doors",
            "door_outcomes",
        ):
            continue
        inside = [u for u in units if where[0] <= u[0] and u[1] <= where[1]]
        for (r, c), key in cells.items():
            name = _additive_name(figure, r, c)
            if name is not None:
                k.sum_is(key, [("month", u, figure, name) for u in inside])
    for u in units:
        if (u, "flow") not in tables:
            continue
        intakes = _flow(tables, u, "intakes")
        for figure, names in _month_parts(tables).items():
            k.sum_is(intakes, [("month", u, figure, n) for n in names])
    made = {
        f: {n for _, f_, n in _month_names(k) if f_ == f} for f in ("referrals", "door_outcomes")
    }
    if all(made.values()):
        for u in units:
            by_door = [("month", u, "door_outcomes", d) for d in sorted(made["door_outcomes"])]
            k.sum_is(("service referrals made", u), by_door)
            by_service = [("month", u, "referrals", s) for s in sorted(made["referrals"])]
            k.sum_is(("service referrals made", u), by_service)


def _additive_name(figure: str, r: str, c: str):
    if figure == "doors":
        return (r, c) if r != TOTAL and c in DOOR_ADDITIVE else None
    if figure in ("referrals", "door_outcomes"):
        return r if c == TOTAL and r != TOTAL else None
    if figure == "intake_delays":
        return (r, c) if TOTAL not in (r, c) else None
    return r if c == "participants" and r != TOTAL else None


def _month_names(k: Knowledge):
    """(month, figure, name) of every monthly additive count the reader has met."""
    return [key[1:] for key in k.index if key[0] == "month"]


def _month_parts(tables) -> dict[str, set]:
    """Every group (equity) and every wait cell seen: a month's parts of its intakes."""
    parts = defaultdict(set)
    for ident, cells in tables.items():
        figure = ident[-1]
        if figure.startswith("equity_") or figure in ("intake_delays", "doors"):
            for r, c in cells:
                name = _additive_name(figure, r, c)
                if name is not None and (figure != "doors" or c == "intakes"):
                    parts[figure].add(name)
    return parts


# --- exact bounds ---------------------------------------------------------------------


def judge(k: Knowledge, needs: dict[int, tuple[float, float]]) -> dict[int, tuple[float, float]]:
    """For each target ``j`` with required ``(need_lo, need_hi)``: bounds the reader can
    reach, ``(lo, hi)``, exact (LP optimum rounded to whole people) where the rule is
    not already met by a completion the reader cannot rule out, else the required value
    itself (a witness: some feasible point is at least that far). Component by
    component; one "sweep" problem pushes every undecided cell at once."""
    system = _System(k)
    found = {}
    for members, part in system.components(list(needs)):
        found.update(part.judge(members, needs))
    return found


class _System:
    def __init__(self, k: Knowledge):
        n = len(k.lower)
        self.lower, self.upper = np.array(k.lower), np.array(k.upper)
        self.fixed = self.lower == self.upper
        entries = np.array(
            [(r, j, coef) for r, terms in enumerate(k.equations) for j, coef in terms.items()],
            dtype=float,
        ).reshape(-1, 3)  # (equation, variable, coefficient) triples
        at = (entries[:, 0].astype(int), entries[:, 1].astype(int))
        matrix = sparse.csr_array((entries[:, 2], at), shape=(len(k.equations), n))
        self.rhs = -(matrix @ np.where(self.fixed, self.lower, 0.0))
        self.free_ids = np.flatnonzero(~self.fixed)
        self.free = sparse.csr_array(matrix.tocsc()[:, self.free_ids])
        pattern = abs(self.free).sign()
        graph = sparse.block_array([[None, pattern.T], [pattern, None]], format="csr")
        _, labels = connected_components(graph, directed=False)
        self.var_label = labels[: len(self.free_ids)]
        self.row_label = labels[len(self.free_ids) :]
        self.position = {int(v): i for i, v in enumerate(self.free_ids)}

    def components(self, targets: list[int]):
        groups = defaultdict(list)
        for j in targets:
            if self.fixed[j]:
                groups[None].append(j)
            else:
                groups[self.var_label[self.position[j]]].append(j)
        for label, members in groups.items():
            yield members, _Part(self, label)


class _Part:
    """One component's polytope in the free variables of the whole system."""

    def __init__(self, system: _System, label):
        self.system = system
        if label is None:
            self.vars = np.array([], dtype=int)
            return
        self.vars = np.flatnonzero(system.var_label == label)
        rows = np.flatnonzero(system.row_label == label)
        self.a = system.free[rows][:, self.vars]
        self.b = system.rhs[rows]
        ids = system.free_ids[self.vars]
        self.box = np.column_stack([system.lower[ids], system.upper[ids]])
        self.local = {int(v): i for i, v in enumerate(ids)}

    def judge(self, members, needs) -> dict[int, tuple[float, float]]:
        system = self.system
        if not len(self.vars):
            return {j: (system.lower[j], system.upper[j]) for j in members}
        local = np.array([self.local[j] for j in members])
        need_lo = np.array([needs[j][0] for j in members], dtype=float)
        need_hi = np.array([needs[j][1] for j in members], dtype=float)
        low_ok = np.zeros(len(members), dtype=bool)
        high_ok = np.zeros(len(members), dtype=bool)
        for sign, ok in ((1.0, low_ok), (-1.0, high_ok)):
            for _ in range(3):
                todo = ~ok
                if not todo.any():
                    break
                cost = np.zeros(len(self.vars))
                cost[local[todo]] = sign
                x = self._point(cost, capped=need_hi.max(initial=0) + 1000)
                if x is None:
                    break
                seen = x[local]
                newly = (
                    (np.ceil(seen - EPS) <= need_lo)
                    if sign > 0
                    else (np.floor(seen + EPS) >= need_hi)
                )
                if not (newly & todo).any():
                    break
                ok |= newly
        found = {}
        for i, j in enumerate(members):
            lo = need_lo[i] if low_ok[i] else self._extreme(local[i], 1.0)
            hi = need_hi[i] if high_ok[i] else self._extreme(local[i], -1.0)
            found[j] = (lo, hi)
        return found

    def _point(self, cost, capped: float):
        box = self.box.copy()
        box[:, 1] = np.minimum(box[:, 1], np.maximum(box[:, 0], capped))
        result = linprog(cost, A_eq=self.a, b_eq=self.b, bounds=box, method="highs")
        return result.x if result.status == 0 else None

    def _extreme(self, i: int, sign: float) -> float:
        cost = np.zeros(len(self.vars))
        cost[i] = sign
        result = linprog(cost, A_eq=self.a, b_eq=self.b, bounds=self.box, method="highs")
        if result.status == 3:
            return math.inf
        assert result.status == 0, result.message
        value = sign * result.fun
        return math.ceil(value - EPS) if sign > 0 else math.floor(value + EPS)


# --- the attack -----------------------------------------------------------------------


def audit_truth(url: str) -> dict:
    """Each published cell's (true value, label low, label high, passed) from the
    admin-only audit, keyed by (release, figure, row, column)."""
    return {
        (r[0], r[1], r[2], r[3]): r[4:]
        for r in fetch(
            url,
            "SELECT release_id, figure, row_key, col_key, true_value, label_low, label_high,"
            " passed FROM release_audit",
        )
    }


@pytest.fixture(scope="module")
def attack(released):
    """What each role's reader works out, with the true values to judge it."""
    truth = audit_truth(released)
    results = {}
    for role in ROLES:
        relations = inventory(released, role)["relations"]
        rows = read_everything(released, role, relations)
        results[role] = (relations, rows, _attack(relations, rows, truth))
    return results


def _attack(relations, rows, truth) -> dict:
    k, _tables, t, p = learn(rows, relations)
    releases = {r["release_id"]: r for r in _dicts(rows, relations, "release")}
    hidden = {}
    for f in _dicts(rows, relations, "release_figure"):
        if f["status"] != "shown":
            place = (f["release_id"], f["figure"], f["row_key"], f["col_key"])
            hidden[place] = k.index[cell_key(releases[f["release_id"]], *place[1:])]
    needs = {}
    for place, i in hidden.items():
        value, label_low, label_high, _passed = truth[place]
        upper = math.inf if label_high is None else label_high
        need = (max(label_low, value - p), min(upper, value + p))
        assert needs.setdefault(i, need) == need, "one cell, one true value"
    months = [i for key, i in k.index.items() if key[0] == "month" and i not in needs]
    # An unpublished monthly count must not be pinned to 1..t: a completion at 0 or one
    # above t rules that out; otherwise both bounds are solved exactly.
    found = judge(k, needs | {i: (0, t + 1) for i in months})
    report = {"read": len(rows["release_figure"]), "hidden": len(hidden), "failures": []}
    slack = math.inf
    for place, i in hidden.items():
        need_lo, need_hi = needs[i]
        lo, hi = found[i]
        slack = min(slack, need_lo - lo, hi - need_hi)
        if not (lo <= need_lo and hi >= need_hi and lo < hi and truth[place][3]):
            report["failures"].append((place, truth[place][0], lo, hi))
    pinned = [
        key
        for key, i in k.index.items()
        if i in months and found[i][0] == found[i][1] and 1 <= found[i][0] <= t
    ]
    report.update(slack=float(slack), pinned_months=pinned, threshold=t)
    return report


@pytest.mark.parametrize("role", ROLES)
def test_the_attacker_pins_no_hidden_count_and_narrows_none_below_the_protection_level(
    attack, role
):
    _relations, _rows, report = attack[role]
    print(
        f"\n{role}: {report['read']:,} cells read, {report['hidden']:,} hidden, "
        f"attacker's min slack {report['slack']:g}"
    )
    assert report["hidden"] > 100, "the demo pilot has small counts to hide"
    assert report["failures"] == []


@pytest.mark.parametrize("role", ROLES)
def test_the_attacker_learns_no_unpublished_monthly_count_of_one_to_ten(attack, role):
    assert attack[role][2]["pinned_months"] == []


def test_the_attacker_catches_a_release_that_hides_only_the_small_counts(released, attack):
    """Its teeth: the same releases with every complementary cell shown (only "<11"
    hidden, as pages did before releases) must give cells away."""
    report = _complements_shown(released, attack, figures=None)
    assert report["failures"], "showing the complements must let the attacker pin cells"
    assert any(lo == hi for _, _, lo, hi in report["failures"])


def test_the_attacker_catches_door_outcomes_without_their_complements(released, attack):
    """The same teeth for service referrals by door: with only that figure's
    complementary cells shown, its hidden cells (or those of the referral tables it is
    tied to by the outcome totals) give themselves away."""
    report = _complements_shown(released, attack, figures={"door_outcomes"})
    figures = {place[1] for place, *_ in report["failures"]}
    assert figures & {"door_outcomes", "referrals"}, report["failures"][:5]


def _complements_shown(released, attack, figures: set | None) -> dict:
    """The attack on the releases with the complementary cells of ``figures`` (all, if
    None) shown with their true values."""
    relations, rows, _ = attack["lead_command"]
    truth = audit_truth(released)
    columns = relations["release_figure"]
    place = [columns.index(c) for c in ("release_id", "figure", "row_key", "col_key")]
    value, label, status = (columns.index(c) for c in ("value", "label", "status"))
    figure = columns.index("figure")
    naive = []
    for row in rows["release_figure"]:
        row = list(row)
        if row[status] == "complementary" and (figures is None or row[figure] in figures):
            row[value] = truth[tuple(row[i] for i in place)][0]
            row[label], row[status] = f"{row[value]:,}", "shown"
        naive.append(tuple(row))
    return _attack(relations, {**rows, "release_figure": naive}, truth)
