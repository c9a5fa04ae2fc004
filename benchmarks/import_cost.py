"""What importing sqlite-utils costs a command, against fleksrun's own thin connection.

Run by hand (not in CI, not a test):

    PYTHONPATH=src python benchmarks/import_cost.py [--runs 30]

Commands read and write through ``fleksrun.store.connection.Database``, a few of sqlite-utils' names
over ``sqlite3``; sqlite-utils itself is imported only to migrate. This measures why: each child
process imports one module and exits, the runs taken in turns; the medians and their difference are
printed. A difference of more than a few milliseconds is worth the small class (a `due` at 60
citizens takes ~0.12 s in all).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

MODULES = ("sqlite3", "fleksrun.store.connection", "sqlite_utils")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    times: dict[str, list[float]] = {module: [] for module in MODULES}
    for _ in range(args.runs):
        for module in MODULES:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
            times[module].append(time.perf_counter() - start)
    medians = {module: statistics.median(runs) * 1000 for module, runs in times.items()}
    for module, ms in medians.items():
        print(f"import {module:<28} {ms:7.1f} ms (median of {args.runs})")
    extra = medians["sqlite_utils"] - medians["fleksrun.store.connection"]
    print(f"sqlite-utils costs {extra:.1f} ms more than fleksrun's connection")
    return 0


if __name__ == "__main__":
    sys.exit(main())
