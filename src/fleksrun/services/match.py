"""`match`: the companies that fit a citizen, best first, or the citizens who fit a company.

The facts come from the database in a few aggregate queries (room now, earlier placements, the
citizen's practice at each company); what they mean is ``domain.matching``'s, and the practice
limit is ``domain.law``'s (``practice_start``, ``allowed_practice_weeks``), never counted here.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.domain.calendar import weeks_between
from fleksrun.domain.law import allowed_practice_weeks, company_capacity, practice_start
from fleksrun.domain.matching import (
    Assessment,
    History,
    Note,
    Offer,
    Wish,
    assess,
    citizen_key,
    name_key,
    parse_tags,
    ranked,
    room,
    wished,
)
from fleksrun.domain.placements import CAPACITY_KINDS
from fleksrun.i18n import format_number, label, t
from fleksrun.services.lookup import find_citizen, find_company
from fleksrun.services.profiles import stored_weekdays, wishes_of_row
from fleksrun.store.connection import Database

_CAPACITY_IN = "(" + ", ".join(f"'{kind}'" for kind in CAPACITY_KINDS) + ")"

# Each company with its profile.
_COMPANIES = """
SELECT co.id, co.name, co.employees, pr.tasks, pr.cannot, pr.weekdays, pr.mentor, pr.mentor_strengths, pr.places,
       pr.id IS NOT NULL
FROM companies co LEFT JOIN company_profiles pr ON pr.company_id = co.id
WHERE (:company IS NULL OR co.id = :company)
ORDER BY co.name COLLATE NOCASE, co.id
"""

# The citizens placed at each company now (all kinds, and those that count against the legal
# capacity), with the last days of their placements: one pass over the placements running today.
_PLACED_NOW = f"""
SELECT p.company_id, COUNT(DISTINCT e.citizen_id),
       COUNT(DISTINCT CASE WHEN p.kind IN {_CAPACITY_IN} THEN e.citizen_id END), json_group_array(p.end)
FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
WHERE p.end >= :today AND p.start <= :today AND e.status = 'active' AND (:company IS NULL OR p.company_id = :company)
GROUP BY p.company_id
"""

# Placements there that ended before today.
_ENDED = """SELECT company_id, COUNT(*) FROM placements
WHERE end < :today AND (:company IS NULL OR company_id = :company) GROUP BY company_id"""

# Attended and absent days before today per company, read from the agenda's covering index on days
# (date, status, placement) and summed per placement before the join: two million days in about a second.
_ATTENDANCE = """
SELECT p.company_id, SUM(x.attended), SUM(x.absent)
FROM (SELECT d.placement_id, TOTAL(d.status = 'attended') AS attended, TOTAL(d.status = 'absent') AS absent
      FROM days d INDEXED BY idx_days_agenda WHERE d.date < :today AND d.status IN ('attended', 'absent')
      GROUP BY d.placement_id) x
JOIN placements p ON p.id = x.placement_id
WHERE (:company IS NULL OR p.company_id = :company)
GROUP BY p.company_id
"""

# How the enrollments of citizens placed at a company ended.
_OUTCOMES = """
SELECT p.company_id, e.outcome, COUNT(DISTINCT e.id) FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
WHERE e.status = 'ended' AND e.outcome IS NOT NULL AND (:company IS NULL OR p.company_id = :company)
GROUP BY p.company_id, e.outcome
"""

# Practice placements per citizen and company: (citizen, company, first day, last day, extensions).
_PRACTICE = """
SELECT e.citizen_id, p.company_id, p.start, p.end, p.extensions FROM placements p
JOIN enrollments e ON e.id = p.enrollment_id
WHERE p.kind = 'practice' AND (:citizen IS NULL OR e.citizen_id = :citizen)
  AND (:company IS NULL OR p.company_id = :company)
"""


def _offers(db: Database, today: _dt.date, company_id: int | None = None) -> list[Offer]:
    import json

    binds = {"today": today.isoformat(), "company": company_id}
    placed = {row[0]: row[1:] for row in db.execute(_PLACED_NOW, binds)}
    ended = dict(db.execute(_ENDED, binds).fetchall())
    attendance = {row[0]: row[1:] for row in db.execute(_ATTENDANCE, binds)}
    outcomes: dict[int, dict[str, int]] = {}
    for company, outcome, count in db.execute(_OUTCOMES, binds):
        outcomes.setdefault(company, {})[outcome] = count
    offers = []
    for cid, name, employees, tasks, cannot, weekdays, mentor, strengths, places, profiled in db.execute(
            _COMPANIES, binds):
        legal = company_capacity(employees, today) if employees is not None else None
        everyone, in_capacity, ends = placed.get(cid, (0, 0, "[]"))
        attended, absent = attendance.get(cid, (0, 0))
        offers.append(Offer(
            cid, name, parse_tags(tasks), parse_tags(cannot) if profiled else None, stored_weekdays(weekdays),
            mentor, strengths,
            room(places, legal, everyone, in_capacity, [_dt.date.fromisoformat(d) for d in json.loads(ends)]),
            History(ended.get(cid, 0), int(attended), int(absent), outcomes.get(cid, {}))))
    return offers


def _limits(db: Database, today: _dt.date, citizen_id: int | None, company_id: int | None
            ) -> dict[tuple[int, int], Note]:
    """(citizen, company) → the practice-limit conflict, where a practice begun today there would
    belong to one that has reached the law's limit already (placements with a short pause between
    them are one practice: ``domain.law.practice_start``)."""
    spans: dict[tuple[int, int], list[tuple[_dt.date, _dt.date, int]]] = {}
    for citizen, company, first, last, extensions in db.execute(_PRACTICE, {"citizen": citizen_id,
                                                                           "company": company_id}):
        spans.setdefault((citizen, company), []).append(
            (_dt.date.fromisoformat(first), _dt.date.fromisoformat(last), extensions))
    found: dict[tuple[int, int], Note] = {}
    for pair, rows in spans.items():
        began = practice_start([(first, last) for first, last, _ in rows], today)
        if began >= today:
            continue  # a new practice there would start afresh
        limit = allowed_practice_weeks(began, max(ext for _, _, ext in rows))
        weeks = weeks_between(began, today)
        if limit is not None and weeks >= limit:
            found[pair] = ("limit_reached", {"limit": limit, "weeks": weeks, "since": began})
    return found


def _wish(row: dict[str, Any] | None) -> Wish:
    wishes = wishes_of_row(row) if row else {"companies": [], "tasks": [], "needs": [], "weekdays": []}
    return Wish(tuple(wishes["companies"]), tuple(wishes["tasks"]), tuple(wishes["needs"]), tuple(wishes["weekdays"]))


def _placed_at(db: Database, today: _dt.date, citizen_id: int) -> set[int]:
    return {row[0] for row in db.execute(
        """SELECT p.company_id FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
           WHERE e.citizen_id = ? AND e.status = 'active' AND p.start <= ? AND p.end >= ?""",
        [citizen_id, today.isoformat(), today.isoformat()])}


def match_citizen(db: Database, citizen_ref: str, today: _dt.date) -> dict[str, Any]:
    """The companies for a citizen, best first, each with its reasons and conflicts in words."""
    citizen = find_citizen(db, citizen_ref)
    rows = list(db.query("SELECT * FROM citizen_wishes WHERE citizen_id = ?", [citizen["id"]]))
    wish = _wish(rows[0] if rows else None)
    limits = _limits(db, today, citizen["id"], None)
    placed = _placed_at(db, today, citizen["id"])
    offers = _offers(db, today)
    assessments = ranked(assess(wish, offer, limit=limits.get((citizen["id"], offer.id)),
                                placed_here=offer.id in placed) for offer in offers)
    known = {name_key(offer.name) for offer in offers}
    by_id = {offer.id: offer for offer in offers}
    return {
        "today": today, "citizen_id": citizen["id"], "citizen": citizen["name"], "job_goal": citizen["job_goal"],
        "wishes": {"companies": list(wish.companies), "tasks": list(wish.tasks), "needs": list(wish.needs),
                   "weekdays": list(wish.weekdays)},
        "not_in_file": [name for name in wish.companies if name_key(name) not in known],
        "items": [_item(a, rank, by_id[a.company_id]) for rank, a in enumerate(assessments, 1)],
    }


def _item(a: Assessment, rank: int, offer: Offer) -> dict[str, Any]:
    return {"rank": rank, "company_id": a.company_id, "company": a.company,
            "has_room": offer.room.level == 2, "free_places": offer.room.free,
            "reasons": [_note(code, params) for code, params in a.reasons],
            "conflicts": [_note(code, params) for code, params in a.conflicts]}


def match_company(db: Database, company_ref: str, today: _dt.date) -> dict[str, Any]:
    """The active citizens who fit a company (they wished it, or want tasks it offers), best first."""
    company = find_company(db, company_ref)
    offer = _offers(db, today, company["id"])[0]
    limits = _limits(db, today, None, company["id"])
    placed = {row[0] for row in db.execute(
        """SELECT DISTINCT e.citizen_id FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
           WHERE p.company_id = ? AND e.status = 'active' AND p.start <= ? AND p.end >= ?""",
        [company["id"], today.isoformat(), today.isoformat()])}
    found = []
    for row in db.query(
            """SELECT w.*, c.name AS name FROM citizen_wishes w JOIN citizens c ON c.id = w.citizen_id
               WHERE c.erased_at IS NULL AND EXISTS (SELECT 1 FROM enrollments e
                                                    WHERE e.citizen_id = c.id AND e.status = 'active')"""):
        if row["citizen_id"] in placed:
            continue
        wish = _wish(row)
        a = assess(wish, offer, limit=limits.get((row["citizen_id"], offer.id)))
        is_wished = wished(wish, offer.name)
        fit = next((len(p["tasks"]) for code, p in a.reasons if code == "tasks_fit"), 0)
        if not is_wished and not fit:
            continue
        counted = sum(1 for code, _ in a.conflicts if code in ("cannot", "no_common_day", "limit_reached"))
        found.append((citizen_key(is_wished, fit, counted, row["name"], row["citizen_id"]), row, a))
    found.sort(key=lambda entry: entry[0])
    room_notes = [_note(code, params) for code, params in a_room(offer)]
    return {
        "today": today, "company_id": company["id"], "company": company["name"], "has_room": offer.room.level == 2,
        "free_places": offer.room.free, "room": room_notes,
        "items": [{"rank": rank, "citizen_id": row["citizen_id"], "citizen": row["name"],
                   "reasons": [_note(code, params) for code, params in a.reasons if code not in _COMPANY_SIDE],
                   "conflicts": [_note(code, params) for code, params in a.conflicts if code not in _COMPANY_SIDE]}
                  for rank, (_key, row, a) in enumerate(found, 1)],
    }


# Notes about the company alone (its room, mentor, history): said once in `match --company`'s head.
_COMPANY_SIDE = {"room", "room_unknown", "full", "full_until", "legal_bound", "mentor", "history"}


def a_room(offer: Offer) -> list[Note]:
    """The notes on a company's room alone (with nothing wished of it)."""
    a = assess(Wish((), (), (), ()), offer)
    return [(code, params) for code, params in a.reasons + a.conflicts if code in _COMPANY_SIDE - {"mentor", "history"}]


def _note(code: str, params: dict[str, Any]) -> dict[str, Any]:
    """A reason or conflict: its code, its parameters as plain values, and its text."""
    return {"code": code, "text": note_text(code, params), **_plain(params)}


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    from fleksrun.domain.programs import WEEKDAY_NAMES

    out: dict[str, Any] = {}
    for key, value in params.items():
        if key in ("days", "offered", "managed"):
            value = [WEEKDAY_NAMES[d] for d in value]
        elif isinstance(value, _dt.date):
            value = value.isoformat()
        out[key] = value
    return out


def note_text(code: str, params: dict[str, Any]) -> str:
    """A reason or conflict in plain words, in the current language."""
    from fleksrun.i18n import weekday_name

    def days(values: list[int]) -> str:
        return ", ".join(weekday_name(d + 1, short=True) for d in values)

    if code in ("tasks_fit",):
        return t("match.note.tasks_fit", tasks=", ".join(params["tasks"]))
    if code in ("avoids", "cannot"):
        return t(f"match.note.{code}", needs=", ".join(params["needs"]))
    if code == "days_fit":
        return t("match.note.days_fit", days=days(params["days"]))
    if code == "no_common_day":
        return t("match.note.no_common_day", offered=days(params["offered"]), managed=days(params["managed"]))
    if code == "mentor":
        key = "match.note.mentor_good_at" if params["strengths"] else "match.note.mentor"
        return t(key, mentor=params["mentor"], strengths=params["strengths"])
    if code == "history":
        rate = params["rate"]
        text = t("match.note.history", count=params["placements"]) if rate is None else \
            t("match.note.history_rate", count=params["placements"], rate=format_number(round(rate * 100)))
        if params["outcomes"]:
            text += " — " + t("match.note.ended", outcomes=", ".join(
                f"{n} {label('outcome', outcome)}" for outcome, n in sorted(params["outcomes"].items())))
        return text
    return t(f"match.note.{code}", **params)
