"""Attendance: what happened on a booked (or an extra) day, and the past days still unrecorded.

"Missing" is never stored: it is a planned day in the past, found by ``store.queries.missing_attendance``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from fleksrun.domain.law import Warning
from fleksrun.domain.placements import ABSENCE_REASONS, check_day_hours
from fleksrun.errors import Ambiguous, InputError, Refused
from fleksrun.i18n import label
from fleksrun.services import limits
from fleksrun.services.lookup import find_citizen, find_company
from fleksrun.services.plan_changes import citizen_day
from fleksrun.services.scheduling import refuse_clashes
from fleksrun.store.connection import Database
from fleksrun.store.tx import transaction


def _placement_on(db: Database, citizen: dict[str, Any], day: _dt.date, company_ref: str | None) -> dict[str, Any]:
    """The placement an extra day belongs to: the one running that day (at the company, if given)."""
    sql = """SELECT p.id, p.kind, p.hours_per_day, co.name AS company, p.start, p.end
             FROM placements p JOIN enrollments e ON e.id = p.enrollment_id JOIN companies co ON co.id = p.company_id
             WHERE e.citizen_id = ? AND e.status = 'active'"""
    binds: list[Any] = [citizen["id"]]
    if company_ref is not None:
        sql += " AND p.company_id = ?"
        binds.append(find_company(db, company_ref)["id"])
    rows = list(db.query(sql + " ORDER BY p.start DESC, p.id DESC", binds))
    running = [r for r in rows if r["start"] <= day.isoformat() <= r["end"]]
    if len(running) > 1:
        raise Ambiguous("attendance.which_placement", date=day,
                        companies=", ".join(f"{r['company']} ({label('placement_kind', r['kind'])})" for r in running))
    if running:
        return running[0]
    # With a company named, a day just before or after its placement is still an extra day there.
    if company_ref is not None and rows:
        return rows[0]
    raise Refused("attendance.no_placement", citizen=citizen["name"], date=day)


def attend(
    db: Database, citizen_ref: str, day: _dt.date, today: _dt.date, *, hours: float | None = None,
    absent: str | None = None, note: str | None = None, company_ref: str | None = None,
) -> dict[str, Any]:
    """Record a day as attended (with hours) or absent (with a reason); an unbooked day becomes an extra day."""
    if day > today:
        raise InputError("attendance.future", date=day)
    if hours is not None and absent is not None:
        raise InputError("attendance.hours_and_absent")
    if absent is not None and absent not in ABSENCE_REASONS:
        raise InputError("attendance.bad_reason", reason=absent, reasons=", ".join(ABSENCE_REASONS))
    if hours is not None:
        check_day_hours(hours)
    citizen = find_citizen(db, citizen_ref)
    row = citizen_day(db, citizen, day, company_ref)
    if row is not None:
        placement_id, kind, company = row["placement_id"], row["kind"], row["company"]
        default_hours = row["planned_hours"]
        previous, extra = row["status"], bool(row["extra"])
    else:
        refuse_clashes(db, citizen, [day])  # booked at another company than the one named
        placement = _placement_on(db, citizen, day, company_ref)
        placement_id, kind, company, default_hours = (placement["id"], placement["kind"], placement["company"],
                                                      placement["hours_per_day"])
        previous, extra = None, True
    if absent is None and hours is None:
        if default_hours is None:
            raise InputError("attendance.hours_needed", date=day)
        hours = float(default_hours)
    values: dict[str, Any] = {"status": "absent" if absent else "attended", "hours": None if absent else hours,
                              "reason": absent}
    if note is not None:
        values["note"] = note
    warnings: list[Warning] = []
    if kind == "practice" and not absent:
        warnings = limits.weekly_practice_hours(db, citizen["id"], [(day, hours)],
                                                exclude_day_ids=[row["id"]] if row else [])
    with transaction(db, "attend") as tx:
        tx.about(citizen["id"])
        if row is not None:
            tx.update("days", row["id"], values)
            day_id = row["id"]
        else:
            cancelled = db.execute("SELECT id FROM days WHERE placement_id = ? AND date = ? AND status = 'cancelled'",
                                   [placement_id, day.isoformat()]).fetchone()
            if cancelled:
                tx.update("days", cancelled[0], {**values, "extra": 1})
                day_id = cancelled[0]
            else:
                day_id = tx.insert("days", {"placement_id": placement_id, "date": day.isoformat(),
                                            "planned_hours": None, "extra": 1, **values})
    return {"citizen_id": citizen["id"], "citizen": citizen["name"], "date": day, "company": company,
            "placement_id": placement_id, "day_id": day_id, "kind": kind, "status": values["status"],
            "hours": values["hours"], "reason": absent, "extra": extra, "previous": previous, "warnings": warnings}


# A citizen's booked days still planned in a window, with what the listing and the change need.
_PLANNED_SQL = """SELECT d.id, d.date, d.planned_hours, p.kind, co.name AS company
    FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
    JOIN companies co ON co.id = p.company_id
    WHERE e.citizen_id = :citizen AND e.status = 'active' AND d.status = 'planned'
      AND d.date >= :first AND d.date <= :last
    ORDER BY d.date, d.id"""


def attend_week(
    db: Database, citizen_ref: str, first: _dt.date, last: _dt.date, today: _dt.date,
    confirm: Callable[[dict[str, Any]], None],
) -> dict[str, Any]:
    """A normal week: every planned day of the citizen from ``first`` to ``last`` (up to today) recorded
    as attended with its planned hours, in one change (one `undo`). ``confirm`` is shown the days
    first (``{citizen, days, later}``, ``later``: planned days still to come) and stops the change by
    raising (the user said no)."""
    citizen = find_citizen(db, citizen_ref)
    binds = {"citizen": citizen["id"], "first": first.isoformat(), "last": min(last, today).isoformat()}
    days = [dict(row) for row in db.query(_PLANNED_SQL, binds)]
    later = 0
    if last > today:
        later = len(list(db.query(_PLANNED_SQL, {**binds, "first": (today + _dt.timedelta(days=1)).isoformat(),
                                                 "last": last.isoformat()})))
    unplanned = next((day for day in days if day["planned_hours"] is None), None)
    if unplanned is not None:
        raise InputError("attendance.week_hours_needed", date=_dt.date.fromisoformat(unplanned["date"]),
                         citizen=citizen["name"])
    listing = {"citizen_id": citizen["id"], "citizen": citizen["name"], "from": first, "to": last,
               "days": [{"date": _dt.date.fromisoformat(d["date"]), "company": d["company"], "kind": d["kind"],
                         "hours": float(d["planned_hours"])} for d in days], "later": later}
    if not days:  # already recorded, or none booked: nothing to change
        return {**listing, "warnings": []}
    practice = [(_dt.date.fromisoformat(d["date"]), float(d["planned_hours"])) for d in days if d["kind"] == "practice"]
    warnings = limits.weekly_practice_hours(db, citizen["id"], practice, exclude_day_ids=[d["id"] for d in days]) \
        if practice else []
    confirm(listing)
    with transaction(db, "attend") as tx:
        tx.about(citizen["id"])
        for day in days:
            tx.update("days", day["id"], {"status": "attended", "hours": float(day["planned_hours"]), "reason": None})
    return {**listing, "warnings": warnings}
