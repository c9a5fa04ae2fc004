"""A citizen's card: details, enrollments with their phase history, and the timeline sections."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.domain.cpr import mask_cpr
from fleksrun.domain.placements import day_state
from fleksrun.services.hours import hours_by_month
from fleksrun.services.lookup import find_citizen
from fleksrun.services.programs import enrolled_program
from fleksrun.store.connection import Database

DETAIL_FIELDS = ("case_ref", "citizen_group", "phone", "email", "job_goal", "accommodations", "notes", "followup_every")


def citizen_card(db: Database, citizen_ref: str, today: _dt.date, *, reveal: bool = False) -> dict[str, Any]:
    """Everything fleksrun knows of one citizen, as one plain dict (the table and --json share it)."""
    row = find_citizen(db, citizen_ref)
    card: dict[str, Any] = {
        "id": row["id"],
        "name": row["name"],
        "cpr": row["cpr"] if reveal else mask_cpr(row["cpr"]),
        **{key: row[key] for key in DETAIL_FIELDS},
        "today": today,
    }
    card["enrollments"] = _enrollments(db, row["id"])
    card["placements"] = list(db.query(
        """SELECT p.id, p.enrollment_id, co.name AS company, p.kind, p.start, p.end, p.weekdays, p.hours_per_day,
                  p.holiday_policy, p.extensions, p.extension_reason
           FROM placements p JOIN enrollments e ON e.id = p.enrollment_id JOIN companies co ON co.id = p.company_id
           WHERE e.citizen_id = ? ORDER BY p.start, p.id""", [row["id"]]))
    card["days"] = list(db.query(
        """SELECT d.id, d.placement_id, d.date, d.planned_hours, d.status, d.hours, d.reason, d.note, d.holiday,
                  d.extra, co.name AS company
           FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
           JOIN companies co ON co.id = p.company_id
           WHERE e.citizen_id = ? ORDER BY d.date, d.id""", [row["id"]]))
    for day in card["days"]:  # "missing" (past, nothing recorded) is computed here, never stored
        day["extra"] = bool(day["extra"])
        day["state"] = day_state(day, today)
    card["hours"] = hours_by_month(db, row["id"])
    card["followups"] = list(db.query(
        """SELECT f.id, f.enrollment_id, f.date, f.kind, f.with_whom, f.note, f.next_due, f.next_due_rule
           FROM followups f JOIN enrollments e ON e.id = f.enrollment_id
           WHERE e.citizen_id = ? ORDER BY f.date, f.id""", [row["id"]]))
    return card


def _enrollments(db: Database, citizen_id: int) -> list[dict[str, Any]]:
    out = []
    for e in db.query("SELECT * FROM enrollments WHERE citizen_id = ? ORDER BY start, id", [citizen_id]):
        program = enrolled_program(db, e["program_def"])
        phases = list(db.query(
            "SELECT phase, entered, left, reason, forced, how FROM phases WHERE enrollment_id = ? ORDER BY id",
            [e["id"]]))
        checklist = list(db.query(
            "SELECT phase, item, done_on FROM checklist WHERE enrollment_id = ? ORDER BY phase, item", [e["id"]]))
        _tell_story(phases, checklist)
        current = next((ph["phase"] for ph in phases if ph["left"] is None), None)
        out.append({
            "id": e["id"], "program": e["program_id"], "program_name": program.name,
            "program_name_da": program.name_da, "start": e["start"],
            "end": e["end"], "status": e["status"], "outcome": e["outcome"], "phase": current,
            "phases": phases, "checklist": checklist,
        })
    return out


def _tell_story(phases: list[dict[str, Any]], checklist: list[dict[str, Any]]) -> None:
    """Give each stay in a phase how it began and the items ticked during it, in order."""
    seen: set[str] = set()
    for i, ph in enumerate(phases):
        ph["forced"] = bool(ph["forced"])
        # Rows from before migration m003 have no "how": the first is the start, later ones advances.
        ph["how"] = ph["how"] or ("start" if i == 0 else "forced" if ph["forced"] else "advance")
        first_stay = ph["phase"] not in seen
        seen.add(ph["phase"])
        ph["ticked"] = [
            {"item": c["item"], "done_on": c["done_on"]}
            for c in sorted(checklist, key=lambda c: (c["done_on"], c["item"]))
            if c["phase"] == ph["phase"] and (first_stay or c["done_on"] >= ph["entered"])
            and (ph["left"] is None or c["done_on"] <= ph["left"])
        ]
