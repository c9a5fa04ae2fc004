"""Monthly hours by kind, from timesheets and payslips (``hours``), and the per-month view.

The rule (in ``store.queries.monthly_hours``, the one source for every rule and report): a figure
recorded here for (citizen, month, kind) REPLACES the sum of that month's attended days of that
kind; without one, the attended days count. The same hours are never counted twice, and only the
``ordinary`` kind is ordinary hours ("ordinære timer"): practice, subsidised (løntilskud) and
flex-job hours never are.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.domain.dates import month_bounds
from fleksrun.errors import InputError
from fleksrun.i18n import t
from fleksrun.services.lookup import find_citizen
from fleksrun.store.connection import Database
from fleksrun.store.queries import HOUR_KINDS, monthly_hours_detail
from fleksrun.store.tx import transaction

_DAY_SUMS_SQL = """
SELECT p.kind, SUM(COALESCE(d.hours, 0)) FROM days d
JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
WHERE e.citizen_id = ? AND d.status = 'attended' AND d.date BETWEEN ? AND ?
GROUP BY p.kind
"""


def _pivot(detail: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of (month, kind, hours, source) → one row per month with every kind, ordinary and other."""
    months: dict[str, dict[str, Any]] = {}
    for row in detail:
        entry = months.setdefault(row["month"], {"month": row["month"], **{k: 0.0 for k in HOUR_KINDS},
                                                 "sources": {}})
        entry[row["kind"]] = row["hours"]
        entry["sources"][row["kind"]] = row["source"]
    for entry in months.values():
        entry["other"] = sum(entry[k] for k in HOUR_KINDS if k != "ordinary")
    return [months[m] for m in sorted(months)]


def hours_in_month(db: Database, citizen_id: int, month: str) -> dict[str, Any]:
    """One citizen's hours in one calendar month: every kind, ``ordinary`` and ``other`` (all the rest)."""
    rows = _pivot(monthly_hours_detail(db, citizen_id, month, month))
    return rows[0] if rows else {"month": month, **{k: 0.0 for k in HOUR_KINDS}, "sources": {}, "other": 0.0}


def hours_by_month(db: Database, citizen_id: int) -> list[dict[str, Any]]:
    """Every month in which the citizen has hours of any kind, oldest first (see :func:`hours_in_month`)."""
    return _pivot(monthly_hours_detail(db, citizen_id, "0001-01", "9999-12"))


def record_hours(
    db: Database, citizen_ref: str, month: str, figures: dict[str, float], *, today: _dt.date,
    source: str | None = None, clear: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Record (or with ``clear`` remove) monthly figures; with neither, only show the month."""
    citizen = find_citizen(db, citizen_ref)
    first, last = month_bounds(month)
    ceiling = 24.0 * last.day
    for kind, value in figures.items():
        if kind not in HOUR_KINDS:
            raise InputError("hours.bad_kind", kind=kind, kinds=", ".join(HOUR_KINDS))
        if not 0 <= value <= ceiling:
            raise InputError("hours.bad_value", kind=t(f"hours.kind.{kind}"), hours=value, month=month, ceiling=ceiling)
    for kind in clear:
        if kind not in HOUR_KINDS:
            raise InputError("hours.bad_kind", kind=kind, kinds=", ".join(HOUR_KINDS))
        if kind in figures:
            raise InputError("hours.set_and_clear", kind=kind)
    existing = {kind: row_id for row_id, kind in db.execute(
        "SELECT id, kind FROM hours WHERE citizen_id = ? AND month = ?", [citizen["id"], month])}
    cleared = [k for k in clear if k in existing]
    if figures or cleared:
        with transaction(db, "hours") as tx:
            tx.about(citizen["id"])
            for kind, value in figures.items():
                values = {"hours": float(value), "source": source, "recorded_on": today.isoformat()}
                if kind in existing:
                    tx.update("hours", existing[kind], values)
                else:
                    tx.insert("hours", {"citizen_id": citizen["id"], "month": month, "kind": kind, **values})
            for kind in cleared:
                tx.delete("hours", existing[kind])
    day_sums = {kind: float(h) for kind, h in db.execute(
        _DAY_SUMS_SQL, [citizen["id"], first.isoformat(), last.isoformat()])}
    # Where a recorded figure hides attended days, say so: the consultant sees what was replaced.
    replaced = [{"kind": k, "recorded": figures[k], "days": day_sums[k]}
                for k in figures if day_sums.get(k, 0.0) and day_sums[k] != figures[k]]
    return {"citizen_id": citizen["id"], "citizen": citizen["name"], "month": month,
            "recorded": {k: float(v) for k, v in figures.items()}, "cleared": cleared, "replaced": replaced,
            "day_sums": day_sums, "hours": hours_in_month(db, citizen["id"], month)}
