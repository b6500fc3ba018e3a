-- One page of features as GeoJSON text, built in SQL: the response concatenates these strings.
-- The inner query filters, sorts and pages with the dataset's own (unqualified) column names;
-- the outer one only formats the page's rows, numbered in page order (`ord`) so that a caller can
-- join them into one text in SQL (items-query.ts `pageSql` with `joined`). With `withTotal` the inner
-- query also counts every matching row before the page is cut ({{innerTotal}}, {{outerTotal}}).
SELECT t._rid AS rid, row_number() OVER (ORDER BY {{outerOrder}}) AS ord{{outerTotal}},
  '{"type":"Feature","id":' || t._fid || ',"geometry":' || COALESCE({{geometry}}, 'null')
    || ',"properties":' || to_json(p)::text || '}' AS feature
FROM (
  SELECT _fid, _rid, geom{{columns}}{{innerTotal}}
  FROM {{table}}
  WHERE {{where}}
  ORDER BY {{order}}
  {{page}}
) t
CROSS JOIN LATERAL (SELECT {{properties}}) p
ORDER BY {{outerOrder}}
