-- Part 4 create: features given as a JSON array of {"g": GeoJSON geometry text | null, "p": {column: value}}.
-- json_populate_record types each value by the dataset table's own column types; invalid
-- geometries are repaired as imports repair them.
WITH src AS (
  SELECT e._ord, e._doc->>'g' AS _gj, r.*
  FROM json_array_elements($1::json) WITH ORDINALITY AS e(_doc, _ord)
  CROSS JOIN LATERAL json_populate_record(NULL::{{table}}, e._doc->'p') AS r
), geo AS (
  SELECT src.*, CASE WHEN _gj IS NULL THEN NULL ELSE {{geometry}} END AS _g FROM src
)
INSERT INTO {{table}} (_vfrom, geom{{columns}})
SELECT $2, CASE WHEN _g IS NULL OR ST_IsValid(_g) THEN _g ELSE ST_MakeValid(_g, 'method=structure') END{{values}}
FROM geo
ORDER BY _ord
RETURNING _fid, _rid
