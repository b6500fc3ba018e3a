-- Recomputes what the catalog derives from a statistical table's current rows ($1 dataset, $2 version):
-- the number of (region, period) rows, the extent of the regions covered, the span of the periods.
WITH cur AS (
  SELECT DISTINCT region_code, period FROM yitu.stat_values WHERE dataset_id = $1 AND _vto IS NULL
), s AS (
  SELECT (SELECT count(*) FROM cur) AS n,
         (SELECT ST_Extent(r.geom) FROM yitu.regions r WHERE r.code IN (SELECT region_code FROM cur)) AS e,
         (SELECT min(period || CASE WHEN length(period) = 4 THEN '-01' ELSE '' END) FROM cur) AS p0,
         (SELECT max(period || CASE WHEN length(period) = 4 THEN '-12' ELSE '' END) FROM cur) AS p1
)
UPDATE yitu.datasets d SET
  current_version = $2,
  feature_count = s.n,
  bbox = CASE WHEN s.e IS NULL THEN NULL ELSE ARRAY[ST_XMin(s.e), ST_YMin(s.e), ST_XMax(s.e), ST_YMax(s.e)] END,
  temporal_start = CASE WHEN s.p0 IS NULL THEN NULL ELSE (s.p0 || '-01')::timestamp AT TIME ZONE 'UTC' END,
  temporal_end = CASE WHEN s.p1 IS NULL THEN NULL ELSE ((s.p1 || '-01')::timestamp + interval '1 month' - interval '1 second') AT TIME ZONE 'UTC' END,
  updated_at = now()
FROM s
WHERE d.id = $1
