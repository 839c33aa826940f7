"""Running a command as a separate process and measuring its time and peak memory."""

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GNU_TIME = "/usr/bin/time"


@dataclass
class Measured:
    seconds: float
    peak_mib: float | None
    returncode: int
    stdout: str
    stderr: str


def run_measured(command: list[str], env: dict[str, str], timeout_s: float) -> Measured:
    """Run ``command`` from the project root; wall time and its peak RSS (GNU time's
    maximum resident set size when /usr/bin/time exists, else sampled every 0.1 s)."""
    if shutil.which(GNU_TIME):
        return _with_gnu_time(command, env, timeout_s)
    return _sampled(command, env, timeout_s)


def _with_gnu_time(command, env, timeout_s) -> Measured:
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        started = time.perf_counter()
        done = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", report.name, *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
        seconds = time.perf_counter() - started
        lines = Path(report.name).read_text().split()
    peak = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    return Measured(seconds, peak, done.returncode, done.stdout, done.stderr)


def _sampled(command, env, timeout_s) -> Measured:
    from bench.serve import rss_mib

    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, rss_mib(process.pid) or 0.0)
        if time.perf_counter() - started > timeout_s:
            process.kill()
        time.sleep(0.1)
    stdout, stderr = process.communicate()
    return Measured(time.perf_counter() - started, peak or None, process.returncode, stdout, stderr)


def env_with(dsn: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": dsn}
