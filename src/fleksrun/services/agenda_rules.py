"""The agenda's exit rules and hours: who may move on, whose month's ordinary hours are in doubt,
and whose hours are missing (part of ``services.agenda.Agenda``)."""

from __future__ import annotations

import datetime as _dt
from functools import cached_property
from typing import Any

from fleksrun.i18n import t
from fleksrun.services.agenda_lines import json_ids, new_item

HOURS_AT_RISK_SHARE = 0.5    # at least half-way to the month's target …
HOURS_AT_RISK_DAYS_LEFT = 10  # … with at most this many days of the month left


class RuleLines:
    """``Agenda.rules``."""

    def rules(self) -> None:
        """Exit rules met, hours close to a month's target, and missing hours that block a rule."""
        from fleksrun.services import readiness

        programs = self.programs
        if "ready_to_advance" in self.kinds:
            group, kind = self.today.isoformat(), "ready_to_advance"
            # In name order: from the summaries a screen's worth is read, the rest only counted.
            if self.summaries:
                rows, total = readiness.ready_first(self.db, self.today, programs, citizen_id=self.citizen_id,
                                                    limit=self.groups.limit)
            else:
                rows = readiness.ready(self.db, self.today, programs, citizen_id=self.citizen_id)
                total = len(rows)
            for n, (_id, citizen_id, name, program, program_def, phase) in enumerate(rows):
                if not self.groups.wanted(group, kind):
                    self.groups.count(group, items=len(rows) - n, lines=len(rows) - n)
                    break
                self.groups.add(group, kind, self._today_key(kind, citizen_id, name),
                                [self._ready(citizen_id, name, program, programs[program_def], phase)])
            if total > len(rows):
                self.groups.count(group, items=total - len(rows), lines=total - len(rows))
        if not self.kinds & {"hours_at_risk", "data_missing"}:
            return
        found = []
        rows = readiness.waiting_on_hours(self.db, self.today, programs, citizen_id=self.citizen_id,
                                           summaries=self.summaries)
        smallest = self._smallest_planned_day([row[1] for row in rows if self._reached_only_if_all(*row[5:7], row[8])])
        for _id, citizen_id, name, program, *figures in rows:
            for kind, message, params in self._hours(name, *figures, smallest_day=smallest.get(citizen_id)):
                found.append((self._today_key(kind, citizen_id, name), kind, citizen_id, name, program, message, params))
        group = self.today.isoformat()
        for key, kind, citizen_id, name, program, message, params in sorted(found, key=lambda line: line[0]):
            self.groups.line(group, kind, lambda key=key: key, lambda kind=kind, citizen_id=citizen_id, name=name,
                             program=program, message=message, params=params: [
                new_item(self.today, kind, citizen_id, name, program, t(message, **params))])

    def _ready(self, citizen_id: int, name: str, program_id: str, program: Any, phase_id: str) -> dict[str, Any]:
        phase = program.phase(phase_id)
        last = program.next_phase(phase.id) is None
        text = t("due.ready_last" if last else "due.ready", citizen=name, phase=phase.title())
        return new_item(self.today, "ready_to_advance", citizen_id, name, program_id, text)

    def _reached_only_if_all(self, target: float, have: float, booked: float | None) -> bool:
        """Late in the month, the planned days reach the target: whether one missed day may undo it
        is told by the smallest of them (read only for these few)."""
        return booked is not None and have < target <= have + booked and self._days_left <= HOURS_AT_RISK_DAYS_LEFT

    @cached_property
    def _months(self) -> tuple[str, str]:
        """Today's month (YYYY-MM) and its first day (YYYY-MM-DD)."""
        return self.today.strftime("%Y-%m"), self.today.replace(day=1).isoformat()

    @cached_property
    def _days_left(self) -> int:
        """Days of today's month from today on."""
        next_month = (self.today.replace(day=1) + _dt.timedelta(days=32)).replace(day=1)
        return (next_month - self.today).days

    def _smallest_planned_day(self, citizen_ids: list[int]) -> dict[int, float]:
        """{citizen: the fewest hours of a day still planned this month at ordinary work}."""
        if not citizen_ids:
            return {}
        month = self.today.strftime("%Y-%m")
        sql = """SELECT e.citizen_id, MIN(d.planned_hours) FROM enrollments e
                 JOIN placements p ON p.enrollment_id = e.id AND p.kind = 'ordinary'
                 JOIN days d ON d.placement_id = p.id
                 WHERE e.citizen_id IN (SELECT value FROM json_each(:ids)) AND e.status = 'active'
                   AND d.status = 'planned' AND d.date >= :first AND d.date <= :last
                 GROUP BY e.citizen_id"""
        return {row[0]: float(row[1]) for row in self.db.execute(
            sql, {"ids": json_ids(citizen_ids), "first": f"{month}-01", "last": f"{month}-31"}) if row[1] is not None}

    def _hours(self, name: str, phase_entered: str, target: float, have: float, no_figure_last_month: bool,
               booked: float | None, *, smallest_day: float | None = None) -> list[tuple[str, str, dict[str, Any]]]:
        """The lines a citizen waiting on hours has: ``(kind, message, its parameters)``, worded only
        for the lines shown."""
        month, first = self._months
        out = []
        if "data_missing" in self.kinds and phase_entered < first and no_figure_last_month:
            last_month = (self.today.replace(day=1) - _dt.timedelta(days=1)).strftime("%Y-%m")
            out.append(("data_missing", "due.data_missing", {"citizen": name, "month": last_month}))
        if "hours_at_risk" in self.kinds:
            days_left = self._days_left
            figures = {"citizen": name, "have": have, "target": target, "month": month}
            if booked is not None:  # the planned days foretell the month: known early, while more can be planned
                if have + booked < target:
                    out.append(("hours_at_risk", "due.hours_short_booked",
                                {**figures, "booked": booked, "missing": target - have - booked}))
                elif smallest_day is not None and have + booked - smallest_day < target - 1e-9:
                    # Reached, but one missed day would undo it: late in the month, that is a risk too.
                    out.append(("hours_at_risk", "due.hours_no_spare_day", {**figures, "booked": booked, "days": days_left}))
            elif HOURS_AT_RISK_SHARE * target <= have < target and days_left <= HOURS_AT_RISK_DAYS_LEFT:
                out.append(("hours_at_risk", "due.hours_at_risk", {**figures, "missing": target - have, "days": days_left}))
        return out
