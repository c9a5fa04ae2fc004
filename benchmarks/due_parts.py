"""Where `due`'s time goes on a big database, kind by kind, and how much of it is SQLite's alone.

Run by hand, after bench.py has built its databases (not in CI, not a test):

    python benchmarks/due_parts.py                          # the bench's 100,000-citizen database
    python benchmarks/due_parts.py --db X.db --today 2026-12-02 --runs 5

For each group of agenda kinds it builds the agenda of the week from today, as `due` prints it, in
this process, and records every statement the agenda runs and how many rows it read. Then it runs
those same statements again, only fetching as many rows: what SQLite alone needs for the kind, with
no Python work on the rows.
Medians over --runs, in one run of this script, with the framework floor (floor_app.py as a child
process) beside them. A kind whose SQL alone is near its total cannot get much faster by changing the
Python; it needs less SQL work, i.e. different data to read.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from fleksrun.cli.agenda import GROUP_LIMIT, NAMES_PER_COMPANY
from fleksrun.services.agenda import Agenda
from fleksrun.store.connection import Database
from fleksrun.store.db import open_db

HERE = Path(__file__).resolve().parent
PARTS = (  # as Agenda.collect groups them: one query (or two) per part
    ("follow-ups", {"followup", "aftercare"}),
    ("booked days", {"practice_day"}),
    ("missing attendance", {"attendance_missing"}),
    ("placements", {"placement_ending", "practice_limit"}),
    ("ready to advance", {"ready_to_advance"}),
    ("hours", {"hours_at_risk", "data_missing"}),
)


class Counted:
    """A cursor that counts the rows read from it (the agenda stops some statements early)."""

    def __init__(self, cursor, record: list) -> None:
        self.cursor, self.record = cursor, record

    def __iter__(self):
        for row in self.cursor:
            self.record[2] += 1
            yield row

    def fetchall(self):
        rows = self.cursor.fetchall()
        self.record[2] += len(rows)
        return rows

    def fetchone(self):
        row = self.cursor.fetchone()
        self.record[2] += row is not None
        return row

    def __getattr__(self, name):
        return getattr(self.cursor, name)


class Recording(Database):
    """A Database that keeps every statement it runs, with its parameters and the rows read."""

    def __init__(self, db: Database) -> None:
        super().__init__(db.conn)
        self.statements: list[list] = []  # [sql, parameters, rows read]

    def execute(self, sql, parameters=None):
        self.statements.append([sql, parameters, 0])
        return Counted(super().execute(sql, parameters), self.statements[-1])


def _median(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _floor(runs: int) -> float:
    def once() -> None:
        subprocess.run([sys.executable, str(HERE / "floor_app.py")], check=True, capture_output=True)
    return _median(runs, once)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="default: the bench's cached 100,000-citizen database")
    parser.add_argument("--today", help="default: the day the bench built that database around")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path, today = args.db, args.today
    if path is None:
        found = sorted((HERE / "out").glob("fleksrun-*-100000.json"))
        if not found:
            sys.exit("No 100,000-citizen database yet: run benchmarks/bench.py first, or pass --db.")
        meta = json.loads(found[-1].read_text())
        path, today = Path(meta["db"]), today or meta["today"]
    day = _dt.date.fromisoformat(today) if today else _dt.date.today()
    start, end = day, day + _dt.timedelta(days=6)  # `due` with no options: seven days from today
    db = Recording(open_db(path))

    def build(kinds):
        return Agenda(db, day, start, end, kinds=kinds, limit=GROUP_LIMIT, names=NAMES_PER_COMPANY).collect()

    build(None)  # warm SQLite's and the OS's caches, and parse the programmes once
    print(f"{path} · today {day} · week {start}–{end} · medians of {args.runs}")
    print(f"{'part':<20}{'agenda s':>10}{'SQL alone s':>13}{'rows':>9}")
    total = sql_total = 0.0
    for label, kinds in PARTS:
        db.statements.clear()
        build(kinds)
        statements = [tuple(statement) for statement in db.statements]
        rows = sum(read for _sql, _params, read in statements)
        whole = _median(args.runs, lambda: build(kinds))
        # Each statement read as far as the agenda read it.
        alone = _median(args.runs, lambda: [db.conn.execute(sql, params or ()).fetchmany(read)
                                            for sql, params, read in statements])
        total, sql_total = total + whole, sql_total + alone
        print(f"{label:<20}{whole:>10.3f}{alone:>13.3f}{rows:>9}")
    print(f"{'all parts':<20}{total:>10.3f}{sql_total:>13.3f}")
    floor = _floor(args.runs)
    print(f"framework floor (floor_app.py, a child process): {floor:.3f} s")
    print(f"floor + SQL alone: {floor + sql_total:.3f} s, against the 0.5 s target for `due` at 100,000")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
