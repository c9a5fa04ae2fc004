"""The agenda's booked days: the window's bookings per day and company, and past days with
nothing recorded (part of ``services.agenda.Agenda``)."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.i18n import t
from fleksrun.services.agenda_lines import (
    BOOKINGS_LAST, KIND_ORDER, OVERDUE, Firsts, json_ids, name_key, new_item,
)

MISSING_LOOKBACK_DAYS = 42   # older unrecorded days are history, not this week's work


class DayLines:
    """``Agenda.practice_days`` and ``Agenda.attendance_missing``."""

    def practice_days(self) -> None:
        """A day's bookings, one line per company (by name), its citizens in name order.

        Read in two steps: how many bookings each line has, then the first names of the lines shown,
        then the rest of those few bookings. From the rows, the first step keeps each line's first
        names as it counts (every booking read with its citizen's name); from the summaries, it counts
        bookings by their placement alone, and the names are found by walking the citizens in name
        order until each line shown has its screen's worth, where that is the shorter way."""
        companies = dict(self.db.execute("SELECT id, name FROM companies").fetchall())
        binds = self.binds(from_day=max(self.start, self.today).isoformat())
        booked = None
        if self.summaries and self.names is not None:
            counts = self._booking_counts(companies, binds)
        else:
            booked = self._bookings_from_rows(companies, binds)
            counts = booked.counts
        shown = []  # (date, company, the line's items: filled below)
        for date, company in sorted(counts):
            count = counts[(date, company)]
            if self.groups.wanted(date, "practice_day"):
                shown.append((date, company, []))
                self.groups.add(date, "practice_day", (0, date, BOOKINGS_LAST, company, "", 0), shown[-1][2], count)
            else:
                self.groups.count(date, count)
        if booked is None:
            need = {(date, company): min(counts[(date, company)], self.names) for date, company, _items in shown}
            firsts = self._first_bookings(need, counts, companies, binds)
        else:
            firsts = {(date, company): booked.firsts((date, company)) for date, company, _items in shown}
        details = self._booking_details([day_id for line in firsts.values() for *_who, day_id in line])
        for date, company, items in shown:
            for citizen_id, name, day_id in firsts[(date, company)]:
                status, hours, planned, program = details[day_id]
                key = "due.practice_day.attended" if status == "attended" else "due.practice_day.planned"
                text = t(key, citizen=name, company=company, hours=hours or planned or 0)
                items.append(new_item(date, "practice_day", citizen_id, name, program, text, company=company))

    _BOOKED = "d.date >= :from_day AND d.date <= :end AND d.status IN ('planned', 'attended')"

    def _bookings_from_rows(self, companies: dict[int, str], binds: dict[str, Any]) -> Firsts:
        """Per (day, company name): its first citizens by name, and how many, from every booking."""
        sql = f"""
            SELECT d.date, p.company_id, e.citizen_id, c.name, d.id
            FROM days d
            JOIN placements p ON p.id = d.placement_id
            JOIN enrollments e ON e.id = p.enrollment_id
            JOIN citizens c ON c.id = e.citizen_id
            WHERE {self._BOOKED} AND e.status = 'active' AND {self.CITIZEN} AND {self.COMPANY}
        """
        booked = Firsts(self.names)
        for date, company_id, citizen_id, name, day_id in self.db.execute(sql, binds):
            company = companies.get(company_id)
            if company is not None:  # as an inner join would: a row without its company is no line
                booked.add((date, company), (name_key(name), citizen_id, day_id), (citizen_id, name, day_id))
        return booked

    # The summaries' placements are those of active enrollments, with their citizen and company.
    _SUMMARY_FILTERS = "(:citizen IS NULL OR s.citizen_id = :citizen) AND (:company IS NULL OR s.company_id = :company)"

    def _booking_counts(self, companies: dict[int, str], binds: dict[str, Any]) -> dict[tuple[str, str], int]:
        """How many bookings each (day, company name) has, from the days' index and the summaries."""
        from collections import Counter

        sql = f"""SELECT d.date, s.company_id FROM days d JOIN placement_state s ON s.placement_id = d.placement_id
                  WHERE {self._BOOKED} AND {self._SUMMARY_FILTERS}"""
        counts: dict[tuple[str, str], int] = {}
        for (date, company_id), count in Counter(self.db.execute(sql, binds)).items():
            company = companies.get(company_id)
            if company is not None:
                counts[(date, company)] = counts.get((date, company), 0) + count
        return counts

    def _first_bookings(self, need: dict[tuple[str, str], int], counts: dict[tuple[str, str], int],
                        companies: dict[int, str], binds: dict[str, Any]) -> dict[tuple[str, str], list[Any]]:
        """Each line's first ``need`` bookings ``(citizen id, citizen, day id)`` by name, citizen and day.

        A line with many bookings gets its names from a walk through the citizens in name order,
        which meets one of its bookings every citizens / bookings steps and stops once every such
        line has its names. The other lines are read whole, one query per day, from that day's
        bookings of their companies."""
        firsts: dict[tuple[str, str], list[Any]] = {line: [] for line in need}
        big = {line: n for line, n in need.items() if n and counts[line] >= self.BIG_LINE * n}
        small: dict[str, set[str]] = {}
        for (date, company), n in need.items():
            if n and (date, company) not in big:
                small.setdefault(date, set()).add(company)
        for date, names in small.items():
            ids = [company_id for company_id, name in companies.items() if name in names]
            sql = f"""SELECT s.company_id, c.id, c.name, d.id FROM days d
                      JOIN placement_state s ON s.placement_id = d.placement_id JOIN citizens c ON c.id = s.citizen_id
                      WHERE d.date = :day AND d.status IN ('planned', 'attended') AND {self._SUMMARY_FILTERS}
                        AND s.company_id IN (SELECT value FROM json_each(:ids))"""
            booked = Firsts(self.names)
            for company_id, citizen_id, name, day_id in self.db.execute(sql, {**binds, "day": date, "ids": json_ids(ids)}):
                booked.add(companies[company_id], (name_key(name), citizen_id, day_id), (citizen_id, name, day_id))
            for company in names:
                firsts[(date, company)] = booked.firsts(company)[:need[(date, company)]]
        walked = self._walk(f"""SELECT c.id, c.name, d.id, d.date, s.company_id
            FROM citizens c INDEXED BY idx_citizens_name
            CROSS JOIN placement_state s INDEXED BY idx_placement_state_citizen ON s.citizen_id = c.id
            CROSS JOIN days d ON d.placement_id = s.placement_id
            WHERE c.id > 0 AND {self._BOOKED} AND {self._SUMMARY_FILTERS}
            ORDER BY c.name COLLATE NOCASE, c.id, d.id""", binds, big, lambda row: (row[3], companies.get(row[4])))
        for line, rows in walked.items():
            firsts[line] = [row[:3] for row in rows]
        return firsts

    def _booking_details(self, day_ids: list[int]) -> dict[int, tuple[Any, ...]]:
        """{day id: (status, hours, planned hours, programme)} of the bookings shown."""
        sql = """SELECT d.id, d.status, d.hours, d.planned_hours, e.program_id
                 FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
                 WHERE d.id IN (SELECT value FROM json_each(:ids))"""
        return {row[0]: row[1:] for row in self.db.execute(sql, {"ids": json_ids(day_ids)})}

    def attendance_missing(self) -> None:
        """Past booked days with nothing recorded: one line per citizen and company, at its oldest day."""
        from fleksrun.store.queries import missing_attendance

        since = self.today - _dt.timedelta(days=MISSING_LOOKBACK_DAYS)
        if self.summaries and self.groups.limit is not None:
            self._missing_summarised(since)
            return
        lines: dict[tuple[int, int], list[dict[str, Any]]] = {}
        for row in missing_attendance(self.db, self.today, citizen_id=self.citizen_id, since=since):
            if self.company_id is None or row["company_id"] == self.company_id:
                lines.setdefault((row["citizen_id"], row["company_id"]), []).append(row)
        keyed = []
        for days in lines.values():  # each in date order: the first is the oldest
            first = days[0]
            keyed.append(((-first["overdue_days"], first["date"], KIND_ORDER["attendance_missing"], first["company"],
                           name_key(first["citizen"]), first["citizen_id"]), days))
        for key, days in sorted(keyed, key=lambda pair: pair[0]):
            self.groups.line(OVERDUE, "attendance_missing", lambda key=key: key,
                             lambda days=days: [self._missing(d) for d in days], count=len(days))

    def _missing_summarised(self, since: _dt.date) -> None:
        """As ``attendance_missing``, its lines counted and ordered by SQLite (by the line's first day,
        company and citizen, as the keys), and the days read only for the lines shown."""
        unrecorded = f"d.status = 'planned' AND d.date < :today AND d.date >= :since AND {self._SUMMARY_FILTERS}"
        # A line's first day, with the first of its bookings that day: as the rows read whole come.
        sql = f"""WITH lines AS (
                      SELECT s.citizen_id AS citizen_id, c.name AS name, s.company_id AS company_id, co.name AS company,
                             MIN(d.date || ' ' || printf('%020d', d.id)) AS first, COUNT(*) AS days
                      FROM days d JOIN placement_state s ON s.placement_id = d.placement_id
                      JOIN citizens c ON c.id = s.citizen_id AND c.erased_at IS NULL
                      JOIN companies co ON co.id = s.company_id
                      WHERE {unrecorded} GROUP BY s.citizen_id, s.company_id)
                  SELECT citizen_id, name, company_id, company, substr(first, 1, 10), days,
                         COUNT(*) OVER (), SUM(days) OVER () FROM lines
                  ORDER BY substr(first, 1, 10), company, name COLLATE NOCASE, citizen_id, first LIMIT :limit"""
        binds = self.binds(since=since.isoformat())
        lines = self.db.execute(sql, {**binds, "limit": self.groups.limit}).fetchall()
        if not lines:
            return
        days: dict[tuple[int, int], list[dict[str, Any]]] = {(line[0], line[2]): [] for line in lines}
        sql = f"""SELECT d.date, s.citizen_id, s.company_id, e.program_id
                  FROM placement_state s JOIN days d ON d.placement_id = s.placement_id
                  JOIN placements p ON p.id = s.placement_id JOIN enrollments e ON e.id = p.enrollment_id
                  WHERE s.citizen_id IN (SELECT value FROM json_each(:ids)) AND {unrecorded} ORDER BY d.date, d.id"""
        for date, citizen_id, company_id, program in self.db.execute(
                sql, {**binds, "ids": json_ids([line[0] for line in lines])}):
            if (citizen_id, company_id) in days:
                days[(citizen_id, company_id)].append({"date": date, "program": program})
        for citizen_id, name, company_id, company, first, count, _lines, _days in lines:
            key = (-(self.today - _dt.date.fromisoformat(first)).days, first, KIND_ORDER["attendance_missing"],
                   company, name_key(name), citizen_id)
            self.groups.add(OVERDUE, "attendance_missing", key, [self._missing({
                **day, "citizen_id": citizen_id, "citizen": name, "company": company,
                "overdue_days": (self.today - _dt.date.fromisoformat(day["date"])).days})
                for day in days[(citizen_id, company_id)]], count)
        hidden_lines, hidden_days = lines[0][6] - len(lines), lines[0][7] - sum(line[5] for line in lines)
        if hidden_lines:
            self.groups.count(OVERDUE, items=hidden_days, lines=hidden_lines)

    def _missing(self, row: dict[str, Any]) -> dict[str, Any]:
        text = t("due.attendance_missing", citizen=row["citizen"], company=row["company"],
                 day=_dt.date.fromisoformat(row["date"]))
        return new_item(row["date"], "attendance_missing", row["citizen_id"], row["citizen"], row["program"], text,
                        row["overdue_days"], company=row["company"])
