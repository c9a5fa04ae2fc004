"""Companies (virksomheder): add and list."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from fleksrun.domain.names import name_key
from fleksrun.errors import InputError, Refused
from fleksrun.store.connection import Database
from fleksrun.store.name_keys import EXACT_IDS, key_binds
from fleksrun.store.tx import record_stamp, transaction


def add_company(
    db: Database, *, name: str, cvr: str | None = None, contact: str | None = None, phone: str | None = None,
    email: str | None = None, employees: int | None = None, notes: str | None = None,
) -> dict[str, Any]:
    name = " ".join(name.split())
    if not name or name.isdigit():
        raise InputError("company.bad_name")
    if cvr is not None:
        cvr = re.sub(r"\s", "", cvr)
        if not re.fullmatch(r"\d{8}", cvr):
            raise InputError("company.bad_cvr", cvr=cvr)
    if employees is not None and employees < 0:
        raise InputError("company.bad_employees", employees=employees)
    # The same name as the look-up reads it ("GRØNT", "Grønt"), or `-c grønt` could not tell them apart.
    clash = db.execute(EXACT_IDS, key_binds("companies", name_key(name))).fetchone()
    if clash:
        raise Refused("company.exists", name=name, id=clash[0])
    with transaction(db, "company add") as tx:
        company_id = tx.insert(
            "companies",
            {"name": name, "cvr": cvr, "contact": contact, "phone": phone, "email": email, "employees": employees,
             "notes": notes, "created_at": record_stamp()},
        )
    return {"id": company_id, "name": name}


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
