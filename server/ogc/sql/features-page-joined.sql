-- One page of features as one GeoJSON text (features joined by commas, in page order) and their number.
-- Same slots as features-page.sql; one row instead of one per feature, which saves the per-row cost of
-- the embedded database's wire protocol (measured in bench/items-page.ts).
SELECT count(*)::int AS n,
  COALESCE(string_agg('{"type":"Feature","id":' || t._fid || ',"geometry":' || COALESCE({{geometry}}, 'null')
    || ',"properties":' || to_json(p)::text || '}', ',' ORDER BY {{outerOrder}}), '') AS features
FROM (
  SELECT _fid, _rid, geom{{columns}}
  FROM {{table}}
  WHERE {{where}}
  ORDER BY {{order}}
  {{page}}
) t
CROSS JOIN LATERAL (SELECT {{properties}}) p
