-- (region, period) pairs of $2/$3 that table $1 already has (an append must not repeat them).
SELECT DISTINCT v.region_code, v.period
FROM yitu.stat_values v
JOIN unnest($2::text[], $3::text[]) AS k (region_code, period) ON v.region_code = k.region_code AND v.period = k.period
WHERE v.dataset_id = $1 AND v._vto IS NULL
ORDER BY v.region_code, v.period
LIMIT 21
