"""What a company offers (`company profile`) and what a citizen wishes and needs (`wish`).

Both are set a field at a time: an option left out keeps its value, an empty text clears it.
Tasks, needs and what a company cannot accommodate are tags (``domain.matching.parse_tags``), so
that `match` can compare them; the citizen's free-text ``accommodations`` stays as it is, for the
consultant's eyes only.
"""

from __future__ import annotations

import json
from typing import Any

from fleksrun.domain.matching import join_tags, name_key, parse_tags
from fleksrun.errors import InputError, NotFound
from fleksrun.services.lookup import find_citizen, find_company
from fleksrun.store.connection import Database
from fleksrun.store.tx import Tx, transaction

MAX_WISHED = 5  # Rampen asks each citizen for 3–5 companies
MAX_HOURS_A_DAY = 24.0


def weekdays_text(days: tuple[int, ...] | None) -> str | None:
    """Weekdays as stored (Monday = 0, "1,3"), or None."""
    return ",".join(str(d) for d in days) if days else None


def stored_weekdays(text: str | None) -> tuple[int, ...]:
    return tuple(int(d) for d in text.split(",")) if text else ()


def _hours(hours: float | None) -> float | None:
    if hours is not None and not 0 < hours <= MAX_HOURS_A_DAY:
        raise InputError("profile.bad_hours", hours=hours)
    return hours


def _text(value: str | None) -> str | None:
    """A free text as kept: None when empty (the option given empty clears it)."""
    if value is None:
        return None
    return " ".join(value.split()) or None


def _changes(given: dict[str, Any]) -> dict[str, Any]:
    """The fields given (not None), with "" turned into None (cleared)."""
    return {key: (None if value == "" else value) for key, value in given.items() if value is not None}


def set_company_profile(db: Database, company_ref: str, *, tasks: str | None = None, mentor: str | None = None,
                        strengths: str | None = None, places: int | None = None,
                        weekdays: tuple[int, ...] | None = None,
                        hours: float | None = None, cannot: str | None = None, address: str | None = None,
                        notes: str | None = None) -> dict[str, Any]:
    """Set the fields given of a company's profile (made on first use)."""
    if places is not None and places < 0:
        raise InputError("profile.bad_places", places=places)
    values = _changes({
        "tasks": None if tasks is None else join_tags(parse_tags(tasks)) or "",
        "cannot": None if cannot is None else join_tags(parse_tags(cannot)) or "",
        "mentor": None if mentor is None else _text(mentor) or "",
        "mentor_strengths": None if strengths is None else _text(strengths) or "",
        "address": None if address is None else _text(address) or "",
        "notes": None if notes is None else notes.strip(),
        "places": places, "weekdays": None if weekdays is None else weekdays_text(weekdays) or "",
        "hours_per_day": _hours(hours),
    })
    if not values:
        raise InputError("profile.nothing")
    with transaction(db, "company profile") as tx:
        company = find_company(db, company_ref)
        changed = _set_row(db, tx, "company_profiles", "company_id", company["id"], values)
    return {"company_id": company["id"], "company": company["name"], "changed": changed, "fields": sorted(values),
            "profile": company_profile(db, company["id"])}


def company_profile(db: Database, company_id: int) -> dict[str, Any] | None:
    """A company's profile as plain values (tags as lists), or None if it has none."""
    rows = list(db.query("SELECT * FROM company_profiles WHERE company_id = ?", [company_id]))
    if not rows:
        return None
    row = rows[0]
    return {"tasks": list(parse_tags(row["tasks"])), "mentor": row["mentor"],
            "mentor_strengths": row["mentor_strengths"], "places": row["places"],
            "weekdays": list(stored_weekdays(row["weekdays"])), "hours_per_day": row["hours_per_day"],
            "cannot": list(parse_tags(row["cannot"])), "address": row["address"], "notes": row["notes"]}


def _wished_names(db: Database, text: str) -> str:
    """The wished companies as stored (JSON): a name that finds one company in the file becomes its
    name there; any other is kept as typed (a company not in the file yet)."""
    names: list[str] = []
    for part in text.split(","):
        typed = " ".join(part.split())
        if not typed:
            continue
        try:
            typed = find_company(db, typed)["name"]
        except NotFound:
            if typed.lstrip("#").isdigit():
                raise  # a number names a company in the file, or none
        if name_key(typed) not in {name_key(n) for n in names}:
            names.append(typed)
    if len(names) > MAX_WISHED:
        raise InputError("wish.too_many", count=len(names), most=MAX_WISHED)
    return json.dumps(names, ensure_ascii=False) if names else ""


def set_wishes(db: Database, citizen_ref: str, *, companies: str | None = None, tasks: str | None = None,
               needs: str | None = None, agreed: str | None = None, weekdays: tuple[int, ...] | None = None,
               hours: float | None = None) -> dict[str, Any]:
    """Set the fields given of what a citizen wishes and needs (made on first use)."""
    values = _changes({
        "companies": None if companies is None else _wished_names(db, companies),
        "tasks": None if tasks is None else join_tags(parse_tags(tasks)) or "",
        "needs": None if needs is None else join_tags(parse_tags(needs)) or "",
        "agreed_wording": None if agreed is None else agreed.strip(),
        "weekdays": None if weekdays is None else weekdays_text(weekdays) or "",
        "hours_per_day": _hours(hours),
    })
    if not values:
        raise InputError("wish.nothing")
    with transaction(db, "wish") as tx:
        citizen = find_citizen(db, citizen_ref)
        tx.about(citizen["id"])
        changed = _set_row(db, tx, "citizen_wishes", "citizen_id", citizen["id"], values)
    return {"citizen_id": citizen["id"], "citizen": citizen["name"], "changed": changed, "fields": sorted(values),
            "wishes": citizen_wishes(db, citizen["id"])}


def citizen_wishes(db: Database, citizen_id: int) -> dict[str, Any] | None:
    """What a citizen wishes and needs as plain values, or None if nothing is recorded."""
    rows = list(db.query("SELECT * FROM citizen_wishes WHERE citizen_id = ?", [citizen_id]))
    if not rows:
        return None
    return wishes_of_row(rows[0])


def wishes_of_row(row: dict[str, Any]) -> dict[str, Any]:
    return {"companies": json.loads(row["companies"]) if row["companies"] else [],
            "tasks": list(parse_tags(row["tasks"])), "needs": list(parse_tags(row["needs"])),
            "agreed_wording": row["agreed_wording"], "weekdays": list(stored_weekdays(row["weekdays"])),
            "hours_per_day": row["hours_per_day"]}


def _set_row(db: Database, tx: Tx, table: str, owner: str, owner_id: int, values: dict[str, Any]) -> bool:
    """The one row of ``table`` that belongs to ``owner_id`` (a company's profile, a citizen's wishes)
    made or changed to ``values``; whether anything changed. ``table`` and ``owner`` are this module's."""
    row = db.execute(f"SELECT id FROM {table} WHERE {owner} = ?", [owner_id]).fetchone()
    if row is None:
        tx.insert(table, {owner: owner_id, **values})
        return True
    return tx.update(table, row[0], values)
