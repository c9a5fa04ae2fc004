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
item. Both are built by one :class:`Agenda`, whose kinds live in their own modules (``agenda_followups``,
``agenda_days``, ``agenda_placements``, ``agenda_rules``): each query reads lean rows, and only a line
that will be shown becomes items with a text; the rest is only counted.

Each kind reads the agenda's summaries (``services.agenda_state``) where they hold for everyone, else
every row; the two give the same agenda (``tests/test_agenda_state.py``). From the summaries, a group
of tens of thousands at 100,000 citizens is counted from an index, and its first names are found by a
walk through the citizens in name order (``_walk``) or read by SQLite with a limit; from the rows,
each group keeps its first lines by a bounded selection (``agenda_lines.Firsts``). The details of a
line (names, hours) are read only for the lines shown.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.services.agenda_days import DayLines
from fleksrun.services.agenda_followups import FollowupLines
from fleksrun.services.agenda_lines import (  # noqa: F401  (KINDS, OVERDUE: the agenda's vocabulary)
    KIND_ORDER, KINDS, OVERDUE, Groups, item_key, name_key,
)
from fleksrun.services.agenda_placements import PlacementLines
from fleksrun.services.agenda_rules import RuleLines
from fleksrun.store.connection import Database


class Agenda(FollowupLines, DayLines, PlacementLines, RuleLines):
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
