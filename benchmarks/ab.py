"""One command of two versions of fleksrun, run in turns on one database: the ratio of their medians.

Run by hand (not in CI, not a test). On a shared machine whose speed drifts by 2× within an hour, runs
taken in turns meet the same drift, so their ratio is the figure to trust:

    git worktree add /tmp/fleksrun-old <commit>
    python benchmarks/ab.py --old /tmp/fleksrun-old/src --db benchmarks/out/fleksrun-0.1.0-100000.db due

Each run is a child process (`python -m fleksrun --db DB ...`) with PYTHONPATH at one version's src
folder and FLEKSRUN_TODAY at --today (default: the day the bench built DB around, from its .json).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="the other version's src folder")
    parser.add_argument("--new", type=Path, default=HERE.parent / "src", help="default: this checkout's src")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--today", help="default: from the .json the bench wrote beside DB")
    parser.add_argument("--runs", type=int, default=7, help="runs of each version, in turns (default 7)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command and its options")
    args = parser.parse_args()
    today = args.today
    meta = args.db.with_suffix(".json")
    if today is None and meta.exists():
        today = json.loads(meta.read_text())["today"]
    env = {**os.environ, **({"FLEKSRUN_TODAY": today} if today else {})}
    versions = {"old": args.old.resolve(), "new": args.new.resolve()}
    times: dict[str, list[float]] = {name: [] for name in versions}
    for _ in range(args.runs + 1):  # the first round warms the caches and is not counted
        for name, src in versions.items():
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "fleksrun", "--db", str(args.db), *args.command],
                           env={**env, "PYTHONPATH": str(src)}, check=True, capture_output=True)
            times[name].append(time.perf_counter() - start)
    old, new = (statistics.median(times[name][1:]) for name in versions)
    print(f"{' '.join(args.command)}: old {old:.3f} s, new {new:.3f} s, new/old {new / old:.2f} "
          f"(medians of {args.runs} runs each, in turns)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
