"""Statistical releases: what police command and BHSB leadership read about participants
and service records.

Every figure derived from enrollments or service referrals is published for fixed closed
periods (each month, quarter and calendar year within the pilot, and the pilot to date at
every month's end), computed from the exact figures, protected all together by
:mod:`geo.disclosure` (small-cell and complementary suppression with an exact LP audit),
and stored in the ``release*`` tables in one transaction (``python -m releases refresh``).
See docs/access.md, "Releases".
"""

from releases.pipeline import Summary, refresh

__all__ = ["Summary", "refresh"]
