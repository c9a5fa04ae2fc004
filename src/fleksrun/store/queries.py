"""Read queries shared by several services. Aggregation happens here, in SQL."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any

from fleksrun.store.connection import Database

HOUR_KINDS = ("ordinary", "practice", "subsidised", "flexjob")

# Monthly hours per kind are the view ``monthly_hours`` (store.migrations.m006_rule_views): a figure
# recorded with `hours` replaces the attended days of its kind in its month. Every rule and report
# reads it; a bound ``citizen_id`` reaches the view's indexes.


def monthly_hours(db: Database, citizen_id: int, first_month: str, last_month: str) -> dict[str, dict[str, float]]:
    """Hours per calendar month and kind for one citizen: ``{"2026-04": {"ordinary": 28.5, ...}}``.

    Ordinary hours ("ordinære timer") are only the ``ordinary`` kind; practice, subsidised
    (løntilskud) and flex-job hours never count as ordinary.
    """
    result: dict[str, dict[str, float]] = {}
    for row in monthly_hours_detail(db, citizen_id, first_month, last_month):
        result.setdefault(row["month"], dict.fromkeys(HOUR_KINDS, 0.0))[row["kind"]] = row["hours"]
    return result


def monthly_hours_detail(db: Database, citizen_id: int, first_month: str, last_month: str) -> list[dict[str, Any]]:
    """Like ``monthly_hours`` but one row per (month, kind) with where the figure came from."""
    rows = db.execute("""SELECT month, kind, hours, source FROM monthly_hours
                         WHERE citizen_id = ? AND month >= ? AND month <= ? ORDER BY month, kind""",
                      [citizen_id, first_month, last_month])
    return [{"month": m, "kind": k, "hours": float(h), "source": s} for m, k, h, s in rows]


# The latest contact (by date, then entry) of the enrollment ``e``, as ``f``: it carries the next due
# date (NULL once the cadence has ended); an enrollment with no contact yet is due on its first day.
LATEST_FOLLOWUP = """LEFT JOIN followups f ON f.id = (SELECT f2.id FROM followups f2 WHERE f2.enrollment_id = e.id
                                     ORDER BY f2.date DESC, f2.id DESC LIMIT 1)"""

# Lean rows: (enrollment, citizen id, citizen, programme, definition, phase, due, last contact, rule).
_DUE_SQL = f"""
SELECT * FROM (
    SELECT e.id, e.citizen_id, c.name, e.program_id, e.program_def, ph.phase,
           CASE WHEN f.id IS NULL THEN e.start ELSE f.next_due END AS due, f.date,
           CASE WHEN f.id IS NULL THEN 'start' ELSE f.next_due_rule END
    FROM enrollments e
    JOIN citizens c ON c.id = e.citizen_id AND c.erased_at IS NULL
    LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
    {LATEST_FOLLOWUP}
    WHERE e.status = 'active' AND (:citizen IS NULL OR e.citizen_id = :citizen)
)
WHERE due IS NOT NULL AND due <= :until
"""


def due_followups(db: Database, until: _dt.date, citizen_id: int | None = None, *,
                  ordered: bool = True) -> Iterator[tuple[Any, ...]]:
    """Active enrollments whose next contact is due by ``until`` (overdue ones included), by due date
    and name unless ``ordered=False``:
    ``(enrollment_id, citizen_id, citizen, program, program_def, phase, due, last_contact, rule)``.
    ``ordered=False`` leaves the order to SQLite, for a caller that picks its own first rows (sorting
    every due enrollment costs SQLite more than finding them)."""
    order = " ORDER BY due, name COLLATE NOCASE, citizen_id, id" if ordered else ""
    return iter(db.execute(_DUE_SQL + order, {"until": until.isoformat(), "citizen": citizen_id}))


def missing_attendance(
    db: Database, today: _dt.date, *, citizen_id: int | None = None, since: _dt.date | None = None,
) -> list[dict[str, Any]]:
    """Booked days before ``today`` with nothing recorded (``unrecorded_days``: a monthly figure for
    the placement's kind settles its month), of active enrollments, oldest first.

    Each item: ``date``, ``day_id``, ``placement_id``, ``citizen_id``, ``citizen``, ``company_id``,
    ``company``, ``kind``, ``planned_hours``, ``program``, ``overdue_days`` (days since the day).
    """
    where = ["u.date < :today", "e.status = 'active'", "c.erased_at IS NULL"]
    binds: dict[str, Any] = {"today": today.isoformat()}
    if citizen_id is not None:
        where.append("c.id = :citizen")
        binds["citizen"] = citizen_id
    if since is not None:
        where.append("u.date >= :since")
        binds["since"] = since.isoformat()
    # unrecorded_days (store.migrations.m013): planned, and not settled by a monthly figure.
    sql = """SELECT u.date, u.id AS day_id, u.placement_id, c.id AS citizen_id, c.name AS citizen,
                    co.id AS company_id, co.name AS company, u.kind, u.planned_hours, e.program_id AS program,
                    CAST(julianday(:today) - julianday(u.date) AS INTEGER) AS overdue_days
             FROM unrecorded_days u JOIN enrollments e ON e.id = u.enrollment_id
             JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = u.company_id
             WHERE {} ORDER BY u.date, c.name COLLATE NOCASE, u.id""".format(" AND ".join(where))
    return list(db.query(sql, binds))
