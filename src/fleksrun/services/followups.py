"""Follow-ups (opfølgning): record a contact, and know when the next one is due.

Each contact row keeps the next due date and the rule that produced it (``next_due_rule``):

- ``manual``: the consultant's own ``--next`` date; a recompute never touches it;
- ``citizen``: the citizen's own cadence (``edit --followup-every``, e.g. Rampen's 7/14/21 days);
- ``cadence``: the current phase's cadence from the programme (its own, else the programme's).

The latest contact (by date) of an enrollment carries its due date. An enrollment without any
contact yet is due on its start day (rule ``start``): the first conversation.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.domain.calendar import day_off, working_day_before
from fleksrun.domain.law import Warning
from fleksrun.domain.programs import Phase
from fleksrun.errors import InputError
from fleksrun.services.facts import current_enrollment, program_and_phase
from fleksrun.services.settings import days_off as file_days_off
from fleksrun.store.connection import Database
from fleksrun.store.queries import due_followups
from fleksrun.store.tx import Tx, transaction

KINDS = ("talk", "phone", "visit", "mail", "meeting")
WITH = ("citizen", "company", "both")
RULES = ("manual", "citizen", "cadence", "start")


def next_due(phase: Phase, cadence_from: _dt.date, last: _dt.date, followup_every: int | None,
             days_off: tuple[str, ...] = ()) -> tuple[_dt.date | None, str]:
    """The next due date after a contact on ``last`` and the rule that gave it; the cadence's weeks
    count from ``cadence_from`` (``cadence_start``). A date on a weekend, a public holiday or a
    customary day the file sets as a day off (``days_off``) moves to the working day before."""
    if followup_every:
        due, rule = phase.followup.next_due(last, cadence_from, chosen_days=followup_every), "citizen"
    else:
        due, rule = phase.followup.next_due(last, cadence_from), "cadence"
    return (None if due is None else working_day_before(due, last, days_off)), rule


def cadence_start(db: Database, enrollment_id: int, phase: Phase, enrollment_start: _dt.date) -> _dt.date:
    """The day the current phase's cadence counts its weeks from (``intensive_weeks``, ``until_weeks``).

    The enrollment's start; or, when the cadence names ``from_phase``, the day the enrollment last
    entered that phase (Jobgaranti: the first year of the employment is counted from trin 3), and if
    it never was in it, the day it entered its current phase."""
    named = phase.followup.from_phase
    if named is None:
        return enrollment_start
    row = db.execute(
        """SELECT entered FROM phases WHERE enrollment_id = ? AND phase = ?
           ORDER BY entered DESC, id DESC LIMIT 1""", [enrollment_id, named]).fetchone()
    if row is None:
        row = db.execute("""SELECT entered FROM phases WHERE enrollment_id = ?
                            ORDER BY left IS NULL DESC, entered DESC, id DESC LIMIT 1""", [enrollment_id]).fetchone()
    return _dt.date.fromisoformat(row[0]) if row is not None else enrollment_start


def record_followup(
    db: Database, citizen_ref: str, *, today: _dt.date, on: _dt.date | None = None, kind: str = "talk",
    with_whom: str = "citizen", note: str | None = None, next_date: _dt.date | None = None,
    program: str | None = None,
) -> dict[str, Any]:
    """A contact with the citizen and/or the company, and when the next one is due."""
    on = on or today
    if kind not in KINDS:
        raise InputError("followup.bad_kind", kind=kind, allowed=", ".join(KINDS))
    if with_whom not in WITH:
        raise InputError("followup.bad_with", value=with_whom, allowed=", ".join(WITH))
    row = current_enrollment(db, citizen_ref, program)
    check_contact(on, today, _dt.date.fromisoformat(row["start"]), next_date, row["citizen"])
    with transaction(db, "followup") as tx:
        tx.about(row["citizen_id"])
        followup_id, due, rule, warnings = insert_contact(db, tx, row, on=on, kind=kind, with_whom=with_whom,
                                                          note=note, next_date=next_date)
    return {"id": followup_id, "citizen_id": row["citizen_id"], "citizen": row["citizen"],
            "enrollment_id": row["enrollment_id"], "program": row["program"], "phase": row["phase"],
            "date": on, "kind": kind, "with": with_whom, "note": note, "next_due": due, "next_due_rule": rule,
            "warnings": warnings}


def check_contact(on: _dt.date, today: _dt.date, start: _dt.date, next_date: _dt.date | None, citizen: str) -> None:
    """A contact lies between the enrollment's start and today; a chosen next date after it."""
    if on > today:
        raise InputError("phase.future", on=on)
    if on < start:
        raise InputError("followup.before_start", on=on, start=start, citizen=citizen)
    if next_date is not None and next_date <= on:
        raise InputError("followup.next_not_after", next=next_date, on=on)


def insert_contact(db: Database, tx: Tx, row: dict[str, Any], *, on: _dt.date, kind: str, with_whom: str,
                   note: str | None, next_date: _dt.date | None,
                   ) -> tuple[int, _dt.date | None, str, list[Warning]]:
    """The contact row (checked already) inside the caller's transaction, its next due date chosen
    (``next_date``) or from the cadence: (id, next due, its rule, warnings)."""
    warnings: list[Warning] = []
    if next_date is not None:
        due: _dt.date | None = next_date
        rule = "manual"
        why = day_off(next_date, file_days_off(db))
        if why is not None:  # the consultant's own choice: kept, and said
            warnings.append(Warning(f"followup.next_on_{why}", {"next": next_date}))
    else:
        _, phase = program_and_phase(db, row)
        every = db.execute("SELECT followup_every FROM citizens WHERE id = ?", [row["citizen_id"]]).fetchone()[0]
        start = _dt.date.fromisoformat(row["start"])
        due, rule = next_due(phase, cadence_start(db, row["enrollment_id"], phase, start), on, every,
                             file_days_off(db))
    followup_id = tx.insert("followups", {
        "enrollment_id": row["enrollment_id"], "date": on.isoformat(), "kind": kind, "with_whom": with_whom,
        "note": note, "next_due": due.isoformat() if due else None, "next_due_rule": rule,
    })
    return followup_id, due, rule, warnings


def recompute_next_due(db: Database, tx: Tx, enrollment_id: int, phase: Phase) -> bool:
    """After a phase or cadence change: the latest contact's due date again, unless set by hand."""
    latest = db.execute(
        """SELECT f.id, f.date, f.next_due_rule, e.start, c.followup_every
           FROM followups f JOIN enrollments e ON e.id = f.enrollment_id JOIN citizens c ON c.id = e.citizen_id
           WHERE f.enrollment_id = ? ORDER BY f.date DESC, f.id DESC LIMIT 1""", [enrollment_id]).fetchone()
    if latest is None or latest[2] == "manual":
        return False
    start = cadence_start(db, enrollment_id, phase, _dt.date.fromisoformat(latest[3]))
    due, rule = next_due(phase, start, _dt.date.fromisoformat(latest[1]), latest[4], file_days_off(db))
    return tx.update("followups", latest[0], {"next_due": due.isoformat() if due else None, "next_due_rule": rule})


def recompute_for_citizen(db: Database, tx: Tx, citizen_id: int) -> None:
    """Every active enrollment of a citizen whose own cadence changed (``edit --followup-every``)."""
    from fleksrun.services.facts import enrollment_row

    ids = [r[0] for r in db.execute(
        "SELECT id FROM enrollments WHERE citizen_id = ? AND status = 'active'", [citizen_id])]
    for enrollment_id in ids:
        row = enrollment_row(db, enrollment_id)
        if row["phase"] is not None:
            recompute_next_due(db, tx, enrollment_id, program_and_phase(db, row)[1])


def followups_due(db: Database, today: _dt.date, until: _dt.date) -> list[dict[str, Any]]:
    """``store.queries.due_followups`` as dicts: ``{enrollment_id, citizen_id, citizen, program, phase,
    last_contact, due, rule, overdue_days}``."""
    items = []
    for enrollment_id, citizen_id, citizen, program, _def, phase, due, last, rule in due_followups(db, until):
        items.append({"enrollment_id": enrollment_id, "citizen_id": citizen_id, "citizen": citizen,
                      "program": program, "phase": phase, "last_contact": last, "due": due, "rule": rule,
                      "overdue_days": max((today - _dt.date.fromisoformat(due)).days, 0)})
    return items
