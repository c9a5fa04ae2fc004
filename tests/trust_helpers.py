"""Helpers for the trust tests: a dump of the data, and writes that stand in for commands of other issues."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from fleksrun.services import open_database as open_db  # as commands open it: summaries kept up
from fleksrun.store.tx import transaction

BOOKKEEPING = {"commands", "journal", "_sqlite_migrations", "agenda_stale", "agenda_version", "unfinished_erasure",
               "name_keys"}  # the look-up's keys: derived from the names, personal like them


def data_dump(path: Path, *, skip_columns: dict[str, set[str]] | None = None) -> dict[str, list[tuple]]:
    """Every data table's rows, sorted: equal dumps mean equal data (the journal itself is left out)."""
    skip_columns = skip_columns or {}
    conn = sqlite3.connect(str(path))
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        dump = {}
        for table in tables:
            if table in BOOKKEEPING or table.startswith("sqlite_"):
                continue
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")
                       if r[1] not in skip_columns.get(table, set())]
            sql = "SELECT {} FROM [{}] ORDER BY rowid".format(", ".join(f"[{c}]" for c in columns), table)
            dump[table] = [tuple(r) for r in conn.execute(sql)]
        return dump
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(f"SELECT COUNT(*) FROM [{table}]").fetchone()[0]
    finally:
        conn.close()


def place(path: Path, citizen_id: int, company_id: int, dates: list[str], *, note: str | None = None,
          tasks: str | None = None) -> int:
    """A placement and its days, journalled like `schedule` writes them (schedule is another issue's)."""
    db = open_db(path)
    try:
        enrollment = db.execute("SELECT id FROM enrollments WHERE citizen_id = ? ORDER BY id DESC",
                                [citizen_id]).fetchone()[0]
        with transaction(db, "schedule") as tx:
            tx.about(citizen_id)
            placement = tx.insert("placements", {
                "enrollment_id": enrollment, "company_id": company_id, "kind": "practice", "start": dates[0],
                "end": dates[-1], "weekdays": "tue,thu", "hours_per_day": 4.5, "tasks": tasks, "contact": "Lone",
                "created_at": "2026-03-30T08:00:00+00:00"})
            for day in dates:
                tx.insert("days", {"placement_id": placement, "date": day, "planned_hours": 4.5, "status": "attended",
                                   "hours": 4.5, "note": note, "reason": None})
        return placement
    finally:
        db.close()


def write(path: Path, command: str, citizen_id: int | None, steps: list[tuple[str, Any, ...]]) -> None:
    """One journalled command of raw steps: ("insert", table, values) or ("update", table, id, changes)."""
    db = open_db(path)
    try:
        with transaction(db, command) as tx:
            tx.about(citizen_id)
            for step in steps:
                if step[0] == "insert":
                    tx.insert(step[1], step[2])
                elif step[0] == "update":
                    tx.update(step[1], step[2], step[3])
                else:
                    tx.delete(step[1], step[2])
    finally:
        db.close()


def end_enrollment(path: Path, citizen_id: int, on: str, outcome: str = "job") -> None:
    db = open_db(path)
    enrollment = db.execute("SELECT id FROM enrollments WHERE citizen_id = ? AND status = 'active'",
                            [citizen_id]).fetchone()[0]
    db.close()
    write(path, "end", citizen_id, [("update", "enrollments", enrollment,
                                     {"status": "ended", "end": on, "outcome": outcome})])
