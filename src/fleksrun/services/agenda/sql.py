"""The agenda's queries, all read from the summaries (``services.agenda.summaries``).

Every query filters with the named parameters of ``Context.binds``: ``:citizen`` and ``:company``
(NULL lets everything through), ``:today``, ``:start``, ``:end`` and ``:limit`` (-1: no limit).

Two planner hints recur, explained here once:

- **The walk in name order.** ``citizens c INDEXED BY idx_citizens_name`` with ``c.id > 0`` (the
  partial index's own term, so that only these queries may use it; see migration m005) reads the
  citizens in name order, and ``CROSS JOIN`` keeps them the outer loop, each joined to its summary
  rows by their citizen index. A caller stops once each line it shows has its first names: where
  tens of thousands of rows would otherwise be sorted to show a screen's worth.
- **CROSS JOIN elsewhere** fixes a join order SQLite would not choose by itself: from the few rows
  wanted to the many, each step by an index.
"""

from __future__ import annotations

# The summaries' tables (store.migrations m005 and m006): each row names its citizen.
SUMMARY_TABLES = ("ready_state", "followup_state", "placement_state", "hours_state")

# -- follow-ups (followup_state) -------------------------------------------------------------------------

FOLLOWUP_FILTER = "(:citizen IS NULL OR s.citizen_id = :citizen)"

# How many follow-ups each day (and kind) has, counted in the index's order, without sorting.
FOLLOWUP_COUNTS = f"""SELECT s.due, s.aftercare, COUNT(*) FROM followup_state s
    WHERE s.due <= :end AND {FOLLOWUP_FILTER} GROUP BY s.due, s.aftercare"""

_FOLLOWUP_FIRSTS = f"""SELECT s.citizen_id, c.name, e.program_id, s.due
    FROM followup_state s JOIN enrollments e ON e.id = s.enrollment_id JOIN citizens c ON c.id = e.citizen_id
    WHERE {{where}} AND s.aftercare = :aftercare AND {FOLLOWUP_FILTER}
    ORDER BY {{order}}c.name COLLATE NOCASE, s.citizen_id, s.enrollment_id LIMIT :limit"""
# The first overdue ones, most overdue first (a window may end before today).
FOLLOWUP_FIRSTS_OVERDUE = _FOLLOWUP_FIRSTS.format(where="s.due < :today AND s.due <= :end", order="s.due, ")
# The first of one day (:day).
FOLLOWUP_FIRSTS_OF_DAY = _FOLLOWUP_FIRSTS.format(where="s.due = :day", order="")

FOLLOWUP_WALK = f"""SELECT c.id, c.name, e.program_id, s.due, s.aftercare
    FROM citizens c INDEXED BY idx_citizens_name
    CROSS JOIN followup_state s INDEXED BY idx_followup_state_citizen ON s.citizen_id = c.id
    JOIN enrollments e ON e.id = s.enrollment_id
    WHERE c.id > 0 AND s.due >= :from_day AND s.due <= :end AND {FOLLOWUP_FILTER}
    ORDER BY c.name COLLATE NOCASE, c.id, s.enrollment_id"""

# -- booked days (days of placement_state's placements) ------------------------------------------------

# The summaries' placements are those of active enrollments, with their citizen and company.
PLACEMENT_FILTER = "(:citizen IS NULL OR s.citizen_id = :citizen) AND (:company IS NULL OR s.company_id = :company)"
BOOKED = "d.date >= :from_day AND d.date <= :end AND d.status IN ('planned', 'attended')"

BOOKING_COUNTS = f"""SELECT d.date, s.company_id FROM days d
    JOIN placement_state s ON s.placement_id = d.placement_id WHERE {BOOKED} AND {PLACEMENT_FILTER}"""

# Every booking of one line (a day, :day, at the companies of one name, :ids) with what it says, by
# name (a listing of all of them: --json): (citizen id, citizen, status, hours, planned, programme).
BOOKINGS_OF_LINE = f"""SELECT c.id, c.name, d.status, d.hours, d.planned_hours, e.program_id FROM days d
    JOIN placement_state s ON s.placement_id = d.placement_id JOIN citizens c ON c.id = s.citizen_id
    JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
    WHERE d.date = :day AND d.status IN ('planned', 'attended') AND {PLACEMENT_FILTER}
      AND s.company_id IN (SELECT value FROM json_each(:ids))
    ORDER BY c.name COLLATE NOCASE, c.id, d.id"""

# One day's (:day) bookings at some companies (:ids).
BOOKINGS_OF_DAY = f"""SELECT s.company_id, c.id, c.name, d.id FROM days d
    JOIN placement_state s ON s.placement_id = d.placement_id JOIN citizens c ON c.id = s.citizen_id
    WHERE d.date = :day AND d.status IN ('planned', 'attended') AND {PLACEMENT_FILTER}
      AND s.company_id IN (SELECT value FROM json_each(:ids))"""

BOOKING_WALK = f"""SELECT c.id, c.name, d.id, d.date, s.company_id
    FROM citizens c INDEXED BY idx_citizens_name
    CROSS JOIN placement_state s INDEXED BY idx_placement_state_citizen ON s.citizen_id = c.id
    CROSS JOIN days d ON d.placement_id = s.placement_id
    WHERE c.id > 0 AND {BOOKED} AND {PLACEMENT_FILTER}
    ORDER BY c.name COLLATE NOCASE, c.id, d.id"""

# What a booking shown says: (day id, status, hours, planned hours, programme).
BOOKING_DETAILS = """SELECT d.id, d.status, d.hours, d.planned_hours, e.program_id
    FROM days d JOIN placements p ON p.id = d.placement_id JOIN enrollments e ON e.id = p.enrollment_id
    WHERE d.id IN (SELECT value FROM json_each(:ids))"""

# -- days with nothing recorded ------------------------------------------------------------------------

# The view unrecorded_days (store.migrations.m013) says which booked days have nothing recorded: a
# monthly figure for the placement's kind settles its month.
UNRECORDED = f"d.date < :today AND d.date >= :since AND {PLACEMENT_FILTER}"

# One line per citizen and company, at its first day (with the first booking that day, as a tie
# breaker), counted and ordered by SQLite; the totals ride along on every line.
MISSING_LINES = f"""WITH lines AS (
        SELECT s.citizen_id AS citizen_id, c.name AS name, s.company_id AS company_id, co.name AS company,
               MIN(d.date || ' ' || printf('%020d', d.id)) AS first, COUNT(*) AS days
        FROM unrecorded_days d JOIN placement_state s ON s.placement_id = d.placement_id
        JOIN citizens c ON c.id = s.citizen_id AND c.erased_at IS NULL
        JOIN companies co ON co.id = s.company_id
        WHERE {UNRECORDED} GROUP BY s.citizen_id, s.company_id)
    SELECT citizen_id, name, company_id, company, substr(first, 1, 10), days, COUNT(*) OVER (), SUM(days) OVER ()
    FROM lines ORDER BY substr(first, 1, 10), company, name COLLATE NOCASE, citizen_id, first LIMIT :limit"""

# The unrecorded days of the lines shown (:ids: their citizens).
MISSING_DAYS = f"""SELECT d.date, s.citizen_id, s.company_id, e.program_id
    FROM placement_state s JOIN unrecorded_days d ON d.placement_id = s.placement_id
    JOIN enrollments e ON e.id = d.enrollment_id
    WHERE s.citizen_id IN (SELECT value FROM json_each(:ids)) AND {UNRECORDED} ORDER BY d.date, d.id"""

# -- placements -------------------------------------------------------------------------------------------

# Running placements whose end or practice limit falls between today and :horizon.
PLACEMENTS_DUE = """SELECT p.id, p.kind, s.ends, s.limit_weeks, s.limit_day
    FROM placement_state s JOIN placements p ON p.id = s.placement_id
    JOIN enrollments e ON e.id = p.enrollment_id
    WHERE (s.ends BETWEEN :today AND :horizon OR s.limit_day BETWEEN :today AND :horizon)
      AND p.end >= :today AND p.start <= :horizon AND e.status = 'active'
      AND (:citizen IS NULL OR e.citizen_id = :citizen) AND (:company IS NULL OR p.company_id = :company)"""

# {placement: (citizen id, citizen, programme, company)} of the lines shown.
PLACEMENT_PEOPLE = """SELECT p.id, e.citizen_id, c.name, e.program_id, co.name
    FROM placements p JOIN enrollments e ON e.id = p.enrollment_id
    JOIN citizens c ON c.id = e.citizen_id JOIN companies co ON co.id = p.company_id
    WHERE p.id IN (SELECT value FROM json_each(:ids))"""

# -- exit rules (ready_state) --------------------------------------------------------------------------

READY_TODAY = "s.ready_from <= :today AND (s.ready_until IS NULL OR s.ready_until > :today)"
# A summary row of a current stay of an active enrollment, of a citizen not erased.
_CURRENT = """JOIN phases ph ON ph.id = s.phase_id JOIN enrollments e ON e.id = ph.enrollment_id
    WHERE ph.left IS NULL AND e.status = 'active'"""

READY_COUNT = f"""SELECT COUNT(*) FROM ready_state s
    WHERE {READY_TODAY} AND (:citizen IS NULL OR s.citizen_id = :citizen)"""

_READY = f"""SELECT e.id, c.id, c.name, e.program_id, e.program_def, ph.phase
    FROM {{source}} {_CURRENT} AND {{walk}} c.erased_at IS NULL AND (:citizen IS NULL OR c.id = :citizen)
      AND {READY_TODAY}
    ORDER BY c.name COLLATE NOCASE, c.id, e.id LIMIT :limit"""
# The first ready ones by name: sorted by SQLite (few are ready), or walked in name order (many).
READY_SORTED = _READY.format(source="citizens c JOIN ready_state s ON s.citizen_id = c.id", walk="")
READY_WALKED = _READY.format(source="""citizens c INDEXED BY idx_citizens_name
    CROSS JOIN ready_state s INDEXED BY idx_ready_state_citizen ON s.citizen_id = c.id""", walk="c.id > 0 AND")

# Current stays with a monthly ordinary-hours target that are not ready today: (enrollment, citizen
# id, citizen, programme, phase entered, target, ordinary hours this month, whether that figure was
# recorded, whether last month has a figure of any kind), the figures from hours_state by its key.
WAITING_ON_HOURS = """SELECT e.id, e.citizen_id, c.name, e.program_id, ph.entered, s.hours_target,
           (SELECT h.hours FROM hours_state h WHERE h.citizen_id = e.citizen_id AND h.month = :month
              AND h.kind = 'ordinary'),
           EXISTS (SELECT 1 FROM hours_state h WHERE h.citizen_id = e.citizen_id AND h.month = :month
                   AND h.kind = 'ordinary' AND h.source = 'recorded'),
           EXISTS (SELECT 1 FROM hours_state h WHERE h.citizen_id = e.citizen_id AND h.month = :last_month)
    FROM ready_state s JOIN phases ph ON ph.id = s.phase_id JOIN enrollments e ON e.id = ph.enrollment_id
    JOIN citizens c ON c.id = e.citizen_id AND c.erased_at IS NULL
    WHERE ph.left IS NULL AND e.status = 'active' AND s.hours_target IS NOT NULL
      AND (:citizen IS NULL OR e.citizen_id = :citizen)
      AND NOT EXISTS (SELECT 1 FROM ready_state s2 WHERE s2.phase_id = s.phase_id
                      AND s2.ready_from <= :today AND (s2.ready_until IS NULL OR s2.ready_until > :today))
    GROUP BY s.phase_id ORDER BY c.name COLLATE NOCASE, e.citizen_id, e.id"""


# Of this month's ordinary days of the citizens' active enrollments (:ids), not cancelled: how many,
# whether a planned one has no hours, the planned hours still to come, the fewest of a planned day.
ORDINARY_DAYS = """SELECT e.citizen_id, COUNT(*), MAX(d.status = 'planned' AND d.planned_hours IS NULL),
           TOTAL(CASE WHEN d.status = 'planned' THEN d.planned_hours END),
           MIN(CASE WHEN d.status = 'planned' THEN d.planned_hours END)
    FROM enrollments e JOIN placements p ON p.enrollment_id = e.id AND p.kind = 'ordinary'
    JOIN days d ON d.placement_id = p.id
    WHERE e.citizen_id IN (SELECT value FROM json_each(:ids)) AND e.status = 'active' AND d.status <> 'cancelled'
      AND d.date >= :first AND d.date <= :last
    GROUP BY e.citizen_id"""

# -- sub-goals to review (goals, read directly: one indexed column decides) --------------------------------

# Open sub-goals of active enrollments whose review date falls by :end (a window may end before today).
_GOALS = """FROM goals g JOIN enrollments e ON e.id = g.enrollment_id JOIN citizens c ON c.id = e.citizen_id
    WHERE g.status = 'open' AND g.review_on <= :end AND e.status = 'active' AND c.erased_at IS NULL
      AND (:citizen IS NULL OR e.citizen_id = :citizen)"""

GOAL_COUNTS = f"SELECT g.review_on, COUNT(*) {_GOALS} GROUP BY g.review_on"

_GOAL_FIRSTS = f"""SELECT g.id, e.citizen_id, c.name, e.program_id, g.review_on, g.text {_GOALS} AND {{where}}
    ORDER BY g.review_on, c.name COLLATE NOCASE, e.citizen_id, g.id LIMIT :limit"""
# The first overdue ones, most overdue first; the first of one day (:day).
GOAL_FIRSTS_OVERDUE = _GOAL_FIRSTS.format(where="g.review_on < :today")
GOAL_FIRSTS_OF_DAY = _GOAL_FIRSTS.format(where="g.review_on = :day")
