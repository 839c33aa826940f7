"""python -m demo [--end-date YYYY-MM-DD] [--seed N] [--if-empty]

Loads a three-year demo pilot ending on the end date (default: today), replacing any
demo data loaded before; real imported data is kept. With --if-empty it loads only into
a database without contacts.
"""

import argparse
import sys
import time
from datetime import date

from db.connect import cli_connection
from db.migrate import apply_pending
from demo.generate import DEFAULT_SEED
from demo.load import DemoLoadError, has_contacts, load_demo
from demo.summary import summarize
from program import clock
from releases import refresh


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__.splitlines()[2])
    parser.add_argument("--end-date", type=date.fromisoformat, default=clock.today())
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--if-empty", action="store_true", help="load only if no contacts")
    args = parser.parse_args(argv)
    conn = cli_connection("demo")
    if conn is None:
        return 2
    with conn:
        apply_pending(conn)
        if args.if_empty and has_contacts(conn):
            print("demo: the database already holds contacts; demo data not loaded")
            return 0
        started = time.monotonic()
        try:
            tables = load_demo(conn, args.end_date, args.seed)
        except DemoLoadError as error:
            print(f"demo: {error}", file=sys.stderr)
            return 1
    print(
        f"demo: loaded a pilot ending {args.end_date} (seed {args.seed}) in "
        f"{time.monotonic() - started:.1f} s"
    )
    print(summarize(tables, args.end_date))
    print(refresh(conn).line())  # the statistical releases of the new data
    return 0


if __name__ == "__main__":
    sys.exit(main())
