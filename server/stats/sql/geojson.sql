-- The values of one period ($2) of table $1 joined to the boundaries of the regions of one level ($3),
-- for thematic maps; {{indicators}} limits the indicators. Aggregates first, then joins the geometries.
WITH v AS (
  SELECT region_code, jsonb_object_agg(indicator, value) AS vals
  FROM yitu.stat_values
  WHERE dataset_id = $1 AND _vto IS NULL AND period = $2 {{indicators}}
  GROUP BY region_code
)
SELECT r.code, r.stat_code, r.name_zh, r.name_en, r.level, r.parent_code, r.population,
       ST_AsGeoJSON(r.geom, 6)::json AS geometry, v.vals
FROM v
JOIN yitu.regions r ON r.code = v.region_code
WHERE r.level = $3
ORDER BY r.code
