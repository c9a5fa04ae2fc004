"""Read queries shared by several services. Aggregation happens here, in SQL."""

from __future__ import annotations

from typing import Any

from fleksrun.store.connection import Database

HOUR_KINDS = ("ordinary", "practice", "subsidised", "flexjob")

# Monthly hours per kind: a figure recorded with `hours` for (citizen, month, kind) — from a
# timesheet or payslip — REPLACES the day-by-day sum of attended days of that kind in that month;
# without one, the attended days count. So the same hours are never counted twice.
_MONTHLY_HOURS_SQL = """
WITH day_sums AS (
    SELECT substr(d.date, 1, 7) AS month, p.kind AS kind, SUM(COALESCE(d.hours, 0)) AS hours
    FROM days d
    JOIN placements p ON p.id = d.placement_id
    JOIN enrollments e ON e.id = p.enrollment_id
    WHERE e.citizen_id = :citizen AND d.status = 'attended' AND d.date >= :first || '-01' AND d.date <= :last || '-31'
    GROUP BY 1, 2
),
recorded AS (
    SELECT month, kind, hours FROM hours
    WHERE citizen_id = :citizen AND month >= :first AND month <= :last
)
SELECT month, kind, hours, 'recorded' AS source FROM recorded
UNION ALL
SELECT ds.month, ds.kind, ds.hours, 'days' AS source FROM day_sums ds
WHERE NOT EXISTS (SELECT 1 FROM recorded r WHERE r.month = ds.month AND r.kind = ds.kind)
ORDER BY month, kind
"""


def monthly_hours(db: Database, citizen_id: int, first_month: str, last_month: str) -> dict[str, dict[str, float]]:
    """Hours per calendar month and kind for one citizen: ``{"2026-04": {"ordinary": 28.5, ...}}``.

    The one source for every rule and report: ordinary hours ("ordinære timer") are only the
    ``ordinary`` kind; practice, subsidised (løntilskud) and flex-job hours never count as ordinary.
    """
    result: dict[str, dict[str, float]] = {}
    rows = db.execute(_MONTHLY_HOURS_SQL, {"citizen": citizen_id, "first": first_month, "last": last_month})
    for month, kind, hours, _source in rows:
        result.setdefault(month, {k: 0.0 for k in HOUR_KINDS})[kind] = float(hours)
    return result


def monthly_hours_detail(db: Database, citizen_id: int, first_month: str, last_month: str) -> list[dict[str, Any]]:
    """Like ``monthly_hours`` but one row per (month, kind) with where the figure came from."""
    rows = db.execute(_MONTHLY_HOURS_SQL, {"citizen": citizen_id, "first": first_month, "last": last_month})
    return [{"month": m, "kind": k, "hours": float(h), "source": s} for m, k, h, s in rows]
