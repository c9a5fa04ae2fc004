"""What-if runs into the past: the file read as it stood at the end of a day.

With ``--today`` before the real date, a contact, an attended day, a payslip, a ticked item, a phase
move or an ending recorded after that day did not exist yet, so it plays no part in ``due``,
``check`` or ``report``. For such a run, temporary views named as the tables stand in for them on
this connection only (SQLite resolves a name to ``temp`` first, as the agenda's shadow summaries do):
every query, view and rule reads the file as of the day without knowing it. The views that read
these tables are shadowed too, since a view in the file always reads the file's own tables.

Nothing is written; the file is never changed. Plans are not facts: placements and booked days stay,
and a day planned for after the day shows as planned whatever was recorded on it later.
"""

from __future__ import annotations

import datetime as _dt

from fleksrun.store.connection import Database

# Per table: which rows existed by the end of :day, and the columns a later change set, as they were.
# {day} is an ISO date made here from a date, never text from input.
_RECORDED_LATER = "(date > '{day}' AND status IN ('attended', 'absent'))"
_LEFT_LATER = "left > '{day}'"
_ENDED_LATER = "end > '{day}'"
_TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "followups": ("date <= '{day}'", {}),
    "checklist": ("done_on <= '{day}'", {}),
    "hours": ("substr(recorded_on, 1, 10) <= '{day}' AND month <= substr('{day}', 1, 7)", {}),
    "days": ("1", {
        "status": f"CASE WHEN {_RECORDED_LATER} THEN 'planned' ELSE status END",
        "hours": f"CASE WHEN {_RECORDED_LATER} THEN NULL ELSE hours END",
        "reason": f"CASE WHEN {_RECORDED_LATER} THEN NULL ELSE reason END",
    }),
    # A phase moved into later did not exist yet (the first phase of an enrollment that starts
    # later is its plan, and stays); the phase it left was still the current one.
    "phases": ("entered <= '{day}' OR NOT EXISTS (SELECT 1 FROM main.phases earlier "
               "WHERE earlier.enrollment_id = phases.enrollment_id AND earlier.id < phases.id)", {
        "left": f"CASE WHEN {_LEFT_LATER} THEN NULL ELSE left END",
        "reason": f"CASE WHEN {_LEFT_LATER} THEN NULL ELSE reason END",
    }),
    "enrollments": ("1", {
        "status": f"CASE WHEN {_ENDED_LATER} THEN 'active' ELSE status END",
        "outcome": f"CASE WHEN {_ENDED_LATER} THEN NULL ELSE outcome END",
        "end": f"CASE WHEN {_ENDED_LATER} THEN NULL ELSE end END",
    }),
}

# What was recorded after :day, per table: only these rows make a what-if run differ.
_LATER: dict[str, str] = {
    "followups": "date > '{day}'",
    "checklist": "done_on > '{day}'",
    "hours": "substr(recorded_on, 1, 10) > '{day}' OR month > substr('{day}', 1, 7)",
    "days": _RECORDED_LATER,
    "phases": "(" + _LEFT_LATER + ") OR (entered > '{day}' AND EXISTS (SELECT 1 FROM main.phases earlier "
              "WHERE earlier.enrollment_id = phases.enrollment_id AND earlier.id < phases.id))",
    "enrollments": _ENDED_LATER,
}


def recorded_after(db: Database, day: _dt.date) -> int:
    """How many facts in the file were recorded after ``day`` (a contact, a day's attendance, a
    monthly figure, a ticked item, a phase move, an ending)."""
    return sum(db.execute(f"SELECT COUNT(*) FROM main.{table} WHERE {where.format(day=day.isoformat())}")
               .fetchone()[0] for table, where in _LATER.items())


def read_as_of(db: Database, day: _dt.date, clock: _dt.date) -> int:
    """Make this connection read the file as it stood at the end of ``day``, when ``day`` is before
    the real date ``clock`` and something was recorded after it; how many facts are left out (0:
    the file is read as it is)."""
    drop(db)
    if day >= clock:
        return 0
    left_out = recorded_after(db, day)
    if not left_out:
        return 0
    iso = day.isoformat()
    for table, (where, changed) in _TABLES.items():  # names from this module, never from input
        columns = [row[1] for row in db.execute(f"PRAGMA main.table_info({table})")]
        select = ", ".join(f"{changed[c].format(day=iso)} AS {c}" if c in changed else c for c in columns)
        db.execute(f"CREATE TEMP VIEW {table} AS SELECT {select} FROM main.{table} AS {table} "
                   f"WHERE {where.format(day=iso)}")
    # The file's views read the file's tables: the same views, made in temp, read the ones above.
    for (sql,) in db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'view'").fetchall():
        db.execute(sql.replace("CREATE VIEW ", "CREATE TEMP VIEW ", 1))
    if db.conn.in_transaction:  # temporary views only: nothing of the file
        db.conn.commit()
    return left_out


def is_active(db: Database) -> bool:
    """Whether this connection reads the file as of an earlier day."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE type = 'view' "
                      "AND name = 'followups')").fetchone()[0] == 1


def drop(db: Database) -> None:
    """Read the file as it is again (fleksrun makes no other temporary views)."""
    for (name,) in db.execute("SELECT name FROM temp.sqlite_master WHERE type = 'view'").fetchall():
        db.execute(f'DROP VIEW temp."{name}"')
