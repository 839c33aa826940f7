"""What the benchmark ran on and at which commit."""

import os
import platform
import subprocess
from datetime import datetime
from pathlib import Path

import queries
from db.connect import connect

ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip()


def describe(dsn: str) -> dict:
    """Machine, software and commit, plus the load average (others may share the box)."""
    import streamlit

    conn = connect(dsn)
    settings = queries.fetch_df(conn, "bench/server_settings").iloc[0].to_dict()
    conn.close()
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_changes": bool(git("status", "--porcelain", "--untracked-files=no")),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": ram_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "postgres": settings.pop("version").split(" on ")[0],
        "postgres_settings": settings,
        "load_average_at_start": list(os.getloadavg()),
    }
