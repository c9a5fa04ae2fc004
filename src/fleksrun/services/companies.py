"""Companies (virksomheder): add and list."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from fleksrun.domain.names import name_key
from fleksrun.errors import InputError, Refused
from fleksrun.store.connection import Database
from fleksrun.store.name_keys import EXACT_IDS, key_binds
from fleksrun.store.tx import Tx, record_stamp, transaction


def clean_company_name(name: str) -> str:
    """A company's name as kept: one space between words, and not a bare number (that reads as its id)."""
    name = " ".join(name.split())
    if not name or name.isdigit():
        raise InputError("company.bad_name")
    return name


def clean_cvr(cvr: str | None) -> str | None:
    """A CVR number as eight digits (spaces dropped), or None."""
    if cvr is None:
        return None
    cvr = re.sub(r"\s", "", cvr)
    if not re.fullmatch(r"\d{8}", cvr):
        raise InputError("company.bad_cvr", cvr=cvr)
    return cvr


def add_company(
    db: Database, *, name: str, cvr: str | None = None, contact: str | None = None, phone: str | None = None,
    email: str | None = None, employees: int | None = None, notes: str | None = None,
) -> dict[str, Any]:
    name = clean_company_name(name)
    cvr = clean_cvr(cvr)
    if employees is not None and employees < 0:
        raise InputError("company.bad_employees", employees=employees)
    # The same name as the look-up reads it ("GRØNT", "Grønt"), or `-c grønt` could not tell them apart.
    clash = db.execute(EXACT_IDS, key_binds("companies", name_key(name))).fetchone()
    if clash:
        raise Refused("company.exists", name=name, id=clash[0])
    with transaction(db, "company add") as tx:
        company_id = insert_company(tx, {"name": name, "cvr": cvr, "contact": contact, "phone": phone,
                                         "email": email, "employees": employees, "notes": notes})
    return {"id": company_id, "name": name}


def insert_company(tx: Tx, values: dict[str, Any]) -> int:
    """The company row, checked already, inside the caller's transaction."""
    return tx.insert("companies", {**values, "created_at": record_stamp()})


def list_companies(db: Database, today: _dt.date) -> list[dict[str, Any]]:
    """Every company with how many citizens have practice or work there now."""
    sql = """
        SELECT co.id, co.name, co.cvr, co.contact, co.phone, co.email, co.employees,
               (SELECT COUNT(DISTINCT e.citizen_id) FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
                 WHERE p.company_id = co.id AND p.start <= :today AND p.end >= :today AND e.status = 'active')
                 AS placed_now
        FROM companies co ORDER BY co.name COLLATE NOCASE
    """
    return list(db.query(sql, {"today": today.isoformat()}))
