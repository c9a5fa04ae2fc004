"""Phases: evaluate the exit rules, tick checklist items, advance, and end an enrollment.

Phase history lives in ``phases``: one row per stay in a phase, with ``entered``/``left``, the
consultant's ``reason``, ``forced`` when the rules were set aside, and ``how`` the phase was entered
(start, advance, forced, back, dropout, aftercare) so ``show`` can tell the story in order.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from typing import Any

from fleksrun.domain.programs import OUTCOMES, Phase, Program
from fleksrun.domain.rules import Verdict, evaluate_phase
from fleksrun.errors import InputError, NotFound, Refused
from fleksrun.services.facts import (
    active_rows,
    current_enrollment,
    enrollment_row,
    gather_facts,
    gather_facts_many,
    program_and_phase,
)
from fleksrun.services.programs import enrolled_program
from fleksrun.store.connection import Database
from fleksrun.store.tx import Tx, transaction


def _verdict(db: Database, row: dict[str, Any], phase: Phase, today: _dt.date) -> Verdict:
    return evaluate_phase(phase, gather_facts(db, row, phase, today))


def _result(row: dict[str, Any], verdict: Verdict) -> dict[str, Any]:
    return {
        "enrollment_id": row["enrollment_id"], "citizen_id": row["citizen_id"], "citizen": row["citizen"],
        "program": row["program"], "phase": row["phase"], "phase_entered": row["phase_entered"],
        "mode": verdict.mode, "ready": verdict.ready,
        "rules": [{"kind": r.kind, "met": r.met, "detail": r.detail()} for r in verdict.results],
    }


def evaluate_enrollment(db: Database, enrollment_id: int, today: _dt.date) -> dict[str, Any]:
    """One enrollment's current phase, its rules (kind, met, detail) and whether it is ready."""
    row = enrollment_row(db, enrollment_id)
    if row["phase"] is None:  # an ended enrollment is in no phase and never ready
        return _result(row, Verdict(phase="", mode="all", ready=False, results=()))
    _, phase = program_and_phase(db, row)
    return _result(row, _verdict(db, row, phase, today))


def check(db: Database, today: _dt.date, citizen_ref: str | None = None) -> Iterator[dict[str, Any]]:
    """Every active enrollment (of one citizen, if named) with its phase, rules and verdict, lazily."""
    verdicts = evaluate_active(db, today, citizen_id=_citizen_id(db, citizen_ref))
    return (_result(row, verdict) for row, _program, _phase, verdict in verdicts)


def check_page(db: Database, today: _dt.date, citizen_ref: str | None = None, *,
               limit: int) -> tuple[int, Iterator[dict[str, Any]]]:
    """(how many active enrollments there are, the first ``limit`` of them checked, as ``check``
    orders and words them); ``limit`` 0 checks them all. Only the enrollments shown are read and
    evaluated: the total is a COUNT."""
    citizen_id = _citizen_id(db, citizen_ref)
    where, binds = _active_where(citizen_id)
    total = db.execute(f"SELECT COUNT(*) {_ACTIVE_FROM} WHERE {where}", binds).fetchone()[0]
    if not limit:
        verdicts = evaluate_active(db, today, citizen_id=citizen_id)
    else:
        # The first ``limit`` of a sort (SQLite keeps only those), then each one's row as
        # ``enrollment_row`` reads it: 80 ms at 100,000, where ``active_rows`` in order took 160.
        ids = [r[0] for r in db.execute(
            f"SELECT e.id {_ACTIVE_FROM} WHERE {where} "
            "ORDER BY c.name COLLATE NOCASE, e.start, e.id LIMIT :limit", {**binds, "limit": limit})]
        verdicts = _evaluate(db, today, (enrollment_row(db, enrollment_id) for enrollment_id in ids))
    return total, (_result(row, verdict) for row, _program, _phase, verdict in verdicts)


# The active enrollments (in a phase) of citizens not erased: what ``active_rows`` lists and
# ``evaluate_active`` evaluates, for a COUNT and a page of ids.
_ACTIVE_FROM = """FROM citizens c
JOIN enrollments e ON e.citizen_id = c.id
JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL"""


def _active_where(citizen_id: int | None) -> tuple[str, dict[str, Any]]:
    where = "e.status = 'active' AND c.erased_at IS NULL"
    if citizen_id is None:
        return where, {}
    return where + " AND e.citizen_id = :citizen", {"citizen": citizen_id}


def _citizen_id(db: Database, citizen_ref: str | None) -> int | None:
    if citizen_ref is None:
        return None
    from fleksrun.services.lookup import find_citizen

    return int(find_citizen(db, citizen_ref)["id"])


EVALUATE_CHUNK = 2_000  # enrollments per round of bulk fact queries: bounded memory at any size


def evaluate_active(db: Database, today: _dt.date, *,
                    citizen_id: int | None = None) -> Iterator[tuple[dict[str, Any], Program, Phase, Verdict]]:
    """(row, programme, phase, verdict) for every active enrollment (of one citizen), lazily; the
    facts are gathered in bulk, a chunk at a time, and each stored programme definition is read once."""
    return _evaluate(db, today, (row for row in active_rows(db, citizen_id) if row["phase"] is not None))


def _evaluate(db: Database, today: _dt.date,
              rows: Iterable[dict[str, Any]]) -> Iterator[tuple[dict[str, Any], Program, Phase, Verdict]]:
    """(row, programme, phase, verdict) for enrollment rows in a phase, lazily, a chunk at a time."""
    programs: dict[int, Program] = {}
    chunk: list[tuple[dict[str, Any], Phase]] = []

    def verdicts() -> Iterator[tuple[dict[str, Any], Program, Phase, Verdict]]:
        facts = gather_facts_many(db, chunk, today)
        for row, phase in chunk:
            yield row, programs[row["program_def"]], phase, evaluate_phase(phase, facts[row["enrollment_id"]])
        chunk.clear()

    for row in rows:
        if row["program_def"] not in programs:
            programs[row["program_def"]] = program_and_phase(db, row)[0]
        chunk.append((row, programs[row["program_def"]].phase(row["phase"])))
        if len(chunk) >= EVALUATE_CHUNK:
            yield from verdicts()
    if chunk:
        yield from verdicts()


def _check_date(row: dict[str, Any], on: _dt.date, today: _dt.date) -> None:
    if on > today:
        raise InputError("phase.future", on=on)
    entered = _dt.date.fromisoformat(row["phase_entered"])
    if on < entered:
        raise InputError("phase.before_phase", on=on, citizen=row["citizen"], phase=row["phase"], entered=entered)


def mark_item(db: Database, citizen_ref: str, item: str, *, today: _dt.date, on: _dt.date | None = None,
              undo: bool = False, program: str | None = None) -> dict[str, Any]:
    """Tick (or with ``undo`` untick) a checklist item of the citizen's current phase, or an
    ``anytime`` item of any phase (Rampen's end questionnaire), also after the enrollment ended.

    A tick belongs to the stay it was made in (``checklist.stay``, the phases row): ticking it again
    in the same stay changes its date; back in a phase after a dropout it is a new tick for the new
    stay, and the first stay keeps its own."""
    on = on or today
    if on > today:
        raise InputError("phase.future", on=on)
    row, not_active = _mark_enrollment(db, citizen_ref, program)
    program_def = enrolled_program(db, row["program_def"])
    item_id = item.strip().lower().replace("-", "_")
    current = None if row["phase"] is None else program_def.phase(row["phase"])
    if current is not None and item_id in current.checklist_ids:
        phase = current
    else:
        found = program_def.anytime_item(item_id)
        if found is None:
            if current is None and not_active is not None:
                raise not_active  # after the end only an anytime item can be ticked
            if current is not None:
                current.item(item_id, program_def.id)  # NotFound naming the phase's items
            raise NotFound("phase.no_active", citizen=row["citizen"])
        phase = found[0]
    stay, entered = row["phase_row"], row["phase_entered"]
    if stay is None:  # ended: the tick belongs to the last stay
        stay, entered = db.execute("SELECT id, entered FROM phases WHERE enrollment_id = ? "
                                   "ORDER BY entered DESC, id DESC LIMIT 1", [row["enrollment_id"]]).fetchone()
    # A tick without a stay (written before m008 by other means, e.g. the demo) is this stay's when
    # made in it, or when this is the phase's first stay: as the checklist rule reads ticks.
    existing = db.execute(
        """SELECT id, done_on FROM checklist WHERE enrollment_id = :e AND phase = :p AND item = :i
             AND (stay = :stay OR (stay IS NULL AND (done_on >= :entered OR NOT EXISTS (
                  SELECT 1 FROM phases ph WHERE ph.enrollment_id = :e AND ph.phase = :p AND ph.id < :stay))))
           ORDER BY stay IS NULL LIMIT 1""",
        {"e": row["enrollment_id"], "p": phase.id, "i": item_id, "stay": stay, "entered": entered}).fetchone()
    result = {"citizen_id": row["citizen_id"], "citizen": row["citizen"], "enrollment_id": row["enrollment_id"],
              "program": row["program"], "phase": phase.id, "item": item_id, "on": on}
    if undo and existing is None:
        raise InputError("mark.not_ticked", item=phase.item(item_id).title(), citizen=row["citizen"],
                         phase=phase.title())
    if not undo and existing is not None and existing[1] == on.isoformat():
        return {**result, "action": "already"}
    with transaction(db, "mark") as tx:
        tx.about(row["citizen_id"])
        if undo:
            tx.delete("checklist", existing[0])
            action = "undone"
        elif existing is not None:
            tx.update("checklist", existing[0], {"done_on": on.isoformat(), "stay": stay})
            action = "redated"
        else:
            tx.insert("checklist", {"enrollment_id": row["enrollment_id"], "phase": phase.id, "item": item_id,
                                    "done_on": on.isoformat(), "stay": stay})
            action = "done"
    return {**result, "action": action}


def _mark_enrollment(db: Database, citizen_ref: str,
                     program: str | None) -> tuple[dict[str, Any], NotFound | None]:
    """The enrollment ``mark`` ticks in: the active one, else (for an ``anytime`` item) the one that
    ended last, with the error that says there is no active one."""
    try:
        return current_enrollment(db, citizen_ref, program), None
    except NotFound as exc:
        if exc.key not in ("phase.no_active", "phase.not_in_program"):
            raise
        from fleksrun.services.lookup import find_citizen

        citizen = find_citizen(db, citizen_ref)
        wanted = program.strip().lower() if program else None
        found = db.execute(
            """SELECT id FROM enrollments WHERE citizen_id = ? AND status = 'ended' AND (? IS NULL OR program_id = ?)
               ORDER BY end DESC, id DESC LIMIT 1""", [citizen["id"], wanted, wanted]).fetchone()
        if found is None:
            raise
        return enrollment_row(db, found[0]), exc


def _move(db: Database, tx: Tx, row: dict[str, Any], to: Phase, on: _dt.date, how: str, *,
          reason: str | None = None, forced: bool = False) -> None:
    """Leave the current phase on ``on`` and enter ``to`` the same day; follow-ups follow its cadence."""
    tx.update("phases", row["phase_row"], {"left": on.isoformat()})
    tx.insert("phases", {"enrollment_id": row["enrollment_id"], "phase": to.id, "entered": on.isoformat(),
                         "reason": reason, "forced": int(forced), "how": how})
    from fleksrun.services.followups import recompute_next_due

    recompute_next_due(db, tx, row["enrollment_id"], to)


def unmet_text(verdict: Verdict) -> str:
    from fleksrun.i18n import t

    return "; ".join(f"{t('rules.kind.' + r.kind)} ({r.detail()})" for r in verdict.unmet) or t("check.no_rules")


def advance(db: Database, citizen_ref: str, *, today: _dt.date, to: str | None = None, on: _dt.date | None = None,
            force: bool = False, reason: str | None = None, program: str | None = None) -> dict[str, Any]:
    """Move to the next phase (or ``to``); refused while the rules are unmet unless forced with a reason."""
    on = on or today
    reason = reason.strip() if reason and reason.strip() else None
    if force and reason is None:
        raise InputError("advance.force_needs_reason")
    row = current_enrollment(db, citizen_ref, program)
    program_def, phase = program_and_phase(db, row)
    # Where to is checked before when: a mistyped phase is the first thing to tell the user.
    if to is not None:
        target = program_def.phase(to.strip().lower())
        if target.id == phase.id:
            raise InputError("advance.same_phase", citizen=row["citizen"], phase=phase.title())
    else:
        following = program_def.next_phase(phase.id)
        if following is None:
            raise Refused("advance.last_phase", phase=phase.title(), program=program_def.id)
        target = following
    _check_date(row, on, today)
    backwards = program_def.phase_index(target.id) < program_def.phase_index(phase.id)
    verdict = _verdict(db, row, phase, on)
    # Going back a phase is the consultant's call; moving on needs the rules (or --force and a reason).
    forced = not backwards and not verdict.ready
    if forced and not force:
        raise Refused("advance.unmet", citizen=row["citizen"], phase=phase.title(), unmet=unmet_text(verdict))
    how = "back" if backwards else ("forced" if forced else "advance")
    with transaction(db, "advance") as tx:
        tx.about(row["citizen_id"])
        _move(db, tx, row, target, on, how, reason=reason, forced=forced)
    return {"citizen_id": row["citizen_id"], "citizen": row["citizen"], "enrollment_id": row["enrollment_id"],
            "program": row["program"], "from_phase": phase.id, "to_phase": target.id, "on": on, "how": how,
            "forced": forced, "reason": reason,
            "unmet": [{"kind": r.kind, "detail": r.detail()} for r in verdict.unmet] if forced else []}


def _end_action(program: Program, phase: Phase, outcome: str) -> tuple[str, Phase | None]:
    """What an outcome does here: ("back", phase) after a dropout with somewhere to go,
    ("aftercare", phase) after a job in a programme with after-care, else ("ended", None)."""
    if outcome == "dropout":
        target = program.dropout_phase(phase.id)
        if target is not None and target.id != phase.id:
            return "back", target
    if outcome in ("job", "flexjob") and program.aftercare_phase and not program.is_aftercare(phase.id):
        return "aftercare", program.phase(program.aftercare_phase)
    return "ended", None


def end_enrollment(db: Database, citizen_ref: str, outcome: str, *, today: _dt.date, on: _dt.date | None = None,
                   program: str | None = None) -> dict[str, Any]:
    """Close an enrollment with its outcome, or follow the programme: a dropout may go back a phase
    (the enrollment stays active), a job may go on into after-care."""
    on = on or today
    outcome = outcome.strip().lower()
    if outcome not in OUTCOMES:
        raise InputError("end.bad_outcome", outcome=outcome, allowed=", ".join(OUTCOMES))
    row = current_enrollment(db, citizen_ref, program)
    program_def, phase = program_and_phase(db, row)
    _check_date(row, on, today)
    action, target = _end_action(program_def, phase, outcome)
    cancelled = 0
    with transaction(db, "end") as tx:
        tx.about(row["citizen_id"])
        if action == "back" and target is not None:
            _move(db, tx, row, target, on, "dropout")
        elif action == "aftercare" and target is not None:
            tx.update("enrollments", row["enrollment_id"], {"outcome": outcome})
            _move(db, tx, row, target, on, "aftercare")
            cancelled = _cancel_days_after(db, tx, row["enrollment_id"], on)
        else:
            tx.update("phases", row["phase_row"], {"left": on.isoformat()})
            tx.update("enrollments", row["enrollment_id"],
                      {"status": "ended", "end": on.isoformat(), "outcome": outcome})
            cancelled = _cancel_days_after(db, tx, row["enrollment_id"], on)
    return {"citizen_id": row["citizen_id"], "citizen": row["citizen"], "enrollment_id": row["enrollment_id"],
            "program": row["program"], "outcome": outcome, "action": action, "from_phase": phase.id,
            "to_phase": target.id if target else None, "on": on, "status": "ended" if action == "ended" else "active",
            "cancelled_days": cancelled}


def _cancel_days_after(db: Database, tx: Tx, enrollment_id: int, on: _dt.date) -> int:
    """Cancel the enrollment's booked days after ``on`` (the practice ends with it; `undo` brings
    them back): how many."""
    days = [day_id for (day_id,) in db.execute(
        """SELECT d.id FROM days d JOIN placements p ON p.id = d.placement_id
           WHERE p.enrollment_id = ? AND d.status = 'planned' AND d.date > ?""", [enrollment_id, on.isoformat()])]
    for day_id in days:
        tx.update("days", day_id, {"status": "cancelled"})
    return len(days)
