-- Part 4 replace (PUT, base NULL) and update (PATCH, base = the old row): the old row $1 was
-- closed at this version; the new row keeps its feature id. json_populate_record(base, $3)
-- takes each column from the patch where the patch names it, from the base otherwise.
INSERT INTO {{table}} (_fid, _vfrom, geom{{columns}})
SELECT o._fid, $2,
  CASE WHEN ng._g IS NULL OR ST_IsValid(ng._g) THEN ng._g ELSE ST_MakeValid(ng._g, 'method=structure') END{{values}}
FROM {{table}} o
CROSS JOIN LATERAL json_populate_record({{base}}, $3::json) AS r
CROSS JOIN LATERAL (SELECT {{geometry}} AS _g) AS ng
WHERE o._rid = $1
RETURNING _fid, _rid
