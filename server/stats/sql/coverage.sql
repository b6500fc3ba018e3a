-- The regions a table's current rows cover, counted by level (NULL: codes that are not loaded).
SELECT r.level, count(*)::int AS n
FROM (SELECT DISTINCT region_code FROM yitu.stat_values WHERE dataset_id = $1 AND _vto IS NULL) c
LEFT JOIN yitu.regions r ON r.code = c.region_code
GROUP BY r.level
