"""Working the agenda's summaries out for the citizens in ``agenda_stale`` (see ``summaries``): the
rule engine's spans of ready days, the monthly hours of those with a target, the next follow-up,
each placement's end and legal limit. Imported only when something is to be remade."""

from __future__ import annotations

import datetime as _dt
from functools import cache

from fleksrun.domain.law import allowed_practice_weeks, practice_start
from fleksrun.domain.programs import Program
from fleksrun.domain.rules import ready_spans
from fleksrun.services.agenda.sql import SUMMARY_TABLES
from fleksrun.services.facts import gather_facts_many, in_chunks
from fleksrun.services.programs import stored_programs
from fleksrun.store.connection import Database
from fleksrun.store.queries import LATEST_FOLLOWUP

_CHUNK = 2_000  # stays whose facts are read together: bounded memory when everyone is remade
_ANY_DAY = _dt.date(2000, 1, 1)  # facts are not cut at "today": the spans ask them on every day


# The marked citizens not erased, and their active enrollments: from the marks (CROSS JOIN keeps
# that order), not from every enrollment.
_MARKED = """FROM agenda_stale s
    CROSS JOIN citizens c ON c.id = s.citizen_id AND c.erased_at IS NULL
    CROSS JOIN enrollments e ON e.citizen_id = c.id AND e.status = 'active'"""


def remake(db: Database) -> None:
    """Remake the rows of the citizens in ``agenda_stale`` (the stored one or a shadow) and clear it."""
    programs = stored_programs(db)
    for table in SUMMARY_TABLES:
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
    citizens = {row[0] for row in db.execute("""SELECT DISTINCT r.citizen_id FROM agenda_stale s
        CROSS JOIN ready_state r ON r.citizen_id = s.citizen_id WHERE r.hours_target IS NOT NULL""")}
    for marks, ids in in_chunks(citizens):
        db.execute(f"""INSERT INTO hours_state (citizen_id, month, kind, hours, source)
                       SELECT citizen_id, month, kind, hours, source FROM monthly_hours
                       WHERE citizen_id IN ({marks})""", ids)


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
    table's), counted from when the citizen's practice at that company began (placements there with a
    short pause between them are one practice). The agenda lists placements whatever their citizen's
    state, so erased ones are kept too."""
    practices: dict[tuple[int, int], list[tuple[_dt.date, _dt.date]]] = {}
    for citizen_id, company_id, first, last in db.execute(
            """SELECT e.citizen_id, p.company_id, p.start, p.end
               FROM agenda_stale s CROSS JOIN enrollments e ON e.citizen_id = s.citizen_id
               JOIN placements p ON p.enrollment_id = e.id WHERE p.kind = 'practice'"""):
        practices.setdefault((citizen_id, company_id), []).append(
            (_dt.date.fromisoformat(first), _dt.date.fromisoformat(last)))
    rows = db.execute("""SELECT p.id, e.citizen_id, p.company_id,
                                COALESCE((SELECT MAX(d.date) FROM days d WHERE d.placement_id = p.id
                                          AND d.status != 'cancelled'), p.end),
                                p.kind, p.start, p.extensions
                         FROM agenda_stale s CROSS JOIN enrollments e ON e.citizen_id = s.citizen_id
                              AND e.status = 'active'
                         JOIN placements p ON p.enrollment_id = e.id""").fetchall()
    made = []
    for placement_id, citizen_id, company_id, ends, kind, start, extensions in rows:
        limit = None
        if kind == "practice":
            began = practice_start(practices[(citizen_id, company_id)], _dt.date.fromisoformat(start))
            limit = practice_limit(began.isoformat(), extensions or 0)
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
