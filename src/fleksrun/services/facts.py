"""Read what the exit rules need: an enrollment's current phase and its facts, in SQL.

Only the facts the phase's rule kinds look at are read: a checklist phase never sums hours.
Monthly hours and attended practice come from the views ``monthly_hours`` and ``practice_attended``
(``store.migrations.m006_rule_views``), where each is defined once.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator
from typing import Any

from fleksrun.domain.calendar import days_off as calendar_days_off
from fleksrun.domain.dates import add_months
from fleksrun.domain.programs import WEEKDAY_NAMES, Phase, Program
from fleksrun.domain.rules import Facts, PracticeSpan, facts_read, month_key
from fleksrun.errors import Ambiguous, NotFound
from fleksrun.services.lookup import find_citizen
from fleksrun.services.programs import enrolled_program
from fleksrun.services.settings import days_off as file_days_off
from fleksrun.store.connection import Database
from fleksrun.store.queries import HOUR_KINDS

# How far before the phase start ``hours_increase`` looks for the flex-job hours "at the start".
HOURS_BASELINE_MONTHS = 12

_ENROLLMENT_SQL = """
SELECT e.id AS enrollment_id, e.citizen_id, c.name AS citizen, e.program_id AS program, e.program_def,
       e.start, e.status, e.outcome, ph.id AS phase_row, ph.phase, ph.entered AS phase_entered
FROM enrollments e
JOIN citizens c ON c.id = e.citizen_id
LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
WHERE {where}
ORDER BY {order}
"""

# Back in a phase it left before (after a dropout), its checklist starts again: only items ticked
# since this stay began count; on the first stay, items ticked before it began count too.
# ``:want`` is a JSON list of [enrollment_id, phase, phase_start, phase_row].
_TICKED_SQL = """
SELECT k.enrollment_id, k.item
FROM json_each(:want) w
CROSS JOIN checklist k ON k.enrollment_id = w.value ->> 0 AND k.phase = w.value ->> 1
WHERE k.done_on >= w.value ->> 2 OR NOT EXISTS (
    SELECT 1 FROM phases ph WHERE ph.enrollment_id = k.enrollment_id AND ph.phase = k.phase
      AND ph.id < w.value ->> 3)
"""


def enrollment_row(db: Database, enrollment_id: int) -> dict[str, Any]:
    """One enrollment with its citizen's name and current phase."""
    rows = list(db.query(_ENROLLMENT_SQL.format(where="e.id = :id", order="e.id"), {"id": enrollment_id}))
    if not rows:
        raise NotFound("phase.no_enrollment", id=enrollment_id)
    return rows[0]


def active_rows(db: Database, citizen_id: int | None = None) -> Iterator[dict[str, Any]]:
    """Active enrollments of citizens not erased (of one citizen, if given), by citizen name."""
    where = "e.status = 'active' AND c.erased_at IS NULL AND (:citizen IS NULL OR e.citizen_id = :citizen)"
    sql = _ENROLLMENT_SQL.format(where=where, order="c.name COLLATE NOCASE, e.start, e.id")
    return db.query(sql, {"citizen": citizen_id})


def current_enrollment(db: Database, citizen_ref: str, program: str | None = None) -> dict[str, Any]:
    """A citizen's active enrollment (the one in ``program`` when she has several)."""
    citizen = find_citizen(db, citizen_ref)
    where = "e.citizen_id = :citizen AND e.status = 'active'"
    rows = list(db.query(_ENROLLMENT_SQL.format(where=where, order="e.start, e.id"),
                         {"citizen": citizen["id"]}))
    if not rows:
        raise NotFound("phase.no_active", citizen=citizen["name"])
    programs = ", ".join(r["program"] for r in rows)
    if program is not None:
        rows = [r for r in rows if r["program"] == program.strip().lower()]
        if not rows:
            raise NotFound("phase.not_in_program", citizen=citizen["name"], program=program, programs=programs)
    if len(rows) > 1:
        raise Ambiguous("phase.several", citizen=citizen["name"], programs=programs)
    return rows[0]


def program_and_phase(db: Database, row: dict[str, Any]) -> tuple[Program, Phase]:
    program = enrolled_program(db, row["program_def"])
    return program, program.phase(row["phase"])


def gather_facts(db: Database, row: dict[str, Any], phase: Phase, today: _dt.date) -> Facts:
    """The facts ``phase``'s rules need for the enrollment ``row`` (from ``enrollment_row``)."""
    return gather_facts_many(db, [(row, phase)], today)[row["enrollment_id"]]


# Rows per IN list: SQLite takes a list of bound values into the views (the rows of the wanted
# citizens only, by their indexes), where a join on json_each would read the whole view.
_IN_CHUNK = 500


def in_chunks(ids: set[int]) -> Iterator[tuple[str, list[int]]]:
    """``(placeholders, ids)`` for ``column IN (…)``, a chunk at a time."""
    ordered = sorted(ids)
    for i in range(0, len(ordered), _IN_CHUNK):
        chunk = ordered[i:i + _IN_CHUNK]
        yield ", ".join("?" * len(chunk)), chunk


def gather_facts_many(db: Database, wanted: list[tuple[dict[str, Any], Phase]], today: _dt.date) -> dict[int, Facts]:
    """Facts for many enrollments with a few set queries, not a few queries per enrollment.

    Only the facts a phase's rule kinds read (``domain.rules.KINDS``) are read: a checklist phase
    never sums hours. The facts are not cut at ``today`` (each rule looks up to it), so the same
    facts serve ``facts.on(day)`` for any day.
    """
    reads = {row["enrollment_id"]: facts_read(phase) for row, phase in wanted}
    want_ticks = [[row["enrollment_id"], phase.id, row["phase_entered"], row["phase_row"]]
                  for row, phase in wanted if "ticked" in reads[row["enrollment_id"]]]
    want_days = {row["enrollment_id"] for row, _phase in wanted if "practice" in reads[row["enrollment_id"]]}
    want_hours = {row["citizen_id"] for row, _phase in wanted
                  if reads[row["enrollment_id"]] & {"hours", "hours_before"}}
    ticked: dict[int, set[str]] = {}
    if want_ticks:
        for enrollment_id, item in db.execute(_TICKED_SQL, {"want": json.dumps(want_ticks)}):
            ticked.setdefault(enrollment_id, set()).add(item)
    practice = attended_practice(db, want_days)
    spans, sick = practice_placements(db, {row["enrollment_id"] for row, _phase in wanted
                                    if "placements" in reads[row["enrollment_id"]]})
    hours: dict[int, dict[str, dict[str, float]]] = {}
    for marks, ids in in_chunks(want_hours):
        for citizen_id, month, kind, figure in db.execute(
                f"SELECT citizen_id, month, kind, hours FROM monthly_hours WHERE citizen_id IN ({marks})", ids):
            hours.setdefault(citizen_id, {}).setdefault(month, dict.fromkeys(HOUR_KINDS, 0.0))[kind] = float(figure)
    facts = {}
    for row, _phase in wanted:
        enrollment_id = row["enrollment_id"]
        start = _dt.date.fromisoformat(row["phase_entered"])
        # hours_increase compares with the year before the phase began; the others begin with it.
        before = "hours_before" in reads[enrollment_id]
        first = month_key(add_months(start, -HOURS_BASELINE_MONTHS) if before else start)
        facts[enrollment_id] = Facts(
            phase_start=start, today=today, ticked=frozenset(ticked.get(enrollment_id, ())),
            hours={m: k for m, k in hours.get(row["citizen_id"], {}).items() if m >= first},
            practice=tuple(sorted(_dt.date.fromisoformat(d) for d in practice.get(enrollment_id, ())
                                  if d >= row["phase_entered"])),
            outcome=row["outcome"], placements=spans.get(enrollment_id, ()),
            sick=frozenset(day for day in sick.get(enrollment_id, ()) if day >= start))
    return facts


def _weekdays(stored: str) -> frozenset[int]:
    """A placement's stored weekdays, Monday = 0 ("1,3"; a file written by hand may name them)."""
    days = set()
    for part in (p.strip().lower() for p in stored.split(",")):
        if part.isdigit():
            days.add(int(part))
        elif part[:3] in WEEKDAY_NAMES:
            days.add(WEEKDAY_NAMES.index(part[:3]))
    return frozenset(days)


def attended_practice(db: Database, enrollments: set[int]) -> dict[int, set[str]]:
    """The attended practice days of the enrollments (the view ``practice_attended``)."""
    practice: dict[int, set[str]] = {}
    for marks, ids in in_chunks(enrollments):
        for enrollment_id, day in db.execute(
                f"SELECT enrollment_id, date FROM practice_attended WHERE enrollment_id IN ({marks})", ids):
            practice.setdefault(enrollment_id, set()).add(day)
    return practice


def practice_placements(db: Database, enrollments: set[int]) -> tuple[dict[int, tuple[PracticeSpan, ...]],
                                                                     dict[int, set[_dt.date]]]:
    """The practice placements of the enrollments, with their companies' closing days, and the
    practice days recorded absent as sick: what continuous practice reads."""
    rows: list[tuple[int, str, str, str, int]] = []
    sick: dict[int, set[_dt.date]] = {}
    for marks, ids in in_chunks(enrollments):
        rows += db.execute(f"""SELECT enrollment_id, start, end, weekdays, company_id FROM placements
                               WHERE kind = 'practice' AND enrollment_id IN ({marks})""", ids).fetchall()
        for enrollment_id, day in db.execute(
                f"""SELECT p.enrollment_id, d.date FROM placements p JOIN days d ON d.placement_id = p.id
                    WHERE p.kind = 'practice' AND d.status = 'absent' AND d.reason = 'sick'
                      AND p.enrollment_id IN ({marks})""", ids):
            sick.setdefault(enrollment_id, set()).add(_dt.date.fromisoformat(day))
    closed: dict[int, set[_dt.date]] = {}
    for marks, ids in in_chunks({row[4] for row in rows}):
        for company_id, day in db.execute(
                f"SELECT company_id, date FROM company_closures WHERE company_id IN ({marks})", ids):
            closed.setdefault(company_id, set()).add(_dt.date.fromisoformat(day))
    # The customary days the file sets as days off close every company.
    off: set[_dt.date] = set()
    codes = file_days_off(db)
    if codes and rows:
        off = set(calendar_days_off(range(int(min(r[1] for r in rows)[:4]), int(max(r[2] for r in rows)[:4]) + 1),
                                    codes))
    spans: dict[int, list[PracticeSpan]] = {}
    for enrollment_id, first, last, weekdays, company_id in rows:
        spans.setdefault(enrollment_id, []).append(PracticeSpan(
            _dt.date.fromisoformat(first), _dt.date.fromisoformat(last),
            _weekdays(weekdays), frozenset(closed.get(company_id, set()) | off)))
    return {k: tuple(v) for k, v in spans.items()}, sick
