"""The SQL behind `report`: every count, share and median is computed by SQLite, never row by row.

Each query takes the named parameters ``:program``, ``:from`` and ``:to`` (ISO dates) and starts from
the same population: the programme's enrollments that overlap the period (start ≤ to and not ended
before from). "Participants" are the distinct citizens of that population; every programme KPI below
counts citizens, the common KPIs (follow-up compliance) count enrollments.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from typing import Any

from fleksrun.store.connection import Database

# The programme's enrollments that overlap the period.
POPULATION = """
pop AS (
    SELECT e.id, e.citizen_id, e.start, e.end, e.status, e.outcome
    FROM enrollments e
    WHERE e.program_id = :program AND e.start <= :to AND (e.end IS NULL OR e.end >= :from)
)"""

# One kind's monthly hours (:hours_kind) from the view that defines them (store.migrations.m006_rule_views).
MONTHLY = "monthly AS (SELECT citizen_id, month, hours FROM monthly_hours WHERE kind = :hours_kind)"

# Active at the period's end: begun by then and not ended on or before it.
ACTIVE_AT_END = "{a}.start <= :to AND ({a}.end IS NULL OR {a}.end > :to)"



def median_sql(values_cte: str, group: str) -> str:
    """SQL for the median of ``v`` per ``group`` over a CTE named ``vals`` (SQLite has no MEDIAN)."""
    return f"""
{values_cte},
ranked AS (
    SELECT {group} AS grp, v, ROW_NUMBER() OVER (PARTITION BY {group} ORDER BY v) AS rn,
           COUNT(*) OVER (PARTITION BY {group}) AS n
    FROM vals
)
SELECT grp, AVG(v) FROM ranked WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY grp"""


def _one(db: Database, sql: str, binds: dict[str, Any]) -> tuple:
    return tuple(db.execute(sql, binds).fetchone())


def _n(value: Any) -> int:
    return int(value or 0)


# -- the common part of every programme --------------------------------------------------------------

def counts(db: Database, binds: dict[str, Any]) -> dict[str, Any]:
    """Enrolled in the period, active at its end, participants, and ended enrollments by outcome."""
    enrolled, active, participants = _one(db, f"""
        WITH {POPULATION}
        SELECT SUM(start >= :from), SUM({ACTIVE_AT_END.format(a='pop')}), COUNT(DISTINCT citizen_id) FROM pop
    """, binds)
    outcomes = dict(db.execute("""
        SELECT COALESCE(outcome, 'other'), COUNT(*) FROM enrollments
        WHERE program_id = :program AND status = 'ended' AND end >= :from AND end <= :to
        GROUP BY 1 ORDER BY 2 DESC, 1
    """, binds).fetchall())
    return {"enrolled": _n(enrolled), "active": _n(active), "participants": _n(participants), "outcomes": outcomes}


def funnel(db: Database, binds: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per phase: enrollments that reached it, are in it at the period's end, and the median days spent.

    The median is over stays that ended (``left``) within the period: days from ``entered`` to ``left``.
    """
    # SQL fragments here are module constants; every value is a bound parameter.
    reached_sql = f"""
        WITH {POPULATION}
        SELECT ph.phase, COUNT(DISTINCT ph.enrollment_id),
               COUNT(DISTINCT CASE WHEN (ph.left IS NULL OR ph.left > :to) AND {ACTIVE_AT_END.format(a='pop')}
                                   THEN ph.enrollment_id END),
               MIN(ph.id)
        FROM phases ph JOIN pop ON pop.id = ph.enrollment_id
        WHERE ph.entered <= :to
        GROUP BY ph.phase ORDER BY 4
    """
    rows = db.execute(reached_sql, binds).fetchall()
    median_days_sql = f"WITH {POPULATION}," + median_sql("""
        vals AS (
            SELECT ph.phase AS phase, julianday(ph.left) - julianday(ph.entered) AS v
            FROM phases ph JOIN pop ON pop.id = ph.enrollment_id
            WHERE ph.left IS NOT NULL AND ph.left >= :from AND ph.left <= :to
        )""", "phase")
    medians = dict(db.execute(median_days_sql, binds).fetchall())
    return {phase: {"reached": reached, "now": now, "median_days": medians.get(phase)}
            for phase, reached, now, _ in rows}


def followup_compliance(db: Database, binds: dict[str, Any]) -> tuple[int, int]:
    """(kept, active): enrollments active at the period's end whose latest follow-up up to then has a
    next due date not before the period's end (or none: the programme asks for no more)."""
    kept, active = _one(db, f"""
        WITH act AS (
            SELECT e.id FROM enrollments e WHERE e.program_id = :program AND {ACTIVE_AT_END.format(a='e')}
        ),
        latest AS (
            SELECT f.enrollment_id, f.next_due,
                   ROW_NUMBER() OVER (PARTITION BY f.enrollment_id ORDER BY f.date DESC, f.id DESC) AS rn
            FROM followups f JOIN act ON act.id = f.enrollment_id
            WHERE f.date <= :to
        )
        SELECT SUM(l.enrollment_id IS NOT NULL AND (l.next_due IS NULL OR l.next_due >= :to)), COUNT(*)
        FROM act LEFT JOIN latest l ON l.enrollment_id = act.id AND l.rn = 1
    """, binds)
    return _n(kept), _n(active)


def attendance(db: Database, binds: dict[str, Any]) -> tuple[int, int]:
    """(attended, attended + absent) booked days in the period; planned and cancelled days do not count."""
    attended, recorded = _one(db, """
        SELECT SUM(d.status = 'attended'), SUM(d.status IN ('attended', 'absent'))
        -- CROSS JOIN keeps this order: the programme's placements first, then their days by (placement, date)
        FROM enrollments e CROSS JOIN placements p ON p.enrollment_id = e.id CROSS JOIN days d ON d.placement_id = p.id
        WHERE e.program_id = :program AND d.date >= :from AND d.date <= :to
    """, binds)
    return _n(attended), _n(recorded)


# -- the programmes' own KPIs -------------------------------------------------------------------------

# The day an enrollment reached its outcome: its end, or, when it went on in after-care (``:aftercare``),
# the day it entered after-care.
OUTCOME_DAY = """COALESCE(pop.end, (SELECT MIN(ph.entered) FROM phases ph
                                    WHERE ph.enrollment_id = pop.id AND ph.phase = :aftercare))"""


def outcome_reached(db: Database, binds: dict[str, Any], outcome: str) -> tuple[int, float | None, int]:
    """(citizens, median days, enrollments): participants with an enrollment whose outcome is ``outcome``
    by the period's end, and the median of the days from that enrollment's start to its outcome day
    (``OUTCOME_DAY``), over those enrollments (``enrollments`` of them)."""
    reached = f"""
        WITH {POPULATION},
        reached AS (
            SELECT pop.citizen_id, julianday({OUTCOME_DAY}) - julianday(pop.start) AS days FROM pop
            WHERE pop.outcome = :outcome AND COALESCE({OUTCOME_DAY}, pop.start) <= :to
        )"""
    params = {**binds, "outcome": outcome}
    citizens, enrollments = _one(db, reached + " SELECT COUNT(DISTINCT citizen_id), COUNT(days) FROM reached",
                                 params)
    medians = db.execute(reached + "," + median_sql(
        "vals AS (SELECT 0 AS g, days AS v FROM reached WHERE days IS NOT NULL)", "g"), params).fetchall()
    return _n(citizens), (medians[0][1] if medians else None), _n(enrollments)


def checklist_done(db: Database, binds: dict[str, Any], item: str) -> tuple[int, int]:
    """(done, of): participants who ticked ``item`` (in any phase) by the period's end, of all participants."""
    done, of = _one(db, f"""
        WITH {POPULATION}
        SELECT COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM checklist ck WHERE ck.enrollment_id = pop.id
                                                AND ck.item = :item AND ck.done_on <= :to)
                              THEN pop.citizen_id END),
               COUNT(DISTINCT pop.citizen_id)
        FROM pop
    """, {**binds, "item": item})
    return _n(done), _n(of)


def checklist_done_on_leaving(db: Database, binds: dict[str, Any], item: str) -> tuple[int, int]:
    """(done, left): citizens who left the programme in the period (an enrollment ended with its end
    date in the period) and of them those with ``item`` ticked on that enrollment, in whichever phase
    and on whichever day, after the end too (an end questionnaire is often done after leaving)."""
    done, left = _one(db, """
        WITH leavers AS (
            SELECT e.id, e.citizen_id FROM enrollments e
            WHERE e.program_id = :program AND e.status = 'ended' AND e.end >= :from AND e.end <= :to
        )
        SELECT COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM checklist ck WHERE ck.enrollment_id = leavers.id
                                                AND ck.item = :item)
                              THEN leavers.citizen_id END),
               COUNT(DISTINCT leavers.citizen_id)
        FROM leavers
    """, {**binds, "item": item})
    return _n(done), _n(left)


_CITIZENS_AT_ONCE = 2_000


def _by_citizens(rows: Iterable[tuple[Any, ...]], size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows ordered by citizen (their first column), in lists of about ``size`` citizens, each whole."""
    batch: list[tuple[Any, ...]] = []
    citizens = 0
    for _citizen, group in groupby(rows, key=lambda row: row[0]):
        batch.extend(group)
        citizens += 1
        if citizens >= size:
            yield batch
            batch, citizens = [], 0
    if batch:
        yield batch


def continuous_practice(db: Database, binds: dict[str, Any], min_weeks: int) -> int:
    """Participants with at least ``min_weeks`` weeks of continuous practice from their first
    enrollment's start up to the period's end, counted as the exit rule counts them
    (``domain.continuity.practice_run``, over all their enrollments of the programme)."""
    from fleksrun.domain.continuity import practice_run
    from fleksrun.services.facts import attended_practice, practice_placements

    to = _dt.date.fromisoformat(binds["to"])
    rows = db.execute(f"WITH {POPULATION} SELECT citizen_id, id, start FROM pop ORDER BY citizen_id", binds)
    reached = 0
    for chunk in _by_citizens(rows, _CITIZENS_AT_ONCE):  # a chunk of citizens at a time: bounded memory
        enrollments = {enrollment_id for _citizen, enrollment_id, _start in chunk}
        attended = attended_practice(db, enrollments)
        spans, sick = practice_placements(db, enrollments)
        citizens: dict[int, dict[str, Any]] = {}
        for citizen_id, enrollment_id, start in chunk:
            seen = citizens.setdefault(citizen_id, {"since": start, "days": set(), "spans": [], "sick": set()})
            seen["since"] = min(seen["since"], start)
            seen["days"] |= attended.get(enrollment_id, set())
            seen["spans"] += spans.get(enrollment_id, ())
            seen["sick"] |= sick.get(enrollment_id, set())
        reached += sum(1 for seen in citizens.values()
                       if practice_run(_dt.date.fromisoformat(seen["since"]), to,
                                       (_dt.date.fromisoformat(day) for day in seen["days"]), seen["spans"],
                                       frozenset(seen["sick"]))[0] >= min_weeks)
    return reached


def companies_used(db: Database, binds: dict[str, Any]) -> int:
    """Distinct companies with a placement of the programme that overlaps the period."""
    return _n(_one(db, f"""
        WITH {POPULATION}
        SELECT COUNT(DISTINCT p.company_id) FROM placements p JOIN pop ON pop.id = p.enrollment_id
        WHERE p.start <= :to AND p.end >= :from
    """, binds)[0])


def ordinary_hours_reached(db: Database, binds: dict[str, Any], min_hours: float) -> tuple[int, float | None]:
    """(citizens, median months): participants with at least ``min_hours`` ordinary hours in one calendar
    month between their enrollment's start and its end (or the period's end), and the median of the
    month in which they first did, counted from the start month as month 1."""
    reach = f"""
        WITH {POPULATION}, {MONTHLY},
        firsts AS (
            SELECT pop.citizen_id AS cid,
                   MIN((CAST(substr(m.month, 1, 4) AS INTEGER) * 12 + CAST(substr(m.month, 6, 2) AS INTEGER))
                       - (CAST(substr(pop.start, 1, 4) AS INTEGER) * 12 + CAST(substr(pop.start, 6, 2) AS INTEGER))
                       + 1) AS months
            FROM pop JOIN monthly m ON m.citizen_id = pop.citizen_id
            WHERE m.hours >= :min_hours AND m.month >= substr(pop.start, 1, 7)
              AND m.month <= substr(MIN(COALESCE(pop.end, :to), :to), 1, 7)
            GROUP BY pop.citizen_id
        )"""
    params = {**binds, "hours_kind": "ordinary", "min_hours": min_hours}
    count = _n(_one(db, reach + " SELECT COUNT(*) FROM firsts", params)[0])
    medians = db.execute(reach + "," + median_sql("vals AS (SELECT 0 AS g, months AS v FROM firsts)", "g"),
                         params).fetchall()
    return count, (medians[0][1] if medians else None)


def on_ledighedsydelse(db: Database, binds: dict[str, Any], approved_phases: Sequence[str],
                       flexjob_phase: str) -> tuple[int, int]:
    """(without a flex job, approved): participants approved for a flex job at the period's end, and of
    them those without a flex job then. Read from each participant's latest enrollment (by start) that
    began by the period's end:

    - approved: the enrollment entered one of ``approved_phases`` (the phases after the approval) on or
      before the period's end, and its state at the end is known: it is active then, or it ended by
      then with the outcome flexjob. A citizen who left for any other reason is in neither count;
    - in a flex job at the end: the outcome flexjob (recorded by then), or the phase at the end is
      ``flexjob_phase``, or a flexjob placement of the citizen covers the period's last day.

    The group typed at enrollment plays no part."""
    without, approved = _one(db, f"""
        WITH {POPULATION},
        latest AS (
            SELECT pop.*, ROW_NUMBER() OVER (PARTITION BY pop.citizen_id ORDER BY pop.start DESC, pop.id DESC) AS rn
            FROM pop WHERE pop.start <= :to
        ),
        approved AS (
            SELECT l.id, l.citizen_id, {ACTIVE_AT_END.format(a='l')} AS active,
                   (l.outcome IS 'flexjob' AND (l.end IS NULL OR l.end <= :to)) AS flexjob_outcome
            FROM latest l
            WHERE l.rn = 1
              AND EXISTS (SELECT 1 FROM phases ph WHERE ph.enrollment_id = l.id AND ph.entered <= :to
                          AND ph.phase IN (SELECT value FROM json_each(:approved_phases)))
        ),
        known AS (
            SELECT a.*,
                   (a.flexjob_outcome
                    OR EXISTS (SELECT 1 FROM phases ph WHERE ph.enrollment_id = a.id AND ph.phase = :flexjob_phase
                               AND ph.entered <= :to AND (ph.left IS NULL OR ph.left > :to))
                    OR EXISTS (SELECT 1 FROM placements p JOIN enrollments e2 ON e2.id = p.enrollment_id
                               WHERE e2.citizen_id = a.citizen_id AND p.kind = 'flexjob'
                                 AND p.start <= :to AND p.end >= :to)) AS in_flexjob
            FROM approved a
            WHERE a.active OR a.flexjob_outcome
        )
        SELECT SUM(NOT in_flexjob), COUNT(*) FROM known
    """, {**binds, "approved_phases": json.dumps(list(approved_phases)), "flexjob_phase": flexjob_phase})
    return _n(without), _n(approved)


# domain.rules.weekly_hours in SQL: a month's hours × 7 / the month's number of days. ``{m}`` is the
# month (YYYY-MM), ``{h}`` the hours. tests/test_kpis_aalborg.py holds it equal to weekly_hours.
WEEKLY_HOURS_SQL = "CAST({h} AS REAL) * 7 / CAST(strftime('%d', {m} || '-01', '+1 month', '-1 day') AS INTEGER)"

# The last month that is complete by the period's end (:to's month if :to is its last day).
LAST_COMPLETE_MONTH = "strftime('%Y-%m', :to, '+1 day', 'start of month', '-1 day')"

# An increase counts from this many effective hours a week over the start.
MIN_WEEKLY_INCREASE = 1


def flexjob_hours_increase(db: Database, binds: dict[str, Any], max_weekly: float) -> tuple[int, int]:
    """(increased, of): participants at ``max_weekly`` effective flex-job hours a week or less at the
    start, and of them those who increased their hours by the period's end.

    Monthly flex-job hours come from the view ``monthly_hours``; a month's effective weekly hours are
    ``domain.rules.weekly_hours`` (hours × 7 / the month's days). The start month is the latest month
    with flex-job hours up to the month of the citizen's first enrollment start in the population, or,
    without one, the first month with flex-job hours after it (up to the period's end). "Of": its
    weekly hours are above 0 and at most ``max_weekly``. "Increased": two consecutive calendar months
    after the start month, both complete by the period's end, each at least MIN_WEEKLY_INCREASE hours a
    week above the start (an increase that holds the following month; a month's length alone is none).
    """
    weekly = WEEKLY_HOURS_SQL.format(h="m.hours", m="m.month")
    increased, of = _one(db, f"""
        WITH {POPULATION}, {MONTHLY},
        cit AS (SELECT citizen_id, substr(MIN(start), 1, 7) AS start_month FROM pop GROUP BY citizen_id),
        flex AS MATERIALIZED (
            SELECT m.citizen_id AS cid, m.month AS month, {weekly} AS weekly, m.month <= cit.start_month AS before
            FROM monthly m JOIN cit ON cit.citizen_id = m.citizen_id
            WHERE m.hours > 0 AND m.month <= substr(:to, 1, 7)
        ),
        base_month AS (
            SELECT cid, COALESCE(MAX(CASE WHEN before THEN month END), MIN(month)) AS month FROM flex GROUP BY cid
        ),
        base AS (
            SELECT f.cid, f.month, f.weekly FROM base_month b JOIN flex f ON f.cid = b.cid AND f.month = b.month
            WHERE f.weekly <= :max_weekly
        )
        SELECT SUM(EXISTS (
                   SELECT 1 FROM flex a JOIN flex b ON b.cid = a.cid
                                                  AND b.month = strftime('%Y-%m', a.month || '-01', '+1 month')
                   WHERE a.cid = base.cid AND a.month > base.month AND b.month <= {LAST_COMPLETE_MONTH}
                     AND a.weekly >= base.weekly + :min_increase AND b.weekly >= base.weekly + :min_increase)),
               COUNT(*)
        FROM base
    """, {**binds, "hours_kind": "flexjob", "max_weekly": max_weekly, "min_increase": MIN_WEEKLY_INCREASE})
    return _n(increased), _n(of)


def monthly_hours_all(db: Database, kind: str, first_month: str, last_month: str) -> dict[tuple[int, str], float]:
    """Hours of one kind per (citizen, month) for every citizen, by the rule of ``monthly_hours``."""
    sql = f"WITH {MONTHLY} SELECT citizen_id, month, hours FROM monthly WHERE month >= :first AND month <= :last"
    rows = db.execute(sql, {"hours_kind": kind, "first": first_month, "last": last_month})
    return {(cid, month): float(hours) for cid, month, hours in rows}
