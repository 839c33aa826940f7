"""What a release set publishes, and how it shrinks when a figure cannot be protected.

The engine (:mod:`geo.disclosure`) reports the cells no suppression can protect (a
count of 7 in a table whose public total is 8, a part of a small total labelled "<11").
Such a figure must not be published as it is; what is done depends on its kind.

- *Leaf* figures are linked to nothing outside their own table but public totals: a
  cohort's row, the caseloads or the waiting list of a day, re-contact of a period, the
  engagement days of a service in a period. A leaf with such a cell is withdrawn (not
  published at all, so readers learn nothing from it).
- *Lattice* figures hold counts that add up over time: referrals made by service (with
  the whole referral table, funnel, flow referrals and engagement days of the period),
  equity (participants by race, sex, age group), intakes by wait, and the referral doors
  (referrals, intakes and warm handoffs by door), and service referrals by door
  (tied to the referral table's outcome totals: the *secondary* figure, below).
  Their unit of time is an *atom*: months for referrals and service referrals by door,
  quarters for the others (a month's public intakes,
  about nine in the demo, leave no room to break them down; the pilot's first, partial
  month or quarter is an atom too). A lattice figure is published only in releases made
  of whole atoms, so every published period is a sum of atoms and no difference of
  releases isolates less than an atom. An atom with a cell that cannot be protected is
  merged with a neighbour (within its quarter when it can); a longer period with one is
  withdrawn. Merged atoms and withdrawn periods stay in the model as unpublished cells
  of their additive counts, since readers can still work those out from the releases
  around them.

The referral table is the *primary* figure and service referrals by door the
*secondary* one, which may never cost the primary a cell: every figure but the
secondary is protected first, and its pattern of hidden cells is then held fixed while
the secondary joins the model (complements only among its own cells). A release whose
door table cannot be protected so publishes the door totals only (:attr:`Plan.collapsed`),
and where even those cannot be, the door figure is merged or withdrawn as a lattice
figure (:meth:`Plan.degrade`).
"""

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date, timedelta

from releases.periods import Period, month_end

Window = tuple[date, date]
ATOM_MONTHS = {
    "referrals": 1,
    "equity_race": 3,
    "equity_sex": 3,
    "equity_age": 3,
    "intake_delays": 3,
    "doors": 3,
    "door_outcomes": 1,
}
LATTICE = tuple(ATOM_MONTHS)
SECONDARY = "door_outcomes"  # protected after the others, with their pattern fixed
EQUITY = ("equity_race", "equity_sex", "equity_age")
LEAVES = (
    "engagement_days", "recontact", "caseloads", "in_the_wind", "pending_ages", "cohorts",
    "door_active", "cost",
)  # fmt: skip


class CannotProtect(RuntimeError):
    """A figure that cannot be withdrawn or merged still fails the audit."""


@dataclass
class Plan:
    atoms: dict[str, list[Window]]
    withdrawn: set[tuple] = field(default_factory=set)  # leaf units, (family, window)
    collapsed: set[Window] = field(default_factory=set)  # secondary: door totals only

    @classmethod
    def initial(cls, pilot_start: date, as_of: date) -> "Plan":
        """Months or quarters as atoms; nothing withdrawn."""
        return cls({f: _atoms(pilot_start, as_of, n) for f, n in ATOM_MONTHS.items()})

    def published(self, family: str, periods: list[Period]) -> list[Period]:
        """The releases that carry a lattice figure: made of whole atoms, not withdrawn."""
        firsts = {a[0] for a in self.atoms[family]}
        lasts = {a[1] for a in self.atoms[family]}
        return [
            p
            for p in periods
            if p.first_day in firsts
            and p.last_day in lasts
            and (family, (p.first_day, p.last_day)) not in self.withdrawn
        ]

    def hidden_windows(self, family: str) -> list[Window]:
        """Windows of a lattice figure in the model besides its releases: the atoms, and
        withdrawn periods still made of whole atoms (readers can add those up)."""
        firsts = {a[0] for a in self.atoms[family]}
        lasts = {a[1] for a in self.atoms[family]}
        withdrawn = sorted(
            u[1]
            for u in self.withdrawn
            if u[0] == family and u[1][0] in firsts and u[1][1] in lasts
        )
        return [*self.atoms[family], *withdrawn]

    def windows(self) -> set[Window]:
        """Every window whose figures the model needs beyond the releases'."""
        return {w for family in LATTICE for w in self.hidden_windows(family)}

    def remedy(self, units: list[tuple], periods: list[Period]) -> None:
        """Withdraw or merge what each unit (of a cell that cannot be protected) needs.
        An atom changes at most once per call: the merged atom is protected again
        before it is merged any further."""
        touched: set[tuple] = set()
        for unit in dict.fromkeys(units):
            kind = unit[0]
            if kind in LEAVES:
                self.withdrawn.add(unit)
            elif kind in LATTICE:
                self._shrink(kind, unit[1], periods, touched)
            elif kind == "equity_all":
                for family in EQUITY:
                    self._shrink(family, unit[1], periods, touched)
            else:
                raise CannotProtect(f"{unit}: this figure cannot be withdrawn or merged")

    def degrade(self, units: list[tuple], periods: list[Period]) -> bool:
        """The secondary figure's remedy for its units holding a cell that cannot be
        protected: a release's door table becomes door totals only; door totals only, or
        an unpublished atom, merge or withdraw as a lattice figure. False when nothing
        changed (a unit matching no window of the figure)."""
        before = (list(self.atoms[SECONDARY]), set(self.withdrawn), set(self.collapsed))
        releases = {(p.first_day, p.last_day) for p in periods}
        touched: set[tuple] = set()
        for unit in dict.fromkeys(units):
            w = unit[1]
            if w in releases and w not in self.collapsed and unit not in self.withdrawn:
                self.collapsed.add(w)
            else:
                self._shrink(SECONDARY, w, periods, touched)
        return before != (self.atoms[SECONDARY], self.withdrawn, self.collapsed)

    def _shrink(self, family: str, w: Window, periods: list[Period], touched: set) -> None:
        """A published atom merges with a neighbour; a published longer period is
        withdrawn; an unpublished window merges every atom it holds into one."""
        atoms = self.atoms[family]
        inside = [i for i, a in enumerate(atoms) if w[0] <= a[0] and a[1] <= w[1]]
        if not inside or any((family, atoms[i]) in touched for i in inside):
            return
        is_release = any((p.first_day, p.last_day) == w for p in periods)
        withdrawn = (family, w) in self.withdrawn
        if len(inside) > 1 and is_release and not withdrawn:
            self.withdrawn.add((family, w))
            return
        if len(inside) > 1:
            first, last = inside[0], inside[-1]
        elif len(atoms) == 1:
            self.atoms[family] = []  # nothing left to merge with: not published at all
            return
        else:
            first, last = _neighbour(atoms, inside[0])
        if (family, atoms[first]) in touched or (family, atoms[last]) in touched:
            return
        merged = (atoms[first][0], atoms[last][1])
        self.atoms[family] = atoms[:first] + [merged] + atoms[last + 1 :]
        touched.add((family, merged))


def _neighbour(atoms: list[Window], i: int) -> tuple[int, int]:
    """Atom ``i`` and the neighbour it merges with: one in the same quarter (the next,
    else the one before) while there is one, else the next (the one before, if last)."""
    quarter = _quarter_end(atoms[i][1])
    if i + 1 < len(atoms) and _quarter_end(atoms[i + 1][1]) == quarter:
        return i, i + 1
    if i > 0 and _quarter_end(atoms[i - 1][0]) == _quarter_end(atoms[i][0]) == quarter:
        return i - 1, i
    return (i, i + 1) if i + 1 < len(atoms) else (i - 1, i)


def _atoms(pilot_start: date, as_of: date, months: int) -> list[Window]:
    """Consecutive windows of whole calendar months (1) or quarters (3), the first from
    the pilot's start, every one closed by ``as_of``."""
    found, start = [], pilot_start
    while True:
        end = month_end(start) if months == 1 else _quarter_end(start)
        if end > as_of:
            return found
        found.append((start, end))
        start = end + timedelta(days=1)


def _quarter_end(day: date) -> date:
    return month_end(date(day.year, 3 * ((day.month - 1) // 3) + 3, 1))


def unit_of(units: dict[Hashable, tuple], key: Hashable) -> tuple:
    try:
        return units[key]
    except KeyError:
        raise CannotProtect(f"{key!r} is in no figure") from None
