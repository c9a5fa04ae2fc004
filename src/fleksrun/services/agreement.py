"""The written agreement between citizen, company and consultant (Jobgaranti's trin 2, seed 003):
the facts it is filled from, gathered in one place.

What goes in is chosen here: the citizen's name (never her CPR number), the placement, tasks,
sub-goals, the skånehensyn in their agreed wording (the wording field, else the need tags, never
the free-text accommodations, which may name a diagnosis), the follow-up dates from the cadence
(``services.followups.next_due``, the one rule) and the contact persons.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.errors import InputError
from fleksrun.services.facts import current_enrollment, program_and_phase
from fleksrun.services.followups import cadence_start, next_due
from fleksrun.services.goals import goals_of
from fleksrun.services.lookup import find_company
from fleksrun.services.profiles import citizen_wishes, company_profile
from fleksrun.services.settings import days_off as file_days_off
from fleksrun.store.connection import Database

FOLLOWUP_DATES = 6  # the follow-up plan shows this many dates ahead


def agreement_item(program_phase_items: tuple[str, ...]) -> str | None:
    """The checklist item of a phase that the written agreement ticks (``agreement``, or one named
    ``…_agreement`` such as Aalborg's ``flexjob_agreement``), or None."""
    for item in program_phase_items:
        if item == "agreement" or item.endswith("_agreement"):
            return item
    return None


def _placement(db: Database, enrollment_id: int, today: _dt.date, company_id: int | None) -> dict[str, Any] | None:
    """The placement the agreement is about: the one running today, else the next to start, else the
    latest (at ``company_id``, when given)."""
    rows = list(db.query(
        """SELECT * FROM placements WHERE enrollment_id = :e AND (:company IS NULL OR company_id = :company)
           ORDER BY (start <= :today AND end >= :today) DESC, (start > :today) DESC,
                    CASE WHEN start > :today THEN start END, end DESC, id DESC LIMIT 1""",
        {"e": enrollment_id, "company": company_id, "today": today.isoformat()}))
    return rows[0] if rows else None


def _followup_dates(db: Database, row: dict[str, Any], phase: Any, today: _dt.date) -> list[_dt.date]:
    """The next follow-up dates: the one due now (today if overdue), then each from the one before
    by the cadence, as if each contact took place on its day."""
    latest = db.execute("SELECT next_due FROM followups WHERE enrollment_id = ? ORDER BY date DESC, id DESC LIMIT 1",
                        [row["enrollment_id"]]).fetchone()
    first = _dt.date.fromisoformat(latest[0]) if latest and latest[0] else today
    dates = [max(first, today)]
    every = db.execute("SELECT followup_every FROM citizens WHERE id = ?", [row["citizen_id"]]).fetchone()[0]
    since = cadence_start(db, row["enrollment_id"], phase, _dt.date.fromisoformat(row["start"]))
    days_off = file_days_off(db)
    while len(dates) < FOLLOWUP_DATES:
        due, _rule = next_due(phase, since, dates[-1], every, days_off)
        if due is None or due <= dates[-1]:
            break
        dates.append(due)
    return dates


def agreement_data(db: Database, citizen_ref: str, today: _dt.date, *, company_ref: str | None = None,
                   program: str | None = None, consultant: str | None = None) -> dict[str, Any]:
    """Everything the agreement says, as plain values (the same for every format and language)."""
    row = current_enrollment(db, citizen_ref, program)
    program_def, phase = program_and_phase(db, row)
    chosen = find_company(db, company_ref)["id"] if company_ref else None
    placement = _placement(db, row["enrollment_id"], today, chosen)
    company_id = chosen or (placement["company_id"] if placement else None)
    if company_id is None:
        raise InputError("agreement.no_company", citizen=row["citizen"])
    company = next(db.query("SELECT * FROM companies WHERE id = ?", [company_id]))
    profile = company_profile(db, company_id) or {}
    wishes = citizen_wishes(db, row["citizen_id"]) or {}
    job_goal = db.execute("SELECT job_goal FROM citizens WHERE id = ?", [row["citizen_id"]]).fetchone()[0]
    offered = profile.get("tasks", [])
    wanted = wishes.get("tasks", [])
    if placement and placement["tasks"]:
        tasks = [placement["tasks"]]
    else:
        tasks = [task for task in wanted if task in offered] or wanted or offered
    mentor = profile.get("mentor") or (placement["contact"] if placement else None) or company["contact"]
    return {
        "citizen_id": row["citizen_id"], "citizen": row["citizen"], "job_goal": job_goal,
        "program": program_def.id, "program_name": program_def.name, "program_name_da": program_def.name_da,
        "phase": phase.id, "checklist_item": agreement_item(phase.checklist_ids),
        "company": {"id": company_id, "name": company["name"], "cvr": company["cvr"], "contact": company["contact"],
                    "phone": company["phone"], "email": company["email"], "address": profile.get("address")},
        "mentor": mentor, "mentor_strengths": profile.get("mentor_strengths") if profile.get("mentor") else None,
        "placement": None if placement is None else {
            "kind": placement["kind"], "start": placement["start"], "end": placement["end"],
            "weekdays": sorted(int(d) for d in placement["weekdays"].split(",") if d.strip().isdigit()),
            "hours_per_day": placement["hours_per_day"], "goals": placement["goals"]},
        "tasks": tasks,
        "goals": [{"text": g["text"], "review_on": g["review_on"], "status": g["status"]}
                  for g in goals_of(db, row["citizen_id"], enrollment_id=row["enrollment_id"])
                  if g["status"] != "dropped"],
        "considerations": {"agreed_wording": wishes.get("agreed_wording"), "needs": wishes.get("needs", [])},
        "followups": [d.isoformat() for d in _followup_dates(db, row, phase, today)],
        "consultant": consultant,
        "made_on": today.isoformat(),
    }
