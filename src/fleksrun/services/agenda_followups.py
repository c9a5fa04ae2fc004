"""The agenda's follow-ups and after-care check-ins, overdue or due in the window (part of
``services.agenda.Agenda``)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.i18n import t
from fleksrun.services.agenda_lines import KIND_ORDER, OVERDUE, Firsts, name_key, new_item


class FollowupLines:
    """``Agenda.followups``: one line per follow-up, the first of each day read by name."""

    def followups(self) -> None:
        wanted = {"followup", "aftercare"} & self.kinds
        if self.summaries:
            self._followups_summarised(wanted)
            return
        today = self.today.isoformat()
        firsts = Firsts(self.groups.limit)  # per (group, kind): its first lines, and how many
        for enrollment_id, citizen_id, name, program, due, kind in self._followups_from_rows():
            if kind not in wanted:
                continue
            overdue = (self.today - _dt.date.fromisoformat(due)).days if due < today else 0
            firsts.add((OVERDUE if overdue else due, kind), (self._followup_key(kind, due, name, citizen_id), enrollment_id),
                       (citizen_id, name, program, due))
        for group, kind in firsts.buckets():
            kept = firsts.firsts((group, kind))
            self._followup_lines(group, kind, kept, firsts.counts[(group, kind)])

    def _followup_key(self, kind: str, due: str, name: str, citizen_id: int) -> tuple[Any, ...]:
        overdue = (self.today - _dt.date.fromisoformat(due)).days if due < self.today.isoformat() else 0
        return (-overdue, self.today.isoformat() if overdue else due, KIND_ORDER[kind], "", name_key(name), citizen_id)

    def _followup_lines(self, group: str, kind: str, kept: list[tuple[Any, ...]], count: int) -> None:
        """A (group, kind)'s first follow-ups ``(citizen id, citizen, programme, due)`` as lines, of ``count``."""
        for citizen_id, name, program, due in kept:
            key = self._followup_key(kind, due, name, citizen_id)
            overdue = -key[0]
            self.groups.add(group, kind, key, lambda kind=kind, citizen_id=citizen_id, name=name, program=program,
                            due=due, key=key, overdue=overdue: [
                                self._followup(kind, citizen_id, name, program, due, key[1], overdue)], 1)
        hidden = count - len(kept)
        self.groups.count(group, items=hidden, lines=hidden)

    def _followups_from_rows(self) -> Any:
        """``(enrollment, citizen id, citizen, programme, due, kind)`` of every follow-up due by the end."""
        from fleksrun.store.queries import due_followups

        aftercare = {program_def: program.aftercare_phase for program_def, program in self.programs.items()}
        for enrollment_id, citizen_id, name, program, program_def, phase, due, _last, _rule in due_followups(
                self.db, self.end, self.citizen_id, ordered=False):
            kind = "aftercare" if phase is not None and phase == aftercare[program_def] else "followup"
            yield enrollment_id, citizen_id, name, program, due, kind

    def _followups_summarised(self, wanted: set[str]) -> None:
        """From the summaries: how many each (group, kind) has, from their index alone; then each one's
        first lines, in the order of their keys (NOCASE sorts names as ``name_key``), read by SQLite
        from a screen's worth of rows (the overdue by due date, from the index)."""
        citizen = "(:citizen IS NULL OR s.citizen_id = :citizen)"
        # Counted per day in the index's order (no sorting), the overdue days then added up here.
        sql = f"""SELECT s.due, s.aftercare, COUNT(*) FROM followup_state s WHERE s.due <= :end AND {citizen}
                  GROUP BY s.due, s.aftercare"""
        firsts = f"""SELECT s.citizen_id, c.name, e.program_id, s.due
                     FROM followup_state s JOIN enrollments e ON e.id = s.enrollment_id
                     JOIN citizens c ON c.id = e.citizen_id
                     WHERE {{}} AND s.aftercare = :aftercare AND {citizen}
                     ORDER BY {{}}c.name COLLATE NOCASE, s.citizen_id, s.enrollment_id LIMIT :limit"""
        limit = -1 if self.groups.limit is None else self.groups.limit
        today, counts = self.today.isoformat(), {}
        for due, aftercare, count in self.db.execute(sql, self.binds()):
            day = None if due < today else due
            counts[(day, aftercare)] = counts.get((day, aftercare), 0) + count
        counts = {bucket: n for bucket, n in counts.items() if ("aftercare" if bucket[1] else "followup") in wanted}
        # A day with many due gets its first names from a walk through the citizens in name order.
        big = {} if limit < 0 else {bucket: limit for bucket, n in counts.items()
                                    if bucket[0] is not None and n >= self.BIG_LINE * limit}
        walked = self._walk(f"""SELECT c.id, c.name, e.program_id, s.due, s.aftercare
            FROM citizens c INDEXED BY idx_citizens_name
            CROSS JOIN followup_state s INDEXED BY idx_followup_state_citizen ON s.citizen_id = c.id
            JOIN enrollments e ON e.id = s.enrollment_id
            WHERE c.id > 0 AND s.due >= :today AND s.due <= :end AND {citizen}
            ORDER BY c.name COLLATE NOCASE, c.id, s.enrollment_id""", self.binds(), big, lambda row: (row[3], row[4]))
        for (due, aftercare), count in counts.items():
            if (due, aftercare) in walked:
                rows = [row[:4] for row in walked[(due, aftercare)]]
            elif due is None:
                query = firsts.format("s.due < :today AND s.due <= :end", "s.due, ")  # a window may end before today
                binds = self.binds(aftercare=aftercare, limit=limit)
                rows = self.db.execute(query, binds).fetchall()
            else:
                query, binds = firsts.format("s.due = :day", ""), self.binds(aftercare=aftercare, limit=limit, day=due)
                rows = self.db.execute(query, binds).fetchall()
            self._followup_lines(due or OVERDUE, "aftercare" if aftercare else "followup", rows, count)

    def _followup(self, kind: str, citizen_id: int, name: str, program: str, due: str, date: str,
                  overdue: int) -> dict[str, Any]:
        due_day = _dt.date.fromisoformat(due)
        if overdue:
            text = t(f"due.{kind}.overdue", citizen=name, days=overdue, due=due_day)
        else:
            text = t(f"due.{kind}.due", citizen=name, due=due_day)
        return new_item(date, kind, citizen_id, name, program, text, overdue)
