"""The consultant's week (`due`): everything that needs them in a window, overdue first.

Kinds of item, each from its own query that reads only the window it needs:

- ``followup``            a follow-up overdue or due (from the programme's cadence or a set date)
- ``aftercare``           the same, for a citizen in an after-care phase (efterværn)
- ``practice_day``        a booked day at a company in the window
- ``attendance_missing``  a past booked day with nothing recorded
- ``ready_to_advance``    the current phase's exit rules are met
- ``hours_at_risk``       a month's ordinary-hours target in doubt: the days planned cannot reach it
                          (or, late in the month, only with every one of them worked), or it is close
                          with the month nearly over
- ``placement_ending``    a placement ends within 14 days: what comes next?
- ``practice_limit``      practice reaches the legal limit in weeks soon (13, or as extended)
- ``data_missing``        no hours recorded last month for a citizen whose rule needs them

Items fall into groups (the overdue ones, then one group per day) and a group into lines: one line
per item, except that a day's bookings at one company make one line, and so do one citizen's
unrecorded days at one company. The table shows the first lines of each group; ``--json`` has every
item. Both are built here, by one :class:`Agenda`: each query reads lean rows, and only a line that
will be shown becomes items with a text; the rest is only counted. Where a kind has tens of thousands
of rows at 100,000 citizens (follow-ups, bookings, placements) SQLite does not sort them: each group
keeps its first lines by a bounded selection (``agenda_lines.Firsts``), and the details of a line
(names, hours) are read only for the lines shown.
"""

from __future__ import annotations

import datetime as _dt
from functools import cached_property
from typing import Any

from fleksrun.i18n import t
from fleksrun.services.agenda_lines import (  # noqa: F401  (KINDS, OVERDUE, item_key: the agenda's vocabulary)
    BOOKINGS_LAST, KIND_ORDER, KINDS, OVERDUE, Firsts, Groups, item_key, name_key, new_item,
)
from fleksrun.store.connection import Database

MISSING_LOOKBACK_DAYS = 42   # older unrecorded days are history, not this week's work
ENDING_WITHIN_DAYS = 14
HOURS_AT_RISK_SHARE = 0.5    # at least half-way to the month's target …
HOURS_AT_RISK_DAYS_LEFT = 10  # … with at most this many days of the month left


class Agenda:
    """Builds the agenda for one window, with optional filters; ``limit`` lines per group (None: all)
    and ``names`` bookings named on a company's line (None: all)."""

    # A line with this many rows for each name it shows gets its names from a walk through the
    # citizens in name order (``_walk``); a line of fewer is read whole.
    BIG_LINE = 20

    # Every query filters with these two clauses; a NULL filter lets everything through.
    CITIZEN = "(:citizen IS NULL OR e.citizen_id = :citizen)"
    COMPANY = "(:company IS NULL OR p.company_id = :company)"

    def __init__(self, db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *,
                 citizen_id: int | None = None, company_id: int | None = None, kinds: set[str] | None = None,
                 limit: int | None = None, names: int | None = None, summaries: bool = True):
        from fleksrun.services.agenda_state import make_fresh

        self.db, self.today, self.start, self.end = db, today, start, end
        # The summaries where they hold for everyone (see services.agenda_state), else every row.
        self.summaries = summaries and make_fresh(db)
        self.citizen_id, self.company_id = citizen_id, company_id
        self.kinds = kinds or set(KINDS)
        self.names = names
        self.groups = Groups(limit)
        self._programs: dict[int, Any] | None = None

    @property
    def programs(self) -> dict[int, Any]:
        """Every stored programme definition, read once for all kinds: {definition id: programme}."""
        if self._programs is None:
            from fleksrun.services.readiness import stored_programs

            self._programs = stored_programs(self.db)
        return self._programs

    def binds(self, **extra: Any) -> dict[str, Any]:
        return {"today": self.today.isoformat(), "start": self.start.isoformat(), "end": self.end.isoformat(),
                "citizen": self.citizen_id, "company": self.company_id, **extra}

    def collect(self) -> list[dict[str, Any]]:
        """Every kind asked for, as groups of lines."""
        if self.kinds & {"followup", "aftercare"} and self.company_id is None:
            self.followups()
        if "practice_day" in self.kinds:
            self.practice_days()
        if "attendance_missing" in self.kinds:
            self.attendance_missing()
        if self.kinds & {"placement_ending", "practice_limit"}:
            self.placements()
        if self.kinds & {"ready_to_advance", "hours_at_risk", "data_missing"} and self.company_id is None:
            self.rules()
        return self.groups.result()

    def _today_key(self, kind: str, citizen_id: int, citizen: str) -> tuple[Any, ...]:
        """The key of a line dated today (rules and hours): overdue never, sorted by citizen."""
        return (0, self.today.isoformat(), KIND_ORDER[kind], "", name_key(citizen), citizen_id)

    # -- follow-ups -----------------------------------------------------------------------------

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

    def _walk(self, sql: str, binds: dict[str, Any], need: dict[Any, int], bucket: Any) -> dict[Any, list[Any]]:
        """Rows read in the order ``sql`` gives them (its citizens in name order), each kept in its
        ``bucket(row)`` until every bucket of ``need`` has its number: a screen's worth of the first
        names, where a line of many meets one every citizens / its count rows."""
        kept: dict[Any, list[Any]] = {line: [] for line in need}
        open_lines = sum(1 for n in need.values() if n)
        for row in self.db.execute(sql, binds) if open_lines else ():
            rows = kept.get(bucket(row))
            if rows is None or len(rows) >= need[bucket(row)]:
                continue
            rows.append(row)
            if len(rows) == need[bucket(row)]:
                open_lines -= 1
                if not open_lines:
                    break
        return kept

    def _followup(self, kind: str, citizen_id: int, name: str, program: str, due: str, date: str,
                  overdue: int) -> dict[str, Any]:
        due_day = _dt.date.fromisoformat(due)
        if overdue:
            text = t(f"due.{kind}.overdue", citizen=name, days=overdue, due=due_day)
        else:
            text = t(f"due.{kind}.due", citizen=name, due=due_day)
        return new_item(date, kind, citizen_id, name, program, text, overdue)

    # -- booked days ----------------------------------------------------------------------------

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
            for company_id, citizen_id, name, day_id in self.db.execute(sql, {**binds, "day": date, "ids": _json_ids(ids)}):
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
        return {row[0]: row[1:] for row in self.db.execute(sql, {"ids": _json_ids(day_ids)})}

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
        unrecorded = f"""d.status = 'planned' AND d.date < :today AND d.date >= :since
                         AND (:citizen IS NULL OR s.citizen_id = :citizen) AND (:company IS NULL OR s.company_id = :company)"""
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
                sql, {**binds, "ids": _json_ids([line[0] for line in lines])}):
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

    # -- placements -----------------------------------------------------------------------------

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
        return {row[0]: row[1:] for row in self.db.execute(sql, {"ids": _json_ids(placement_ids)})}

    # -- exit rules and hours -------------------------------------------------------------------

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
            sql, {"ids": _json_ids(citizen_ids), "first": f"{month}-01", "last": f"{month}-31"}) if row[1] is not None}

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


def _json_ids(ids: list[int]) -> str:
    """Row ids as one JSON list, for ``json_each``: one query for the few lines shown. Integers are
    their own JSON, so the json module (3 ms to import) is not needed for it."""
    return "[" + ",".join(str(int(i)) for i in sorted(set(ids))) + "]"


def _head(today: _dt.date, start: _dt.date, end: _dt.date) -> dict[str, Any]:
    return {"today": today.isoformat(), "from": start.isoformat(), "to": end.isoformat()}


def agenda(db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *, citizen_id: int | None = None,
           company_id: int | None = None, kinds: set[str] | None = None, summaries: bool = True) -> dict[str, Any]:
    """The whole agenda (``--json``): ``{today, from, to, items: [...]}``, overdue first; ``summaries``
    False reads every row instead (what the summaries are tested against)."""
    groups = Agenda(db, today, start, end, citizen_id=citizen_id, company_id=company_id, kinds=kinds,
                    summaries=summaries).collect()
    items = [item for group in groups for line in group["lines"] for item in line["items"]]
    return {**_head(today, start, end), "items": sorted(items, key=item_key)}


def agenda_lines(db: Database, today: _dt.date, start: _dt.date, end: _dt.date, *, limit: int, names: int,
                 citizen_id: int | None = None, company_id: int | None = None,
                 kinds: set[str] | None = None, summaries: bool = True) -> dict[str, Any]:
    """The agenda as the table shows it: ``{today, from, to, groups: [{key, lines, total_lines,
    total_items}]}``, at most ``limit`` lines a group and ``names`` bookings named on a company's line;
    each line ``{kind, items, count}`` (count: the bookings or days it stands for)."""
    agenda_ = Agenda(db, today, start, end, citizen_id=citizen_id, company_id=company_id, kinds=kinds,
                     limit=limit, names=names, summaries=summaries)
    return {**_head(today, start, end), "groups": agenda_.collect()}
