"""How fast ``/_stcore/health`` answers while concurrent sessions run pages.

    python -m bench.health [--size 10k] [--sessions 20] [--seconds 60] [--label before]

Serves the dashboard on a benchmark database (``bench.database``), signs ``--sessions``
websocket clients in (``bench.load``) and has them alternate between the Overview and the
Contacts map, while one thread asks for the health endpoint every ``--interval`` seconds,
each request timed from connect to the last byte (a fresh connection each time, as a
load balancer's probe makes). Prints the figures and writes
``bench/results/<date>-health-<label>.md`` and ``.json``.
"""

import argparse
import json
import os
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench import database, load
from bench.generate import parse_size
from bench.machine import git
from bench.pages import percentile
from bench.serve import served

RESULTS = Path(__file__).resolve().parent / "results"
PAGES = ["Overview", "Contacts map"]
PROBE_TIMEOUT_S = 60
SLOW_MS = 1_000  # probes slower than this are listed with when they started


@dataclass
class Probes:
    latencies_ms: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    slow: list[tuple[float, float]] = field(default_factory=list)  # (s since start, ms)
    began: float = field(default_factory=time.monotonic)

    def summary(self) -> dict:
        values = self.latencies_ms
        return {
            "probes": len(values),
            "failures": len(self.failures),
            "p50_ms": percentile(values, 50),
            "p95_ms": percentile(values, 95),
            "max_ms": max(values, default=None),
            "slow_over_1s": [(round(at, 1), round(ms)) for at, ms in self.slow],
        }


def probe(base: str, interval_s: float, stop: threading.Event, probes: Probes) -> None:
    """Time one health request every ``interval_s`` until ``stop`` is set."""
    while not stop.is_set():
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=PROBE_TIMEOUT_S) as r:
                r.read()
            took_ms = (time.perf_counter() - started) * 1e3
            probes.latencies_ms.append(took_ms)
            if took_ms > SLOW_MS:
                probes.slow.append((time.monotonic() - probes.began, took_ms))
        except OSError as error:
            probes.failures.append(f"{type(error).__name__}: {error}")
        stop.wait(interval_s)


def measure(size: int, sessions: int, seconds: float, interval_s: float) -> dict:
    dsn, password = database.ensure(size, 2017, fresh=False)
    load_before = os.getloadavg()
    result = under_load(dsn, password, sessions, seconds, interval_s)
    return {
        "load_average": {"before": load_before, "after": os.getloadavg()},
        "size": size,
        "sessions": sessions,
        "seconds": seconds,
    } | result


def under_load(dsn: str, password: str, sessions: int, seconds: float, interval_s: float) -> dict:
    """Serve the dashboard on ``dsn``; probe health 5 s idle, then while ``sessions``
    clients (signed in as ``BENCH_USER`` with ``password``) run pages for ``seconds``."""
    with served(dsn) as server:
        idle = Probes()
        stop = threading.Event()
        threading.Timer(5, stop.set).start()
        probe(server.base, interval_s, stop, idle)
        busy = Probes()
        stop = threading.Event()
        prober = threading.Thread(target=probe, args=(server.base, interval_s, stop, busy))
        prober.start()
        try:
            outcome = load.load(server.base, password, PAGES, sessions, seconds, server.pid)
        finally:
            stop.set()
            prober.join()
    runs = outcome.responses_ms
    return {
        "idle": idle.summary(),
        "under_load": busy.summary() | {"failure_examples": busy.failures[:3]},
        "page_runs": {
            "runs": len(runs),
            "p50_ms": outcome.p50,
            "p95_ms": outcome.p95,
            "errors": len(outcome.errors),
            "error_examples": outcome.errors[:3],
            "sign_in_s": outcome.sign_in_s,
        },
        "memory_mib": {
            "start": outcome.rss_start_mib,
            "end": outcome.rss_end_mib,
            "peak": outcome.peak_mib,
        },
    }


def report(result: dict, label: str) -> str:
    def ms(value):
        return "-" if value is None else f"{value:,.0f} ms"

    rows = [
        f"| {name} | {s['probes']} | {s['failures']} | {ms(s['p50_ms'])} | "
        f"{ms(s['p95_ms'])} | {ms(s['max_ms'])} |"
        for name, s in (("idle (5 s)", result["idle"]), ("under load", result["under_load"]))
    ]
    runs, memory = result["page_runs"], result["memory_mib"]
    return "\n".join(
        [
            f"# Health endpoint under load ({label}, {result['date']}, {result['commit']})",
            "",
            f"{result['sessions']} sessions on {', '.join(PAGES)} for {result['seconds']:.0f} s "
            f"at {result['size']:,} contacts; {result['cores']} cores, load average (1, 5, 15 min) "
            f"{_loads(result['load_average']['before'])} before, "
            f"{_loads(result['load_average']['after'])} after (others share the machine).",
            "",
            "| `/_stcore/health` | probes | failures | p50 | p95 | max |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            "Probes over 1 s under load (seconds after the sessions began connecting, ms): "
            + (
                ", ".join(
                    f"{at:.0f} s: {ms:,.0f}" for at, ms in result["under_load"]["slow_over_1s"]
                )
                or "none"
            )
            + f"; the sessions had all signed in after {result['page_runs']['sign_in_s']:.0f} s.",
            "",
            f"Page runs meanwhile: {runs['runs']}, p50 {ms(runs['p50_ms'])}, "
            f"p95 {ms(runs['p95_ms'])}, {runs['errors']} errors. Server memory (RSS): "
            f"{_mib(memory['start'])} when the sessions began, {_mib(memory['end'])} at the end, "
            f"peak {_mib(memory['peak'])}.",
            "",
            "How: one probe thread opens a new connection to `/_stcore/health` every "
            f"{result['interval_s']} s (timeout {PROBE_TIMEOUT_S} s) and times it to the last "
            "byte, first 5 s with no session, then while the sessions of `bench.load` run.",
            "",
        ]
    )


def _mib(value) -> str:
    return "-" if value is None else f"{value:,.0f} MiB"


def _loads(values) -> str:
    return " ".join(f"{v:.1f}" for v in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="10k")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("--label", default="run")
    args = parser.parse_args()
    result = measure(parse_size(args.size), args.sessions, args.seconds, args.interval)
    result |= {
        "label": args.label,
        "interval_s": args.interval,
        "date": date.today().isoformat(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "cores": os.cpu_count(),
    }
    stem = RESULTS / f"{result['date']}-health-{args.label}"
    stem.with_suffix(".json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    text = report(result, args.label)
    stem.with_suffix(".md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
