"""A bound on the page runs one dashboard process executes at once.

Streamlit's web server (one asyncio event-loop thread) shares the GIL with the thread of
every page run. A page run waiting here is blocked on a lock, which holds no GIL, so only
``SLOTS`` runs compete with the server at any time; the others start as soon as one
finishes, in the order the lock hands them out.

This alone did not keep ``/_stcore/health`` answering under 20 sessions (14-41 s stalls):
py-spy showed the event loop itself busy in Streamlit's source watcher, and full garbage
collections after each run holding the GIL; ``.streamlit/config.toml`` turns both off
(bench/results/2026-12-07-health-cause.md, tests/test_health_under_load.py).
"""

import contextlib
import os
import threading
from collections.abc import Iterator

SLOTS = max(2, os.cpu_count() or 2)  # one per core: more only adds GIL contention
_slots = threading.BoundedSemaphore(SLOTS)


@contextlib.contextmanager
def page_run_slot() -> Iterator[None]:
    """Hold one of the process's ``SLOTS`` page-run slots for the block."""
    with _slots:
        yield
