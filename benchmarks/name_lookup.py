"""How long finding a citizen by a part of her name takes at 100,000 citizens: the target is 50 ms.

Run by hand (not in CI, not a test):

    PYTHONPATH=src python benchmarks/name_lookup.py               # 100,000 citizens, about a minute
    PYTHONPATH=src python benchmarks/name_lookup.py --size 10000

It builds a demo database of --size citizens in a temporary folder (as `fleksrun demo --size N` does),
then times ``find_citizen`` in this process for a few parts of names (a first name, a surname in
capitals, an aa for an å, a whole name, a name nobody has), each --runs times, and prints the median
and the slowest run of each. What a command costs besides (start-up, opening the file) is bench.py's.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from fleksrun.errors import FleksrunError
from fleksrun.services import open_database
from fleksrun.services.demo import make_demo
from fleksrun.services.lookup import find_citizen

TARGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(Path(folder) / "demo.db")
        started = time.perf_counter()
        make_demo(db, _dt.date(2026, 3, 30), size=args.size)
        print(f"demo of {args.size:,} citizens built in {time.perf_counter() - started:.1f} s")
        whole = db.execute("SELECT name FROM citizens ORDER BY id DESC LIMIT 1").fetchone()[0]
        worst = 0.0
        for typed in ("mette", "HANSEN", "aase", whole.upper(), "Nobody Atall"):
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                try:
                    answer = find_citizen(db, typed)["name"]
                except FleksrunError as exc:  # ambiguous or unknown: the time is what counts
                    answer = type(exc).__name__
                times.append((time.perf_counter() - start) * 1000)
            worst = max(worst, statistics.median(times))
            print(f"find_citizen({typed!r}) at {args.size:,} citizens: median {statistics.median(times):.2f} ms, "
                  f"slowest {max(times):.2f} ms -> {answer}")
        db.close()
    print(f"slowest median {worst:.2f} ms; target {TARGET_MS:.0f} ms: {'met' if worst < TARGET_MS else 'NOT met'}")
    return 0 if worst < TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
