"""Primary and complementary suppression until the audit passes, and its report."""

import math
from collections.abc import Collection, Hashable, Mapping
from dataclasses import dataclass

import numpy as np

from geo.disclosure.bounds import Bounds
from geo.disclosure.choose import Chooser
from geo.disclosure.model import Figures, Key, System
from geo.privacy import DEFAULT_THRESHOLD, HIDDEN_SHARE, format_count, format_share, small_label

DEFAULT_PROTECTION = 3
SUPPRESSED = "suppressed"


@dataclass(frozen=True)
class AuditRow:
    """One hidden cell: what a reader can deduce (``lo``..``hi``, exact integer bounds)
    against what the rule requires (``lo <= need_lo``, ``hi >= need_hi``, ``lo < hi``)."""

    key: Key
    value: int
    label: str
    lo: float
    hi: float
    need_lo: int
    need_hi: float
    passed: bool

    def record(self) -> dict:
        """Plain values for storage (an unbounded ``hi`` or ``need_hi`` is ``None``)."""
        return {
            "key": self.key,
            "value": self.value,
            "label": self.label,
            "lo": int(self.lo),
            "hi": None if math.isinf(self.hi) else int(self.hi),
            "need_lo": self.need_lo,
            "need_hi": None if math.isinf(self.need_hi) else int(self.need_hi),
            "passed": self.passed,
        }


@dataclass(frozen=True)
class Protection:
    """The outcome of :func:`protect`: which cells are hidden, with which label, the
    audit of every hidden cell, and display strings."""

    threshold: int
    protection: int
    labels: Mapping[Key, str]
    audit: tuple[AuditRow, ...]
    unprotectable: tuple
    values: Mapping[Key, int]
    rates: Mapping[Hashable, tuple[Key, Key]]

    @property
    def ok(self) -> bool:
        """Every hidden cell passes: the release may be published as it is."""
        return all(row.passed for row in self.audit)

    def hidden(self, key: Key) -> bool:
        return key in self.labels

    def text(self, key: Key) -> str:
        """A cell as displayed: its count, ``"<11"`` or ``"suppressed"``."""
        if key in self.labels:
            return self.labels[key]
        return format_count(self.values[key])

    def share(self, rate: Hashable) -> str:
        """A rate as displayed, e.g. ``"40%"``; hidden (``"–"``) when either of its
        counts is hidden, since a share beside one count gives back the other."""
        numerator, denominator = self.rates[rate]
        if numerator in self.labels or denominator in self.labels:
            return HIDDEN_SHARE
        return format_share(self.values[numerator], self.values[denominator])

    def display(self) -> dict:
        """Display strings of every cell and every rate, by key."""
        shown = {key: self.text(key) for key in self.values}
        shown.update({rate: self.share(rate) for rate in self.rates})
        return shown

    def shows_median(self, group: Key) -> bool:
        """May a median (or any statistic that is not a sum of counts: a mean time, a
        percentile) over the people of ``group`` be shown? Only when the group's count is
        shown and above the threshold. Such statistics are outside the linear audit: a
        median of a few people is one person's value, and a median beside a hidden count
        would single out the group the suppression hides."""
        return group not in self.labels and self.values[group] > self.threshold


def protect(
    figures: Figures,
    threshold: int = DEFAULT_THRESHOLD,
    protection: int = DEFAULT_PROTECTION,
    *,
    audit_unprotectable: bool = True,
    hidden: Collection[Key] = (),
    shown: Collection[Key] = (),
) -> Protection:
    """Hide small counts of people and as few other figures as it takes for every hidden
    cell to pass the audit; see :mod:`geo.disclosure` for the rule. Deterministic.

    ``hidden`` and ``shown`` hold a pattern fixed (a primary figure protected before a
    secondary one joins it): the cells of ``hidden`` stay hidden, those of ``shown`` are
    never chosen as complements, so complements come only from the other cells. A cell
    of ``hidden`` that nothing else can protect is reported in ``unprotectable``.

    With ``audit_unprotectable=False``, a result with cells that cannot be protected
    audits only those cells (each with every other figure shown: it fails all the same),
    not every hidden one: for a caller that withdraws what holds them and protects again
    (``releases``), the exact audit of a result it throws away is the costliest part."""
    system = _checked(figures, threshold, protection)
    rule = _Rule(system, threshold, protection)
    rule.hideable &= ~_mask(system, shown, check=False)
    hidden = (rule.small & ~system.public) | _mask(system, hidden)
    chooser = Chooser(system, rule.hideable, hidden)
    hopeless = chooser.hopeless()
    tried: set[int] = set()
    chooser.close(hopeless)
    while True:
        passing, parts = rule.bounds.passing(hidden, hopeless)
        failing = [c for c in sorted(passing) if not passing[c] and c not in hopeless]
        if not failing and hopeless and not audit_unprotectable:
            only = np.zeros_like(hidden)
            only[sorted(hopeless)] = True
            return rule.result(only, sorted(hopeless))
        if not failing:
            return rule.result(hidden, sorted(hopeless))
        chooser.repair(failing, parts, rule.protectable, tried, hopeless)
        chooser.close(hopeless)


def audit(
    figures: Figures,
    hidden: Collection[Key],
    threshold: int = DEFAULT_THRESHOLD,
    protection: int = DEFAULT_PROTECTION,
) -> tuple[AuditRow, ...]:
    """The audit of a given choice of hidden cells (labelled by value: 1..t ``"<11"``,
    above t ``"suppressed"``), e.g. to re-check a stored release or a naive suppression."""
    system = _checked(figures, threshold, protection)
    return _Rule(system, threshold, protection).result(_mask(system, hidden), []).audit


def _mask(system: System, keys: Collection[Key], *, check: bool = True) -> np.ndarray:
    """The cells of ``keys`` as a mask; with ``check``, each must be a cell that may be
    hidden (not public, not zero)."""
    index = {key: i for i, key in enumerate(system.keys)} if keys else {}
    mask = np.zeros(len(system.keys), dtype=bool)
    for key in keys:
        if key not in index:
            raise ValueError(f"unknown cell {key!r}")
        i = index[key]
        if check and (system.public[i] or system.values[i] == 0):
            raise ValueError(f"{key!r} is public or zero: it is always shown")
        mask[i] = True
    return mask


class _Rule:
    """Labels, label intervals and the protection rule for one system."""

    def __init__(self, system: System, threshold: int, protection: int):
        self.system, self.threshold = system, threshold
        values = system.values
        self.small = (values >= 1) & (values <= threshold)
        self.hideable = ~system.public & (values > 0)
        self.protection = protection
        self.labels = (
            np.where(self.small, 1.0, threshold + 1.0),
            np.where(self.small, float(threshold), math.inf),
        )
        # the interval a reader must not be able to narrow: v -+ p within the label's
        self.need = (
            np.maximum(self.labels[0], values - protection),
            np.minimum(self.labels[1], values + protection),
        )
        self.bounds = Bounds(system, *self.labels, *self.need)
        self._widest: Bounds | None = None
        self._protectable: dict[int, bool] = {}

    def passes(self, c: int, lo: float, hi: float) -> bool:
        return bool(lo <= self.need[0][c] and hi >= self.need[1][c] and lo < hi)

    def protectable(self, c: int) -> bool:
        """Would ``c`` pass if every non-public non-zero figure were hidden? Hiding a
        figure only widens every interval, so if not, nothing can protect ``c``."""
        if c not in self._protectable:
            if self._widest is None:
                self._widest = Bounds(self.system, *self.labels, *self.need)
            self._protectable[c] = self.passes(c, *self._widest.of_cell(c, self.hideable))
        return self._protectable[c]

    def result(self, hidden: np.ndarray, unprotectable) -> Protection:
        system, rows = self.system, []
        label = small_label(self.threshold)
        for c, (lo, hi) in sorted(self.bounds.exact(hidden).items()):
            rows.append(
                AuditRow(
                    key=system.keys[c],
                    value=int(system.values[c]),
                    label=label if self.small[c] else SUPPRESSED,
                    lo=lo,
                    hi=hi,
                    need_lo=int(self.need[0][c]),
                    need_hi=float(self.need[1][c]),
                    passed=self.passes(c, lo, hi),
                )
            )
        return Protection(
            threshold=self.threshold,
            protection=self.protection,
            labels={row.key: row.label for row in rows},
            audit=tuple(rows),
            unprotectable=tuple(system.keys[c] for c in unprotectable),
            values=dict(zip(system.keys, system.values.tolist(), strict=True)),
            rates=system.rates,
        )


def _checked(figures: Figures, threshold: int, protection: int) -> System:
    if threshold < 2:
        raise ValueError("the small-cell threshold must be at least 2 ('<2' would be exact)")
    if protection < 0:
        raise ValueError("the protection level cannot be negative")
    return figures.compile()
