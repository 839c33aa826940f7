"""``python -m bench``: LEAD Ops at 10k, 100k and 1M contacts.

    python -m bench                       every size, 2-minute load test at 1M
    python -m bench --quick               10k only, 15 s of load: a fast check
    python -m bench --sizes 100k --load-seconds 30 --no-browser
    python -m bench --sizes 1m --profile program   enrollments of a 60-place program
    python -m bench --sizes 10m --map-only         the contacts map at 10M contacts

Prints figures as it goes and writes bench/results/<date>-<commit>.md and .json.
"""

import argparse
import sys
import time
import warnings

from bench import generate, importer, machine, pages, report, run
from db.config import database_dsn


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1m", help="contact counts, e.g. 10k,1m")
    parser.add_argument(
        "--quick", action="store_true", help="10k only, 15 s of load, 10 warm runs: a fast check"
    )
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=120.0,
        help="length of the concurrent-session test at the largest size (at most 30 s "
        "below it; 0 skips it)",
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--runs", type=int, default=20, help="warm runs per query")
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="rebuild the benchmark databases even if they are current",
    )
    parser.add_argument(
        "--profile",
        choices=generate.PROFILES,
        default="stress",
        help="enrollments: stress (every diversion referred, ~20,000 active at 1M) or "
        "program (a 60-place program with its waiting list); bench/generate.py",
    )
    parser.add_argument(
        "--map-only",
        action="store_true",
        help="officers and contacts only, the contacts map page only (no load test, "
        "naive comparison or import): for sizes such as 10m",
    )
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--no-import", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.load_seconds, args.runs = "10k", min(args.load_seconds, 15.0), 10
    if args.map_only:
        args.load_seconds, args.no_naive, args.no_import = 0.0, True, True
    args.size_list = sorted(generate.parse_size(s) for s in args.sizes.split(","))
    return args


def quiet() -> None:
    """Keep the console for figures: page errors are captured and reported per page,
    and library warnings from the pages (altair, folium) are not the benchmark's."""
    import logging

    warnings.simplefilter("ignore")
    logging.disable(logging.WARNING)


def say(text: str) -> None:
    print(text, flush=True)


def main(argv: list[str]) -> int:
    args = parse(argv)
    quiet()
    started = time.perf_counter()
    pages.install_recorder()
    results = {
        "command": "python -m bench " + " ".join(argv),
        "machine": machine.describe(database_dsn()),
        "options": {k: v for k, v in vars(args).items() if k != "size_list"},
        "sizes": {},
    }
    m = results["machine"]
    say(
        f"LEAD Ops benchmark · commit {m['commit']} · {m['cpu']}, {m['cores']} cores, "
        f"{m['ram_gib']} GiB · {m['postgres']}"
    )
    for size in args.size_list:
        results["sizes"][generate.size_label(size)] = run.bench_size(size, args, say)
    if not args.no_import:
        say(f"\n== import of {args.size_list[-1]:,} contacts")
        results["import"] = importer.import_contacts(args.size_list[-1], args.seed, say)
    results["seconds"] = time.perf_counter() - started
    results["targets"] = report.evaluate(results)
    suffix = "-quick" if args.quick else ""
    suffix += "-map" if args.map_only else "" if args.profile == "stress" else f"-{args.profile}"
    md, js = report.write(results, suffix)
    say("\n== targets at the largest size")
    for check in results["targets"]:
        met = {True: "met", False: "NOT MET", None: "not measured"}[check["met"]]
        say(
            f"  {check['label']:<48} {report.fmt(check['value'], 2):>10} {check['unit']:<4}"
            f" (limit {check['limit']}) {met}  {check['where']}"
        )
    say(
        f"\nwrote {md.relative_to(report.RESULTS.parent.parent)} and .json "
        f"in {results['seconds'] / 60:.1f} minutes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
