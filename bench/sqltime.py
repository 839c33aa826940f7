"""Replaying a page's recorded queries, timed, outside Streamlit.

"Cold" here means: a brand-new server backend (new connection, then ``DISCARD ALL``),
so no cached plans, catalog or relation caches in that backend; PostgreSQL's shared
buffers and the operating system's page cache stay as they are (emptying them needs a
server restart and root access, which would disturb everyone else on the cluster).
"Warm" is the same statement repeated on that connection. Each run executes under the
page's database role and fetches every row, as ``queries.fetch_df`` does.
"""

import contextlib
import json
import time
from dataclasses import dataclass, field

import psycopg2
from psycopg2 import sql

import queries
from bench.database import utility
from bench.pages import SET_ROLE, Call, percentile
from db.connect import connect


@dataclass
class Timing:
    name: str
    role: str | None
    params: str
    cold_ms: float
    warm_ms: list[float] = field(default_factory=list)
    rows: int = 0
    plan: dict | None = None
    error: str | None = None

    @property
    def p50(self) -> float | None:
        return percentile(self.warm_ms, 50)

    @property
    def p95(self) -> float | None:
        return percentile(self.warm_ms, 95)


def run_once(conn, call: Call) -> tuple[float, int]:
    """Seconds to execute and fetch ``call`` once, and its row count; rolled back."""
    try:
        with conn.cursor() as cur:
            if call.role:
                cur.execute(queries.load(SET_ROLE).sql, {"db_role": call.role})
            started = time.perf_counter()
            cur.execute(queries.load(call.name).sql, call.params)
            rows = len(cur.fetchall()) if cur.description else 0
            return time.perf_counter() - started, rows
    finally:
        conn.rollback()


MIN_RUNS = 3
SLOW_S = 10.0  # a query this slow cold gets one warm run: enough to know it is off target


def time_call(dsn: str, call: Call, runs: int = 20, budget_s: float = 15.0) -> Timing:
    """Cold once on a new backend, then ``runs`` warm runs (fewer, at least MIN_RUNS, when
    a run is so slow that ``runs`` would exceed ``budget_s``; one when the cold run took
    more than SLOW_S)."""
    conn = connect(dsn)
    try:
        utility(conn, "DISCARD ALL")
        cold, rows = run_once(conn, call)
    except psycopg2.Error as error:  # a broken query is a result, not the end of the run
        conn.close()
        return Timing(
            call.name, call.role, params_text(call.params), 0.0, error=str(error).splitlines()[0]
        )
    warm: list[float] = []
    error = None
    try:
        least = 1 if cold > SLOW_S else MIN_RUNS
        started = time.perf_counter()
        while len(warm) < runs and (len(warm) < least or time.perf_counter() - started < budget_s):
            warm.append(run_once(conn, call)[0])
    except psycopg2.Error as failed:  # e.g. a warm run past the statement timeout
        error = "warm run: " + str(failed).splitlines()[0]
    finally:
        conn.close()
    return Timing(
        call.name,
        call.role,
        params_text(call.params),
        cold * 1e3,
        [w * 1e3 for w in warm],
        rows,
        error=error,
    )


def params_text(params: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(params.items()))


def explain(dsn: str, call: Call) -> dict:
    """EXPLAIN (ANALYZE, BUFFERS) of ``call`` under its role: the plan and a summary.

    A page query that calls a SECURITY DEFINER function shows only "Function Scan"; the
    statements inside are planned separately, so they are captured with auto_explain
    (nested statements, sent back as notices) where the server lets us load it.
    """
    conn = connect(dsn)
    nested = auto_explain(conn)
    try:
        with conn.cursor() as cur:
            if call.role:
                cur.execute(queries.load(SET_ROLE).sql, {"db_role": call.role})
            statement = sql.SQL("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ") + sql.SQL(
                queries.load(call.name).sql
            )
            cur.execute(statement, call.params)
            plan = cur.fetchone()[0][0]
        inner = nested_plans(conn.notices) if nested else []
    except psycopg2.Error as error:
        return {"summary": f"EXPLAIN failed: {str(error).splitlines()[0]}", "plan": None}
    finally:
        conn.rollback()
        conn.close()
    summary = summarize(plan)
    if inner and '"Function Scan"' in json.dumps(plan):
        summary += " || inside the function: " + summarize(max(inner, key=execution_ms))
    return {"summary": summary, "plan": plan, "nested_plans": inner}


def auto_explain(conn) -> bool:
    """Log the plans of nested statements to this session as notices; False when the
    server refuses (auto_explain not installed, or not a superuser)."""
    settings = {
        "auto_explain.log_min_duration": "0",
        "auto_explain.log_analyze": "on",
        "auto_explain.log_nested_statements": "on",
        "auto_explain.log_format": "json",
        "auto_explain.log_level": "notice",
    }
    try:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("LOAD 'auto_explain'"))
            for name, value in settings.items():
                cur.execute(queries.load("bench/set_config").sql, {"name": name, "value": value})
        conn.commit()
        return True
    except Exception:  # noqa: BLE001 (an optional insight, not a requirement)
        conn.rollback()
        return False


def nested_plans(notices: list[str]) -> list[dict]:
    """The JSON plans auto_explain sent as notices."""
    plans = []
    for notice in notices:
        _, _, text = notice.partition("plan:")
        with contextlib.suppress(ValueError):
            plan = json.loads(text.strip())
            text = plan.get("Query Text", "").lstrip()
            if "Plan" in plan and not text.startswith(("EXPLAIN", "-- Set", "-- Run the rest")):
                plans.append(plan)
    return plans


def execution_ms(plan: dict) -> float:
    return plan.get("Execution Time") or plan["Plan"].get("Actual Total Time", 0.0)


def summarize(plan: dict) -> str:
    """Execution time and the three plan nodes that spent the most time themselves."""
    nodes = []

    def walk(node):
        children = node.get("Plans", [])
        total = node.get("Actual Total Time", 0.0) * node.get("Actual Loops", 1)
        inner = sum(c.get("Actual Total Time", 0.0) * c.get("Actual Loops", 1) for c in children)
        nodes.append((total - inner, node))
        for child in children:
            walk(child)

    walk(plan["Plan"])
    top = sorted(nodes, key=lambda pair: pair[0], reverse=True)[:3]
    parts = [
        f"{node['Node Type']}"
        + (f" on {node['Relation Name']}" if "Relation Name" in node else "")
        + (f" using {node['Index Name']}" if "Index Name" in node else "")
        + f" {self_ms:.0f} ms ({node.get('Actual Rows', 0):,} rows x {node.get('Actual Loops', 1)})"
        for self_ms, node in top
    ]
    return f"execution {execution_ms(plan):.0f} ms; slowest nodes: " + "; ".join(parts)
