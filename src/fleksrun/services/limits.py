"""Legal limits checked when days are booked or recorded: warnings only, they never block.

The values come from the dated rule table in ``fleksrun.domain.law``; this module only gathers the
facts from the database (aggregated in SQL) that the rules need.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable

from fleksrun.domain.law import (
    Warning,
    capacity_warning,
    practice_length_warning,
    practice_start,
    weekly_practice_hours_warning,
)
from fleksrun.domain.placements import CAPACITY_KINDS, add_week_hours, week_monday
from fleksrun.store.connection import Database

# Practice hours of one citizen per ISO week (keyed by its Monday): booked days count their planned
# hours, attended days the hours recorded; absent and cancelled days count nothing.
_WEEK_HOURS_SQL = """
SELECT date(d.date, '-' || ((CAST(strftime('%w', d.date) AS INTEGER) + 6) % 7) || ' days') AS monday,
       SUM(CASE WHEN d.status = 'attended' THEN COALESCE(d.hours, 0) ELSE COALESCE(d.planned_hours, 0) END)
FROM days d
JOIN placements p ON p.id = d.placement_id
JOIN enrollments e ON e.id = p.enrollment_id
WHERE e.citizen_id = :citizen AND p.kind = 'practice' AND d.status IN ('planned', 'attended')
  AND d.date >= :first AND d.date <= :last
  AND d.id NOT IN (SELECT value FROM json_each(:exclude))
GROUP BY monday
"""


def practice_length(db: Database, citizen_id: int, company_id: int, kind: str, start: _dt.date, end: _dt.date,
                    extensions: int, *, placement_id: int | None = None) -> list[Warning]:
    """The 13-week limit (LAB § 61) for a practice placement from ``start`` to ``end`` (placement
    ``placement_id`` when it exists already), counted from when the citizen's practice at the company
    began: placements there with a short pause between them are one practice. Other kinds have none."""
    if kind != "practice":
        return []
    others = [(_dt.date.fromisoformat(first), _dt.date.fromisoformat(last)) for first, last in db.execute(
        """SELECT p.start, p.end FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
           WHERE e.citizen_id = ? AND p.company_id = ? AND p.kind = 'practice' AND p.id IS NOT ?""",
        [citizen_id, company_id, placement_id])]
    warning = practice_length_warning(practice_start(others, start), end, extensions)
    if warning is None:
        return []
    return [warning, Warning("scheduling.extension_hint", {})]


def weekly_practice_hours(
    db: Database, citizen_id: int, new_days: Iterable[tuple[_dt.date, float | None]],
    *, exclude_day_ids: Iterable[int] = (),
) -> list[Warning]:
    """Weeks touched by ``new_days`` whose practice hours, with the days already there, pass 37."""
    new = list(new_days)
    if not new:
        return []
    first = week_monday(min(d for d, _ in new))
    last = week_monday(max(d for d, _ in new)) + _dt.timedelta(days=6)
    rows = db.execute(_WEEK_HOURS_SQL, {"citizen": citizen_id, "first": first.isoformat(), "last": last.isoformat(),
                                        "exclude": json.dumps(list(exclude_day_ids))})
    existing = {_dt.date.fromisoformat(monday): float(hours) for monday, hours in rows}
    touched = {week_monday(d) for d, _ in new}
    totals = add_week_hours(existing, new)
    warnings = []
    for monday in sorted(touched):
        warning = weekly_practice_hours_warning(monday, totals.get(monday, 0.0))
        if warning is not None:
            warnings.append(warning)
    return warnings


def company_capacity(
    db: Database, company: dict, citizen_id: int, kind: str, start: _dt.date, end: _dt.date,
) -> list[Warning]:
    """Citizens in practice or wage subsidy at the company in the period, this one included."""
    if kind not in CAPACITY_KINDS or company.get("employees") is None:
        return []
    others = db.execute(
        """SELECT COUNT(DISTINCT e.citizen_id) FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
           WHERE p.company_id = :company AND p.kind IN ('practice', 'subsidised') AND e.status = 'active'
             AND p.start <= :end AND p.end >= :start AND e.citizen_id != :citizen""",
        {"company": company["id"], "start": start.isoformat(), "end": end.isoformat(), "citizen": citizen_id},
    ).fetchone()[0]
    warning = capacity_warning(company["employees"], others + 1, start)
    return [] if warning is None else [warning]
