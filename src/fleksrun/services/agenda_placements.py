"""The agenda's placements: those ending soon, and practice reaching its legal limit in weeks (part
of ``services.agenda.Agenda``)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.i18n import t
from fleksrun.services.agenda_lines import KIND_ORDER, json_ids, name_key, new_item

ENDING_WITHIN_DAYS = 14


class PlacementLines:
    """``Agenda.placements``."""

    def placements(self) -> None:
        """Placements ending soon and practice reaching its limit in weeks soon.

        In two steps, as the booked days: every placement that may have a line, with only what
        decides whether it has one, then the names of those few."""
        horizon = self.end + _dt.timedelta(days=ENDING_WITHIN_DAYS)
        today, horizon_s = self.today.isoformat(), horizon.isoformat()
        found = []  # (placement, date, kind, params) of each line
        for placement_id, kind, end_s, limit in self._running(horizon_s):
            if "placement_ending" in self.kinds and end_s is not None and today <= end_s <= horizon_s:
                end = _dt.date.fromisoformat(end_s)
                date = max(end - _dt.timedelta(days=ENDING_WITHIN_DAYS), self.start, self.today)
                found.append((placement_id, date, "placement_ending", {"end": end}))
            if "practice_limit" in self.kinds and kind == "practice" and limit is not None:
                weeks, limit_day, limit_s = limit
                if (end_s is None or end_s >= limit_s) and today <= limit_s <= horizon_s:
                    date = max(limit_day - _dt.timedelta(days=ENDING_WITHIN_DAYS), self.start, self.today)
                    found.append((placement_id, date, "practice_limit", {"weeks": weeks, "limit": limit_day}))
        who = self._placement_people([entry[0] for entry in found])
        # Equal keys (one citizen, two placements at one company) go by the day they end or reach the
        # limit, then by placement.
        keyed = sorted((((0, date.isoformat(), KIND_ORDER[kind], who[pid][3], name_key(who[pid][1]), who[pid][0]),
                         params.get("end") or params["limit"], pid, date, kind, who[pid], params)
                        for pid, date, kind, params in found if pid in who),
                       key=lambda entry: entry[:3])  # never the params
        for key, _when, _pid, date, kind, (citizen_id, name, program, company), params in keyed:
            self.groups.line(date.isoformat(), kind, lambda key=key: key, lambda: [new_item(
                date, kind, citizen_id, name, program, t(f"due.{kind}", citizen=name, company=company, **params),
                company=company)])

    def _running(self, horizon: str) -> Any:
        """``(placement, kind, the day it ends, its practice limit or None)`` of the running placements
        that may end or reach their limit by ``horizon``; the day it ends is None where a day past the
        horizon shows it does not (read from every row only)."""
        from fleksrun.services.agenda_state import practice_limit

        filters = f"p.end >= :today AND p.start <= :horizon AND e.status = 'active' AND {self.CITIZEN} AND {self.COMPANY}"
        binds = self.binds(horizon=horizon)
        if self.summaries:  # only those whose stored end or limit falls in the window
            sql = f"""SELECT p.id, p.kind, s.ends, s.limit_weeks, s.limit_day
                      FROM placement_state s JOIN placements p ON p.id = s.placement_id
                      JOIN enrollments e ON e.id = p.enrollment_id
                      WHERE (s.ends BETWEEN :today AND :horizon OR s.limit_day BETWEEN :today AND :horizon)
                        AND {filters}"""
            for placement_id, kind, ends, weeks, limit_s in self.db.execute(sql, binds):
                limit = None if limit_s is None else (weeks, _dt.date.fromisoformat(limit_s), limit_s)
                yield placement_id, kind, ends, limit
            return
        # A placement ends on its last day not cancelled (or on its end date, with no such day). Any such
        # day past the horizon means it does not end soon (NULL): cheaper to check than finding the last.
        sql = f"""
            SELECT p.id, p.kind, p.start, p.extensions,
                   CASE WHEN NOT EXISTS (SELECT 1 FROM days d WHERE d.placement_id = p.id AND d.date > :horizon
                                         AND d.status != 'cancelled')
                        THEN COALESCE((SELECT MAX(d.date) FROM days d WHERE d.placement_id = p.id
                                       AND d.status != 'cancelled'), p.end) END
            FROM placements p
            JOIN enrollments e ON e.id = p.enrollment_id
            WHERE {filters}
        """
        for placement_id, kind, start_s, extensions, end_s in self.db.execute(sql, binds):
            yield placement_id, kind, end_s, practice_limit(start_s, extensions or 0) if kind == "practice" else None

    def _placement_people(self, placement_ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """{placement id: (citizen id, citizen, programme, company)}."""
        sql = """SELECT p.id, e.citizen_id, c.name, e.program_id, co.name
                 FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
                 JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = p.company_id
                 WHERE p.id IN (SELECT value FROM json_each(:ids))"""
        return {row[0]: row[1:] for row in self.db.execute(sql, {"ids": json_ids(placement_ids)})}
