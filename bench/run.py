"""One benchmark size from start to end: data, page SQL, renders, browser, load, naive."""

import sys
import time
from dataclasses import asdict

import queries
from bench import browser, database, generate, load, measure, pages, sqltime
from bench.serve import peak_mib, reset_peak, rss_mib, served
from db.connect import connect

SQL_TARGET_MS = 300
SLOW_PAGE_S = 30.0
SLOW_BROWSER_S = 60.0  # pages slower than this server-side are not visited in Chromium
NAIVE_MAX_SIZE = 100_000
MAP_PAGE = "contacts/"  # the page measured by --map-only


def pages_and_sql(dsn: str, page_list, runs: int, say) -> tuple[list, dict]:
    """Render every page per preset (queries recorded), then time each query once.

    A page whose first render takes more than SLOW_PAGE_S is not rendered again with the
    other presets: the run stays bounded, and the page is already far off target."""
    renders = []
    for page in page_list:
        for preset in pages.PRESETS:
            if preset != "default" and renders[-1].cold_s > SLOW_PAGE_S:
                say(
                    f"  render {page.file:<22} {preset:<14} skipped: the default period "
                    f"took {renders[-1].cold_s:.0f} s"
                )
                break
            render = pages.render(dsn, page, preset)
            renders.append(render)
            warm = pages.percentile(render.warm_s, 50)
            say(
                f"  render {page.file:<22} {preset:<14} cold {render.cold_s * 1e3:7.0f} ms"
                + (f", warm p50 {warm * 1e3:6.0f} ms" if warm is not None else "")
                + f", {render.maps} map(s), {len(render.calls)} queries"
                + (f"  ERROR {render.exception}" if render.exception else "")
            )
    timings = {}
    for render in renders:
        for call in render.calls:
            if call.key() in timings:
                continue
            timing = sqltime.time_call(dsn, call, runs=runs)
            timings[call.key()] = timing
            if timing.error:
                say(f"  sql {call.name:<36} ERROR {timing.error}")
                continue
            say(
                f"  sql {call.name:<36} cold {timing.cold_ms:8.1f} ms  warm p50 "
                f"{timing.p50:8.1f}  p95 {timing.p95:8.1f} ms  ({len(timing.warm_ms)} runs, "
                f"{timing.rows} rows)"
            )
            if timing.p95 > SQL_TARGET_MS:
                timing.plan = sqltime.explain(dsn, call)
                say(f"    EXPLAIN ANALYZE {call.name}: {timing.plan['summary']}")
    return renders, timings


def page_records(renders, timings) -> list[dict]:
    """Per page and preset: the render figures and the timings of the queries it ran."""
    records = []
    for render in renders:
        record = asdict(render)
        record.pop("calls")
        record["page"] = asdict(render.page)
        record["warm_p50_s"] = pages.percentile(render.warm_s, 50)
        record["warm_p95_s"] = pages.percentile(render.warm_s, 95)
        record["sql_in_render_ms"] = sum(c.seconds for c in render.calls) * 1e3
        record["queries"] = [timing_record(timings[c.key()]) for c in unique(render.calls)]
        records.append(record)
    return records


def unique(calls):
    seen = set()
    for call in calls:
        if call.key() not in seen:
            seen.add(call.key())
            yield call


def timing_record(timing: sqltime.Timing) -> dict:
    record = asdict(timing)
    record["p50_ms"], record["p95_ms"] = timing.p50, timing.p95
    if timing.plan:
        record["explain"] = timing.plan["summary"]
        record["plan"] = timing.plan["plan"]
    return record


def map_pages(renders) -> list:
    """Pages that drew a map, in navigation order."""
    found = []
    for render in renders:
        if render.maps and render.page not in found:
            found.append(render.page)
    return found


def browser_and_load(dsn, password, page_list, maps, slow, args, load_s, say) -> dict:
    """Chromium visits, then the concurrent sessions, against one served dashboard."""
    result = {}
    with served(dsn) as server:
        result["server_rss_idle_mib"] = rss_mib(server.pid)
        if not args.no_browser:
            reset_peak(server.pid)
            site = browser.Site(
                server.base,
                password,
                page_list,
                {p.file for p in maps},
                on_visit=lambda visit: say_visit(visit, say),
                skip=slow,
            )
            visits = browser.measure(site, pages.PRESETS)
            result["browser"] = asdict(visits)
            result["browser"]["peak_mib"] = peak_mib(server.pid)
            if visits.error:
                say(f"  browser: {visits.error}")
            say(
                f"  streamlit memory: idle {result['server_rss_idle_mib']:.0f} MiB, "
                f"peak during visits {result['browser']['peak_mib']:.0f} MiB"
            )
        if load_s > 0:
            stems = [page_list[0].title] + [p.title for p in maps[:1]]
            say(f"  load: {args.sessions} sessions on {', '.join(stems)} for {load_s:.0f} s ...")
            outcome = load.load(server.base, password, stems, args.sessions, load_s, server.pid)
            result["load"] = asdict(outcome) | {"p50_ms": outcome.p50, "p95_ms": outcome.p95}
            result["load"].pop("responses_ms")
            result["load"]["responses"] = len(outcome.responses_ms)
            say(
                f"  load: {len(outcome.responses_ms)} responses, p50 {outcome.p50 or 0:.0f} ms, "
                f"p95 {outcome.p95 or 0:.0f} ms, {len(outcome.errors)} errors, "
                f"peak {outcome.peak_mib or 0:.0f} MiB"
            )
    return result


def say_visit(visit: browser.Visit, say) -> None:
    drawn = f", map drawn {visit.map_ms:6.0f} ms" if visit.map_ms is not None else ""
    which = "again" if visit.again else "first"
    say(
        f"  browser {visit.page:<22} {visit.preset:<14} {which} idle "
        f"{visit.idle_ms or 0:6.0f} ms{drawn}, {visit.page_bytes / 1024:8.0f} KiB"
        f" (+{visit.frontend_bytes / 1024:.0f} KiB Streamlit chunks)"
        + (f"  ERROR {visit.error}" if visit.error else "")
    )


def naive(dsn: str, say) -> dict:
    measured = measure.run_measured(
        [sys.executable, "-m", "bench.naive"], measure.env_with(dsn), timeout_s=1200
    )
    if measured.returncode != 0:
        return {"error": measured.stderr.strip().splitlines()[-1:]}
    import json

    figures = json.loads(measured.stdout) | {"peak_mib": measured.peak_mib}
    say(
        f"  naive: {figures['contacts']:,} markers, {figures['total_s']:.1f} s "
        f"(load {figures['load_s']:.1f}, markers {figures['markers_s']:.1f}, "
        f"HTML {figures['html_s']:.1f}), {figures['html_bytes'] / 2**20:.1f} MiB HTML, "
        f"peak {measured.peak_mib or 0:.0f} MiB"
    )
    return figures


def database_record(dsn: str, build_s: float) -> dict:
    conn = connect(dsn)
    sizes = queries.fetch_df(conn, "bench/table_sizes")
    conn.close()
    return {
        "ready_s": build_s,
        "tables": {
            row.table_name: {"rows": int(row.approx_rows), "bytes": int(row.bytes)}
            for row in sizes.itertuples()
        },
    }


def bench_size(size: int, args, say) -> dict:
    label = generate.size_label(size)
    say(f"\n== {label}: {size:,} contacts")
    started = time.perf_counter()
    dsn, password = database.ensure(size, args.seed, args.fresh, say, args.profile, args.map_only)
    record = {"size": size, "database": database_record(dsn, time.perf_counter() - started)}
    page_list = [p for p in pages.discover() if not args.map_only or p.file.startswith(MAP_PAGE)]
    renders, timings = pages_and_sql(dsn, page_list, args.runs, say)
    record["pages"] = page_records(renders, timings)
    maps = map_pages(renders)
    record["map_pages"] = [p.file for p in maps]
    # The full load test at the largest size; a shorter one below it keeps the run short.
    load_s = args.load_seconds if size == max(args.size_list) else min(args.load_seconds, 30)
    slow = {
        r.page.file: f"its server-side render alone took {r.cold_s:.0f} s"
        for r in renders
        if r.preset == "default" and r.cold_s > SLOW_BROWSER_S
    }
    record |= browser_and_load(dsn, password, page_list, maps, slow, args, load_s, say)
    if not args.no_naive and size <= NAIVE_MAX_SIZE:
        record["naive"] = naive(dsn, say)
    record["dsn_name"] = database.database_name(size, args.profile, args.map_only)
    return record
