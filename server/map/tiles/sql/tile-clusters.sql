-- Points of one tile clustered on a grid of {{cell}} tile units when the tile is dense: more than
-- {{threshold}} points, or more than two points per occupied cell on average. A cell with one point
-- keeps that point and its attributes, a cell with several becomes one point at their mean position
-- with point_count. When the tile is not dense every point is its own cell. {{features}} is
-- tile-features.sql; {{nulls}} are NULLs for the attributes.
-- MATERIALIZED: without it the planner re-ran the feature query per use (5 s instead of 80 ms for
-- the 5,000 demo enterprises at z8, measured).
WITH base AS ({{features}}),
gridded AS MATERIALIZED (
  SELECT b.*, floor(ST_X(ST_Centroid(b.geom)) / {{cell}})::int8 * 1000000 + floor(ST_Y(ST_Centroid(b.geom)) / {{cell}})::int8 AS grid
  FROM base b
),
density AS MATERIALIZED (SELECT count(*) > {{threshold}} OR count(*) > 2 * count(DISTINCT grid) AS dense FROM gridded),
keyed AS (SELECT g.*, CASE WHEN d.dense THEN g.grid ELSE -g._fid END AS cell FROM gridded g, density d),
counted AS (SELECT k.*, count(*) OVER (PARTITION BY k.cell) AS n FROM keyed k)
SELECT _fid{{columns}}, geom, NULL::int8 AS point_count FROM counted WHERE n = 1
UNION ALL
SELECT NULL::int8{{nulls}}, ST_SnapToGrid(ST_Centroid(ST_Collect(geom)), 1), count(*)::int8 FROM counted WHERE n > 1 GROUP BY cell
