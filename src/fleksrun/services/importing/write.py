"""The planned rows written in ONE transaction, under one journalled command: `undo` takes it all back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from fleksrun.services.companies import insert_company
from fleksrun.services.enrollment import start_enrollment
from fleksrun.services.facts import enrollment_row
from fleksrun.services.followups import insert_contact
from fleksrun.services.importing.plan import CompanyPlan, Item
from fleksrun.services.scheduling import insert_placement
from fleksrun.store.connection import Database
from fleksrun.store.tx import Tx, record_stamp, transaction


def write_items(db: Database, items: list[Item], *, followup_note: str,
                step: Callable[[], None] | None = None) -> Counter[str]:
    """Every item's rows; what was added, by kind (citizens, companies, enrollments, …)."""
    added: Counter[str] = Counter()
    with transaction(db, "import") as tx:
        companies: dict[str, int] = {}
        citizens: dict[int, int] = {}  # row → the citizen it added
        for item in items:
            company_id = _company(tx, item.company, companies, added) if item.company is not None else None
            if item.action != "company":
                _citizen_row(db, tx, item, company_id, citizens, followup_note, added)
            if step is not None:
                step()
    return added


def _company(tx: Tx, plan: CompanyPlan, done: dict[str, int], added: Counter[str]) -> int:
    if plan.key in done:
        return done[plan.key]
    if plan.company_id is None:
        company_id = insert_company(tx, {"name": plan.name, "cvr": plan.cvr})
        added["companies"] += 1
    else:
        company_id = plan.company_id
        if plan.set_cvr:
            tx.update("companies", company_id, {"cvr": plan.cvr})
    done[plan.key] = company_id
    return company_id


def _citizen_row(db: Database, tx: Tx, item: Item, company_id: int | None, citizens: dict[int, int],
                 followup_note: str, added: Counter[str]) -> None:
    record = item.record
    if item.citizen_id is not None:
        citizen_id = item.citizen_id
        if item.changes:
            tx.update("citizens", citizen_id, item.changes)
    elif item.joins is not None:
        citizen_id = citizens[item.joins]
    else:
        citizen_id = tx.insert("citizens", {"name": record.name, **record.citizen, "created_at": record_stamp()})
        citizens[item.row] = citizen_id
        added["citizens"] += 1
    enrollment_id = item.enrollment_id
    if item.enroll:
        assert record.program is not None and record.start is not None
        phase = record.phase or record.program.first_phase.id
        enrollment_id = start_enrollment(db, tx, citizen_id, record.program, phase, record.start)
        added["enrollments"] += 1
        if item.followup:
            on = record.last_followup or record.start
            insert_contact(db, tx, enrollment_row(db, enrollment_id), on=on, kind="talk", with_whom="citizen",
                           note=None if record.last_followup else followup_note, next_date=record.next_followup)
            added["followups"] += 1
    if item.placement is not None and company_id is not None and enrollment_id is not None:
        spec = record.placement
        assert spec is not None
        booked = item.placement.booked
        insert_placement(tx, item.placement, {
            "enrollment_id": enrollment_id, "company_id": company_id, "kind": spec["kind"],
            "start": spec["start"].isoformat(), "end": booked[-1].isoformat(),
            "weekdays": ",".join(str(w) for w in sorted(set(spec["weekdays"]))), "hours_per_day": spec["hours"],
            "holiday_policy": "skip", "extensions": 0})
        added["placements"] += 1
        added["days"] += len(booked)
