"""Statistical disclosure control for releases, with an exact audit.

All figures of all releases an audience can read are protected together, in one model,
so that no combination of them (a total beside its parts, a quarter beside its months,
the same figure in two tables, a rate beside its counts) gives a hidden count away.

**The model** (:class:`Figures`). Cells are figures with a true value (a whole number
>= 0), either counts of people (subject to suppression) or public figures (always shown
and known to every reader, e.g. the program census). Equations are the exact linear
relations a reader knows: a total is the sum of its parts, an additive count of a
quarter is the sum of its months, a figure in two tables is one cell, a complement
("not engaged = referred - engaged") is a cell of its own. Helpers build a breakdown
with its total, a two-way table with margins, a rate and an additivity link.

**Labels the reader understands.** A hidden count of 1..t people (t = the small-cell
threshold, 10 by default) says ``"<11"``: it lies in ``[1, t]``. Every other hidden
figure is a complementary one and says ``"suppressed"``: complements are chosen only
among shown figures that are neither zero nor small (small counts are all hidden
already), so it lies in ``[t + 1, inf)``. Zeros are always shown. All values are >= 0.

**The rule.** For every hidden cell with value ``v`` and label interval ``[L, U]``,
the exact bounds ``lo = min x``, ``hi = max x`` over every completion consistent with
what is shown (labels, equations, shown cells fixed, integers >= 0) must satisfy
``lo <= max(L, v - p)``, ``hi >= min(U, v + p)`` and ``lo < hi``: the reader cannot
narrow the cell to less than the protection level ``p`` (3 by default) on either side
(short of what its label already says), and never to a single value. Bounds come from
linear programs solved with HiGHS, one small problem per component of linked hidden
cells, made integer-exact where a vertex is fractional (:mod:`geo.disclosure.bounds`).

**Suppression** (:func:`protect`). Primary: non-public counts of 1..t. Then rounds of
audit and complementary suppression: for each failing cell, the cheapest shown
non-public non-zero figure of its equations (pinning equations first, inner cells
before totals, smallest value first) is hidden, and the changed components audited
again. Hiding only ever widens intervals, so a cell that would fail even if every
non-public non-zero figure were hidden cannot be protected by any choice (e.g. a count
equal to a public total): it is not chased further but reported in
``Protection.unprotectable``, and ``Protection.ok`` is False. Such a release must not be
published as it is: drop or merge the figure that pins the cell (a coarser breakdown, a
longer period). The process is deterministic: same figures, same result. The final
audit (``Protection.audit``, one :class:`AuditRow` per hidden cell) is the report to
store and show.

**Display.** ``Protection.text`` gives a count, ``"<11"`` or ``"suppressed"``;
``Protection.share`` hides a share when either of its counts is hidden;
``Protection.shows_median`` is the rule for statistics that are not sums of counts.

Pure Python (numpy, scipy); no Streamlit, no database.
"""

from geo.disclosure.model import TOTAL, Figures
from geo.disclosure.suppress import (
    DEFAULT_PROTECTION,
    SUPPRESSED,
    AuditRow,
    Protection,
    audit,
    protect,
)

__all__ = [
    "DEFAULT_PROTECTION",
    "SUPPRESSED",
    "TOTAL",
    "AuditRow",
    "Figures",
    "Protection",
    "audit",
    "protect",
]
