-- Usage figures of one dataset from the audit trail: reads are recorded folded (one event per
-- person, path, address and second, with a `requests` count), so requests are summed, not counted.
-- One row per grouping set; g = grouping(department_id, actor_id, action, day):
-- 15 the total, 7 by department, 11 by user, 13 by action, 14 by day (UTC).
-- $1 dataset id, $2 read actions, $3 from (inclusive) or null, $4 to (exclusive) or null.
WITH e AS (
  SELECT department_id, actor_id, actor_name, action, (at AT TIME ZONE 'UTC')::date AS day,
    requests, coalesce(feature_count, 0) AS features
  FROM yitu.audit_events
  WHERE dataset_id = $1 AND outcome = 'success' AND action = ANY($2::text[])
    AND ($3::timestamptz IS NULL OR at >= $3::timestamptz)
    AND ($4::timestamptz IS NULL OR at < $4::timestamptz)
)
SELECT grouping(department_id, actor_id, action, day) AS g,
  department_id, actor_id, max(actor_name) AS actor_name, max(department_id) AS actor_department,
  action, day::text AS day,
  sum(requests)::bigint AS requests, sum(features)::bigint AS features,
  count(DISTINCT actor_id)::int AS users, count(DISTINCT department_id)::int AS departments
FROM e
GROUP BY GROUPING SETS ((), (department_id), (actor_id), (action), (day))
ORDER BY g, day, requests DESC, department_id, actor_id, action
