"""The agenda's summaries (``ready_state``, ``followup_state``, ``placement_state``): remade for the
citizens a change has marked, before the change commits.

Triggers mark a citizen in ``agenda_stale`` whenever a row the summaries are made from changes (see
``store.migrations.m005_agenda_state``), so no writer can forget to: a command, ``undo`` and
``forget`` alike. Every transaction remakes the marked citizens' rows before it commits, and the
agenda reads the summaries only when nobody is marked and they were made by this version of the
code; otherwise it asks the tables themselves, as it always could (a file we may only read).

Each row holds for any "today", so the summaries do not age: the day a follow-up is due, the day a
placement ends or reaches its legal limit, the first day a phase's exit rules hold.
"""

from __future__ import annotations

import sqlite3
from functools import lru_cache
from typing import Any

from fleksrun.store.connection import Database

TABLES = ("ready_state", "followup_state", "placement_state")
# The code that works the summaries out: another version of any of it remakes every row.
_MADE_BY = ("services/agenda_state.py", "services/ready_from.py", "services/readiness.py", "domain/law.py")

# The marked citizens not erased, and their active enrollments: from the marks (CROSS JOIN keeps
# that order), not from every enrollment.
_MARKED = """FROM agenda_stale s
    CROSS JOIN citizens c ON c.id = s.citizen_id AND c.erased_at IS NULL
    CROSS JOIN enrollments e ON e.citizen_id = c.id AND e.status = 'active'"""


@lru_cache(maxsize=None)
def version() -> int:
    """A digest of the code in ``_MADE_BY``, as a number: summaries made by other code are remade."""
    import hashlib
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for name in _MADE_BY:
        digest.update((package / name).read_bytes())
    return int(digest.hexdigest()[:15], 16)


def is_fresh(db: Database) -> bool:
    """Whether the summaries hold for every citizen (no one marked, made by this version)."""
    try:
        row = db.execute("SELECT (SELECT version FROM agenda_version), "
                         "EXISTS (SELECT 1 FROM agenda_stale)").fetchone()
    except sqlite3.OperationalError:  # a file from before the summaries, read without migrating
        return False
    return row[0] == version() and not row[1]


def make_fresh(db: Database) -> bool:
    """Remake what is stale in a transaction of its own, if the file may be written; whether the
    summaries now hold. A failure (the file is locked, the disk full) leaves them as they were: the
    agenda then asks the tables."""
    if is_fresh(db):
        return True
    if db.read_only or db.conn.in_transaction:
        return False
    try:
        db.execute("BEGIN IMMEDIATE")
        refresh(db)
        db.execute("COMMIT")
    except Exception:  # the summaries are a shortcut: without them the agenda asks the rows
        db.rollback()
        return False
    return is_fresh(db)


def refresh_before_commit(db: Database) -> None:
    """``refresh`` as a transaction's last step, in a savepoint: should the summaries fail to be
    made (a stored programme this version cannot read), the change still commits with its citizens
    marked, and the agenda asks the rows. A summary never stops a consultant's change."""
    db.execute("SAVEPOINT agenda_state")
    try:
        refresh(db)
    except sqlite3.OperationalError:  # the disk or the lock: the transaction's own problem, said as such
        db.execute("ROLLBACK TO agenda_state")
        db.execute("RELEASE agenda_state")
        raise
    except Exception:
        db.execute("ROLLBACK TO agenda_state")
    db.execute("RELEASE agenda_state")


def refresh(db: Database, programs: dict[int, Any] | None = None) -> None:
    """Remake the marked citizens' rows, inside the caller's transaction (all of them when the rows
    were made by another version)."""
    try:
        stored = db.execute("SELECT version FROM agenda_version").fetchone()
    except sqlite3.OperationalError:  # migrated by a test's own migration set: nothing to keep up
        return
    if stored is None or stored[0] != version():
        db.execute("INSERT OR IGNORE INTO agenda_stale (citizen_id) SELECT id FROM citizens")
        db.execute("DELETE FROM agenda_version")
        db.execute("INSERT INTO agenda_version (version) VALUES (?)", [version()])
    if not db.execute("SELECT EXISTS (SELECT 1 FROM agenda_stale)").fetchone()[0]:
        return
    if programs is None:
        from fleksrun.services.readiness import stored_programs

        programs = stored_programs(db)
    for table in TABLES:  # names from this module, never from input
        db.execute(f"DELETE FROM {table} WHERE citizen_id IN (SELECT citizen_id FROM agenda_stale)")
    _ready(db, programs)
    _followups(db, programs)
    _placements(db)
    db.execute("DELETE FROM agenda_stale")


def _ready(db: Database, programs: dict[int, Any]) -> None:
    from fleksrun.services.ready_from import cases
    from fleksrun.services.readiness import Binds

    bind = Binds()
    ready_from, live, target = cases(programs, bind)
    db.execute(f"""INSERT INTO ready_state (phase_id, citizen_id, ready_from, live, hours_target)
                   SELECT ph.id, e.citizen_id, {ready_from}, {live}, {target} {_MARKED}
                   JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL""", bind)


def _followups(db: Database, programs: dict[int, Any]) -> None:
    """As store.queries.due_followups: the latest contact's next due date; none yet: the first day.
    One row per current stay, as that query joins them."""
    from fleksrun.services.readiness import Binds

    bind = Binds()
    aftercare = [f"WHEN {bind(program_def)} THEN {bind(program.aftercare_phase)}"
                 for program_def, program in programs.items() if program.aftercare_phase is not None]
    is_aftercare = f"ph.phase IS NOT NULL AND ph.phase = CASE e.program_def {' '.join(aftercare)} END" if aftercare else "0"
    db.execute(f"""INSERT INTO followup_state (id, enrollment_id, citizen_id, due, aftercare)
                   SELECT COALESCE(ph.id, -e.id), e.id, e.citizen_id,
                          CASE WHEN f.id IS NULL THEN e.start ELSE f.next_due END, COALESCE({is_aftercare}, 0) {_MARKED}
                   LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
                   LEFT JOIN followups f ON f.id = (SELECT f2.id FROM followups f2 WHERE f2.enrollment_id = e.id
                                                    ORDER BY f2.date DESC, f2.id DESC LIMIT 1)""", bind)


def _placements(db: Database) -> None:
    """As the agenda's placements: a placement ends on its last day not cancelled, or on its end
    date without one; practice reaches its limit on the Monday after its last allowed week (the law
    table's, asked of Python as an SQL function, so no rows are held here). The agenda lists
    placements whatever their citizen's state, so erased ones are kept too."""
    db.conn.create_function("practice_limit_weeks", 2, _limit_part(0), deterministic=True)
    db.conn.create_function("practice_limit_day", 2, _limit_part(2), deterministic=True)
    db.execute("""INSERT INTO placement_state (placement_id, citizen_id, company_id, ends, limit_day, limit_weeks)
                  SELECT p.id, e.citizen_id, p.company_id,
                         COALESCE((SELECT MAX(d.date) FROM days d WHERE d.placement_id = p.id
                                   AND d.status != 'cancelled'), p.end),
                         CASE WHEN p.kind = 'practice' THEN practice_limit_day(p.start, p.extensions) END,
                         CASE WHEN p.kind = 'practice' THEN practice_limit_weeks(p.start, p.extensions) END
                  FROM agenda_stale s CROSS JOIN enrollments e ON e.citizen_id = s.citizen_id AND e.status = 'active'
                  JOIN placements p ON p.enrollment_id = e.id""")


def _limit_part(index: int) -> Any:
    def part(start: str, extensions: int | None) -> Any:
        limit = practice_limit(start, extensions or 0)
        return None if limit is None else limit[index]
    return part


@lru_cache(maxsize=None)  # thousands of placements share a few hundred starts
def practice_limit(start_s: str, extensions: int) -> tuple[int, Any, str] | None:
    """Practice begun on ``start_s``: its limit in weeks and the Monday of the first week past it, also
    as text (ISO weeks counted from the start's week), or None where the law table holds no limit that
    day (practice begun before it)."""
    import datetime as _dt

    from fleksrun.domain.law import allowed_practice_weeks

    start = _dt.date.fromisoformat(start_s)
    weeks = allowed_practice_weeks(start, extensions)
    if weeks is None:
        return None
    limit = start - _dt.timedelta(days=start.weekday()) + _dt.timedelta(weeks=weeks)
    return weeks, limit, limit.isoformat()
