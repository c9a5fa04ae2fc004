"""Does a fresh demo's week show every kind of agenda item, whatever day it is made?

    python benchmarks/demo_kinds.py 2026-01-01 365     # first day, number of days (about 4 min a year)

For each day: a demo database of 60 citizens made with that day as today, then the agenda of the
seven days from it, as `fleksrun due` reads it. Prints each day that misses a kind, then a count.
Run by hand; tests/test_demo.py checks a chosen set of days in CI.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from fleksrun.services.agenda import KINDS, agenda
from fleksrun.services.demo import make_demo
from fleksrun.store.db import open_db


def kinds_shown(today: dt.date) -> set[str]:
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "demo.db")
        try:
            make_demo(db, today)
            items = agenda(db, today, today, today + dt.timedelta(days=6))["items"]
        finally:
            db.conn.close()
    return {item["kind"] for item in items}


def main(first: str, days: str) -> int:
    start, missing = dt.date.fromisoformat(first), 0
    for k in range(int(days)):
        today = start + dt.timedelta(days=k)
        lacking = set(KINDS) - kinds_shown(today)
        if lacking:
            missing += 1
            print(today.isoformat(), "misses", ", ".join(sorted(lacking)), flush=True)
    print(f"{days} days from {first}: {missing} miss a kind of item")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
