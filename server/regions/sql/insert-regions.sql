-- Inserts (or, with the conflict clause, updates) a batch of regions ($1: JSON array of records).
-- Boundaries are stored as MultiPolygon in EPSG:4326; the area is measured in the CGCS2000
-- 3-degree Gauss–Krüger zone of the region's centroid (EPSG:4534 at 75°E … 4554 at 135°E;
-- EPSG:4549 for Deqing at 120°E), never in degrees.
INSERT INTO yitu.regions (code, stat_code, level, kind, parent_code, name_zh, name_en, population, area_m2, geom)
SELECT r.code, r.stat_code, r.level, r.kind, r.parent_code, r.name_zh, r.name_en, r.population,
       ST_Area(ST_Transform(g.geom, 4534 + LEAST(20, GREATEST(0, round((ST_X(ST_Centroid(g.geom)) - 75) / 3)))::int)),
       g.geom
FROM jsonb_to_recordset($1::jsonb) AS r (
  code text, stat_code text, level text, kind text, parent_code text, name_zh text, name_en text, population integer, geometry jsonb
)
CROSS JOIN LATERAL (SELECT ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(r.geometry::text), 4326)) AS geom) AS g
{{conflict}}
