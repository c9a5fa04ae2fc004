-- The database's floor for `fleksrun report`: the aggregate work a report over a period needs,
-- run by the sqlite3 shell with nothing around it. bench.py binds :from and :to (ISO dates) to the
-- same period it passes to `fleksrun report --from --to`.
--
-- KEEP IN SYNC with services/reports.py (issue of `report`): if the report aggregates more (or
-- less) than this, change this file too, or the "within 3x the sqlite3 floor" ratio means nothing.
-- Today it is the work the DESIGN names for a report: per programme the enrolled, active and
-- ended-with-an-outcome enrollments in the period, attended and absent practice days and attended
-- hours in the period, the outcomes by kind, and the citizens in each current phase.

-- 1. Per programme: enrolled / active / outcomes, attended and absent days and hours in the period.
WITH enrolled AS (
    SELECT e.id, e.program_id, e.status, e.end, e.outcome
    FROM enrollments e
    WHERE e.start <= :to AND (e.end IS NULL OR e.end >= :from)
),
day_counts AS (
    SELECT p.enrollment_id,
           SUM(d.status = 'attended') AS attended,
           SUM(d.status = 'absent') AS absent,
           SUM(CASE WHEN d.status = 'attended' THEN d.hours END) AS hours
    FROM days d
    JOIN placements p ON p.id = d.placement_id
    WHERE d.date BETWEEN :from AND :to
    GROUP BY p.enrollment_id
)
SELECT en.program_id AS program,
       COUNT(*) AS enrolled,
       SUM(en.status = 'active') AS active,
       SUM(en.outcome IS NOT NULL AND en.end BETWEEN :from AND :to) AS outcomes,
       COALESCE(SUM(dc.attended), 0) AS attended_days,
       COALESCE(SUM(dc.absent), 0) AS absent_days,
       ROUND(COALESCE(SUM(dc.hours), 0), 1) AS attended_hours
FROM enrolled en
LEFT JOIN day_counts dc ON dc.enrollment_id = en.id
GROUP BY en.program_id
ORDER BY en.program_id;

-- 2. Outcomes by kind per programme, for enrollments ended in the period.
SELECT program_id AS program, outcome, COUNT(*) AS n
FROM enrollments
WHERE status = 'ended' AND end BETWEEN :from AND :to
GROUP BY program_id, outcome
ORDER BY program_id, outcome;

-- 3. Active enrollments per current phase.
SELECT e.program_id AS program, ph.phase, COUNT(*) AS n
FROM enrollments e
JOIN phases ph ON ph.enrollment_id = e.id AND ph.left IS NULL
WHERE e.status = 'active'
GROUP BY e.program_id, ph.phase
ORDER BY e.program_id, ph.phase;
