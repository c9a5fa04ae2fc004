"""Read what the exit rules need: an enrollment's current phase and its facts, in SQL.

Only the facts the phase's rule kinds look at are read: a checklist phase never sums hours.
Monthly hours come from ``store.queries.monthly_hours`` (the one source of monthly hours).
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator
from typing import Any

from fleksrun.store.connection import Database

from fleksrun.domain.dates import add_months
from fleksrun.domain.programs import Phase, Program
from fleksrun.domain.rules import Facts, month_key, week_monday
from fleksrun.errors import Ambiguous, NotFound
from fleksrun.services.lookup import find_citizen
from fleksrun.services.programs import enrolled_program
from fleksrun.store.queries import monthly_hours_many

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

# Attended practice days of many enrollments, each from its own phase start: ``:want`` is a JSON
# list of [enrollment_id, phase_start]. CROSS JOIN keeps the wanted list as the outer loop: SQLite
# cannot size json_each and would otherwise scan the big table once per wanted row.
_PRACTICE_DAYS_SQL = """
SELECT w.value ->> 0 AS enrollment_id, d.date
FROM json_each(:want) w
CROSS JOIN placements p ON p.enrollment_id = w.value ->> 0 AND p.kind = 'practice'
JOIN days d ON d.placement_id = p.id
WHERE d.status = 'attended' AND d.date >= w.value ->> 1 AND d.date <= :today
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
    rows = list(db.query(_ENROLLMENT_SQL.format(where="e.citizen_id = :citizen AND e.status = 'active'", order="e.start, e.id"),
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


def gather_facts_many(db: Database, wanted: list[tuple[dict[str, Any], Phase]], today: _dt.date) -> dict[int, Facts]:
    """Facts for many enrollments with a few set queries, not a few queries per enrollment.

    Only the facts a phase's rule kinds look at are read: a checklist phase never sums hours.
    """
    ticked: dict[int, set[str]] = {}
    practice: dict[int, list[str]] = {}
    want_ticks, want_days, want_hours = [], [], []
    windows: dict[int, tuple[str, str]] = {}  # enrollment -> months its hours rules look at
    for row, phase in wanted:
        kinds = {rule.kind for rule in phase.rules}
        start = _dt.date.fromisoformat(row["phase_entered"])
        if "checklist" in kinds:
            want_ticks.append([row["enrollment_id"], phase.id, start.isoformat(), row["phase_row"]])
        if kinds & {"continuous_practice_weeks", "practice_days"}:
            want_days.append([row["enrollment_id"], start.isoformat()])
        if kinds & {"ordinary_hours_month", "hours_increase"}:
            first = start if "hours_increase" not in kinds else add_months(start, -HOURS_BASELINE_MONTHS)
            windows[row["enrollment_id"]] = (month_key(first), month_key(max(today, start)))
            want_hours.append((row["citizen_id"], *windows[row["enrollment_id"]]))
    if want_ticks:
        for enrollment_id, item in db.execute(_TICKED_SQL, {"want": json.dumps(want_ticks)}):
            ticked.setdefault(enrollment_id, set()).add(item)
    if want_days:
        for enrollment_id, day in db.execute(_PRACTICE_DAYS_SQL, {"want": json.dumps(want_days),
                                                                  "today": today.isoformat()}):
            practice.setdefault(enrollment_id, []).append(day)
    hours = monthly_hours_many(db, want_hours) if want_hours else {}
    facts = {}
    for row, phase in wanted:
        start = _dt.date.fromisoformat(row["phase_entered"])
        days = sorted(set(practice.get(row["enrollment_id"], ())))
        first, last = windows.get(row["enrollment_id"], ("", ""))
        months = {m: k for m, k in hours.get(row["citizen_id"], {}).items() if first <= m <= last}
        facts[row["enrollment_id"]] = Facts(
            phase_start=start, today=today, ticked=frozenset(ticked.get(row["enrollment_id"], ())), hours=months,
            practice_weeks=tuple(sorted({week_monday(_dt.date.fromisoformat(d)) for d in days})),
            practice_days=len(days), outcome=row["outcome"])
    return facts
