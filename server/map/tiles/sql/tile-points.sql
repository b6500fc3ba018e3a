-- One point per feature (the point itself, else a point on its surface) inside an area, with the
-- value to aggregate, for server-side H3 aggregation. $1…$4 the area (lon/lat); filter parameters
-- follow. Slots: {{value}} {{table}} {{where}}.
SELECT ST_X(p) AS lon, ST_Y(p) AS lat, v
FROM (
  SELECT ST_PointOnSurface(t.geom) AS p, {{value}} AS v
  FROM {{table}} t
  WHERE t.geom && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326) AND ({{where}})
) q
WHERE p && ST_MakeEnvelope($1::float8, $2::float8, $3::float8, $4::float8, 4326)
