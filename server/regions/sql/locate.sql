-- The regions containing a point ($1 longitude, $2 latitude), top level first; the GiST index on
-- geom finds the candidates by bounding box, ST_Intersects keeps the ones really containing it
-- (a point on a shared boundary is in both neighbours; the service keeps one chain).
SELECT {{columns}}
FROM yitu.regions
WHERE ST_Intersects(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326)) {{level}}
ORDER BY length(code), code
