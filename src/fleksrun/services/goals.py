"""Sub-goals (delmål) of an enrollment: what the citizen works towards, when it is looked at again
(the review date, which `due` shows), and how it went.

A goal belongs to the citizen's active enrollment (``--program`` chooses among several). Its
number is its row id, as `goal list` shows it.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.errors import InputError, NotFound
from fleksrun.services.facts import current_enrollment
from fleksrun.services.lookup import find_citizen
from fleksrun.store.connection import Database
from fleksrun.store.tx import transaction

STATUSES = ("open", "met", "partly", "not_met", "dropped")


def _status(status: str) -> str:
    clean = status.strip().lower().replace("-", "_")
    if clean not in STATUSES:
        raise InputError("goal.bad_status", status=status, allowed=", ".join(STATUSES))
    return clean


def _goal_text(text: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise InputError("goal.empty")
    return clean


def add_goal(db: Database, citizen_ref: str, text: str, *, today: _dt.date, review: _dt.date | None = None,
             program: str | None = None) -> dict[str, Any]:
    """A new open sub-goal of the citizen's active enrollment, set today."""
    text = _goal_text(text)
    row = current_enrollment(db, citizen_ref, program)
    if review is not None and review < today:
        raise InputError("goal.review_past", review=review)
    with transaction(db, "goal add") as tx:
        tx.about(row["citizen_id"])
        goal_id = tx.insert("goals", {"enrollment_id": row["enrollment_id"], "text": text,
                                      "review_on": review.isoformat() if review else None, "status": "open",
                                      "set_on": today.isoformat()})
    return {"id": goal_id, "citizen_id": row["citizen_id"], "citizen": row["citizen"], "program": row["program"],
            "text": text, "review_on": review, "status": "open"}


def update_goal(db: Database, citizen_ref: str, goal_id: int, *, status: str | None = None,
                review: _dt.date | None = None, text: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Change a sub-goal of the citizen: its status, next review date, wording or note."""
    values: dict[str, Any] = {}
    if status is not None:
        values["status"] = _status(status)
    if review is not None:
        values["review_on"] = review.isoformat()
    if text is not None:
        values["text"] = _goal_text(text)
    if note is not None:
        values["note"] = note.strip() or None
    if not values:
        raise InputError("goal.nothing")
    citizen = find_citizen(db, citizen_ref)
    with transaction(db, "goal update") as tx:
        tx.about(citizen["id"])
        owner = db.execute("SELECT e.citizen_id FROM goals g JOIN enrollments e ON e.id = g.enrollment_id "
                           "WHERE g.id = ?", [goal_id]).fetchone()
        if owner is None or owner[0] != citizen["id"]:
            raise NotFound("goal.unknown", id=goal_id, citizen=citizen["name"])
        changed = tx.update("goals", goal_id, values)
    return {"id": goal_id, "citizen_id": citizen["id"], "citizen": citizen["name"], "changed": changed,
            "fields": sorted(values)}


def goals_of(db: Database, citizen_id: int, *, enrollment_id: int | None = None) -> list[dict[str, Any]]:
    """A citizen's sub-goals (of one enrollment, if given), by review date (none last), then number."""
    return list(db.query(
        """SELECT g.id, g.enrollment_id, e.program_id AS program, g.text, g.review_on, g.status, g.set_on, g.note
           FROM goals g JOIN enrollments e ON e.id = g.enrollment_id
           WHERE e.citizen_id = :citizen AND (:enrollment IS NULL OR g.enrollment_id = :enrollment)
           ORDER BY g.review_on IS NULL, g.review_on, g.id""", {"citizen": citizen_id, "enrollment": enrollment_id}))
