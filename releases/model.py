"""Every published figure of every release as cells and the equations a reader knows.

One :class:`geo.disclosure.Figures` holds all releases, so they are protected together.
A cell's key names what it counts, not where it is shown: a figure that several tables
or releases show is one cell (``("intakes", window)`` in the flow, as the equity totals
and as a cohort's size; a cohort (month, horizon) in every release that reaches it; the
caseloads of a day in the month, quarter, year and pilot to date ending that day).

The relations, all exact (docs/access.md, "Releases"):
- margins: every table's rows and columns add up to its totals;
- shared figures: funnel "referred" and "completed" are the referral table's total and
  completed column; funnel "engaged" is engaged + completed; the flow's referrals and
  referrals engaged are the funnel's totals; engagement-day bins add up to "engaged";
- shares: the complement of an equity or re-contact share (participants not engaged,
  people not re-contacted) is a count of people too (``Figures.rate``), protected though
  no table shows it; a funnel share's complement (referred but not engaged) is a sum of
  referral-table cells, each protected in its own right, so it gets no cell of its own;
- public totals: intakes and exits of a period, active and pending and overdue on a
  day (the census); equity participants add up to the period's intakes, caseloads to
  the active census, a cohort to its month's intakes, waits to the intakes;
- additivity across periods where it is exact: referrals made by service, participants
  by group and intakes by wait are sums over time. These *lattice* figures
  (:mod:`releases.plan`) are published only for periods made of whole atoms (months for
  referrals, quarters for the others, merged where one is too small to protect), and
  every such period is the sum of its atoms; an atom that is not itself a release is an
  unpublished cell of the model, because readers can still work it out. Outcomes "as
  known on the last day" are not additive and get no such equation.
"""

from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd

from geo.disclosure import TOTAL, Figures
from releases.fetch import Exact, Window, window
from releases.periods import Period, month_end
from releases.plan import LATTICE, SECONDARY, Plan

SERVICES = ("drug_treatment", "mental_health", "housing", "other")
OUTCOMES = ("pending", "engaged", "completed", "declined", "no_show")
ENGAGEMENT_BINS = ((0, 7), (8, 14), (15, 30), (31, 60), (61, 90), (91, None))
WAIT_BINS = ((0, 7), (8, 14), (15, 30), (31, None))
PENDING_BINS = ("0-7", "8-14", "15+", "overdue")
HORIZONS = (3, 6, 12)
RECONTACT_HORIZONS = (6, 12)
RECONTACT_GROUPS = ("participants", "declined")
AT_CAPACITY = {True: "at_capacity", False: "not_at_capacity"}
DOORS = ("arrest", "social_contact", "community")
POLICE_DOORS = ("arrest", "social_contact")
# counts by door, additive over time; the handoff counts only for the police doors
DOOR_COUNTS = {
    "referrals": DOORS,
    "intakes": DOORS,
    "handoffs": POLICE_DOORS,
    "within_target": POLICE_DOORS,
}
COST_PHASES = ("before", "after")
COST_SUMS = ("bookings", "bed_days", "cost")  # over the people booked or held
COST_MEDIANS = ("median_bookings", "median_bed_days")  # per participant
# shares a reader can form from the door table: (numerator, denominator)
DOOR_SHARES = (
    ("handoffs", "referrals"),
    ("within_target", "referrals"),
    ("within_target", "handoffs"),
)


@dataclass(frozen=True)
class Placement:
    """Where a cell is published: one row of ``release_figure``. ``unit`` is what is
    withdrawn as a whole if a cell of it cannot be protected."""

    period: Period
    figure: str
    row: str
    col: str
    key: Hashable
    unit: tuple


@dataclass(frozen=True)
class Statistic:
    """A median or quartile, shown only if the count of its group may be (``group``)."""

    period: Period
    statistic: str
    row: str
    col: str
    value: float | None
    group: Hashable


@dataclass
class Model:
    figures: Figures = field(default_factory=Figures)
    placements: list[Placement] = field(default_factory=list)
    statistics: list[Statistic] = field(default_factory=list)
    units: dict[Hashable, tuple] = field(default_factory=dict)  # cell -> its unit

    def place(self, periods, figure: str, row: str, col: str, key, unit: tuple) -> None:
        """Publish cell ``key`` as (figure, row, col) in each of ``periods``."""
        for period in periods:
            self.placements.append(Placement(period, figure, row, col, key, unit))
        self.units.setdefault(key, unit)

    def belongs(self, key: Hashable, unit: tuple) -> Hashable:
        """Record the unit of a cell no table shows (a share's complement)."""
        self.units.setdefault(key, unit)
        return key


def bin_label(low: int, high: int | None) -> str:
    return f"{low}+" if high is None else f"{low}-{high}"


def build(exact: Exact, plan: Plan, *, secondary: bool = True) -> Model:
    """The model of every release in ``exact``, less what ``plan`` withdraws; without
    the secondary figure (service referrals by door) unless ``secondary``."""
    model = Model()
    _public(model, exact)
    for w in dict.fromkeys(window(p) for p in exact.periods):
        periods = [p for p in exact.periods if window(p) == w]
        _flow(model, periods, w, exact.by_window[w]["flow"])
        if ("recontact", w) not in plan.withdrawn:
            _recontact(model, periods, w, exact.by_window[w]["recontact"])
    for day in dict.fromkeys(p.last_day for p in exact.periods):
        periods = [p for p in exact.periods if p.last_day == day]
        if ("caseloads", day) not in plan.withdrawn:
            _caseloads(model, periods, day, exact.by_day[day]["caseloads"])
            if ("in_the_wind", day) not in plan.withdrawn:
                _in_the_wind(model, periods, day, exact.by_day[day]["caseloads"])
        if ("pending_ages", day) not in plan.withdrawn:
            _pending(model, periods, day, exact.by_day[day]["pending_ages"])
        if ("door_active", day) not in plan.withdrawn:
            _door_active(model, periods, day, exact.by_window[window(periods[0])]["doors"])
    for period in exact.periods:
        _cohorts(model, period, exact.cohorts, plan)
    for year, phases in exact.cost.items():
        if ("cost", year) not in plan.withdrawn:
            _cost(model, exact, year, phases)
    for family in LATTICE:
        if secondary or family != SECONDARY:
            _lattice(model, exact, plan, family)
    return model


# --- public figures -----------------------------------------------------------------


def _public(model: Model, exact: Exact) -> None:
    """The census on every release's last day, and intakes/exits of every window and of
    every calendar month (a cohort's size)."""
    add = model.figures.add
    for day in {p.last_day for p in exact.periods}:
        for measure in ("active", "pending", "overdue"):
            add((measure, day), int(exact.census[day][measure]), public=True)
    for w, figures in exact.by_window.items():
        flow = figures["flow"][0]
        add(("intakes", w), int(flow["intakes"]), public=True)
        add(("exits", w), int(flow["exits"]), public=True)
    for row in exact.cohorts:
        month = row["intake_month"]
        add(("intakes", (month, month_end(month))), int(row["people"]), public=True)


# --- referrals, funnel, engagement ----------------------------------------------------


def _referrals(model: Model, periods: list[Period], w: Window, exact: Exact, plan: Plan):
    """The referral table, funnel, flow referrals and engagement days of a window where
    published; elsewhere only referrals made by service. Returns those by service."""
    fig, unit, figures = model.figures, ("referrals", w), exact.by_window[w]
    counts = defaultdict(int)
    for row in figures["referrals"]:
        counts[row["service"], row["outcome"]] += int(row["referrals"])
    table = np.array([[counts[s, o] for o in OUTCOMES] for s in SERVICES])
    if not periods:
        made = {s: (("referrals", w), s, TOTAL) for s in SERVICES}
        for i, key in enumerate(made.values()):
            model.belongs(fig.add(key, int(table[i].sum()), total=True), unit)
        return made
    keys = fig.two_way(("referrals", w), table, SERVICES, OUTCOMES)
    for row in keys:
        for key in row:
            model.place(periods, "referrals", key[1], key[2], key, unit)
    ref = {(k[1], k[2]): k for row in keys for k in row}
    engaged = {}
    for service in (*SERVICES, TOTAL):
        both = (ref[service, "engaged"], ref[service, "completed"])
        engaged[service] = fig.add(("engaged", w, service), sum(fig.value(k) for k in both))
        fig.equation({engaged[service]: 1, both[0]: -1, both[1]: -1})
        referred, completed = ref[service, TOTAL], ref[service, "completed"]
        for col, key in (("referred", referred), ("engaged", engaged[service])):
            model.place(periods, "funnel", service, col, key, unit)
        model.place(periods, "funnel", service, "completed", completed, unit)
    model.place(periods, "flow", TOTAL, "referrals", ref[TOTAL, TOTAL], unit)
    model.place(periods, "flow", TOTAL, "referrals_engaged", engaged[TOTAL], unit)
    _engagement(model, periods, w, figures, ref, plan)
    return {s: ref[s, TOTAL] for s in SERVICES}


def _engagement(model: Model, periods, w: Window, figures: dict, ref: dict, plan: Plan):
    bins = {(r["service"], r["bin_low"]): int(r["referrals"]) for r in figures["engagement_bins"]}
    quartiles = {r["service"]: r for r in figures["engagement_quantiles"]}
    for service in SERVICES:
        unit = ("engagement_days", w, service)
        if unit in plan.withdrawn:
            continue
        counts = {}
        for low, high in ENGAGEMENT_BINS:
            key = ("engagement days", w, service, low)
            counts[key] = bins.get((service, low), 0)
            model.place(periods, "engagement_days", service, bin_label(low, high), key, unit)
        model.figures.breakdown(ref[service, "engaged"], counts)
        model.place(periods, "engagement_days", service, TOTAL, ref[service, "engaged"], unit)
        for col in ("p25", "median", "p75"):
            value = quartiles.get(service, {}).get(col)
            value = None if value is None or pd.isna(value) else float(value)
            group = ref[service, "engaged"]
            model.statistics += [
                Statistic(p, "engagement_days", service, col, value, group) for p in periods
            ]


def _flow(model: Model, periods: list[Period], w: Window, flow: list[dict]) -> None:
    row, unit = flow[0], ("flow", w)
    model.place(periods, "flow", TOTAL, "intakes", ("intakes", w), unit)
    model.place(periods, "flow", TOTAL, "exits", ("exits", w), unit)
    for statistic, value, group in (
        ("median_wait", row["median_wait"], ("intakes", w)),
        ("median_stay", row["median_stay"], ("exits", w)),
    ):
        value = None if pd.isna(value) else float(value)
        model.statistics += [
            Statistic(p, statistic, TOTAL, "median", value, group) for p in periods
        ]


# --- lattice figures: equity by race, sex, age; intakes by wait -------------------------


def _lattice(model: Model, exact: Exact, plan: Plan, family: str) -> None:
    """A lattice figure in every release made of whole atoms, and its additive counts in
    every atom and withdrawn period (unpublished where they are not releases); each
    window's additive counts are the sums of its atoms'."""
    atoms = plan.atoms[family]
    published = plan.published(family, exact.periods)
    windows = dict.fromkeys([*(window(p) for p in published), *plan.hidden_windows(family)])
    additive: dict[Window, dict] = {}
    for w in windows:
        periods = [p for p in published if window(p) == w]
        if family == "referrals":
            additive[w] = _referrals(model, periods, w, exact, plan)
        elif family == "intake_delays":
            additive[w] = _intake_delays(model, periods, w, exact)
        elif family == "doors":
            additive[w] = _doors(model, periods, w, exact)
        elif family == "door_outcomes":
            found = exact.by_window[w]["door_outcomes"]
            additive[w] = _door_outcomes(model, periods, w, found, w in plan.collapsed)
        else:
            additive[w] = _equity(model, periods, w, exact, family.removeprefix("equity_"))
    for w in windows:
        inside = [a for a in atoms if w[0] <= a[0] and a[1] <= w[1]]
        if inside != [w]:
            for name, key in additive[w].items():
                model.figures.additive(key, [additive[a][name] for a in inside])
    if family == "door_outcomes":
        _door_made_is_referrals_made(model, plan)


def _equity(model: Model, periods, w: Window, exact: Exact, dimension: str) -> dict:
    """Participants (additive) of every group and, where published, how many engaged;
    returns the additive cells by group."""
    fig, unit = model.figures, (f"equity_{dimension}", w)
    equity = exact.by_window[w]["equity"]
    figure = f"equity_{dimension}"
    table = {r["grp"]: r for r in equity if r["dimension"] == dimension}
    participants, engaged = {}, {}
    for group in exact.groups[dimension]:
        row = table.get(group, {"participants": 0, "engaged": 0})
        key = ("participants", w, dimension, group)
        participants[group] = model.belongs(fig.add(key, int(row["participants"])), unit)
        engaged[group] = int(row["engaged"])
    fig.additive(("intakes", w), participants.values())
    if not periods:
        return participants
    engaged_total = model.belongs(("equity engaged", w), ("equity_all", w))
    fig.breakdown(engaged_total, {("engaged of", w, dimension, g): v for g, v in engaged.items()})
    for group, p_key in participants.items():
        e_key = ("engaged of", w, dimension, group)
        rate = fig.rate(("engaged share", w, dimension, group), e_key, p_key)
        model.belongs((rate, "complement"), unit)
        model.place(periods, figure, group, "participants", p_key, unit)
        model.place(periods, figure, group, "engaged", e_key, unit)
    model.place(periods, figure, TOTAL, "participants", ("intakes", w), unit)
    model.place(periods, figure, TOTAL, "engaged", engaged_total, ("equity_all", w))
    if (("equity engaged share", w), "complement") not in fig:
        rate = fig.rate(("equity engaged share", w), engaged_total, ("intakes", w))
        model.belongs((rate, "complement"), ("equity_all", w))
    return participants


def _intake_delays(model: Model, periods, w: Window, exact: Exact) -> dict:
    """Intakes by wait and capacity where published, elsewhere only the inner cells
    (they add up to the public intakes); returns the inner (additive) cells."""
    fig, unit = model.figures, ("intake_delays", w)
    counts = {
        (r["bin_low"], r["waited_at_capacity"]): int(r["intakes"])
        for r in exact.by_window[w]["intake_delays"]
    }
    values = [[counts.get((low, flag), 0) for flag in AT_CAPACITY] for low, _ in WAIT_BINS]
    rows = [bin_label(low, high) for low, high in WAIT_BINS]
    if not periods:
        inner = {}
        for i, row in enumerate(rows):
            for j, col in enumerate(AT_CAPACITY.values()):
                inner[row, col] = model.belongs(
                    fig.add((("waits", w), row, col), values[i][j]), unit
                )
        fig.additive(("intakes", w), inner.values())
        return inner
    keys = fig.two_way(("waits", w), values, rows, list(AT_CAPACITY.values()))
    fig.same(keys[-1][-1], ("intakes", w))
    for row in keys:
        for key in row:
            model.place(periods, "intake_delays", key[1], key[2], key, unit)
            model.belongs(key, unit)
    return {(key[1], key[2]): key for row in keys[:-1] for key in row[:-1]}


def _doors(model: Model, periods, w: Window, exact: Exact) -> dict:
    """Referrals, intakes and warm handoffs by door (with the shares a reader can form) and
    the handoff medians where published; elsewhere only the counts by door. Returns the
    additive cells (counts by door); service referrals by door are a figure of their own
    (:func:`_door_outcomes`)."""
    fig, unit, figures = model.figures, ("doors", w), exact.by_window[w]
    rows = {r["door"]: r for r in figures["doors"]}
    additive = {}
    for measure, doors in DOOR_COUNTS.items():
        parts = {("door " + measure, w, d): int(rows.get(d, {}).get(measure, 0)) for d in doors}
        public = measure == "intakes"
        total = ("intakes", w) if public else model.belongs(("door " + measure, w, TOTAL), unit)
        fig.breakdown(total, parts, public_total=public)
        for key in parts:
            model.place(periods, "doors", key[2], measure, model.belongs(key, unit), unit)
            additive[measure, key[2]] = key
        model.place(periods, "doors", TOTAL, measure, total, unit)
    for door in POLICE_DOORS:
        for numerator, denominator in DOOR_SHARES:
            rate = fig.rate(
                ("door share", w, door, numerator, denominator),
                ("door " + numerator, w, door),
                ("door " + denominator, w, door),
            )
            model.belongs((rate, "complement"), unit)
        value = rows.get(door, {}).get("median_handoff")
        value = None if value is None or pd.isna(value) else float(value)
        model.statistics += [
            Statistic(p, "median_handoff", door, "median", value, ("door handoffs", w, door))
            for p in periods
        ]
    return additive


def _door_outcomes(model: Model, periods, w: Window, found: list[dict], collapsed: bool):
    """Service referrals made by door and outcome as known on the last day where
    published (its outcome totals are the referral table's where the model has that
    table), only those made by door where ``collapsed`` (published: door totals only)
    or not published. The secondary figure (:mod:`releases.plan`), a lattice figure
    with months as atoms. Returns the referrals made by door (additive)."""
    fig, unit, name = model.figures, ("door_outcomes", w), ("door outcomes", w)
    counts = defaultdict(int, {(r["door"], r["outcome"]): int(r["referrals"]) for r in found})
    table = np.array([[counts[d, o] for o in OUTCOMES] for d in DOORS])
    made = {d: (name, d, TOTAL) for d in DOORS}
    referrals = ("referrals", w)
    if not periods or collapsed:
        parts = dict(zip(made.values(), table.sum(axis=1).tolist(), strict=True))
        fig.breakdown((name, TOTAL, TOTAL), parts)
        for key in (*made.values(), (name, TOTAL, TOTAL)):  # no periods: only its unit
            model.place(periods, "door_outcomes", key[1], TOTAL, key, unit)
        if periods and (referrals, TOTAL, TOTAL) in fig:
            fig.same((name, TOTAL, TOTAL), (referrals, TOTAL, TOTAL))
        return made
    for row in fig.two_way(name, table, DOORS, OUTCOMES):
        for key in row:
            model.place(periods, "door_outcomes", key[1], key[2], key, unit)
    for outcome in OUTCOMES:
        if (referrals, TOTAL, outcome) in fig:
            fig.same((name, TOTAL, outcome), (referrals, TOTAL, outcome))
    return made


def _door_made_is_referrals_made(model: Model, plan: Plan) -> None:
    """Service referrals made through the doors are those made for the services: over
    every run of atoms where the two figures' atoms end together (a month while neither
    is merged), the door total is the sum of the services' (each a cell of the model)."""
    doors, services = plan.atoms["door_outcomes"], plan.atoms["referrals"]
    ends = sorted({a[1] for a in doors} & {a[1] for a in services})
    terms = defaultdict(dict)
    for atoms, make, sign in (
        (doors, lambda a: [(("door outcomes", a), TOTAL, TOTAL)], 1),
        (services, lambda a: [(("referrals", a), s, TOTAL) for s in SERVICES], -1),
    ):
        for atom in atoms:
            end = next((e for e in ends if e >= atom[1]), None)
            if end is not None:
                terms[end].update(dict.fromkeys(make(atom), sign))
    for equation in terms.values():
        model.figures.equation(equation)


# --- leaf figures: re-contact, caseloads, pending, cohorts ------------------------------


def _recontact(model: Model, periods: list[Period], w: Window, recontact: list[dict]):
    """Only horizons some follow-up can reach within the window (none for a month)."""
    fig, unit = model.figures, ("recontact", w)
    table = {(r["grp"], r["months"]): r for r in recontact}
    for months in RECONTACT_HORIZONS:
        if add_months(w[0], months) > w[1]:
            continue
        for group in RECONTACT_GROUPS:
            row = table.get((group, months), {"people": 0, "recontacted": 0})
            people, again = int(row["people"]), int(row["recontacted"])
            p_key = fig.add(("recontact people", w, group, months), people)
            r_key = fig.add(("recontacted", w, group, months), again)
            rate = fig.rate(("recontact share", w, group, months), r_key, p_key)
            model.belongs((rate, "complement"), unit)
            model.place(periods, "recontact", group, f"people_{months}m", p_key, unit)
            model.place(periods, "recontact", group, f"recontacted_{months}m", r_key, unit)


def _caseloads(model: Model, periods: list[Period], day: date, caseloads: list[dict]):
    """Caseloads on a day; rows are named after protection (never by name)."""
    parts, unit = {}, ("caseloads", day)
    for row in caseloads:
        key = ("caseload", day, "unassigned" if row["unassigned"] else int(row["roster"]))
        parts[key] = int(row["caseload"])
    model.figures.breakdown(("active", day), parts, public_total=True)
    for key in parts:
        model.place(periods, "caseloads", str(key[2]), "active", key, unit)
    model.place(periods, "caseloads", TOTAL, "active", ("active", day), unit)


def _in_the_wind(model: Model, periods: list[Period], day: date, caseloads: list[dict]):
    """Participants in the wind per caseload of a day (a leaf of its own, so that the
    caseloads stay published when these cannot be protected); the active ones not in
    the wind are a count of people too."""
    fig, unit = model.figures, ("in_the_wind", day)
    wind = {}
    for row in caseloads:
        who = "unassigned" if row["unassigned"] else int(row["roster"])
        wind["in the wind", day, who] = int(row["in_the_wind"])
    fig.breakdown(model.belongs(("in the wind", day), unit), wind)
    for key in wind:
        rate = fig.rate(("wind share", day, key[2]), key, ("caseload", day, key[2]))
        model.belongs((rate, "complement"), unit)
        model.place(periods, "caseloads", str(key[2]), "in_the_wind", key, unit)
    model.place(periods, "caseloads", TOTAL, "in_the_wind", ("in the wind", day), unit)


def _door_active(model: Model, periods: list[Period], day: date, doors: list[dict]) -> None:
    """Participants active on a day by referral door (they add up to the public census)."""
    unit, by_door = ("door_active", day), {r["door"]: int(r["active"]) for r in doors}
    parts = {("door active", day, d): by_door.get(d, 0) for d in DOORS}
    model.figures.breakdown(("active", day), parts, public_total=True)
    for key in parts:
        model.place(periods, "doors", key[2], "active", key, unit)
    model.place(periods, "doors", TOTAL, "active", ("active", day), unit)


def _pending(model: Model, periods: list[Period], day: date, ages: list[dict]) -> None:
    fig, unit = model.figures, ("pending_ages", day)
    counts = {r["bin"]: r["pending"] for r in ages}
    keys = []
    for label in PENDING_BINS:
        key = ("overdue", day) if label == "overdue" else ("pending age", day, label)
        fig.add(key, int(counts.get(label, 0)), public=label == "overdue")
        keys.append(key)
        model.place(periods, "pending_ages", label, "pending", key, unit)
    fig.additive(("pending", day), keys)
    model.place(periods, "pending_ages", TOTAL, "pending", ("pending", day), unit)


def _cohorts(model: Model, period: Period, cohorts: list[dict], plan: Plan) -> None:
    """Cohorts of the period's intake months at every horizon reached by its last day."""
    fig = model.figures
    for row in cohorts:
        month, months = row["intake_month"], row["months"]
        unit = ("cohorts", month, months)
        if not (period.first_day <= month <= period.last_day) or unit in plan.withdrawn:
            continue
        if add_months(month_end(month), months) > period.last_day:
            continue
        people = ("intakes", (month, month_end(month)))
        measures = {
            ("cohort", month, months, m): int(row[m]) for m in ("active", "returned", "exited")
        }
        if next(iter(measures)) not in fig:
            fig.breakdown(people, measures, public_total=True)
        col = f"_{months}m"
        model.place([period], "cohorts", month.isoformat(), "people" + col, people, unit)
        for key in measures:
            model.place([period], "cohorts", month.isoformat(), key[3] + col, key, unit)


def _cost(model: Model, exact: Exact, year: int, phases: list[dict]) -> None:
    """Jail bookings before vs after intake of an intake-year cohort, in every release
    whose last day follows its last participant's after-window (one cell wherever shown).
    Participants and people booked or held are counts (a booked share's complement too);
    bookings, bed-days and cost are sums over the people booked or held, and the medians
    per participant statistics over the cohort: each shown only when its group's count
    is shown and above the threshold (docs/access.md, "Releases")."""
    complete = date(year, 12, 31) + timedelta(days=exact.cost_window - 1)
    periods = [p for p in exact.periods if p.last_day >= complete]
    rows = {r["phase"]: r for r in phases}
    if not periods or not rows["before"]["participants"]:
        return
    fig, unit, row = model.figures, ("cost", year), str(year)
    people = fig.add(("cost people", year), int(rows["before"]["participants"]))
    model.place(periods, "cost", row, "participants", people, unit)
    for phase in COST_PHASES:
        values = rows[phase]
        booked = fig.add(("cost booked", year, phase), int(values["people_booked"]))
        rate = fig.rate(("cost booked share", year, phase), booked, people)
        model.belongs((rate, "complement"), unit)
        model.place(periods, "cost", row, f"booked_{phase}", booked, unit)
        for name, group in (
            *((s, booked) for s in COST_SUMS),
            *((m, people) for m in COST_MEDIANS),
        ):
            value = values[name]
            value = None if value is None or pd.isna(value) else float(value)
            model.statistics += [
                Statistic(p, "cost", row, f"{name}_{phase}", value, group) for p in periods
            ]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day if it has no such day), as
    PostgreSQL adds an interval of months."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    first = date(year, month, 1)
    return min(first + timedelta(days=day.day - 1), month_end(first))
