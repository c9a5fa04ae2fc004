"""Scheduling: a placement and its days from a weekday pattern, and extending it later.

The days come from ``fleksrun.domain.calendar.plan_days`` (rrule around Danish public holidays, the
customary days the file sets as days off (`config days-off`) and the company's own closing days). A
customary day off that is not set so (Grundlovsdag, 1 May, Juleaftensdag, Nytårsaftensdag) is booked
with a warning. Defaults come from the current phase's session pattern in the
programme. Double-booking a citizen is refused; legal limits only warn.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any

from fleksrun.domain.calendar import Plan, customary_day, plan_days
from fleksrun.domain.law import Warning
from fleksrun.domain.placements import check_day_hours, check_kind, extensions_needed, next_monday
from fleksrun.errors import Ambiguous, InputError, NotFound, Refused
from fleksrun.i18n import label
from fleksrun.services import limits, settings
from fleksrun.services.lookup import find_citizen, find_company
from fleksrun.services.programs import enrolled_program
from fleksrun.store.connection import Database
from fleksrun.store.tx import Tx, record_stamp, transaction

_PLACEMENT_SQL = """
SELECT p.*, co.name AS company, e.citizen_id AS citizen_id, e.program_id AS program
FROM placements p JOIN companies co ON co.id = p.company_id JOIN enrollments e ON e.id = p.enrollment_id
"""



def active_enrollment(db: Database, citizen: dict[str, Any], program: str | None = None) -> dict[str, Any]:
    """The citizen's active enrollment (in ``program`` if given) with its current phase."""
    rows = list(db.query(
        """SELECT e.id, e.program_id, e.program_def, e.start,
                  (SELECT ph.phase FROM phases ph WHERE ph.enrollment_id = e.id AND ph.left IS NULL
                   ORDER BY ph.id DESC LIMIT 1) AS phase
           FROM enrollments e WHERE e.citizen_id = ? AND e.status = 'active' ORDER BY e.start, e.id""",
        [citizen["id"]]))
    if program:
        rows = [r for r in rows if r["program_id"] == program.strip().lower()]
    if not rows:
        raise Refused("scheduling.not_active", citizen=citizen["name"])
    if len(rows) > 1:
        raise Ambiguous("scheduling.which_program", citizen=citizen["name"],
                        programs=", ".join(r["program_id"] for r in rows))
    return rows[0]


def placement(db: Database, placement_id: int) -> dict[str, Any]:
    rows = list(db.query(_PLACEMENT_SQL + " WHERE p.id = ?", [placement_id]))
    if not rows:
        raise NotFound("scheduling.no_placement_number", number=placement_id)
    return rows[0]


def choose_placement(
    db: Database, citizen: dict[str, Any], *, placement_id: int | None = None, company_ref: str | None = None,
) -> dict[str, Any]:
    """One of the citizen's placements: by number, by company (the latest there), or the only one."""
    if placement_id is not None:
        row = placement(db, placement_id)
        if row["citizen_id"] != citizen["id"]:
            raise NotFound("scheduling.not_her_placement", number=placement_id, citizen=citizen["name"])
        return row
    where, binds = "WHERE e.citizen_id = ? AND e.status = 'active'", [citizen["id"]]
    if company_ref is not None:
        where += " AND p.company_id = ?"
        binds.append(find_company(db, company_ref)["id"])
    rows = list(db.query(_PLACEMENT_SQL + where + " ORDER BY p.start DESC, p.id DESC", binds))
    if not rows:
        raise Refused("scheduling.no_placement", citizen=citizen["name"])
    if len(rows) > 1 and company_ref is None:
        shown = ", ".join(f"#{r['id']} {r['company']} ({r['kind']})" for r in rows)
        raise Ambiguous("scheduling.which_placement", citizen=citizen["name"], placements=shown)
    return rows[0]


def company_closures(db: Database, company_id: int) -> dict[_dt.date, str]:
    """The company's own closing days with their reason (the date itself when none was given)."""
    return {_dt.date.fromisoformat(d): reason or "" for d, reason in db.execute(
        "SELECT date, reason FROM company_closures WHERE company_id = ?", [company_id])}


def clashes(
    db: Database, citizen_id: int, dates: list[_dt.date], *, except_day_ids: tuple[int, ...] | list[int] = (),
) -> list[dict]:
    """The citizen's days (not cancelled) on any of ``dates``: a second booking would clash."""
    return list(db.query(
        """SELECT d.id, d.date, d.status, p.id AS placement_id, p.kind, co.name AS company
           FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
           JOIN companies co ON co.id = p.company_id
           WHERE e.citizen_id = :citizen AND d.status != 'cancelled'
             AND d.date IN (SELECT value FROM json_each(:dates))
             AND d.id NOT IN (SELECT value FROM json_each(:skip))
           ORDER BY d.date""",
        {"citizen": citizen_id, "dates": json.dumps([d.isoformat() for d in dates]),
         "skip": json.dumps(list(except_day_ids))}))


def refuse_clashes(db: Database, citizen: dict[str, Any], dates: list[_dt.date], **kwargs: Any) -> None:
    found = clashes(db, citizen["id"], dates, **kwargs)
    if found:
        first = found[0]
        key = "scheduling.double_booked_more" if len(found) > 1 else "scheduling.double_booked"
        raise Refused(key, citizen=citizen["name"], date=first["date"],
                      company=first["company"], kind=label("placement_kind", first["kind"]),
                      placement=first["placement_id"], more=len(found) - 1)


def _plan_summary(plan: Plan) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    days = [{"date": d.date, "status": d.status, "holiday": d.reason, "original": d.original} for d in plan.days]
    met = [{"date": m.date, "name": m.name, "outcome": m.outcome, "replacement": m.replacement} for m in plan.met]
    return days, met


def _insert_days(tx: Tx, placement_id: int, plan: Plan, hours: float | None) -> None:
    # A cancelled day of this placement on a date booked again is brought back, not duplicated.
    cancelled = {d: i for i, d in tx.db.execute(
        "SELECT id, date FROM days WHERE placement_id = ? AND status = 'cancelled'", [placement_id])}
    for d in plan.days:
        if d.status == "skipped":
            continue
        values = {"planned_hours": hours, "status": "planned", "hours": None, "reason": None,
                  "holiday": d.reason if d.status == "flagged" else None}
        if d.date.isoformat() in cancelled:
            tx.update("days", cancelled[d.date.isoformat()], values)
        else:
            tx.insert("days", {"placement_id": placement_id, "date": d.date.isoformat(), **values})


def insert_placement(tx: Tx, plan: Plan, values: dict[str, Any]) -> int:
    """The placement row and its planned days (checked already), inside the caller's transaction."""
    placement_id = tx.insert("placements", {**values, "created_at": record_stamp()})
    _insert_days(tx, placement_id, plan, values.get("hours_per_day"))
    return placement_id


def _bookable_plan(db: Database, citizen: dict[str, Any], company_id: int, start: _dt.date,
                   weekdays: tuple[int, ...], policy: str, *, weeks: int | None, until: _dt.date | None,
                   count: int | None) -> tuple[Plan, list[_dt.date], _dt.date]:
    """The plan, its booked days and last day; refused if it books nothing or clashes with another booking."""
    plan = plan_days(start, weekdays, weeks=weeks, until=until, count=count, policy=policy,
                     closed=company_closures(db, company_id), customary=settings.days_off(db))
    booked = plan.booked
    if not booked:
        raise InputError("scheduling.nothing_to_book")
    refuse_clashes(db, citizen, booked)
    return plan, booked, booked[-1]


def customary_days_booked(plan: Plan) -> list[Warning]:
    """A warning for each booked day on a customary day off (Grundlovsdag, 1 May, Juleaftensdag,
    Nytårsaftensdag) that neither the file's days off nor the company's closings leave out: not a
    public holiday, but many workplaces are closed. Days kept on purpose (``keep``) are flagged already."""
    found = []
    for d in plan.days:
        custom = customary_day(d.date)
        if custom is not None and d.status in ("booked", "shifted"):
            found.append(Warning("settings.customary_day", {"date": d.date, "name": custom.name}))
    return found


def _before_enrollment(enrollment: dict[str, Any], citizen: dict[str, Any], booked: list[_dt.date]) -> list[Warning]:
    """Days booked before the enrollment began are kept (a late enrollment records what happened),
    with a warning: the rules that count days in a phase count from its start."""
    began = _dt.date.fromisoformat(enrollment["start"])
    first = min(booked, default=began)
    if first >= began:
        return []
    return [Warning("scheduling.before_start", {"start": first, "began": began, "citizen": citizen["name"]})]


def schedule(
    db: Database, citizen_ref: str, *, company_ref: str, start: _dt.date, weeks: int | None = None,
    until: _dt.date | None = None, count: int | None = None, weekdays: tuple[int, ...] | None = None,
    hours: float | None = None, kind: str | None = None, policy: str | None = None, program: str | None = None,
    extension_reason: str | None = None, start_time: str | None = None, dry_run: bool = False,
) -> dict[str, Any]:
    """Plan (and unless ``dry_run``, book) a placement; defaults from the phase's session pattern.
    ``start_time`` (``HH:MM``, Danish time) is when its days begin, for the calendar."""
    citizen = find_citizen(db, citizen_ref)
    company = find_company(db, company_ref)
    enrollment = active_enrollment(db, citizen, program)
    phase = enrolled_program(db, enrollment["program_def"]).phase(enrollment["phase"]) if enrollment["phase"] else None
    sessions = phase.sessions if phase is not None else None
    if weeks is None and until is None and count is None:
        if sessions is None:
            raise InputError("scheduling.no_length")
        weeks = sessions.weeks
    if weekdays is None:
        if sessions is None:
            raise InputError("scheduling.no_weekdays")
        weekdays = sessions.weekdays
    if hours is None and sessions is not None and sessions.hours is not None:
        hours = float(sessions.hours)
    if hours is not None:
        check_day_hours(hours)
    kind = check_kind(kind or (sessions.kind if sessions is not None else "practice"))
    policy = policy or "skip"
    plan, booked, end = _bookable_plan(db, citizen, company["id"], start, weekdays, policy,
                                       weeks=weeks, until=until, count=count)
    extensions = extensions_needed(start, end) if kind == "practice" and extension_reason else 0
    warnings: list[Warning] = [
        *limits.practice_length(db, citizen["id"], company["id"], kind, start, end, extensions),
        *(limits.weekly_practice_hours(db, citizen["id"], [(d, hours) for d in booked]) if kind == "practice" else []),
        *limits.company_capacity(db, company, citizen["id"], kind, start, end),
        *_before_enrollment(enrollment, citizen, booked),
        *customary_days_booked(plan),
    ]
    placement_id = None
    if not dry_run:
        with transaction(db, "schedule") as tx:
            tx.about(citizen["id"])
            placement_id = insert_placement(tx, plan, {
                "enrollment_id": enrollment["id"], "company_id": company["id"], "kind": kind,
                "start": start.isoformat(), "end": end.isoformat(),
                "weekdays": ",".join(str(w) for w in sorted(set(weekdays))), "hours_per_day": hours,
                "holiday_policy": policy, "extensions": extensions,
                "extension_reason": extension_reason, "start_time": start_time})
    days, met = _plan_summary(plan)
    return {"dry_run": dry_run, "placement_id": placement_id, "citizen_id": citizen["id"], "citizen": citizen["name"],
            "company_id": company["id"], "company": company["name"], "program": enrollment["program_id"],
            "kind": kind, "start": start, "end": end, "weekdays": sorted(set(weekdays)), "hours_per_day": hours,
            "start_time": start_time, "holidays": policy, "booked": len(booked), "extensions": extensions,
            "extension_reason": extension_reason, "days": days, "met": met, "warnings": warnings}


def extend_placement(
    db: Database, citizen_ref: str, *, placement_id: int | None = None, company_ref: str | None = None,
    weeks: int | None = None, until: _dt.date | None = None, count: int | None = None,
    extension_reason: str | None = None, dry_run: bool = False,
) -> dict[str, Any]:
    """More days on the placement's own pattern after its last day (booked days stay as they are)."""
    citizen = find_citizen(db, citizen_ref)
    row = choose_placement(db, citizen, placement_id=placement_id, company_ref=company_ref)
    last = _dt.date.fromisoformat(row["end"])
    # A number of weeks means whole weeks after the placement's last week; a count or an end date
    # simply continues the pattern from the day after.
    start = next_monday(last) if weeks is not None else last + _dt.timedelta(days=1)
    weekdays = tuple(int(w) for w in row["weekdays"].split(","))
    plan, booked, end = _bookable_plan(db, citizen, row["company_id"], start, weekdays, row["holiday_policy"],
                                       weeks=weeks, until=until, count=count)
    placement_start = _dt.date.fromisoformat(row["start"])
    extensions = row["extensions"]
    if extension_reason and row["kind"] == "practice":
        extensions = max(extensions, extensions_needed(placement_start, end))
    hours = row["hours_per_day"]
    warnings: list[Warning] = [
        *limits.practice_length(db, citizen["id"], row["company_id"], row["kind"], placement_start, end, extensions,
                                placement_id=row["id"]),
        *(limits.weekly_practice_hours(db, citizen["id"], [(d, hours) for d in booked])
          if row["kind"] == "practice" else []),
        *limits.company_capacity(db, find_company(db, str(row["company_id"])), citizen["id"], row["kind"],
                                 placement_start, end),
        *customary_days_booked(plan),
    ]
    if not dry_run:
        with transaction(db, "extend") as tx:
            tx.about(citizen["id"])
            changes: dict[str, Any] = {"end": end.isoformat(), "extensions": extensions}
            if extension_reason:
                changes["extension_reason"] = extension_reason
            tx.update("placements", row["id"], changes)
            _insert_days(tx, row["id"], plan, hours)
    days, met = _plan_summary(plan)
    return {"dry_run": dry_run, "placement_id": row["id"], "citizen_id": citizen["id"], "citizen": citizen["name"],
            "company_id": row["company_id"], "company": row["company"], "kind": row["kind"],
            "start": placement_start, "end": end, "from": start, "booked": len(booked), "extensions": extensions,
            "extension_reason": extension_reason or row["extension_reason"], "holidays": row["holiday_policy"],
            "days": days, "met": met, "warnings": warnings}
