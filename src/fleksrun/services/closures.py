"""A company's own closing days (lukkedage): 24 Dec, 31 Dec, 1 May, Grundlovsdag, summer closing.

They are not public holidays; ``schedule`` treats them like one for that company's placements.
A closing day recorded by mistake, or a closing the company called off, can be removed again.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.errors import InputError, NotFound
from fleksrun.services.lookup import find_company
from fleksrun.store.connection import Database
from fleksrun.store.tx import transaction

MAX_CLOSING_DAYS = 366  # one command closes at most a year: a longer range is surely a typo


def _days(first: _dt.date, last: _dt.date | None) -> tuple[_dt.date, list[_dt.date]]:
    """The last day and every day from ``first`` to ``last``, refused when backwards or over a year."""
    last = last or first
    if last < first:
        raise InputError("closures.bad_range", first=first, last=last)
    count = (last - first).days + 1
    if count > MAX_CLOSING_DAYS:
        raise InputError("closures.too_long", days=count, limit=MAX_CLOSING_DAYS)
    return last, [first + _dt.timedelta(days=i) for i in range(count)]


def close_company(
    db: Database, company_ref: str, first: _dt.date, last: _dt.date | None = None, *, reason: str | None = None,
) -> dict[str, Any]:
    """Record the company closed from ``first`` to ``last`` (both included); known dates stay as they are."""
    company = find_company(db, company_ref)
    last, dates = _days(first, last)
    known = {d for (d,) in db.execute(
        "SELECT date FROM company_closures WHERE company_id = ? AND date BETWEEN ? AND ?",
        [company["id"], first.isoformat(), last.isoformat()])}
    new = [d for d in dates if d.isoformat() not in known]
    reason = " ".join(reason.split()) if reason else None
    if new:
        with transaction(db, "company close") as tx:
            for day in new:
                tx.insert("company_closures", {"company_id": company["id"], "date": day.isoformat(), "reason": reason})
    # Days already booked there on a closing day: the consultant moves or cancels them.
    booked = list(db.query(
        """SELECT d.date, c.id AS citizen_id, c.name AS citizen FROM days d
           JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
           JOIN citizens c ON c.id = e.citizen_id
           WHERE p.company_id = ? AND d.status = 'planned' AND d.date BETWEEN ? AND ? ORDER BY d.date, c.name""",
        [company["id"], first.isoformat(), last.isoformat()]))
    return {"company_id": company["id"], "company": company["name"], "from": first, "to": last, "reason": reason,
            "added": [d.isoformat() for d in new], "known": sorted(known), "booked": booked}


def reopen_company(db: Database, company_ref: str, first: _dt.date, last: _dt.date | None = None) -> dict[str, Any]:
    """Remove the company's closing days from ``first`` to ``last`` (both included); `undo` brings them back.

    Refused (not found) when there is none in the period, so a mistyped date is not taken for done.
    """
    company = find_company(db, company_ref)
    last, _ = _days(first, last)
    rows = list(db.query(
        "SELECT id, date, reason FROM company_closures WHERE company_id = ? AND date BETWEEN ? AND ? ORDER BY date",
        [company["id"], first.isoformat(), last.isoformat()]))
    if not rows:
        raise NotFound("closures.none_to_remove", company=company["name"], first=first, last=last)
    with transaction(db, "company close --remove") as tx:
        for row in rows:
            tx.delete("company_closures", row["id"])
    return {"company_id": company["id"], "company": company["name"], "from": first, "to": last,
            "removed": [r["date"] for r in rows]}


def list_closures(db: Database, company_ref: str | None = None, since: _dt.date | None = None) -> list[dict[str, Any]]:
    """Closing days, of one company or all, from ``since`` on if given."""
    where, binds = ["1 = 1"], []
    if company_ref is not None:
        where.append("cc.company_id = ?")
        binds.append(find_company(db, company_ref)["id"])
    if since is not None:
        where.append("cc.date >= ?")
        binds.append(since.isoformat())
    return list(db.query(
        """SELECT cc.date, cc.company_id, co.name AS company, cc.reason
           FROM company_closures cc JOIN companies co ON co.id = cc.company_id
           WHERE {} ORDER BY cc.date, co.name COLLATE NOCASE""".format(" AND ".join(where)), binds))
