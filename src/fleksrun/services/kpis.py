"""The SQL behind `report`: every count, share and median is computed by SQLite, never row by row.

Each query takes the named parameters ``:program``, ``:from`` and ``:to`` (ISO dates) and starts from
the same population: the programme's enrollments that overlap the period (start ≤ to and not ended
before from). "Participants" are the distinct citizens of that population; every programme KPI below
counts citizens, the common KPIs (follow-up compliance) count enrollments.
"""

from __future__ import annotations

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

def got_flexjob(db: Database, binds: dict[str, Any]) -> int:
    """Participants with an enrollment whose outcome is flexjob by the period's end.

    With an after-care phase the enrollment stays active after the job: then the day the citizen
    entered after-care (``:aftercare``) dates the outcome.
    """
    return _n(_one(db, f"""
        WITH {POPULATION}
        SELECT COUNT(DISTINCT citizen_id) FROM pop
        WHERE outcome = 'flexjob' AND COALESCE(pop.end, (SELECT MIN(ph.entered) FROM phases ph
              WHERE ph.enrollment_id = pop.id AND ph.phase = :aftercare), pop.start) <= :to
    """, binds)[0])


def checklist_done(db: Database, binds: dict[str, Any], item: str, *, ended_only: bool) -> tuple[int, int]:
    """(done, of): participants who ticked ``item`` by the period's end, of all participants or, with
    ``ended_only``, of those whose enrollment ended by the period's end."""
    scope = "pop.end IS NOT NULL AND pop.end <= :to" if ended_only else "1"
    done, of = _one(db, f"""
        WITH {POPULATION}
        SELECT COUNT(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM checklist ck WHERE ck.enrollment_id = pop.id
                                                AND ck.item = :item AND ck.done_on <= :to)
                              THEN pop.citizen_id END),
               COUNT(DISTINCT pop.citizen_id)
        FROM pop WHERE {scope}
    """, {**binds, "item": item})
    return _n(done), _n(of)


def continuous_practice(db: Database, binds: dict[str, Any], min_weeks: int) -> int:
    """Participants with at least ``min_weeks`` consecutive ISO weeks that each hold an attended
    practice day (placements of kind practice) up to the period's end."""
    return _n(_one(db, f"""
        WITH {POPULATION},
        weeks AS (
            SELECT DISTINCT pop.citizen_id AS cid,
                   date(d.date, '-' || ((CAST(strftime('%w', d.date) AS INTEGER) + 6) % 7) || ' days') AS monday
            FROM practice_attended d JOIN pop ON pop.id = d.enrollment_id
            WHERE d.date <= :to
        ),
        -- gaps and islands: consecutive weeks share (week number - row number)
        islands AS (
            SELECT cid, CAST(round((julianday(monday) - julianday('2000-01-03')) / 7) AS INTEGER)
                        - ROW_NUMBER() OVER (PARTITION BY cid ORDER BY monday) AS island
            FROM weeks
        )
        SELECT COUNT(DISTINCT cid) FROM (SELECT cid FROM islands GROUP BY cid, island HAVING COUNT(*) >= :min_weeks)
    """, {**binds, "min_weeks": min_weeks})[0])


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


def on_ledighedsydelse(db: Database, binds: dict[str, Any]) -> int:
    """Participants in the group ``ledighedsydelse`` who are active at the period's end and not in a flex
    job then (no flexjob placement covering that day, and no flexjob outcome)."""
    return _n(_one(db, f"""
        WITH {POPULATION}
        SELECT COUNT(DISTINCT pop.citizen_id) FROM pop JOIN citizens c ON c.id = pop.citizen_id
        WHERE c.citizen_group = 'ledighedsydelse' AND {ACTIVE_AT_END.format(a='pop')}
          AND COALESCE(pop.outcome, '') <> 'flexjob'
          AND NOT EXISTS (SELECT 1 FROM placements p JOIN enrollments e2 ON e2.id = p.enrollment_id
                          WHERE e2.citizen_id = pop.citizen_id AND p.kind = 'flexjob'
                            AND p.start <= :to AND p.end >= :to)
    """, binds)[0])


WEEKS_PER_MONTH = 4.33


def flexjob_hours_increase(db: Database, binds: dict[str, Any], under_weekly: float) -> tuple[int, int]:
    """(increased, of): participants whose first recorded flex-job month (up to the period's end) was
    above 0 and under ``under_weekly`` effective hours a week (monthly hours / 4.33), and of them those
    whose latest month has more hours than the first."""
    increased, of = _one(db, f"""
        WITH {POPULATION}, {MONTHLY},
        cit AS (SELECT DISTINCT citizen_id FROM pop),
        ordered AS (
            SELECT m.citizen_id, m.hours,
                   ROW_NUMBER() OVER (PARTITION BY m.citizen_id ORDER BY m.month) AS first_rn,
                   ROW_NUMBER() OVER (PARTITION BY m.citizen_id ORDER BY m.month DESC) AS last_rn
            FROM monthly m JOIN cit ON cit.citizen_id = m.citizen_id
            WHERE m.month <= substr(:to, 1, 7)
        ),
        pairs AS (
            SELECT citizen_id, MAX(CASE WHEN first_rn = 1 THEN hours END) AS first_h,
                   MAX(CASE WHEN last_rn = 1 THEN hours END) AS last_h
            FROM ordered GROUP BY citizen_id
        )
        SELECT SUM(last_h > first_h), COUNT(*) FROM pairs
        WHERE first_h > 0 AND first_h / :per_month < :under
    """, {**binds, "hours_kind": "flexjob", "per_month": WEEKS_PER_MONTH, "under": under_weekly})
    return _n(increased), _n(of)


def monthly_hours_all(db: Database, kind: str, first_month: str, last_month: str) -> dict[tuple[int, str], float]:
    """Hours of one kind per (citizen, month) for every citizen, by the rule of ``monthly_hours``."""
    sql = f"WITH {MONTHLY} SELECT citizen_id, month, hours FROM monthly WHERE month >= :first AND month <= :last"
    rows = db.execute(sql, {"hours_kind": kind, "first": first_month, "last": last_month})
    return {(cid, month): float(hours) for cid, month, hours in rows}
