"""``python -m releases refresh``: compute, protect, audit and store every release.

Prints one line of counts (releases, published cells, hidden primary and complementary
cells, withdrawn or merged figures, the audit's smallest slack, time). Exit status 0 =
stored, 1 = the figures could not be protected (the previous releases stay), 2 = the
database cannot be reached.
"""

import argparse
import sys

from db.connect import DatabaseUnavailable, connect
from db.migrate import apply_pending
from releases.pipeline import refresh
from releases.plan import CannotProtect


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m releases", description=__doc__)
    parser.add_argument("command", choices=["refresh"])
    parser.parse_args(argv)
    try:
        conn = connect()
    except DatabaseUnavailable as error:
        print(f"releases: cannot reach the database: {error}", file=sys.stderr)
        return 2
    with conn:
        apply_pending(conn)
        try:
            summary = refresh(conn)
        except CannotProtect as error:
            print(f"releases: not stored, the previous releases stay: {error}", file=sys.stderr)
            return 1
    conn.close()
    print(summary.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
