"""Targets, and the results as markdown for people and JSON for machines."""

import json
import re
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
IMPORT_DONE = (0, 1)  # python -m ingest: 0 all loaded, 1 loaded with some rows rejected
TARGETS = {
    "sql_p95_ms": ("Page SQL, warm p95", 300, "ms"),
    # Issue 18: at most 3 s with the result cache empty, 1 s again with it filled.
    "render_s": ("Page render, server-side, cold (result cache empty)", 3.0, "s"),
    "render_warm_s": ("Page render, server-side, warm (result cache filled), p95", 1.0, "s"),
    "map_drawn_s": ("Map drawn in Chromium", 3.0, "s"),
    "payload_mib": ("Map page payload, returning visit", 2.0, "MiB"),
    "payload_first_mib": ("Map page payload, first visit (with map scripts)", 2.0, "MiB"),
    "load_errors": ("20 concurrent sessions: errors", 0, ""),
    "import_s": ("Import of the contacts (`python -m ingest`)", 60, "s"),
}
METHOD = """\
## How these were measured

- **Data**: `bench/generate.py`: contacts over four years ending 31 Oct 2026 across the
  city line, a third near Lexington Market; one officer per 100 contacts; ~6% diverted
  into enrollments; 1-2 service referrals per participant; loaded by `COPY` into a
  database of its own per size (then `VACUUM ANALYZE`, the state autovacuum reaches
  after an import), with the program geography through the importer.
- **Pages**: every page in `dashboard/pagelist.py` is rendered with Streamlit's AppTest,
  signed in as admin (or the first role allowed), with the default period (last 30
  days) and with *Pilot to date* (four years, the longest). The queries each render ran
  are recorded at the cursor, not listed by hand.
- **Page SQL**: each recorded query replayed under the page's database role, fetching all
  rows. *Cold* = first run on a brand-new backend after `DISCARD ALL` (no plan, catalog
  or relation cache in that backend); PostgreSQL's shared buffers and the OS page cache
  are **not** emptied (that needs a server restart and root, and the cluster is shared).
  *Warm* = the next runs on the same connection: 20, or as many as fit in 15 s but at
  least 3 when a run takes seconds (the Runs column). Queries whose warm p95 is above
  300 ms get an EXPLAIN (ANALYZE, BUFFERS); for SECURITY DEFINER functions the plan of
  the statement inside comes from auto_explain.
- **Render**: wall time of one AppTest run of the page with Streamlit's result cache
  cleared (SQL included), then up to 5 warm reruns with the cache filled (fewer when
  they take seconds).
- **Browser**: Chromium (headless, via Playwright) signed in; a visit is a click on the
  page's sidebar link until the script run is idle and, on a map page, a map layer is
  in the DOM (Leaflet canvas/path/marker in the st_folium iframe, or deck.gl canvas).
  Bytes = HTTP bodies as transferred + websocket payloads, from the click until the
  socket has been quiet for 1 s, per Chrome's network events. The payload targets
  leave out Streamlit's own frontend chunks (`/static/`: tables, charts, markdown;
  fetched once per browser by whichever page first uses them); they are listed apart.
  No basemap tiles (`LEADOPS_BASEMAP=none`): they come from a tile server, not from the
  dashboard.
- **Memory**: resident set of the `streamlit run` process (VmRSS), peak = VmHWM, reset
  before each phase.
- **Load**: websocket clients speaking Streamlit's protocol (sign-in form, then page
  switches back and forth between the overview and the first map page), no browser:
  they do not draw maps, so the map component's answer (bounds after drawing, which
  reruns the page in a real browser) is not sent. All sessions sign in first; the
  timed window (2 minutes at the largest size, 30 s below it) starts after. One
  response = one page run, from the request to "script finished".
- **Naive**: `bench/naive.py`: every contact via `geopandas.read_postgis`, counts in
  pandas, one folium marker per contact, map HTML rendered; run as its own process.
- The machine is shared with other engineers' test runs: figures are indicative.
"""


def fmt(value, digits=0, unit=""):
    if value is None:
        return "–"
    return f"{value:,.{digits}f}{unit}"


def page_bytes(visit: dict) -> int:
    """Bytes the page brought: all but Streamlit's own frontend chunks."""
    return visit["http_bytes"] + visit["ws_bytes"] - visit.get("frontend_bytes", 0)


def where(visit: dict) -> str:
    return f"{visit['page']} ({visit['preset']})"


def evaluate(results: dict) -> list[dict]:
    """The targets, checked at the largest size that was run."""
    sizes = results["sizes"]
    if not sizes:
        return []
    largest = max(sizes.values(), key=lambda s: s["size"])
    checks = []

    def check(key, value, where=""):
        label, limit, unit = TARGETS[key]
        met = None if value is None else value <= limit
        checks.append(
            {
                "target": key,
                "label": label,
                "limit": limit,
                "unit": unit,
                "value": value,
                "met": met,
                "where": where,
                "size": largest["size"],
            }
        )

    queries = [
        (q["p95_ms"], q["name"])
        for p in largest["pages"]
        for q in p["queries"]
        if q["p95_ms"] is not None
    ]
    worst = max(queries, default=(None, ""))
    failed = sorted({q["name"] for p in largest["pages"] for q in p["queries"] if q.get("error")})
    if failed:  # a query that failed (e.g. past the statement timeout) is not on target
        worst = (float("inf"), "failed: " + ", ".join(failed))
    check("sql_p95_ms", worst[0], worst[1])
    renders = [
        (p["cold_s"], f"{p['page']['file']} ({p['preset']})")
        for p in largest["pages"]
        if not p["exception"]
    ]
    worst = max(renders, default=(None, ""))
    check("render_s", worst[0], worst[1])
    warm = [
        (p["warm_p95_s"], f"{p['page']['file']} ({p['preset']})")
        for p in largest["pages"]
        if not p["exception"] and p["warm_p95_s"] is not None
    ]
    worst = max(warm, default=(None, ""))
    check("render_warm_s", worst[0], worst[1])
    visits = [v for v in largest.get("browser", {}).get("visits", []) if v["has_map"]]
    first = [v for v in visits if not v["again"]]
    drawn = [((v["map_ms"] or float("inf")) / 1e3, where(v)) for v in first]
    worst = max(drawn, default=(None, "no map page"))
    check("map_drawn_s", worst[0], worst[1])
    for key, group in (
        ("payload_mib", [v for v in visits if v["again"]]),
        ("payload_first_mib", first),
    ):
        payload = [(page_bytes(v) / 2**20, where(v)) for v in group]
        worst = max(payload, default=(None, "no map page"))
        check(key, worst[0], worst[1])
    load = largest.get("load")
    check(
        "load_errors",
        None if load is None else len(load["errors"]),
        "" if load is None else f"{load['responses']} responses",
    )
    imported = results.get("import") or {}
    done = imported.get("returncode") in IMPORT_DONE
    check(
        "import_s",
        imported.get("seconds") if done else None,
        imported.get(
            "skipped",
            f"{imported.get('rows_in_table', 0):,} of {imported.get('contacts', 0):,} rows "
            f"loaded, exit {imported.get('returncode')}",
        ),
    )
    return checks


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"# LEAD Ops benchmark, {m['date'][:10]}, commit {m['commit']}"
        + (" (with uncommitted changes)" if m["uncommitted_changes"] else ""),
        "",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gib']} GiB RAM; {m['os']}; "
        f"Python {m['python']}, Streamlit {m['streamlit']}, {m['postgres']} "
        f"(shared_buffers {m['postgres_settings']['shared_buffers']}, work_mem "
        f"{m['postgres_settings']['work_mem']}). Load average at start: "
        f"{', '.join(f'{x:.1f}' for x in m['load_average_at_start'])}.",
        f"Command: `{results['command']}`, {results['seconds'] / 60:.1f} minutes.",
        "",
        "## Targets",
        "",
        "| Target | Limit | Measured | Where | Met |",
        "|---|---|---|---|---|",
    ]
    for c in results["targets"]:
        met = {True: "yes", False: "**no**", None: "not measured"}[c["met"]]
        lines.append(
            f"| {c['label']} at {c['size']:,} contacts | {c['limit']} {c['unit']} | "
            f"{fmt(c['value'], 2)} {c['unit']} | {c['where']} | {met} |"
        )
    for label, size in sorted(results["sizes"].items(), key=lambda kv: kv[1]["size"]):
        lines += size_section(label, size)
    if results.get("import"):
        lines += import_section(results["import"])
    lines += ["", METHOD]
    return "\n".join(lines) + "\n"


def size_section(label: str, s: dict) -> list[str]:
    tables = s["database"]["tables"]
    lines = [
        "",
        f"## {s['size']:,} contacts (`{s['dsn_name']}`)",
        "",
        "Rows: "
        + ", ".join(f"{t} {v['rows']:,}" for t, v in tables.items())
        + f"; contact table with indexes {tables.get('contact', {}).get('bytes', 0) / 2**20:.0f}"
        " MiB.",
        "",
        "### Page render (server-side, AppTest)",
        "",
        "| Page | Period | Cold render | Warm p50 | Warm p95 | SQL in render | Maps | Error |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in s["pages"]:
        lines.append(
            f"| {p['page']['title']} | {p['preset']} | {fmt(p['cold_s'] * 1e3)} ms | "
            f"{fmt(p['warm_p50_s'] and p['warm_p50_s'] * 1e3)} ms | "
            f"{fmt(p['warm_p95_s'] and p['warm_p95_s'] * 1e3)} ms | "
            f"{fmt(p['sql_in_render_ms'])} ms | {p['maps']} | {p['exception'] or ''} |"
        )
    lines += [
        "",
        "### Page SQL (replayed)",
        "",
        "| Page | Period | Query | Cold | Warm p50 | Warm p95 | Runs | Rows |",
        "|---|---|---|---|---|---|---|---|",
    ]
    slow = []
    for p in s["pages"]:
        for q in p["queries"]:
            if (
                q["name"].startswith("session/")
                and p["page"]["file"] != s["pages"][0]["page"]["file"]
            ):
                continue  # the frame's queries, shown with the first page only
            lines.append(
                f"| {p['page']['title']} | {p['preset']} | `{q['name']}` | "
                f"{fmt(q['cold_ms'], 1)} ms | {fmt(q['p50_ms'], 1)} ms | "
                f"{fmt(q['p95_ms'], 1)} ms | {len(q['warm_ms'])} | "
                + (f"ERROR {q['error']} |" if q.get("error") else f"{q['rows']:,} |")
            )
            if q.get("explain"):
                slow.append(f"- `{q['name']}` ({p['preset']}): {plan_note(q['explain'])}")
    if slow:
        lines += ["", "Slow queries, EXPLAIN ANALYZE:", "", *dict.fromkeys(slow)]
    lines += browser_section(s)
    lines += load_section(s)
    if s.get("naive"):
        lines += naive_section(s)
    return lines


def plan_note(summary: str) -> str:
    """The EXPLAIN summary, without an empty "inside the function" part (a plan with no
    SECURITY DEFINER function in it)."""
    return re.sub(r" \|\| inside the function: execution 0 ms;.*$", "", summary)


def browser_section(s: dict) -> list[str]:
    b = s.get("browser")
    if not b:
        return []
    lines = ["", "### In Chromium", ""]
    if b.get("error"):
        lines += [f"Stopped early: {b['error']}", ""]
    lines += [
        f"App shell and sign-in: {b['shell_bytes'] / 2**20:.2f} MiB (once per browser; "
        f"cached after). Streamlit process: {fmt(s.get('server_rss_idle_mib'))} MiB idle, "
        f"peak {fmt(b.get('peak_mib'))} MiB during the visits.",
        "",
        "| Page | Period | Visit | Run finished | Map drawn | HTTP | of it, Streamlit chunks "
        "| Websocket | Error |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for v in b["visits"]:
        lines.append(
            f"| {v['page']} | {v['preset']} | {'again' if v['again'] else 'first'} | "
            f"{fmt(v['idle_ms'])} ms | "
            f"{fmt(v['map_ms'])} {'ms' if v['map_ms'] is not None else ''} | "
            f"{v['http_bytes'] / 1024:,.0f} KiB | {v.get('frontend_bytes', 0) / 1024:,.0f} KiB | "
            f"{v['ws_bytes'] / 1024:,.0f} KiB | "
            f"{v['error'] or ''} |"
        )
    if b.get("refused"):
        lines += [
            "",
            f"Requests to other hosts refused: {len(b['refused'])} (e.g. `{b['refused'][0]}`).",
        ]
    return lines


def load_section(s: dict) -> list[str]:
    load = s.get("load")
    if not load:
        return []
    errors = sorted(set(load["errors"]))
    return [
        "",
        "### Concurrent sessions",
        "",
        f"{load['sessions']} websocket sessions switching between "
        f"{' and '.join(load['pages'])} for {load['seconds']:.0f} s: {load['responses']:,} "
        f"page runs, p50 {fmt(load['p50_ms'])} ms, p95 {fmt(load['p95_ms'])} ms, "
        f"{len(load['errors'])} errors; Streamlit memory {fmt(load['rss_start_mib'])} MiB "
        f"before, {fmt(load['rss_end_mib'])} MiB after, peak {fmt(load['peak_mib'])} MiB.",
        *([f"Errors: {'; '.join(errors[:5])}"] if errors else []),
    ]


def naive_section(s: dict) -> list[str]:
    n = s["naive"]
    if "error" in n:
        return ["", f"Naive approach failed: {n['error']}"]
    ours = next((p for p in s["pages"] if p["maps"] and p["preset"] == "pilot_to_date"), None)
    visit = next(
        (
            v
            for v in s.get("browser", {}).get("visits", [])
            if v["has_map"] and v["preset"] == "pilot_to_date"
        ),
        None,
    )
    lines = [
        "",
        "### Naive approach, side by side (pilot to date)",
        "",
        "| | Time | Bytes to the browser | Peak memory |",
        "|---|---|---|---|",
        f"| Naive: read_postgis + pandas + {n['contacts']:,} folium markers | "
        f"{n['total_s']:.2f} s (+ drawing {n['contacts']:,} markers in the browser) | "
        f"{n['html_bytes'] / 2**20:.1f} MiB HTML | {fmt(n['peak_mib'])} MiB |",
    ]
    if ours:
        ours_bytes = page_bytes(visit) if visit else None  # Streamlit's chunks: once per browser
        lines.append(
            f"| Ours: {ours['page']['title']} page | {ours['cold_s']:.2f} s render"
            + (f", map drawn {visit['map_ms'] / 1e3:.2f} s" if visit and visit["map_ms"] else "")
            + f" | {fmt(ours_bytes and ours_bytes / 2**20, 2)} MiB | shared process |"
        )
        ratio = n["total_s"] / ours["cold_s"] if ours["cold_s"] else None
        size_ratio = n["html_bytes"] / ours_bytes if ours_bytes else None
        lines += ["", f"Ratio naive / ours: time x{fmt(ratio, 1)}, bytes x{fmt(size_ratio, 1)}."]
    else:
        lines += ["", "No map page is registered yet, so there is nothing of ours to compare."]
    return lines


def import_section(i: dict) -> list[str]:
    if "skipped" in i:
        return ["", "## Import", "", f"Not measured: {i['skipped']}."]
    return [
        "",
        "## Import",
        "",
        f"`python -m ingest contacts` of {i['contacts']:,} generated contacts "
        f"({i['file_mib']:.0f} MiB CSV) into an empty database: {i['seconds']:.1f} s, "
        f"peak memory {fmt(i['peak_mib'])} MiB, exit code {i['returncode']}, "
        f"{i['rows_in_table']:,} rows in the table afterwards.",
        *([f"Last output: `{' / '.join(i['output_tail'])}`"] if i["output_tail"] else []),
    ]


def write(results: dict, suffix: str = "") -> tuple[Path, Path]:
    RESULTS.mkdir(exist_ok=True)
    stem = f"{results['machine']['date'][:10]}-{results['machine']['commit']}{suffix}"
    md, js = RESULTS / f"{stem}.md", RESULTS / f"{stem}.json"
    md.write_text(markdown(results))
    js.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return md, js
