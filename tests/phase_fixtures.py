"""A small fixture for phase and follow-up tests: rows the scheduling commands would write.

`schedule`, `attend` and `hours` are built elsewhere; these tests insert placements, days and
monthly hours directly, through the journalled transaction like any command.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fleksrun.services import open_database as open_db  # as commands open it: summaries kept up
from fleksrun.store.tx import transaction


def insert(db_path: Path, table: str, rows: list[dict]) -> list[int]:
    db = open_db(db_path)
    try:
        with transaction(db, "test fixture") as tx:
            return [tx.insert(table, row) for row in rows]
    finally:
        db.close()


def company(db_path: Path, name: str = "Bageriet") -> int:
    return insert(db_path, "companies", [{"name": name, "employees": 12, "created_at": "2026-01-01T00:00:00+00:00"}])[0]


def placement(db_path: Path, enrollment_id: int, kind: str, start: str, end: str, company_id: int | None = None) -> int:
    company_id = company_id or company(db_path)
    return insert(db_path, "placements", [{
        "enrollment_id": enrollment_id, "company_id": company_id, "kind": kind, "start": start, "end": end,
        "weekdays": "1,3", "hours_per_day": 4, "created_at": "2026-01-01T00:00:00+00:00",
    }])[0]


def days(db_path: Path, placement_id: int, dates: list[dt.date], status: str = "attended", hours: float = 4,
         reason: str = "sick") -> None:
    insert(db_path, "days", [{
        "placement_id": placement_id, "date": d.isoformat(), "planned_hours": 4, "status": status,
        "hours": hours if status == "attended" else None, "reason": reason if status == "absent" else None,
    } for d in dates])


def monthly(db_path: Path, citizen_id: int, month: str, **kinds: float) -> None:
    insert(db_path, "hours", [{"citizen_id": citizen_id, "month": month, "kind": kind, "hours": h,
                               "source": "payslip", "recorded_on": f"{month}-28"} for kind, h in kinds.items()])
