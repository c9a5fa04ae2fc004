"""Read what the exit rules need: an enrollment's current phase and its facts, in SQL.

Only the facts the phase's rule kinds look at are read: a checklist phase never sums hours.
Monthly hours come from ``store.queries.monthly_hours`` (the one source of monthly hours).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.store.connection import Database

from fleksrun.domain.dates import add_months
from fleksrun.domain.programs import Phase, Program
from fleksrun.domain.rules import Facts, month_key
from fleksrun.errors import Ambiguous, NotFound
from fleksrun.services.lookup import find_citizen
from fleksrun.services.programs import enrolled_program
from fleksrun.store.queries import monthly_hours

# How far before the phase start ``hours_increase`` looks for the flex-job hours "at the start".
HOURS_BASELINE_MONTHS = 12

_ENROLLMENT_SQL = """
SELECT e.id AS enrollment_id, e.citizen_id, c.name AS citizen, e.program_id AS program, e.program_def,
       e.start, e.status, e.outcome, ph.id AS phase_row, ph.phase, ph.entered AS phase_entered
FROM enrollments e
JOIN citizens c ON c.id = e.citizen_id
LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
WHERE {where}
ORDER BY e.start, e.id
"""

# The Monday of a day's ISO week: SQLite's %w counts Sunday as 0.
_MONDAY = "date(d.date, '-' || ((CAST(strftime('%w', d.date) AS INTEGER) + 6) % 7) || ' days')"

_PRACTICE_FILTER = """
FROM days d JOIN placements p ON p.id = d.placement_id
WHERE p.enrollment_id = :enrollment AND p.kind = 'practice' AND d.status = 'attended'
  AND d.date >= :start AND d.date <= :today
"""


# Back in a phase it left before (after a dropout), its checklist starts again: only items ticked
# since this stay began count; on the first stay, items ticked before it began count too.
_TICKED_SQL = """
SELECT item FROM checklist
WHERE enrollment_id = :enrollment AND phase = :phase
  AND (done_on >= :start OR NOT EXISTS (
      SELECT 1 FROM phases WHERE enrollment_id = :enrollment AND phase = :phase AND id < :row))
"""


def enrollment_row(db: Database, enrollment_id: int) -> dict[str, Any]:
    """One enrollment with its citizen's name and current phase."""
    rows = list(db.query(_ENROLLMENT_SQL.format(where="e.id = :id"), {"id": enrollment_id}))
    if not rows:
        raise NotFound("phase.no_enrollment", id=enrollment_id)
    return rows[0]


def current_enrollment(db: Database, citizen_ref: str, program: str | None = None) -> dict[str, Any]:
    """A citizen's active enrollment (the one in ``program`` when she has several)."""
    citizen = find_citizen(db, citizen_ref)
    rows = list(db.query(_ENROLLMENT_SQL.format(where="e.citizen_id = :citizen AND e.status = 'active'"),
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
    kinds = {rule.kind for rule in phase.rules}
    start = _dt.date.fromisoformat(row["phase_entered"])
    binds = {"enrollment": row["enrollment_id"], "start": start.isoformat(), "today": today.isoformat()}
    ticked: frozenset[str] = frozenset()
    if "checklist" in kinds:
        ticked = frozenset(r[0] for r in db.execute(_TICKED_SQL, {**binds, "phase": phase.id, "row": row["phase_row"]}))
    hours: dict[str, dict[str, float]] = {}
    if kinds & {"ordinary_hours_month", "hours_increase"}:
        first = start if "hours_increase" not in kinds else add_months(start, -HOURS_BASELINE_MONTHS)
        hours = monthly_hours(db, row["citizen_id"], month_key(first), month_key(max(today, start)))
    weeks: tuple[_dt.date, ...] = ()
    if "continuous_practice_weeks" in kinds:
        weeks = tuple(_dt.date.fromisoformat(r[0]) for r in db.execute(
            f"SELECT DISTINCT {_MONDAY} {_PRACTICE_FILTER} ORDER BY 1", binds))
    days = 0
    if "practice_days" in kinds:
        days = db.execute(f"SELECT COUNT(DISTINCT d.date) {_PRACTICE_FILTER}", binds).fetchone()[0]
    return Facts(phase_start=start, today=today, ticked=ticked, hours=hours, practice_weeks=weeks,
                 practice_days=days, outcome=row["outcome"])
