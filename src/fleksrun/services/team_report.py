"""`report --team`: one report across several consultants' files, read-only, through SQLite's ATTACH.

Each file is attached read-only to a scratch database in memory that has this fleksrun's schema; the
rows the report reads are copied into it with their ids made unique across the files (``id × N +
file``), and every citizen gets a team number: citizens of different files with the same CPR number
or the same case number are one citizen (found transitively). The report is then ``build_report``
on the scratch database, so the team's numbers come from the one computation of `report`; a
column per consultant is the same run over that file alone. Nothing is written to any file.

A file is read when its tables have the columns the report reads (older and newer fleksruns alike);
a column added later than the file is read as empty (NULL), and a file without a table or a
required column is refused with a sentence.
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from pathlib import Path
from typing import Any

from fleksrun.errors import InputError
from fleksrun.services.reports import build_report
from fleksrun.store.connection import Database

# The tables `report` reads, in an order that puts each row after the rows it refers to.
TABLES = ("citizens", "companies", "programs", "enrollments", "phases", "checklist", "placements", "days",
          "hours", "followups")


def team_files(paths: list[str]) -> list[Path]:
    """The files named, a folder standing for every ``*.db`` file in it; each once, in the order given."""
    files: list[Path] = []
    for text in paths:
        path = Path(text).expanduser()
        if path.is_dir():
            found = sorted(p for p in path.glob("*.db") if p.is_file())
            if not found:
                raise InputError("report.team_empty_folder", folder=str(path))
            files += found
        elif path.is_file():
            files.append(path)
        else:
            raise InputError("report.team_missing", path=str(path))
    unique: list[Path] = []
    for path in files:
        if path.resolve() not in {p.resolve() for p in unique}:
            unique.append(path)
    if len(unique) < 2:
        raise InputError("report.team_too_few")
    return unique


def _uri(path: Path) -> str:
    from fleksrun.store.db import _uri as file_uri

    return file_uri(path, "mode=ro")


def _scratch() -> Database:
    """An empty database in memory with this fleksrun's schema, without its triggers (nothing here is
    a change to journal or to guard) and without foreign-key checks (rows arrive table by table)."""
    import sqlite_utils

    from fleksrun.store.migrations import migrations

    conn = sqlite3.connect(":memory:")
    migrations.apply(sqlite_utils.Database(conn, execute_plugins=False))
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.commit()
    return Database(conn, read_only=True)


def _attach(db: Database, files: list[Path]) -> list[str]:
    """Attach every file read-only as f0, f1, …; their consultants' names (the files' names), in order."""
    names = []
    for k, path in enumerate(files):
        try:
            db.execute(f"ATTACH DATABASE ? AS f{k}", [_uri(path)])
            tables = {r[0] for r in db.execute(f"SELECT name FROM f{k}.sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError:
            raise InputError("report.team_unreadable", path=str(path)) from None
        if "_sqlite_migrations" not in tables or "enrollments" not in tables:
            raise InputError("report.team_not_fleksrun", path=str(path))
        _check_schema(db, k, path, tables)
        names.append(path.stem)
    return names


def _columns(db: Database, schema: str, table: str) -> list[tuple[str, bool]]:
    """(name, required) per column: required = NOT NULL without a default."""
    return [(r[1], bool(r[3]) and r[4] is None and not r[5])
            for r in db.execute(f'PRAGMA {schema}.table_info("{table}")')]


def _check_schema(db: Database, k: int, path: Path, tables: set[str]) -> None:
    """Refuse a file that lacks a table the report reads, or a column it cannot do without."""
    for table in TABLES:
        if table not in tables:
            raise InputError("report.team_schema", path=str(path), what=table)
        present = {name for name, _required in _columns(db, f"f{k}", table)}
        for name, required in _columns(db, "main", table):
            if required and name not in present:
                raise InputError("report.team_schema", path=str(path), what=f"{table}.{name}")


def _team_numbers(db: Database, count: int) -> tuple[dict[tuple[int, int], int], int]:
    """Each (file, citizen id) → a team number, the same for citizens with the same CPR number or the
    same case number in any file (transitively); and how many team citizens are in more than one file."""
    rows = [(k, cid, cpr, ref) for k in range(count)
            for cid, cpr, ref in db.execute(f"SELECT id, cpr, case_ref FROM f{k}.citizens ORDER BY id")]
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for i, (_k, _cid, cpr, ref) in enumerate(rows):
        for key in (("cpr", "".join(ch for ch in cpr if ch.isdigit())) if cpr else None,
                    ("ref", ref.strip().lower()) if ref and ref.strip() else None):
            if key is None or not key[1]:
                continue
            if key in first_with:
                parent[root(i)] = root(first_with[key])
            else:
                first_with[key] = i
    numbers: dict[int, int] = {}
    team = {(k, cid): numbers.setdefault(root(i), len(numbers) + 1) for i, (k, cid, _c, _r) in enumerate(rows)}
    files_of: dict[int, set[int]] = {}
    for (k, _cid), number in team.items():
        files_of.setdefault(number, set()).add(k)
    return team, sum(1 for files in files_of.values() if len(files) > 1)


def _copy(db: Database, files: list[int], count: int, team: dict[tuple[int, int], int]) -> None:
    """Copy the report's rows of the files ``files`` (of ``count`` attached) into the scratch tables."""
    for table in TABLES:
        db.execute(f'DELETE FROM main."{table}"')
    db.execute("DROP TABLE IF EXISTS temp.team_map")
    db.execute("CREATE TEMP TABLE team_map (file INTEGER, id INTEGER, team INTEGER, PRIMARY KEY (file, id))")
    db.conn.executemany("INSERT INTO temp.team_map VALUES (?, ?, ?)",
                        [(k, cid, number) for (k, cid), number in team.items() if k in files])
    for table in TABLES:
        refs = {r[3]: r[2] for r in db.execute(f'PRAGMA main.foreign_key_list("{table}")')}  # column → table
        for k in files:
            present = {name for name, _required in _columns(db, f"f{k}", table)}
            columns, values = [], []
            for name, _required in _columns(db, "main", table):
                if name not in present:
                    continue  # added after the file was written: empty (its default)
                columns.append(f'"{name}"')
                if table == "citizens" and name == "id" or refs.get(name) == "citizens":
                    values.append(f'(SELECT team FROM temp.team_map WHERE file = {k} AND id = src."{name}")')
                elif table == "citizens" and name in ("cpr", "case_ref"):
                    values.append("NULL")  # matched above; the scratch copy needs neither
                elif name == "id" or name in refs:
                    values.append(f'src."{name}" * {count} + {k}')
                else:
                    values.append(f'src."{name}"')
            conflict = ""
            if table in ("citizens", "programs"):
                # the same citizen in an earlier file: once; a definition both files keep: once
                conflict = " ON CONFLICT DO NOTHING"
            elif table == "hours":  # the same month's figure in two files (one payslip): the larger
                conflict = " ON CONFLICT (citizen_id, month, kind) DO UPDATE SET hours = MAX(hours, excluded.hours)"
            db.execute(f'INSERT INTO main."{table}" ({", ".join(columns)}) SELECT {", ".join(values)} '
                       f'FROM f{k}."{table}" AS src WHERE 1{conflict}')


def build_team_report(paths: list[str], today: _dt.date, *, start: _dt.date | None = None,
                      end: _dt.date | None = None, program_id: str | None = None) -> dict[str, Any]:
    """``{today, from, to, consultants: [{name, file}], overlaps, items: [{program, name, from, to,
    period, columns: [programme report or None per consultant], team: programme report, overlaps}]}``."""
    files = team_files(paths)
    db = _scratch()
    try:
        names = _attach(db, files)
        team, overlaps = _team_numbers(db, len(files))
        singles = []
        for k in range(len(files)):
            _copy(db, [k], len(files), team)
            singles.append(build_report(db, today, start=start, end=end, program_id=program_id))
        _copy(db, list(range(len(files))), len(files), team)
        whole = build_report(db, today, start=start, end=end, program_id=program_id)
    finally:
        db.close()
    items = []
    for item in whole["items"]:
        columns = [next((i for i in single["items"] if i["program"] == item["program"]), None) for single in singles]
        in_files = sum(c["participants"] for c in columns if c is not None)
        items.append({"program": item["program"], "name": item["name"], "from": item["from"], "to": item["to"],
                      "period": item["period"], "columns": columns, "team": item,
                      "overlaps": in_files - item["participants"]})
    return {"today": today, "from": whole["from"], "to": whole["to"],
            "consultants": [{"name": name, "file": str(path)} for name, path in zip(names, files, strict=True)],
            "overlaps": overlaps, "items": items, "skipped": whole["skipped"]}
