"""The real dashboard served by its launcher (``streamlit run dashboard/serve.py``: the
app and the session cookie's routes) against a benchmark database, and the memory of its
process."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "bench" / "results" / "streamlit.log.tmp"


@dataclass
class Server:
    base: str
    pid: int


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(
    dsn: str, *, basemap: str | None = "none", log_path: Path = LOG, base_path: str = ""
) -> Iterator[Server]:
    """The dashboard on a free local port. ``basemap`` "none" (the benchmark's default)
    counts only our own bytes; None keeps the configured basemap (the browser tests, where
    tiles are unreachable). ``base_path``: served under it (``server.baseUrlPath``), as
    behind a proxy; the server's base URL then ends with it."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": dsn}
    env.pop("DATABASE_OWNER_URL", None)  # the dashboard has its login only
    if basemap is not None:
        env["LEADOPS_BASEMAP"] = basemap
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "dashboard/serve.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                *(["--server.baseUrlPath", base_path] if base_path else []),
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}" + (f"/{base_path}" if base_path else "")
        try:
            wait_healthy(base, process, log_path)
            yield Server(base, process.pid)
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_healthy(
    base: str, process: subprocess.Popen, log_path: Path = LOG, timeout_s: float = 90
) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"streamlit did not start; see {log_path}") from None
            time.sleep(0.3)


def log_size() -> int:
    return LOG.stat().st_size if LOG.exists() else 0


def logged_errors(since: int) -> list[str]:
    """The final line of each traceback the server logged after byte ``since``: the real
    error behind the redacted message a page shows."""
    if not LOG.exists():
        return []
    with open(LOG, errors="replace") as log:
        log.seek(since)
        lines = log.read().splitlines()
    errors, in_traceback = [], False
    for line in lines:
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
        elif in_traceback and line and not line.startswith((" ", "\t", "During handling")):
            errors.append(line.strip()[:200])
            in_traceback = False
    return errors


def proc_status_kib(pid: int, field: str) -> int | None:
    """A memory field of /proc/<pid>/status (VmRSS, VmHWM...) in KiB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_mib(pid: int) -> float | None:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / 2**20
    except ImportError:
        kib = proc_status_kib(pid, "VmRSS")
        return None if kib is None else kib / 1024


def peak_mib(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM) since start or the last reset."""
    kib = proc_status_kib(pid, "VmHWM")
    return None if kib is None else kib / 1024


def reset_peak(pid: int) -> bool:
    """Start a new peak-memory window (Linux: write 5 to clear_refs); False if refused."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False
