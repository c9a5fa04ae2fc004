"""Citizens and their enrollments: enroll, list, edit."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

from fleksrun.domain.cpr import contains_cpr, mask_cpr, parse_cpr
from fleksrun.domain.programs import Program
from fleksrun.errors import InputError, Refused
from fleksrun.services.lookup import find_citizen
from fleksrun.services.programs import definition_row, get_program, origin_of
from fleksrun.store.connection import Database
from fleksrun.store.tx import Tx, record_stamp, transaction

EDITABLE = ("name", "cpr", "case_ref", "citizen_group", "phone", "email", "accommodations", "job_goal", "notes",
            "followup_every")



def clean_name(name: str) -> str:
    """A citizen's name as kept: one space between words; refused when it holds a CPR number or no letter."""
    name = " ".join(name.split())
    if contains_cpr(name):  # it would be shown unmasked wherever names are
        raise InputError("citizen.cpr_in_name")
    if not any(ch.isalpha() for ch in name):
        raise InputError("citizen.bad_name")
    return name


def same_cpr(db: Database, cpr: str | None, citizen_id: int | None = None) -> list[dict[str, Any]]:
    """The other citizens (not forgotten) with this CPR number, CPR masked: a warning, never a refusal,
    for the consultant may hold two records of one person on purpose until they are merged."""
    if cpr is None:
        return []
    rows = db.execute("SELECT id, name FROM citizens WHERE cpr = ? AND id IS NOT ? AND erased_at IS NULL ORDER BY id",
                      [cpr, citizen_id]).fetchall()
    return [{"id": row[0], "name": row[1], "cpr": mask_cpr(cpr)} for row in rows]


def check_group(program: Program, group: str | None) -> None:
    """A group must be one the programme names (when it names any)."""
    if group is not None and program.groups and group not in program.groups:
        raise InputError("enroll.bad_group", group=group, program=program.id, groups=", ".join(program.groups))


def start_enrollment(db: Database, tx: Tx, citizen_id: int, program: Program, phase_id: str,
                     start: _dt.date) -> int:
    """The enrollment row and its first phase row, inside the caller's transaction."""
    program_def = definition_row(db, tx, program, origin_of(program))
    enrollment_id = tx.insert("enrollments", {"citizen_id": citizen_id, "program_id": program.id,
                                              "program_def": program_def, "start": start.isoformat(),
                                              "status": "active"})
    tx.insert("phases", {"enrollment_id": enrollment_id, "phase": phase_id, "entered": start.isoformat()})
    return enrollment_id


def enroll(
    db: Database,
    *,
    name: str,
    program_id: str,
    start: _dt.date,
    existing: bool = False,
    group: str | None = None,
    cpr: str | None = None,
    case_ref: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    note: str | None = None,
    today: _dt.date | None = None,
    phase: str | None = None,
) -> dict[str, Any]:
    """A new citizen (or, with ``existing``, a known one) enrolled in the programme's first phase, or
    in ``phase`` (a group that starts later in the programme, e.g. Aalborg's citizens already in a flex
    job start in phase 4; no rule is judged and nothing is forced); a CPR number born after ``today``
    is refused."""
    program = get_program(db, program_id)
    start_phase = program.phase(phase) if phase is not None else program.first_phase  # unknown: exit 2
    check_group(program, group)
    cpr_value = parse_cpr(cpr, today) if cpr else None
    citizen = find_citizen(db, name) if existing else None
    others = same_cpr(db, cpr_value) if citizen is None else []
    with transaction(db, "enroll") as tx:
        if citizen is None:
            citizen_id = tx.insert(
                "citizens",
                {
                    "name": clean_name(name),
                    "cpr": cpr_value,
                    "case_ref": case_ref,
                    "citizen_group": group,
                    "phone": phone,
                    "email": email,
                    "notes": note,
                    "created_at": record_stamp(),
                },
            )
        else:
            citizen_id = citizen["id"]
            active = db.execute(
                "SELECT id FROM enrollments WHERE citizen_id = ? AND program_id = ? AND status = 'active'",
                [citizen_id, program.id],
            ).fetchone()
            if active:
                raise Refused("enroll.already_active", citizen=citizen["name"], program=program.id)
        tx.about(citizen_id)
        enrollment_id = start_enrollment(db, tx, citizen_id, program, start_phase.id, start)
    citizen_name = citizen["name"] if citizen is not None else clean_name(name)
    return {"citizen_id": citizen_id, "citizen": citizen_name, "enrollment_id": enrollment_id, "program": program.id,
            "phase": start_phase.id, "start": start, "same_cpr": others}


def edit(db: Database, citizen_ref: str, changes: dict[str, Any], today: _dt.date | None = None) -> dict[str, Any]:
    """Change a citizen's details; ``None`` values are left alone, ``""`` clears a field; a CPR number
    born after ``today`` is refused."""
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in EDITABLE or value is None:
            continue
        if key == "name":
            value = clean_name(value)
        elif key == "cpr":
            value = parse_cpr(value, today) if value else None
        elif key == "followup_every":
            if value < 0 or value > 365:
                raise InputError("citizen.bad_cadence", days=value)
            value = value or None  # 0 clears the per-citizen cadence
        elif value == "":
            value = None
        values[key] = value
    if not values:
        raise InputError("edit.nothing")
    with transaction(db, "edit") as tx:
        citizen = find_citizen(db, citizen_ref)  # under the write lock: as she is now, not before a wait
        tx.about(citizen["id"])
        changed = tx.update("citizens", citizen["id"], values)
        if changed and "followup_every" in values:
            from fleksrun.services.followups import recompute_for_citizen

            recompute_for_citizen(db, tx, citizen["id"])  # the due dates follow the new cadence
    others = same_cpr(db, values.get("cpr"), citizen["id"])
    return {"citizen_id": citizen["id"], "changed": changed, "fields": sorted(values), "same_cpr": others}


def _citizen_filters(include_all: bool, program: str | None, phase: str | None,
                     ended_before: _dt.date | None) -> tuple[str, dict[str, Any]]:
    """The WHERE of ``list_citizens`` and ``count_citizens``: fixed clauses only, every value bound."""
    where = ["c.erased_at IS NULL"]
    binds: dict[str, Any] = {}
    if ended_before is not None:
        where.append("e.status = 'ended' AND e.end < :ended_before")
        binds["ended_before"] = ended_before.isoformat()
    elif not include_all:
        where.append("e.status = 'active'")
    if program:
        where.append("e.program_id = :program")
        binds["program"] = program.lower()
    if phase:
        where.append("ph.phase = :phase")
        binds["phase"] = phase
    return " AND ".join(where), binds


_LISTED_FROM = """
        FROM citizens c
        JOIN enrollments e ON e.citizen_id = c.id
        LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL"""
_LISTED_COLUMNS = """c.id AS id, c.name AS name, c.citizen_group AS citizen_group,
               e.id AS enrollment_id, e.program_id AS program, e.start AS start, e.end AS end,
               e.status AS status, e.outcome AS outcome,
               ph.phase AS phase, ph.entered AS phase_entered"""
# The next booked day and the next follow-up of the enrollment {e}: two look-ups per row, so a
# page of rows pays them only for its own rows.
_NEXT_COLUMNS = """(SELECT MIN(d.date) FROM days d JOIN placements p ON p.id = d.placement_id
                 WHERE p.enrollment_id = {e} AND d.status = 'planned' AND d.date >= :today) AS next_day,
               (SELECT f.next_due FROM followups f WHERE f.enrollment_id = {e}
                 ORDER BY f.date DESC, f.id DESC LIMIT 1) AS next_followup"""


def count_citizens(
    db: Database, *, include_all: bool = False, program: str | None = None, phase: str | None = None,
    ended_before: _dt.date | None = None,
) -> int:
    """How many rows ``list_citizens`` gives for the same filters (one COUNT)."""
    where, binds = _citizen_filters(include_all, program, phase, ended_before)
    return int(db.execute(f"SELECT COUNT(*) {_LISTED_FROM} WHERE {where}", binds).fetchone()[0])


def list_citizens(
    db: Database, today: _dt.date, *, include_all: bool = False, program: str | None = None, phase: str | None = None,
    ended_before: _dt.date | None = None, limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """One row per enrollment (active ones by default) with phase, days in phase and the next item,
    by name, read lazily (a caller may stream thousands); with ``limit``, only the first ``limit``."""
    where, binds = _citizen_filters(include_all, program, phase, ended_before)
    binds["today"] = today.isoformat()
    order = "c.name COLLATE NOCASE, c.id, e.start, e.id"
    if limit is None:
        sql = (f"SELECT {_LISTED_COLUMNS}, {_NEXT_COLUMNS.format(e='e.id')} {_LISTED_FROM} "
               f"WHERE {where} ORDER BY {order}")
    else:
        # The page first (SQLite keeps the first `limit` of its sort), then the look-ups for its rows
        # only. Not "c.id > 0", which would offer the citizens' partial name index: a walk in name
        # order is quicker when most rows match (5 ms against 70 at 100,000) but reads every citizen
        # when few or none do (0.4 s for an unknown --program); the sort costs what the matches cost.
        sql = f"""
        WITH page AS (SELECT {_LISTED_COLUMNS} {_LISTED_FROM} WHERE {where} ORDER BY {order} LIMIT :limit)
        SELECT page.*, {_NEXT_COLUMNS.format(e='page.enrollment_id')} FROM page
        ORDER BY page.name COLLATE NOCASE, page.id, page.start, page.enrollment_id"""
        binds["limit"] = limit
    for row in db.query(sql, binds):
        entered = row["phase_entered"]
        active = entered and row["status"] == "active"
        row["days_in_phase"] = (today - _dt.date.fromisoformat(entered)).days if active else None
        yield row
