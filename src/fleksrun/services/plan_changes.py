"""Changing a plan: cancel or move one day, cancel the rest of a placement.

A day with attendance recorded (attended or absent) is a fact, not a plan: these never touch it.
Extending a placement is ``scheduling.extend_placement``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.domain.calendar import holiday_name
from fleksrun.domain.law import Warning
from fleksrun.errors import Ambiguous, InputError, NotFound, Refused
from fleksrun.i18n import label
from fleksrun.services import limits
from fleksrun.services.lookup import find_citizen, find_company
from fleksrun.services.scheduling import choose_placement, company_closures, refuse_clashes
from fleksrun.store.connection import Database
from fleksrun.store.tx import transaction


def citizen_day(db: Database, citizen: dict[str, Any], day: _dt.date, company_ref: str | None = None) -> dict | None:
    """The citizen's day (not cancelled) on ``day``, at the company if given; None if there is none."""
    sql = """SELECT d.*, p.kind, p.company_id, p.start AS placement_start, p.end AS placement_end,
                    co.name AS company, co.employees
             FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
             JOIN companies co ON co.id = p.company_id
             WHERE e.citizen_id = ? AND d.date = ? AND d.status != 'cancelled'"""
    binds: list[Any] = [citizen["id"], day.isoformat()]
    if company_ref is not None:
        sql += " AND p.company_id = ?"
        binds.append(find_company(db, company_ref)["id"])
    rows = list(db.query(sql + " ORDER BY d.id", binds))
    if len(rows) > 1:  # only possible in a database written outside fleksrun
        raise Ambiguous("scheduling.which_day", date=day, companies=", ".join(r["company"] for r in rows))
    return rows[0] if rows else None


def _booked_day(db: Database, citizen: dict[str, Any], day: _dt.date, company_ref: str | None) -> dict[str, Any]:
    row = citizen_day(db, citizen, day, company_ref)
    if row is None:
        raise NotFound("scheduling.no_day", citizen=citizen["name"], date=day)
    if row["status"] != "planned":
        raise Refused("scheduling.day_recorded", citizen=citizen["name"], date=day,
                      status=label("day_status", row["status"]))
    return row


def cancel_day(db: Database, citizen_ref: str, day: _dt.date, *, company_ref: str | None = None) -> dict[str, Any]:
    """Cancel one booked day; refused when attendance is recorded for it."""
    citizen = find_citizen(db, citizen_ref)
    row = _booked_day(db, citizen, day, company_ref)
    with transaction(db, "cancel") as tx:
        tx.about(citizen["id"])
        tx.update("days", row["id"], {"status": "cancelled"})
    return {"citizen_id": citizen["id"], "citizen": citizen["name"], "company": row["company"],
            "placement_id": row["placement_id"], "cancelled": [day], "kept": [], "end": row["placement_end"]}


def cancel_rest(
    db: Database, citizen_ref: str, since: _dt.date, *, placement_id: int | None = None,
    company_ref: str | None = None,
) -> dict[str, Any]:
    """Cancel every booked day of a placement from ``since`` on; recorded days stay, the end moves in."""
    citizen = find_citizen(db, citizen_ref)
    placement = choose_placement(db, citizen, placement_id=placement_id, company_ref=company_ref)
    rows = list(db.query("SELECT id, date, status FROM days WHERE placement_id = ? AND date >= ? ORDER BY date",
                         [placement["id"], since.isoformat()]))
    to_cancel = [r for r in rows if r["status"] == "planned"]
    kept = [r["date"] for r in rows if r["status"] in ("attended", "absent")]
    if not to_cancel:
        raise InputError("scheduling.nothing_to_cancel", company=placement["company"], date=since)
    cancelled_ids = [r["id"] for r in to_cancel]
    last = db.execute(
        "SELECT MAX(date) FROM days WHERE placement_id = ? AND status != 'cancelled' AND id NOT IN ({})".format(
            ", ".join("?" for _ in cancelled_ids)), [placement["id"], *cancelled_ids]).fetchone()[0]
    end = last or placement["start"]
    with transaction(db, "cancel") as tx:
        tx.about(citizen["id"])
        for day_id in cancelled_ids:
            tx.update("days", day_id, {"status": "cancelled"})
        tx.update("placements", placement["id"], {"end": end})
    return {"citizen_id": citizen["id"], "citizen": citizen["name"], "company": placement["company"],
            "placement_id": placement["id"], "cancelled": [r["date"] for r in to_cancel], "kept": kept, "end": end}


def move_day(
    db: Database, citizen_ref: str, day: _dt.date, to: _dt.date, *, company_ref: str | None = None,
) -> dict[str, Any]:
    """Move one booked day to another date; refused on a clash or when attendance is recorded."""
    if to == day:
        raise InputError("scheduling.move_same", date=day)
    citizen = find_citizen(db, citizen_ref)
    row = _booked_day(db, citizen, day, company_ref)
    refuse_clashes(db, citizen, [to], except_day_ids=[row["id"]])
    warnings: list[Warning] = []
    blocked = holiday_name(to) or company_closures(db, row["company_id"]).get(to)
    if blocked is not None:
        warnings.append(Warning("scheduling.moved_onto_closed", {"date": to, "name": blocked or to.isoformat()}))
    if row["kind"] == "practice":
        warnings += limits.weekly_practice_hours(db, citizen["id"], [(to, row["planned_hours"])],
                                                 exclude_day_ids=[row["id"]])
    old_cancelled = db.execute("SELECT id FROM days WHERE placement_id = ? AND date = ? AND status = 'cancelled'",
                               [row["placement_id"], to.isoformat()]).fetchone()
    with transaction(db, "move") as tx:
        tx.about(citizen["id"])
        if old_cancelled:  # the placement's cancelled day on the new date gives way (one row per date)
            tx.delete("days", old_cancelled[0])
        tx.update("days", row["id"], {"date": to.isoformat(), "holiday": None})
        last = db.execute("SELECT MAX(date) FROM days WHERE placement_id = ? AND status != 'cancelled'",
                          [row["placement_id"]]).fetchone()[0]
        tx.update("placements", row["placement_id"], {"start": min(row["placement_start"], to.isoformat()),
                                                      "end": last})
    return {"citizen_id": citizen["id"], "citizen": citizen["name"], "company": row["company"],
            "placement_id": row["placement_id"], "from": day, "to": to, "warnings": warnings}
