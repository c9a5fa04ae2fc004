"""From which day each current phase's exit rules hold, asked of SQL once per change, not per day.

``services.readiness`` asks whether the rules hold on one "today". Every rule kind but one only
comes to hold as time passes and never stops, with the rows as they are: weeks in a phase, practice
days up to today, a month of 30 ordinary hours up to today's month, ticked items, an outcome. For
those a phase has a first day from which it is ready, which stays true until a row changes (and a
change marks the citizen, see ``store.migrations.m005_agenda_state``). The agenda then asks
``ready_from <= today`` of an index instead of every citizen's days.

``hours_increase`` can stop holding (this month's hours may fall below last month's), so a phase
with it is *live*: asked on the day, as before, but only from a first day before which it cannot
hold (the end of the first month after the phase's start with flex-job hours).
``tests/test_agenda_state.py`` holds the summaries' answer equal to the daily one on random
caseloads at many dates.
"""

from __future__ import annotations

from typing import Any

from fleksrun.services.readiness import PRACTICE_DAYS, Binds, rule_sql, week_number

ALWAYS = "'0000-01-01'"  # holds whatever today is
NEVER = "'~'"            # sorts after every date: an "any" phase's "no rule holds" before NULLIF

LIVE_KINDS = {"hours_increase"}
_TIMELESS = {"checklist", "outcome"}  # their SQL in readiness does not look at today


def _rule_from(rule: Any, phase: Any, bind: Binds) -> str:
    """SQL: the first day ``rule`` holds for the row ``e`` in its current stay ``ph`` (NULL: never);
    for a rule that can stop holding, a day before which it cannot hold."""
    kind = rule.kind
    if kind in _TIMELESS:
        return f"CASE WHEN COALESCE(({rule_sql(rule, phase, None, bind)}), 0) THEN {ALWAYS} END"
    if kind == "weeks_in_phase":
        need = int(rule.min or 0)
        # date() is NULL past year 9999: more weeks than the calendar holds never pass.
        return ALWAYS if need <= 0 else f"date(ph.entered, '+{7 * need} days')"
    if kind == "practice_days":
        need = int(rule.min or 0)
        if need <= 0:
            return ALWAYS
        # The need-th distinct day: from it on, that many days lie on or before today.
        return (f"(SELECT date FROM (SELECT DISTINCT d.date AS date {PRACTICE_DAYS}) "
                f"ORDER BY date LIMIT 1 OFFSET {bind(need - 1)})")
    if kind == "continuous_practice_weeks":
        need = max(int(rule.min or 0), 1)
        # The days up to today fill the weeks in order, so a run of `need` weeks exists from the first
        # day of the earliest week that is the need-th of its run. readiness also asks the stay to have
        # begun by the first week of such a run; that is the Monday need - 1 weeks after its own.
        earliest = (f"date(ph.entered, '-' || ((CAST(strftime('%w', ph.entered) AS INTEGER) + 6) % 7) || ' days', "
                    f"'+{7 * (need - 1)} days')")
        run = f"""(SELECT MIN(first) FROM (
                SELECT first, ROW_NUMBER() OVER (PARTITION BY w - n ORDER BY w) AS place FROM (
                    SELECT w, first, ROW_NUMBER() OVER (ORDER BY w) AS n FROM (
                        SELECT {week_number('d.date')} AS w, MIN(d.date) AS first {PRACTICE_DAYS} GROUP BY w)))
            WHERE place >= {bind(need)})"""
        return f"MAX({earliest}, {run})"
    if kind == "ordinary_hours_month":
        need = float(rule.min or 0)
        start = "substr(ph.entered, 1, 7)"
        if need <= 0:  # any figure of any kind in a month of the stay
            months = f"""SELECT h.month AS m FROM hours h WHERE h.citizen_id = e.citizen_id AND h.month >= {start}
                UNION ALL
                SELECT substr(d.date, 1, 7) FROM enrollments e2 JOIN placements p ON p.enrollment_id = e2.id
                JOIN days d ON d.placement_id = p.id
                WHERE e2.citizen_id = e.citizen_id AND d.status = 'attended' AND d.date >= {start} || '-01'"""
        else:  # the first month of the stay whose ordinary figure reaches the target: from its first day
            need_ = bind(need)
            months = f"""SELECT h.month AS m FROM hours h WHERE h.citizen_id = e.citizen_id AND h.kind = 'ordinary'
                  AND h.month >= {start} AND h.hours >= {need_}
                UNION ALL
                SELECT substr(d.date, 1, 7) FROM enrollments e2 JOIN placements p ON p.enrollment_id = e2.id
                JOIN days d ON d.placement_id = p.id
                WHERE e2.citizen_id = e.citizen_id AND p.kind = 'ordinary' AND d.status = 'attended'
                  AND d.date >= {start} || '-01'
                  AND NOT EXISTS (SELECT 1 FROM hours h WHERE h.citizen_id = e.citizen_id
                                  AND h.kind = 'ordinary' AND h.month = substr(d.date, 1, 7))
                GROUP BY substr(d.date, 1, 7) HAVING ROUND(SUM(COALESCE(d.hours, 0)), 6) >= {need_}"""
        return f"((SELECT MIN(m) FROM ({months})) || '-01')"
    if kind == "hours_increase":
        # Not before the last day of the first month after the phase's first with flex-job hours: the
        # daily rule needs such a month among the complete ones. A bound only: the phase stays live.
        start = "substr(ph.entered, 1, 7)"
        months = f"""SELECT h.month AS m FROM hours h WHERE h.citizen_id = e.citizen_id AND h.kind = 'flexjob'
                  AND h.hours > 0 AND h.month > {start}
                UNION ALL
                SELECT substr(d.date, 1, 7) FROM enrollments e2 JOIN placements p ON p.enrollment_id = e2.id
                JOIN days d ON d.placement_id = p.id
                WHERE e2.citizen_id = e.citizen_id AND p.kind = 'flexjob' AND d.status = 'attended'
                  AND substr(d.date, 1, 7) > {start}"""
        return f"date((SELECT MIN(m) FROM ({months})) || '-01', '+1 month', '-1 day')"
    raise ValueError(f"no first day for rule kind {kind!r}")


def is_live(phase: Any) -> bool:
    """Whether the phase has a rule that can stop holding, so it is asked on the day."""
    return any(rule.kind in LIVE_KINDS for rule in phase.rules)


def phase_from(phase: Any, bind: Binds) -> str:
    """SQL: the first day the phase's rules hold together (NULL: never; no rules: never ready, as
    readiness says); for a live phase, a day before which they cannot hold."""
    if not phase.rules:
        return "NULL"
    parts = [_rule_from(rule, phase, bind) for rule in phase.rules]
    if len(parts) == 1:
        return parts[0]
    if phase.mode == "any":  # the first of them to hold; SQLite's min() of several is NULL if one is
        return f"NULLIF(MIN({', '.join(f'COALESCE({part}, {NEVER})' for part in parts)}), {NEVER})"
    return f"MAX({', '.join(parts)})"  # all: the last to hold; NULL if one never does


def cases(programs: dict[int, Any], bind: Binds) -> tuple[str, str, str]:
    """CASEs over (definition, phase) for the row ``e`` in stay ``ph``: its first ready day, whether
    it is live, and its monthly ordinary-hours target (as readiness.waiting_on_hours takes it)."""
    ready, live, target = [], [], []
    for program_def, program in programs.items():
        for phase in program.phases:
            when = f"WHEN e.program_def = {bind(program_def)} AND ph.phase = {bind(phase.id)} THEN"
            ready.append(f"{when} {phase_from(phase, bind)}")
            if is_live(phase):
                live.append(f"{when} 1")
            rule = next((r for r in phase.rules if r.kind == "ordinary_hours_month"), None)
            if rule is not None:
                target.append(f"{when} {bind(float(rule.min or 0))}")

    def case(branches: list[str], otherwise: str) -> str:
        return "CASE " + " ".join(branches) + f" ELSE {otherwise} END" if branches else otherwise

    return case(ready, "NULL"), case(live, "0"), case(target, "NULL")
