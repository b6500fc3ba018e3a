-- Region boundaries of a batch ($1: JSON array of {code, geometry}) that PostGIS finds invalid, with the reason.
SELECT r.code, ST_IsValidReason(g.geom) AS reason
FROM jsonb_to_recordset($1::jsonb) AS r (code text, geometry jsonb)
CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326) AS geom) AS g
WHERE NOT ST_IsValid(g.geom) OR ST_IsEmpty(g.geom)
