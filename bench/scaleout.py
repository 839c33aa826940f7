"""``python -m bench.scaleout``: the same load through HAProxy on one replica, then two.

Uses the scale-out stack of ``scripts/scaleout.sh`` (primary, hot standby, PgBouncer,
two Streamlit replicas, HAProxy; started here if it is not running). Concurrent
websocket sessions (``bench/load.py``'s clients: sign in, then alternate between the
Overview and the Contacts map) run through the balancer for the same time twice: with
the second replica put in maintenance through HAProxy's runtime API, then with both.
Both replicas are warmed first, so neither run starts with empty result caches.
Prints the figures side by side and writes ``bench/results/<date>-scaleout.md``.

    python -m bench.scaleout [--sessions 20] [--seconds 60]
"""

import argparse
import asyncio
import csv
import io
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from accounts.store import add_or_reset
from bench import load, machine
from bench.database import BENCH_USER
from db.connect import connect

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "scaleout.sh"
RESULTS = ROOT / "bench" / "results"
BACKEND = "streamlit"  # the backend's name in deploy/haproxy.cfg.in
PAGES = ["Overview", "Contacts map"]
WARM_S = 15.0
PASSWORD = "bench-scaleout-" + os.urandom(6).hex()  # the benchmark account's, this run


def stack_env(env: dict | None = None) -> dict[str, str]:
    """The stack's settings (``scripts/scaleout.sh env``): database URLs, balancer..."""
    done = subprocess.run([str(SCRIPT), "env"], env=env, capture_output=True, text=True, check=True)
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


def haproxy(socket_path: str, command: str) -> str:
    """One command on HAProxy's runtime API (its stats socket); its answer."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(5)
        s.connect(socket_path)
        s.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def servers(socket_path: str) -> dict[str, dict[str, str]]:
    """Each replica's row of ``show stat``: status (UP, DOWN, MAINT), stot (sessions)..."""
    text = haproxy(socket_path, "show stat").lstrip("# ")
    rows = csv.DictReader(io.StringIO(text))
    return {
        row["svname"]: row
        for row in rows
        if row["pxname"] == BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")
    }


def set_serving(socket_path: str, replicas: list[str]) -> None:
    """Send new sessions only to ``replicas``; wait until HAProxy sees them up."""
    for name in servers(socket_path):
        state = "ready" if name in replicas else "maint"
        haproxy(socket_path, f"set server {BACKEND}/{name} state {state}")
    deadline = time.monotonic() + 30
    while not all(servers(socket_path)[name]["status"] == "UP" for name in replicas):
        if time.monotonic() > deadline:
            raise RuntimeError(f"replicas {replicas} did not come up in HAProxy")
        time.sleep(0.5)


def sessions(base: str, password: str, pages: list[str], count: int, seconds: float):
    """``count`` concurrent sessions (bench/load.py's clients) against ``base`` for
    ``seconds`` after they have all signed in; a ``load.LoadResult``."""
    result = load.LoadResult(count, seconds, pages)
    # load.load() without its single-process parts (memory, the served process's log).
    # Its own thread: the caller's thread may already run an event loop (Playwright's).
    with ThreadPoolExecutor(max_workers=1) as worker:
        run = load._load(base, password, pages, count, seconds, result)
        worker.submit(asyncio.run, run).result()
    return result


def bench_account(primary_url: str, password: str) -> None:
    """The benchmark's sign-in (an admin), written to the primary."""
    conn = connect(primary_url)
    with conn:
        add_or_reset(conn, BENCH_USER, "admin", password)
    conn.close()


@dataclass
class Run:
    replicas: int
    seconds: float
    result: load.LoadResult
    sessions_per_replica: dict[str, int]
    load_average: tuple[float, float]  # the machine's 1-minute load, at start and end

    @property
    def throughput(self) -> float:
        return len(self.result.responses_ms) / self.seconds


def measure(env: dict[str, str], replicas: list[str], count: int, seconds: float, say) -> Run:
    sock, base = env["LEADOPS_SCALEOUT_HAPROXY_SOCKET"], env["LEADOPS_SCALEOUT_WEB_URL"]
    set_serving(sock, replicas)
    before = {name: int(row["stot"]) for name, row in servers(sock).items()}
    say(f"  {len(replicas)} replica(s): {count} sessions for {seconds:.0f} s ...")
    load_start = os.getloadavg()[0]
    result = sessions(base, PASSWORD, PAGES, count, seconds)
    after = {name: int(row["stot"]) for name, row in servers(sock).items()}
    per_replica = {n: after[n] - before[n] for n in after}
    run = Run(len(replicas), seconds, result, per_replica, (load_start, os.getloadavg()[0]))
    say(
        f"    {len(result.responses_ms)} page runs, p50 {result.p50 or 0:.0f} ms, "
        f"p95 {result.p95 or 0:.0f} ms, {run.throughput:.2f} runs/s, "
        f"{len(result.errors)} errors; connections per replica {run.sessions_per_replica}"
    )
    return run


def report(runs: list[Run], count: int, commit: str) -> str:
    def ms(value):
        return f"{value:.0f}" if value is not None else "-"

    header = "| | " + " | ".join(f"{r.replicas} replica{'s' * (r.replicas > 1)}" for r in runs)
    rows = [
        ("page runs", [str(len(r.result.responses_ms)) for r in runs]),
        ("page run p50 (ms)", [ms(r.result.p50) for r in runs]),
        ("page run p95 (ms)", [ms(r.result.p95) for r in runs]),
        ("throughput (page runs/s)", [f"{r.throughput:.2f}" for r in runs]),
        ("errors", [str(len(r.result.errors)) for r in runs]),
        ("all signed in after (s)", [f"{r.result.sign_in_s:.1f}" for r in runs]),
        ("websockets per replica", [str(r.sessions_per_replica) for r in runs]),
        (
            "machine load, 1-min average (start, end)",
            [f"{r.load_average[0]:.1f}, {r.load_average[1]:.1f}" for r in runs],
        ),
    ]
    lines = [
        f"# Scale-out: 1 vs 2 Streamlit replicas behind HAProxy ({date.today()}, {commit})",
        "",
        f"{count} concurrent sessions for {runs[0].seconds:.0f} s each, on "
        f"{', '.join(PAGES)}, demo data set; {machine.cpu_model()}, {os.cpu_count()} cores, "
        f"{machine.ram_gib()} GiB, shared with the load clients, PostgreSQL and HAProxy.",
        "",
        header + " |",
        "|---" * (len(runs) + 1) + "|",
        *(f"| {name} | " + " | ".join(values) + " |" for name, values in rows),
        "",
        "How it is measured: `python -m bench.scaleout` against `scripts/scaleout.sh`'s "
        "stack. A page run is the time from a session's rerun request to Streamlit's "
        "'script finished' (bench/load.py); errors are exception elements, failed runs, "
        "timeouts and dropped connections. Both replicas are warmed for "
        f"{WARM_S:.0f} s first; for the one-replica run the second is in maintenance in "
        "HAProxy. Websockets per replica: HAProxy's session counters during the run. "
        "The machine's load average is shown because other work shares its cores: "
        "compare the two columns of one run, not runs on different days.",
        "",
    ]
    if any(r.result.errors for r in runs):
        lines += ["Errors (first 10 of each run):", ""]
        for r in runs:
            lines += [f"- {r.replicas}: {e}" for e in r.result.errors[:10]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaleout", description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    say = print
    subprocess.run([str(SCRIPT), "start"], check=True, stdout=subprocess.DEVNULL)
    env = stack_env()
    bench_account(env["DATABASE_MIGRATE_URL"], PASSWORD)
    names = sorted(servers(env["LEADOPS_SCALEOUT_HAPROXY_SOCKET"]))
    if len(names) < 2:
        say("bench.scaleout: the stack needs two replicas (LEADOPS_SCALEOUT_REPLICAS)")
        return 2
    say(f"bench.scaleout: warming {', '.join(names)} ...")
    for name in names:
        measure(env, [name], 4, WARM_S, lambda _text: None)
    runs = [
        measure(env, names[:1], args.sessions, args.seconds, say),
        measure(env, names[:2], args.sessions, args.seconds, say),
    ]
    set_serving(env["LEADOPS_SCALEOUT_HAPROXY_SOCKET"], names)
    commit = machine.git("rev-parse", "--short", "HEAD")
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{date.today()}-scaleout.md"
    path.write_text(report(runs, args.sessions, commit))
    say(f"bench.scaleout: wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
