"""Who may move on, asked of SQL: the exit rules of every current phase as one set query.

``domain.rules`` explains one enrollment's rules ("28.5 of 30 h in March — 1.5 to go"); the agenda
needs only *whether* each of thousands is ready, and the hours of those waiting on a monthly target.
Each rule kind here is the SQL form of its function in ``domain.rules``, over the same rows and with
the same edges (see that module's docstring); ``tests/test_readiness.py`` holds the two equal.

A phase becomes one branch of a CASE on (programme definition, phase), so an enrollment pays only
for its own phase's rules, and SQLite stops at the first rule that decides an "all" or "any".
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from fleksrun.store.connection import Database

# One enrollment's current stay in a phase, of a citizen not erased.
_CURRENT = """
    FROM enrollments e
    JOIN citizens c ON c.id = e.citizen_id AND c.erased_at IS NULL
    JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
    WHERE e.status = 'active' AND (:citizen IS NULL OR e.citizen_id = :citizen)
"""

# A citizen's figure for one kind of hours in one month (:kind, month given as SQL): a recorded
# figure replaces the day-by-day sum of that kind's attended days, as in store.queries.
_FIGURE = """COALESCE(
    (SELECT h.hours FROM hours h WHERE h.citizen_id = e.citizen_id AND h.month = {month} AND h.kind = {kind}),
    (SELECT ROUND(SUM(COALESCE(d.hours, 0)), 6) FROM enrollments e2
     JOIN placements p ON p.enrollment_id = e2.id AND p.kind = {kind}
     JOIN days d ON d.placement_id = p.id
     WHERE e2.citizen_id = e.citizen_id AND d.status = 'attended'
       AND d.date >= {month} || '-01' AND d.date <= {month} || '-31'))"""

# Attended practice days of the enrollment in its current phase (PRACTICE_DAYS), up to today (_PRACTICE).
PRACTICE_DAYS = """FROM placements p JOIN days d ON d.placement_id = p.id
    WHERE p.enrollment_id = e.id AND p.kind = 'practice' AND d.status = 'attended'
      AND d.date >= ph.entered"""
_PRACTICE = PRACTICE_DAYS + " AND d.date <= :today"


def week_number(date: str) -> str:
    """SQL: the week of a date, numbered from Julian day 0 (a Monday); a run of weeks is a gap-free
    stretch of numbers."""
    return f"CAST((julianday({date}) + 0.5) / 7 AS INTEGER)"


# Months with flex-job hours (> 0) of the citizen between two months (SQL), with hours a week:
# hours × 7 / the month's days, as domain.rules.weekly_hours.
_FLEX_MONTHS = """(
    SELECT month, hours * 7 / CAST(strftime('%d', date(month || '-01', '+1 month', '-1 day')) AS INTEGER) AS weekly
    FROM (
        SELECT h.month, h.hours FROM hours h
        WHERE h.citizen_id = e.citizen_id AND h.kind = 'flexjob' AND h.month >= {first} AND h.month <= {last}
        UNION ALL
        SELECT substr(d.date, 1, 7), ROUND(SUM(COALESCE(d.hours, 0)), 6) FROM enrollments e2
        JOIN placements p ON p.enrollment_id = e2.id AND p.kind = 'flexjob'
        JOIN days d ON d.placement_id = p.id
        WHERE e2.citizen_id = e.citizen_id AND d.status = 'attended'
          AND d.date >= {first} || '-01' AND d.date <= {last} || '-31'
          AND NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id AND h.kind = 'flexjob'
                          AND h.month = substr(d.date, 1, 7))
        GROUP BY 1
    ) WHERE hours > 0)"""

_START_MONTH = "substr(ph.entered, 1, 7)"
# The month twelve months before the phase's first (where hours_increase looks for its baseline).
_BASELINE_MONTH = "strftime('%Y-%m', date(ph.entered, 'start of month', '-12 months'))"


class Binds(dict):
    """Named parameters for generated SQL: each value gets a fresh name."""

    def __call__(self, value: Any) -> str:
        name = f"p{len(self)}"
        self[name] = value
        return f":{name}"


def _month(day: _dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _last_complete_month(today: _dt.date) -> str:
    """The latest month that has ended by ``today`` (today's own month on its last day)."""
    if (today + _dt.timedelta(days=1)).month != today.month:
        return _month(today)
    return _month(today.replace(day=1) - _dt.timedelta(days=1))


def _days_before(day: _dt.date, *, weeks: int) -> _dt.date | None:
    """``day`` minus ``weeks`` weeks, or None before year 1 (a programme may ask absurdly many)."""
    try:
        return day - _dt.timedelta(weeks=weeks)
    except OverflowError:
        return None


def rule_sql(rule: Any, phase: Any, today: _dt.date, bind: Binds) -> str:
    """The SQL condition under which ``rule`` is met, for the row ``e`` in its current phase ``ph``."""
    kind = rule.kind
    if kind == "checklist":
        ids = phase.checklist_ids
        if not ids:
            return "1"
        # As services.facts: back in a phase it left before, only items ticked since count.
        return f"""(SELECT COUNT(*) FROM checklist k
                    WHERE k.enrollment_id = e.id AND k.phase = ph.phase AND k.item IN ({", ".join(map(bind, ids))})
                      AND (k.done_on >= ph.entered OR NOT EXISTS (
                          SELECT 1 FROM phases p2 WHERE p2.enrollment_id = e.id AND p2.phase = k.phase
                            AND p2.id < ph.id))) >= {len(ids)}"""
    if kind == "weeks_in_phase":
        need = int(rule.min or 0)
        if need <= 0:
            return "1"
        cutoff = _days_before(today, weeks=need)
        return "0" if cutoff is None else f"ph.entered <= {bind(cutoff.isoformat())}"
    if kind == "outcome":
        return f"e.outcome IN ({', '.join(map(bind, rule.in_))})" if rule.in_ else "0"
    if kind == "practice_days":
        need = int(rule.min or 0)
        return "1" if need <= 0 else f"(SELECT COUNT(DISTINCT d.date) {_PRACTICE}) >= {bind(need)}"
    if kind == "continuous_practice_weeks":
        need = max(int(rule.min or 0), 1)  # no week at all is never a run
        # A run of `need` weeks must begin by this day, or it cannot have ended by today's week.
        monday = today - _dt.timedelta(days=today.weekday())
        latest = _days_before(monday + _dt.timedelta(days=6), weeks=need - 1)
        if latest is None:  # more weeks than the calendar holds: never met, as the engine says
            return "0"
        return f"""ph.entered <= {bind(latest.isoformat())} AND (
            SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM (
                SELECT w - ROW_NUMBER() OVER (ORDER BY w) AS run FROM (
                    SELECT DISTINCT {week_number('d.date')} AS w {_PRACTICE}))
                GROUP BY run)) >= {bind(need)}"""
    if kind == "ordinary_hours_month":
        need = float(rule.min or 0)
        last = bind(_month(today))
        if need <= 0:  # any month with any figure reaches a target of nothing
            return f"""(EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id
                                AND h.month >= {_START_MONTH} AND h.month <= {last})
                        OR EXISTS (SELECT 1 FROM enrollments e2 JOIN placements p ON p.enrollment_id = e2.id
                                   JOIN days d ON d.placement_id = p.id
                                   WHERE e2.citizen_id = e.citizen_id AND d.status = 'attended'
                                     AND d.date >= {_START_MONTH} || '-01' AND d.date <= {last} || '-31'))"""
        need_ = bind(need)
        return f"""(EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id AND h.kind = 'ordinary'
                            AND h.month >= {_START_MONTH} AND h.month <= {last} AND h.hours >= {need_})
                    OR EXISTS (SELECT 1 FROM enrollments e2 JOIN placements p ON p.enrollment_id = e2.id
                               JOIN days d ON d.placement_id = p.id
                               WHERE e2.citizen_id = e.citizen_id AND p.kind = 'ordinary' AND d.status = 'attended'
                                 AND d.date >= {_START_MONTH} || '-01' AND d.date <= {last} || '-31'
                                 AND NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id
                                                 AND h.kind = 'ordinary' AND h.month = substr(d.date, 1, 7))
                               GROUP BY substr(d.date, 1, 7) HAVING ROUND(SUM(COALESCE(d.hours, 0)), 6) >= {need_}))"""
    if kind == "hours_increase":
        need = bind(float(rule.min or 0))
        # As services.facts: from a year before the phase's first month to today's (or the phase's).
        flex = _FLEX_MONTHS.format(first=_BASELINE_MONTH, last=f"MAX({bind(_month(today))}, {_START_MONTH})")
        at_start = f"COALESCE((SELECT weekly FROM {flex} WHERE month <= {_START_MONTH} ORDER BY month DESC LIMIT 1), 0.0)"
        now = (f"(SELECT weekly FROM {flex} WHERE month > {_START_MONTH} AND month <= "
               f"{bind(_last_complete_month(today))} ORDER BY month DESC LIMIT 1)")
        return f"""(SELECT now IS NOT NULL AND now > at_start AND now >= at_start + {need}
                    FROM (SELECT {at_start} AS at_start, {now} AS now))"""
    raise ValueError(f"no SQL for rule kind {kind!r}")


def _phase(phase: Any, today: _dt.date, bind: Binds) -> str:
    """A phase's rules combined by its mode; a phase without rules is never ready."""
    if not phase.rules:
        return "0"
    joiner = " OR " if phase.mode == "any" else " AND "
    # COALESCE: a rule over a NULL (no outcome yet) is unmet, not unknown, so NOT(...) stays true.
    return "(" + joiner.join(f"COALESCE(({rule_sql(rule, phase, today, bind)}), 0)" for rule in phase.rules) + ")"


def _case(programs: dict[int, Any], today: _dt.date, bind: Binds, wanted: Any) -> str:
    """CASE over (definition, phase), for the phases ``wanted(definition, phase)``, of their conditions."""
    branches = []
    for program_def, program in programs.items():
        for phase in program.phases:
            if not wanted(program_def, phase):
                continue
            branches.append(f"WHEN e.program_def = {bind(program_def)} AND ph.phase = {bind(phase.id)} "
                            f"THEN {_phase(phase, today, bind)}")
    return "CASE " + " ".join(branches) + " ELSE 0 END" if branches else "0"


def stored_programs(db: Database) -> dict[int, Any]:
    """Every stored definition an enrollment may point at, parsed (a handful: one per version)."""
    from fleksrun.services.programs import enrolled_program

    return {row[0]: enrolled_program(db, row[0]) for row in db.execute("SELECT id FROM programs ORDER BY id")}


# The same rows read from the summaries (services.agenda_state): each current stay with its first
# ready day, whether it is live, and its monthly hours target.
_CURRENT_SUMMARY = """
    FROM ready_state s
    JOIN phases ph ON ph.id = s.phase_id
    JOIN enrollments e ON e.id = ph.enrollment_id
    JOIN citizens c ON c.id = e.citizen_id AND c.erased_at IS NULL
    WHERE ph.left IS NULL AND e.status = 'active' AND (:citizen IS NULL OR e.citizen_id = :citizen)
"""


def _live(programs: dict[int, Any], today: _dt.date, bind: Binds) -> str:
    """The live phases' rules asked on the day (the others hold from their stored day)."""
    from fleksrun.services.ready_from import is_live

    return _case(programs, today, bind, lambda _def, phase: is_live(phase))


_READY_COLUMNS = "SELECT e.id, e.citizen_id, c.name, e.program_id, e.program_def, ph.phase"


def ready(db: Database, today: _dt.date, programs: dict[int, Any], *, citizen_id: int | None = None,
          summaries: bool = False) -> list[tuple[Any, ...]]:
    """Active enrollments whose current phase's exit rules are met, by citizen name:
    ``(enrollment_id, citizen_id, citizen, program, program_def, phase)``. With ``summaries`` (fresh,
    see services.agenda_state) from the stored first ready days, else from every row."""
    if summaries:
        return ready_first(db, today, programs, citizen_id=citizen_id)[0]
    bind = Binds(today=today.isoformat(), citizen=citizen_id)
    condition = _case(programs, today, bind, lambda _def, phase: bool(phase.rules))
    sql = f"{_READY_COLUMNS} {_CURRENT} AND {condition} ORDER BY c.name COLLATE NOCASE, e.citizen_id, e.id"
    return db.execute(sql, bind).fetchall()


def ready_first(db: Database, today: _dt.date, programs: dict[int, Any], *, citizen_id: int | None = None,
                limit: int | None = None) -> tuple[list[tuple[Any, ...]], int]:
    """``ready``'s first ``limit`` rows (None: all) from fresh summaries, and how many it has.

    Their rows are exactly the current stays of active enrollments of citizens not erased. The
    stays whose rules cannot stop holding are read in name order from the citizens' name index
    (a screen's worth of names, not every ready one) and counted from the summaries' index; the
    live ones are asked on the day, only those past the day before which they cannot hold."""
    from fleksrun.services.agenda_lines import name_key

    bind = Binds(today=today.isoformat(), citizen=citizen_id, limit=-1 if limit is None else limit)
    live = db.execute(f"""{_READY_COLUMNS} {_CURRENT_SUMMARY} AND s.live = 1 AND s.ready_from <= :today
                          AND {_live(programs, today, bind)}""", bind).fetchall()
    total = db.execute("SELECT COUNT(*) FROM ready_state s WHERE s.live = 0 AND s.ready_from <= :today"
                       " AND (:citizen IS NULL OR s.citizen_id = :citizen)", bind).fetchone()[0]
    # Walking the names in order meets limit × citizens / ready of them before it has a screen's worth;
    # sorting the ready ones costs about as many steps as there are: the cheaper way is taken.
    citizens = db.execute("SELECT COALESCE(MAX(id), 0) FROM citizens").fetchone()[0]
    if limit is not None and citizen_id is None and total * total > limit * citizens:
        source = """citizens c INDEXED BY idx_citizens_name
            CROSS JOIN ready_state s INDEXED BY idx_ready_state_citizen ON s.citizen_id = c.id"""
        by_name = "c.id > 0 AND"  # the term the name index asks for (see m005)
    else:
        source, by_name = "citizens c JOIN ready_state s ON s.citizen_id = c.id", ""
    stored = db.execute(f"""{_READY_COLUMNS}
        FROM {source} JOIN phases ph ON ph.id = s.phase_id JOIN enrollments e ON e.id = ph.enrollment_id
        WHERE {by_name} c.erased_at IS NULL AND ph.left IS NULL AND e.status = 'active'
          AND (:citizen IS NULL OR c.id = :citizen) AND s.live = 0 AND s.ready_from <= :today
        ORDER BY c.name COLLATE NOCASE, c.id, e.id LIMIT :limit""", bind).fetchall()
    rows = sorted(live + stored, key=lambda row: (name_key(row[2]), row[1], row[0]))
    return rows[:limit] if limit is not None else rows, total + len(live)


def waiting_on_hours(db: Database, today: _dt.date, programs: dict[int, Any], *,
                     citizen_id: int | None = None, summaries: bool = False) -> list[tuple[Any, ...]]:
    """Active enrollments not ready whose phase counts ordinary hours in a month, with what the
    agenda asks of them: ``(enrollment_id, citizen_id, citizen, program, phase_entered, target,
    ordinary hours this month, whether last month has no figure of any kind, the planned hours of
    this month's ordinary days not yet recorded)``. The last is None where nothing foretells the
    month: its hours are a recorded figure, a planned day has no hours, or no current enrollment
    books ordinary work in it. ``summaries`` as for ``ready``."""
    bind = Binds(today=today.isoformat(), citizen=citizen_id)
    counted = {}  # (definition, phase) -> the target of its first monthly-hours rule
    for program_def, program in programs.items():
        for phase in program.phases:
            rule = next((r for r in phase.rules if r.kind == "ordinary_hours_month"), None)
            if rule is not None:
                counted[(program_def, phase.id)] = float(rule.min or 0)
    if not counted:
        return []
    if summaries:
        target = "s.hours_target"
        rows = f"""{_CURRENT_SUMMARY} AND s.hours_target IS NOT NULL
                   AND NOT COALESCE(s.ready_from <= :today AND (s.live = 0 OR {_live(programs, today, bind)}), 0)"""
    else:
        target = "CASE " + " ".join(f"WHEN e.program_def = {bind(d)} AND ph.phase = {bind(p)} THEN {bind(t)}"
                                    for (d, p), t in counted.items()) + " END"
        not_ready = _case(programs, today, bind, lambda program_def, phase: (program_def, phase.id) in counted)
        rows = f"{_CURRENT} AND {target} IS NOT NULL AND NOT ({not_ready})"
    month, last_month = bind(_month(today)), bind(_month(today.replace(day=1) - _dt.timedelta(days=1)))
    have = _FIGURE.format(month=month, kind="'ordinary'")
    no_figure_last_month = f"""NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id AND h.month = {last_month})
        AND NOT EXISTS (SELECT 1 FROM enrollments e2 JOIN placements p ON p.enrollment_id = e2.id
                        JOIN days d ON d.placement_id = p.id
                        WHERE e2.citizen_id = e.citizen_id AND d.status = 'attended'
                          AND d.date >= {last_month} || '-01' AND d.date <= {last_month} || '-31')"""
    # The month's ordinary days foretell it while no figure stands in for them: the planned hours of
    # its days still planned (past ones not yet recorded too), 0 once all are recorded; nothing if a
    # planned day has no hours, or if none of the citizen's current enrollments books ordinary work.
    still_booked = f"""CASE WHEN NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id
                                            AND h.month = {month} AND h.kind = 'ordinary')
        THEN (SELECT CASE WHEN COUNT(*) > 0 AND NOT MAX(d.status = 'planned' AND d.planned_hours IS NULL)
                          THEN TOTAL(CASE WHEN d.status = 'planned' THEN d.planned_hours END) END
              FROM enrollments e2
              JOIN placements p ON p.enrollment_id = e2.id AND p.kind = 'ordinary'
              JOIN days d ON d.placement_id = p.id
              WHERE e2.citizen_id = e.citizen_id AND e2.status = 'active' AND d.status <> 'cancelled'
                AND d.date >= {month} || '-01' AND d.date <= {month} || '-31') END"""
    sql = f"""SELECT * FROM (
                SELECT e.id, e.citizen_id, c.name, e.program_id, ph.entered, {target} AS target,
                       {have} AS have, {no_figure_last_month} AS no_figure, {still_booked} AS booked
                {rows})
              ORDER BY name COLLATE NOCASE, citizen_id, id"""
    return [(*row[:6], float(row[6] or 0.0), bool(row[7]), None if row[8] is None else float(row[8]))
            for row in db.execute(sql, bind)]

