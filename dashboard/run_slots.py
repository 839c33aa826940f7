"""A bound on the page runs one dashboard process executes at once.

Streamlit's web server (tornado: one event-loop thread) shares the GIL with the thread of
every page run. With 20 sessions running pages at once, each step of an HTTP request
waits behind 20 threads for the GIL, and ``/_stcore/health`` took up to 20 s (a load
balancer's probe would take the replica out). A page run waiting here is blocked on a
lock, which holds no GIL, so only ``SLOTS`` runs compete with the server at any time;
the others start as soon as one finishes, in the order the lock hands them out.
Measured by ``python -m bench.health`` (bench/results/*-health-*.md).
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
