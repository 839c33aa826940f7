"""``/_stcore/health`` keeps answering while many sessions run pages (#17).

A load balancer's probe gives a replica a few seconds. With Streamlit's defaults, each
session's source watcher walked every loaded module's path on the event loop after each
page run, and a full garbage collection after each run held the GIL: under 20 sessions
the probe waited 14-41 s (py-spy during the stalls; bench/results/2026-12-07-health-*.md).
``.streamlit/config.toml`` turns both off. This serves the real dashboard with that
configuration (``streamlit run``, loopback only) on a fresh database holding only the real
BPD export, and measures the probe the way ``python -m bench.health`` does, with fewer
sessions and seconds, against a bound the old configuration missed by far (max 47 s).
"""

import pytest

from accounts.store import add_or_reset
from bench import health
from bench.database import BENCH_USER
from db.connect import connect
from tests.test_first_run import fresh_database

SESSIONS = 12
SECONDS = 20
PROBE_EVERY_S = 0.25
# Generous for a shared 2-core machine: measured max 0.6 s under 20 sessions at load
# average 13 with the fix, 14-41 s without it.
MAX_HEALTH_MS = 3_000
PASSWORD = "health-under-load-test"


@pytest.fixture(scope="module")
def bpd_only() -> str:
    """A fresh database (first migrate, then the BPD export) with the bench's admin."""
    url, _ = fresh_database("_health")
    with connect(url) as conn:
        add_or_reset(conn, BENCH_USER, "admin", PASSWORD)
    conn.close()
    return url


def test_health_answers_within_a_probe_timeout_while_sessions_run_pages(bpd_only):
    result = health.under_load(bpd_only, PASSWORD, SESSIONS, SECONDS, PROBE_EVERY_S)
    busy, runs = result["under_load"], result["page_runs"]
    print(f"health under load: {busy}\npage runs: {runs}")  # shown with -rP
    assert runs["errors"] == 0, runs["error_examples"]
    assert runs["runs"] >= SESSIONS  # the sessions signed in and ran pages meanwhile
    assert busy["failures"] == 0, busy["failure_examples"]
    assert busy["probes"] >= SECONDS  # probed throughout, not once
    assert busy["max_ms"] < MAX_HEALTH_MS, busy
