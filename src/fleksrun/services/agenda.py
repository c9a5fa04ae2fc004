"""The consultant's week (`due`): everything that needs them in a window, overdue first.

Each kind of item comes from its own query that reads only the window it needs (indexes on dates);
the texts say, in one line, what to do. Kinds:

- ``followup``            a follow-up overdue or due (from the programme's cadence or a set date)
- ``aftercare``           the same, for a citizen in an after-care phase (efterværn)
- ``practice_day``        a booked day at a company in the window
- ``attendance_missing``  a past booked day with nothing recorded
- ``ready_to_advance``    the current phase's exit rules are met
- ``hours_at_risk``       close to a month's ordinary-hours target with the month nearly over
- ``placement_ending``    a placement ends within 14 days: what comes next?
- ``practice_limit``      practice reaches the legal limit in weeks soon (13, or as extended)
- ``data_missing``        no hours recorded last month for a citizen whose rule needs them
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.store.connection import Database

from fleksrun.domain.programs import Program
from fleksrun.i18n import t
from fleksrun.services.programs import enrolled_program

KINDS = ("followup", "aftercare", "practice_day", "attendance_missing", "ready_to_advance", "hours_at_risk",
         "placement_ending", "practice_limit", "data_missing")
MISSING_LOOKBACK_DAYS = 42   # older unrecorded days are history, not this week's work
ENDING_WITHIN_DAYS = 14
HOURS_AT_RISK_SHARE = 0.5    # at least half-way to the month's target …
HOURS_AT_RISK_DAYS_LEFT = 10  # … with at most this many days of the month left


def _item(date: _dt.date | str, kind: str, row: dict[str, Any], text: str, overdue_days: int = 0,
          company: str | None = None) -> dict[str, Any]:
    return {
        "date": date if isinstance(date, str) else date.isoformat(), "kind": kind,
        "citizen_id": row.get("citizen_id"), "citizen": row.get("citizen"), "company": company,
        "program": row.get("program"), "text": text, "overdue_days": overdue_days,
    }


class Agenda:
    """Builds the agenda for one window, with optional filters."""

    def __init__(self, db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *,
                 citizen_id: int | None = None, company_id: int | None = None, kinds: set[str] | None = None):
        self.db, self.today, self.start, self.end = db, today, start, end
        self.citizen_id, self.company_id = citizen_id, company_id
        self.kinds = kinds or set(KINDS)
        self._programs: dict[int, Program] = {}

    def program(self, program_def: int) -> Program:
        if program_def not in self._programs:
            self._programs[program_def] = enrolled_program(self.db, program_def)
        return self._programs[program_def]

    def binds(self, **extra: Any) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "start": self.start.isoformat(), "end": self.end.isoformat(),
                "citizen": self.citizen_id, "company": self.company_id, **extra}

    # Every query filters with these two clauses; a NULL filter lets everything through.
    CITIZEN = "(:citizen IS NULL OR e.citizen_id = :citizen)"
    COMPANY = "(:company IS NULL OR p.company_id = :company)"

    def build(self) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        if self.kinds & {"followup", "aftercare"} and self.company_id is None:
            items += self.followups()
        if "practice_day" in self.kinds:
            items += self.practice_days()
        if "attendance_missing" in self.kinds:
            items += self.attendance_missing()
        if "placement_ending" in self.kinds or "practice_limit" in self.kinds:
            items += self.placements()
        if self.kinds & {"ready_to_advance", "hours_at_risk", "data_missing"} and self.company_id is None:
            items += self.rules()
        order = {kind: i for i, kind in enumerate(KINDS)}
        items.sort(key=lambda i: (-i["overdue_days"] if i["overdue_days"] > 0 else 0, i["date"],
                                  order[i["kind"]], i["company"] or "", (i["citizen"] or "").casefold()))
        return [i for i in items if i["kind"] in self.kinds]

    def followups(self) -> list[dict[str, Any]]:
        from fleksrun.services.followups import followups_due

        rows = followups_due(self.db, self.today, self.end)
        out = []
        aftercare_phases = {}
        for row in rows:
            if self.citizen_id is not None and row["citizen_id"] != self.citizen_id:
                continue
            key = row["program"]
            if key not in aftercare_phases:
                aftercare_phases[key] = self._aftercare_phase(row["enrollment_id"])
            kind = "aftercare" if row["phase"] == aftercare_phases[key] else "followup"
            due = _dt.date.fromisoformat(row["due"])
            if row["overdue_days"] > 0:
                text = t(f"due.{kind}.overdue", citizen=row["citizen"], days=row["overdue_days"], due=due)
            else:
                text = t(f"due.{kind}.due", citizen=row["citizen"], due=due)
            out.append(_item(max(due, self.today) if row["overdue_days"] else due, kind, row, text,
                             row["overdue_days"]))
        return out

    def _aftercare_phase(self, enrollment_id: int) -> str | None:
        program_def = self.db.execute("SELECT program_def FROM enrollments WHERE id = ?", [enrollment_id]).fetchone()[0]
        return self.program(program_def).aftercare_phase

    def practice_days(self) -> list[dict[str, Any]]:
        sql = f"""
            SELECT d.date, d.planned_hours, d.status, d.hours, e.citizen_id, c.name AS citizen,
                   e.program_id AS program, co.name AS company, p.kind
            FROM days d
            JOIN placements p ON p.id = d.placement_id
            JOIN enrollments e ON e.id = p.enrollment_id
            JOIN citizens c ON c.id = e.citizen_id
            JOIN companies co ON co.id = p.company_id
            WHERE d.date >= :from_day AND d.date <= :end AND d.status IN ('planned', 'attended')
              AND e.status = 'active' AND {self.CITIZEN} AND {self.COMPANY}
        """
        out = []
        for row in self.db.query(sql, self.binds(from_day=max(self.start, self.today).isoformat())):
            key = "due.practice_day.attended" if row["status"] == "attended" else "due.practice_day.planned"
            text = t(key, citizen=row["citizen"], company=row["company"], hours=row["hours"] or row["planned_hours"] or 0)
            out.append(_item(row["date"], "practice_day", row, text, company=row["company"]))
        return out

    def attendance_missing(self) -> list[dict[str, Any]]:
        from fleksrun.services.attendance import missing_attendance

        since = self.today - _dt.timedelta(days=MISSING_LOOKBACK_DAYS)
        out = []
        for row in missing_attendance(self.db, self.today, citizen_id=self.citizen_id, since=since):
            if self.company_id is not None and row["company_id"] != self.company_id:
                continue
            text = t("due.attendance_missing", citizen=row["citizen"], company=row["company"],
                     day=_dt.date.fromisoformat(row["date"]))
            out.append(_item(row["date"], "attendance_missing", row, text, row["overdue_days"], company=row["company"]))
        return out

    def placements(self) -> list[dict[str, Any]]:
        from fleksrun.domain.law import allowed_practice_weeks

        horizon = self.end + _dt.timedelta(days=ENDING_WITHIN_DAYS)
        sql = f"""
            SELECT p.id, p.kind, p.start, p.end, p.extensions, e.citizen_id, c.name AS citizen,
                   e.program_id AS program, co.name AS company,
                   (SELECT MAX(d.date) FROM days d WHERE d.placement_id = p.id AND d.status != 'cancelled') AS last_day
            FROM placements p
            JOIN enrollments e ON e.id = p.enrollment_id
            JOIN citizens c ON c.id = e.citizen_id
            JOIN companies co ON co.id = p.company_id
            WHERE p.end >= :today AND p.start <= :horizon AND e.status = 'active'
              AND {self.CITIZEN} AND {self.COMPANY}
        """
        out = []
        for row in self.db.query(sql, self.binds(horizon=horizon.isoformat())):
            end = _dt.date.fromisoformat(row["last_day"] or row["end"])
            start = _dt.date.fromisoformat(row["start"])
            if "placement_ending" in self.kinds and self.today <= end <= self.end + _dt.timedelta(days=ENDING_WITHIN_DAYS):
                text = t("due.placement_ending", citizen=row["citizen"], company=row["company"], end=end)
                out.append(_item(max(end - _dt.timedelta(days=ENDING_WITHIN_DAYS), self.start, self.today),
                                 "placement_ending", row, text, company=row["company"]))
            if "practice_limit" in self.kinds and row["kind"] == "practice":
                weeks = allowed_practice_weeks(start, row["extensions"] or 0)
                # The Monday of the first week past the limit, counting ISO weeks from the start's week.
                limit = start - _dt.timedelta(days=start.weekday()) + _dt.timedelta(weeks=weeks)
                if end >= limit and self.today <= limit <= horizon:
                    text = t("due.practice_limit", citizen=row["citizen"], company=row["company"], weeks=weeks,
                             limit=limit)
                    out.append(_item(max(limit - _dt.timedelta(days=ENDING_WITHIN_DAYS), self.start, self.today),
                                     "practice_limit", row, text, company=row["company"]))
        return out

    def rules(self) -> list[dict[str, Any]]:
        """Exit rules met, hours close to a month's target, and missing hours that block a rule."""
        from fleksrun.services.phases import evaluate_active
        from fleksrun.store.queries import monthly_hours_many

        out = []
        waiting = []  # (row, target) of enrollments not ready whose phase counts ordinary hours
        for row, program, phase, verdict in evaluate_active(self.db, self.today, citizen_id=self.citizen_id):
            if not phase.rules:
                continue
            if verdict.ready:
                if "ready_to_advance" in self.kinds:
                    last = program.next_phase(phase.id) is None
                    text = t("due.ready_last" if last else "due.ready", citizen=row["citizen"], phase=phase.title())
                    out.append(_item(self.today, "ready_to_advance", row, text))
                continue
            rule = next((r for r in phase.rules if r.kind == "ordinary_hours_month"), None)
            if rule is not None:
                waiting.append((row, float(rule.min or 0)))
        month = self.today.strftime("%Y-%m")
        last_month = (self.today.replace(day=1) - _dt.timedelta(days=1)).strftime("%Y-%m")
        hours = monthly_hours_many(self.db, [(row["citizen_id"], last_month, month) for row, _ in waiting])
        for row, target in waiting:
            out += self._hours(row, target, hours.get(row["citizen_id"], {}))
        return out

    def _hours(self, row: dict[str, Any], target: float, figures: dict[str, dict[str, float]]) -> list[dict[str, Any]]:
        month = self.today.strftime("%Y-%m")
        first = self.today.replace(day=1)
        last_month = (first - _dt.timedelta(days=1)).strftime("%Y-%m")
        out = []
        entered = _dt.date.fromisoformat(row["phase_entered"])
        if "data_missing" in self.kinds and entered < first and last_month not in figures:
            text = t("due.data_missing", citizen=row["citizen"], month=last_month)
            out.append(_item(self.today, "data_missing", row, text))
        if "hours_at_risk" in self.kinds:
            have = figures.get(month, {}).get("ordinary", 0.0)
            next_month = (first + _dt.timedelta(days=32)).replace(day=1)
            days_left = (next_month - self.today).days
            if HOURS_AT_RISK_SHARE * target <= have < target and days_left <= HOURS_AT_RISK_DAYS_LEFT:
                text = t("due.hours_at_risk", citizen=row["citizen"], have=have, target=target, month=month,
                         missing=target - have, days=days_left)
                out.append(_item(self.today, "hours_at_risk", row, text))
        return out


def agenda(db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *, citizen_id: int | None = None,
           company_id: int | None = None, kinds: set[str] | None = None) -> dict[str, Any]:
    """The agenda document: ``{today, from, to, items: [...]}`` (the table and --json share it)."""
    items = Agenda(db, today, start, end, citizen_id=citizen_id, company_id=company_id, kinds=kinds).build()
    return {"today": today.isoformat(), "from": start.isoformat(), "to": end.isoformat(), "items": items}
