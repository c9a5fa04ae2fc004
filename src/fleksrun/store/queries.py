"""Read queries shared by several services. Aggregation happens here, in SQL."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from typing import Any

from fleksrun.store.connection import Database

HOUR_KINDS = ("ordinary", "practice", "subsidised", "flexjob")

# Monthly hours per kind: a figure recorded with `hours` for (citizen, month, kind) — from a
# timesheet or payslip — REPLACES the day-by-day sum of attended days of that kind in that month;
# without one, the attended days count. So the same hours are never counted twice.
# ``:want`` is a JSON list of [citizen_id, first_month, last_month], so one query serves one
# citizen or thousands. CROSS JOIN fixes the join order (citizen → enrollments → placements → days,
# each by index): left to itself, SQLite scans every attended day once per wanted citizen. Sums are
# rounded to 6 decimals, so that the order in which SQLite adds them never tips a rule (30 h is 30 h).
_MONTHLY_HOURS_SQL = """
WITH want AS (
    SELECT value ->> 0 AS citizen, value ->> 1 AS first, value ->> 2 AS last FROM json_each(:want)
),
day_sums AS (
    SELECT w.citizen, substr(d.date, 1, 7) AS month, p.kind AS kind, ROUND(SUM(COALESCE(d.hours, 0)), 6) AS hours
    FROM want w
    CROSS JOIN enrollments e ON e.citizen_id = w.citizen
    CROSS JOIN placements p ON p.enrollment_id = e.id
    CROSS JOIN days d ON d.placement_id = p.id
    WHERE d.status = 'attended' AND d.date >= w.first || '-01' AND d.date <= w.last || '-31'
    GROUP BY 1, 2, 3
),
recorded AS (
    SELECT w.citizen, h.month, h.kind, h.hours
    FROM want w CROSS JOIN hours h ON h.citizen_id = w.citizen
    WHERE h.month >= w.first AND h.month <= w.last
)
SELECT citizen, month, kind, hours, 'recorded' AS source FROM recorded
UNION ALL
SELECT ds.citizen, ds.month, ds.kind, ds.hours, 'days' AS source FROM day_sums ds
WHERE NOT EXISTS (SELECT 1 FROM recorded r WHERE r.citizen = ds.citizen AND r.month = ds.month AND r.kind = ds.kind)
ORDER BY 1, 2, 3
"""


# The same rule as a CTE named ``monthly`` over EVERY citizen, for one kind (:hours_kind), for
# reports that aggregate in SQL: a figure recorded with `hours` for (citizen, month, kind) REPLACES the
# day-by-day sum of attended days of that kind in that month; without one, the attended days count.
MONTHLY_HOURS = """
day_sums AS (
    SELECT e.citizen_id AS citizen_id, substr(d.date, 1, 7) AS month, ROUND(SUM(COALESCE(d.hours, 0)), 6) AS hours
    FROM days d
    JOIN placements p ON p.id = d.placement_id
    JOIN enrollments e ON e.id = p.enrollment_id
    WHERE d.status = 'attended' AND p.kind = :hours_kind
    GROUP BY 1, 2
),
recorded AS (
    SELECT citizen_id, month, hours FROM hours WHERE kind = :hours_kind
),
monthly AS (
    SELECT citizen_id, month, hours FROM recorded
    UNION ALL
    SELECT ds.citizen_id, ds.month, ds.hours FROM day_sums ds
    WHERE NOT EXISTS (SELECT 1 FROM recorded r WHERE r.citizen_id = ds.citizen_id AND r.month = ds.month)
)"""


def _want(wanted: Iterable[tuple[int, str, str]]) -> str:
    """One [citizen, first, last] per citizen, widened to cover every window asked for."""
    import json  # only the callers that ask for many citizens pay for it

    spans: dict[int, tuple[str, str]] = {}
    for citizen_id, first, last in wanted:
        old = spans.get(citizen_id)
        spans[citizen_id] = (first, last) if old is None else (min(old[0], first), max(old[1], last))
    return json.dumps([[cid, first, last] for cid, (first, last) in spans.items()])


def monthly_hours_many(db: Database, wanted: Iterable[tuple[int, str, str]]) -> dict[int, dict[str, dict[str, float]]]:
    """``monthly_hours`` for many citizens in one query: ``{citizen_id: {month: {kind: hours}}}``."""
    result: dict[int, dict[str, dict[str, float]]] = {}
    for citizen, month, kind, hours, _source in db.execute(_MONTHLY_HOURS_SQL, {"want": _want(wanted)}):
        result.setdefault(citizen, {}).setdefault(month, {k: 0.0 for k in HOUR_KINDS})[kind] = float(hours)
    return result


def monthly_hours(db: Database, citizen_id: int, first_month: str, last_month: str) -> dict[str, dict[str, float]]:
    """Hours per calendar month and kind for one citizen: ``{"2026-04": {"ordinary": 28.5, ...}}``.

    The one source for every rule and report: ordinary hours ("ordinære timer") are only the
    ``ordinary`` kind; practice, subsidised (løntilskud) and flex-job hours never count as ordinary.
    """
    return monthly_hours_many(db, [(citizen_id, first_month, last_month)]).get(citizen_id, {})


def monthly_hours_detail(db: Database, citizen_id: int, first_month: str, last_month: str) -> list[dict[str, Any]]:
    """Like ``monthly_hours`` but one row per (month, kind) with where the figure came from."""
    rows = db.execute(_MONTHLY_HOURS_SQL, {"want": _want([(citizen_id, first_month, last_month)])})
    return [{"month": m, "kind": k, "hours": float(h), "source": s} for _c, m, k, h, s in rows]


# The latest contact (by date, then entry) of each active enrollment carries its next due date (NULL
# once the cadence has ended); an enrollment with no contact yet is due on its first day ("start").
# Lean rows: (enrollment, citizen id, citizen, programme, definition, phase, due, last contact, rule).
_DUE_SQL = """
SELECT * FROM (
    SELECT e.id, e.citizen_id, c.name, e.program_id, e.program_def, ph.phase,
           CASE WHEN f.id IS NULL THEN e.start ELSE f.next_due END AS due, f.date,
           CASE WHEN f.id IS NULL THEN 'start' ELSE f.next_due_rule END
    FROM enrollments e
    JOIN citizens c ON c.id = e.citizen_id AND c.erased_at IS NULL
    LEFT JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
    LEFT JOIN followups f ON f.id = (SELECT f2.id FROM followups f2 WHERE f2.enrollment_id = e.id
                                     ORDER BY f2.date DESC, f2.id DESC LIMIT 1)
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
    """Booked days before ``today`` with nothing recorded, of active enrollments, oldest first.

    Each item: ``date``, ``day_id``, ``placement_id``, ``citizen_id``, ``citizen``, ``company_id``,
    ``company``, ``kind``, ``planned_hours``, ``program``, ``overdue_days`` (days since the day).
    """
    where = ["d.status = 'planned'", "d.date < :today", "e.status = 'active'", "c.erased_at IS NULL"]
    binds: dict[str, Any] = {"today": today.isoformat()}
    if citizen_id is not None:
        where.append("c.id = :citizen")
        binds["citizen"] = citizen_id
    if since is not None:
        where.append("d.date >= :since")
        binds["since"] = since.isoformat()
    sql = """SELECT d.date, d.id AS day_id, p.id AS placement_id, c.id AS citizen_id, c.name AS citizen,
                    co.id AS company_id, co.name AS company, p.kind, d.planned_hours, e.program_id AS program,
                    CAST(julianday(:today) - julianday(d.date) AS INTEGER) AS overdue_days
             FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
             JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = p.company_id
             WHERE {} ORDER BY d.date, c.name COLLATE NOCASE, d.id""".format(" AND ".join(where))
    return list(db.query(sql, binds))
