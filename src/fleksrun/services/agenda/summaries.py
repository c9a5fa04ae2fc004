"""The agenda's summaries (``ready_state``, ``followup_state``, ``placement_state``): derived rows that
hold for any "today", remade for the citizens a change has marked, before the change commits.

Triggers mark a citizen in ``agenda_stale`` whenever a row the summaries are made from changes (see
``store.migrations.m005_agenda_state``), so no writer can forget to: a command, ``undo`` and
``forget`` alike. Every transaction of a database opened by :func:`fleksrun.services.open_database`
remakes the marked citizens' rows before it commits.

Each row holds whatever day it is: the spans of days on which a stay's phase is ready (worked out
by the rule engine, ``domain.rules.ready_spans``), the day a follow-up is due, the day a placement
ends or reaches its legal limit.

A read never writes them. Where they are not fresh (a refresh failed, or they were made by another
:data:`VERSION`), the agenda works the stale citizens' rows out into temporary tables of the same
names, which SQLite reads in place of the stored ones for that connection (``shadow``).
"""

from __future__ import annotations

import datetime as _dt
import sqlite3
from functools import cache

from fleksrun.domain.law import allowed_practice_weeks
from fleksrun.domain.programs import Program
from fleksrun.domain.rules import ready_spans
from fleksrun.services.facts import gather_facts_many, stored_programs
from fleksrun.store.connection import Database
from fleksrun.store.db import BUSY_TIMEOUT_MS
from fleksrun.store.queries import LATEST_FOLLOWUP

# What the summaries hold and how they are worked out: bump it by hand with any change to either,
# so that files made before are remade. tests/test_agenda_summaries.py pins the summaries of a fixed
# caseload, and fails to remind you.
VERSION = 2

TABLES = ("ready_state", "followup_state", "placement_state", "hours_state")

_CHUNK = 2_000  # stays whose facts are read together: bounded memory when everyone is remade
_IN_LIST = 500  # citizens whose monthly hours are copied at once
_ANY_DAY = _dt.date(2000, 1, 1)  # facts are not cut at "today": the spans ask them on every day


def version(db: Database) -> int | None:
    """The version that made the stored summaries (None: none yet)."""
    row = db.execute("SELECT version FROM main.agenda_version").fetchone()
    return None if row is None else row[0]


def stale_count(db: Database) -> int:
    """How many citizens' summaries wait to be remade."""
    return db.execute("SELECT COUNT(*) FROM main.agenda_stale").fetchone()[0]


def is_fresh(db: Database) -> bool:
    """Whether the stored summaries hold for every citizen (no one marked, made by this version)."""
    row = db.execute("SELECT (SELECT version FROM main.agenda_version), "
                     "EXISTS (SELECT 1 FROM main.agenda_stale)").fetchone()
    return row[0] == VERSION and not row[1]


def refresh(db: Database) -> None:
    """Remake the marked citizens' rows (everyone's, when made by another version), inside the
    caller's transaction."""
    if version(db) != VERSION:
        db.execute("INSERT OR IGNORE INTO agenda_stale (citizen_id) SELECT id FROM citizens")
        db.execute("DELETE FROM agenda_version")
        db.execute("INSERT INTO agenda_version (version) VALUES (?)", [VERSION])
    _remake(db)


def refresh_before_commit(db: Database) -> None:
    """``refresh`` as a transaction's last step, in a savepoint: should a summary fail to be made (a
    stored programme this version cannot read), the change still commits with its citizens marked,
    the agenda works their rows out when it reads, and ``doctor`` tells. A summary never stops a
    consultant's change."""
    db.execute("SAVEPOINT agenda_summaries")
    try:
        refresh(db)
    except sqlite3.OperationalError:  # the disk or the lock: the transaction's own problem, said as such
        db.execute("ROLLBACK TO agenda_summaries")
        db.execute("RELEASE agenda_summaries")
        raise
    except Exception:  # noqa: BLE001 - reported by doctor (problem()), never in the way of the change
        db.execute("ROLLBACK TO agenda_summaries")
    db.execute("RELEASE agenda_summaries")


def problem(db: Database) -> str | None:
    """Why the summaries of the marked citizens cannot be made (for ``doctor``), tried in a savepoint
    that is rolled back; None when they can, or when no one is marked."""
    if is_fresh(db):
        return None
    db.execute("SAVEPOINT agenda_try")
    try:
        refresh(db)
    except Exception as exc:  # noqa: BLE001 - the answer is the exception itself
        return f"{type(exc).__name__}: {exc}"
    finally:
        db.execute("ROLLBACK TO agenda_try")
        db.execute("RELEASE agenda_try")
    return None


def upgrade(db: Database) -> None:
    """Remake every summary once after an upgrade of fleksrun (another version made them), as a
    migration would, if the write lock is free at once; otherwise reads work them out until a
    change or a later run remakes them."""
    if db.read_only or db.conn.in_transaction or version(db) == VERSION:
        return
    db.execute("PRAGMA busy_timeout = 0")
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:  # another window writes: not now
        return
    finally:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    try:
        refresh(db)
        db.execute("COMMIT")
    except Exception:  # noqa: BLE001 - the summaries stay as they were; reads work them out, doctor tells
        db.rollback()


def prepare_read(db: Database, *, rebuild: bool = False) -> None:
    """Make the summaries this connection reads hold for everyone, without writing the file: when
    some are stale, the stale citizens' rows are worked out into temporary tables that stand in for
    the stored ones (SQLite resolves a name to ``temp`` first). ``rebuild`` works out everyone's, as
    a new version would (what the stored ones are tested against)."""
    if _shadowed(db) or (is_fresh(db) and not rebuild):
        return
    everyone = rebuild or version(db) != VERSION
    outside = not db.conn.in_transaction
    keep = "0" if everyone else "citizen_id NOT IN (SELECT citizen_id FROM main.agenda_stale)"
    for table in TABLES:  # names from this module, never from input
        (create,) = db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?",
                               [table]).fetchone()
        db.execute(create.replace("CREATE TABLE ", "CREATE TEMP TABLE ", 1))
        db.execute(f"INSERT INTO temp.{table} SELECT * FROM main.{table} WHERE {keep}")
        for (sql,) in db.execute("SELECT sql FROM main.sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                 "AND sql IS NOT NULL", [table]).fetchall():
            db.execute(sql.replace("CREATE INDEX ", "CREATE INDEX temp.", 1))
    source = "main.citizens" if everyone else "main.agenda_stale"
    column = "id" if everyone else "citizen_id"
    db.execute(f"CREATE TEMP TABLE agenda_stale AS SELECT {column} AS citizen_id FROM {source}")
    _remake(db)
    if outside and db.conn.in_transaction:  # it wrote temporary tables only: nothing of the file
        db.conn.commit()


def _shadowed(db: Database) -> bool:
    return db.execute("SELECT EXISTS (SELECT 1 FROM temp.sqlite_master WHERE name = 'ready_state')").fetchone()[0]


# The marked citizens not erased, and their active enrollments: from the marks (CROSS JOIN keeps
# that order), not from every enrollment.
_MARKED = """FROM agenda_stale s
    CROSS JOIN citizens c ON c.id = s.citizen_id AND c.erased_at IS NULL
    CROSS JOIN enrollments e ON e.citizen_id = c.id AND e.status = 'active'"""


def _remake(db: Database) -> None:
    """Remake the rows of the citizens in ``agenda_stale`` (the stored one or a shadow) and clear it."""
    if not db.execute("SELECT EXISTS (SELECT 1 FROM agenda_stale)").fetchone()[0]:
        return
    programs = stored_programs(db)
    for table in TABLES:
        db.execute(f"DELETE FROM {table} WHERE citizen_id IN (SELECT citizen_id FROM agenda_stale)")
    _ready(db, programs)
    _hours(db)
    _followups(db, programs)
    _placements(db)
    db.execute("DELETE FROM agenda_stale")


def _ready(db: Database, programs: dict[int, Program]) -> None:
    """Each current stay's spans of ready days, from the rule engine over its facts; a stay never
    ready gets one row without a span. A chunk of stays at a time."""
    rows = db.execute(f"""SELECT e.id AS enrollment_id, e.citizen_id, e.program_def, e.outcome,
                                 ph.id AS phase_row, ph.phase, ph.entered AS phase_entered {_MARKED}
                          JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL""")
    keys = [column[0] for column in rows.description]
    while chunk := rows.fetchmany(_CHUNK):
        wanted = []
        for values in chunk:
            row = dict(zip(keys, values, strict=True))
            wanted.append((row, programs[row["program_def"]].phase(row["phase"])))
        facts = gather_facts_many(db, wanted, _ANY_DAY)
        made: list[tuple[int, int, str | None, str | None, float | None]] = []
        for row, phase in wanted:
            target = next((float(r.min or 0) for r in phase.rules if r.kind == "ordinary_hours_month"), None)
            spans = ready_spans(phase, facts[row["enrollment_id"]])
            made.extend((row["phase_row"], row["citizen_id"], _iso(first), _iso(until), target)
                        for first, until in spans)
            if not spans:  # never ready with the rows as they are: still a row, for its hours target
                made.append((row["phase_row"], row["citizen_id"], None, None, target))
        db.conn.executemany("INSERT INTO ready_state (phase_id, citizen_id, ready_from, ready_until, hours_target) "
                            "VALUES (?, ?, ?, ?, ?)", made)


def _hours(db: Database) -> None:
    """The monthly hours of the marked citizens with a monthly hours target (after ``_ready``), as the
    view ``monthly_hours`` has them: a bound list of ids reaches its indexes."""
    citizens = [row[0] for row in db.execute("""SELECT DISTINCT r.citizen_id FROM agenda_stale s
        CROSS JOIN ready_state r ON r.citizen_id = s.citizen_id WHERE r.hours_target IS NOT NULL""")]
    for i in range(0, len(citizens), _IN_LIST):
        chunk = citizens[i:i + _IN_LIST]
        db.execute(f"""INSERT INTO hours_state (citizen_id, month, kind, hours, source)
                       SELECT citizen_id, month, kind, hours, source FROM monthly_hours
                       WHERE citizen_id IN ({", ".join("?" * len(chunk))})""", chunk)


def _iso(day: _dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _followups(db: Database, programs: dict[int, Program]) -> None:
    """As ``store.queries.due_followups``: the latest contact's next due date; none yet: the first
    day. One row per current stay, as that query joins them."""
    aftercare = {program_def: program.aftercare_phase for program_def, program in programs.items()
                 if program.aftercare_phase is not None}
    rows = db.execute(f"""SELECT COALESCE(ph.id, -e.id), e.id, e.citizen_id,
                                 CASE WHEN f.id IS NULL THEN e.start ELSE f.next_due END, e.program_def, ph.phase
                          {_MARKED}
                          LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
                          {LATEST_FOLLOWUP}""").fetchall()
    db.conn.executemany("INSERT INTO followup_state (id, enrollment_id, citizen_id, due, aftercare) "
                        "VALUES (?, ?, ?, ?, ?)",
                        [(*row[:4], int(row[5] is not None and row[5] == aftercare.get(row[4]))) for row in rows])


def _placements(db: Database) -> None:
    """As the agenda's placements: a placement ends on its last day not cancelled, or on its end
    date without one; practice reaches its limit on the Monday after its last allowed week (the law
    table's). The agenda lists placements whatever their citizen's state, so erased ones are kept too."""
    rows = db.execute("""SELECT p.id, e.citizen_id, p.company_id,
                                COALESCE((SELECT MAX(d.date) FROM days d WHERE d.placement_id = p.id
                                          AND d.status != 'cancelled'), p.end),
                                p.kind, p.start, p.extensions
                         FROM agenda_stale s CROSS JOIN enrollments e ON e.citizen_id = s.citizen_id
                              AND e.status = 'active'
                         JOIN placements p ON p.enrollment_id = e.id""").fetchall()
    made = []
    for placement_id, citizen_id, company_id, ends, kind, start, extensions in rows:
        limit = practice_limit(start, extensions or 0) if kind == "practice" else None
        made.append((placement_id, citizen_id, company_id, ends,
                     None if limit is None else limit[1].isoformat(), None if limit is None else limit[0]))
    db.conn.executemany("INSERT INTO placement_state (placement_id, citizen_id, company_id, ends, limit_day, "
                        "limit_weeks) VALUES (?, ?, ?, ?, ?, ?)", made)


@cache  # thousands of placements share a few hundred starts
def practice_limit(start_s: str, extensions: int) -> tuple[int, _dt.date] | None:
    """Practice begun on ``start_s``: its limit in weeks and the Monday of the first week past it (ISO
    weeks counted from the start's week), or None where the law table holds no limit that day
    (practice begun before it)."""
    start = _dt.date.fromisoformat(start_s)
    weeks = allowed_practice_weeks(start, extensions)
    if weeks is None:
        return None
    return weeks, start - _dt.timedelta(days=start.weekday()) + _dt.timedelta(weeks=weeks)
