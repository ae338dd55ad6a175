-- The areas of one level ($1), simplified for display so that neighbours still share their edges.
-- Portable between PostGIS 3.3 and 3.6 (no ST_CoverageSimplify):
--   1. the boundaries of all areas are noded and dissolved into one set of arcs that meet only at junctions,
--      so an edge two areas share is one arc;
--   2. each arc is simplified once (Douglas-Peucker, $2 metres, in the city's UTM zone; its end points stay)
--      and snapped to a grid of 1e-5 degrees (about 1 m), the precision of the output;
--   3. the simplified arcs are noded again (simplification may make two arcs cross) and polygonised;
--   4. each face goes to every area its interior point lies in (overlapping areas share a face), and the
--      faces of an area are unioned. Faces outside every area (gaps) are dropped.
-- An area whose faces all vanished (smaller than the tolerance) keeps its own geometry, snapped.
WITH src AS MATERIALIZED (
  SELECT code, geom FROM atlas.area WHERE level = $1 AND geom IS NOT NULL
),
utm AS (
  SELECT CASE WHEN ST_Y(c) >= 0 THEN 32600 ELSE 32700 END + least(60, floor((ST_X(c) + 180) / 6)::int + 1) AS srid
  FROM (SELECT ST_Centroid(ST_Extent(geom)::geometry) AS c FROM src) e
),
arcs AS (
  SELECT (ST_Dump(ST_LineMerge(ST_UnaryUnion(ST_Collect(ST_Boundary(geom)))))).geom AS arc FROM src
),
simple AS (
  SELECT ST_SnapToGrid(ST_Transform(ST_Simplify(ST_Transform(arc, utm.srid), $2::float8, true), 4326), 0.00001) AS arc
  FROM arcs, utm
),
faces AS (
  SELECT (ST_Dump(ST_Polygonize(noded))).geom AS face FROM (SELECT ST_UnaryUnion(ST_Collect(arc)) AS noded FROM simple) n
),
assigned AS (
  SELECT s.code, f.face FROM faces f JOIN src s ON ST_Intersects(s.geom, ST_PointOnSurface(f.face))
),
merged AS (
  SELECT code, ST_UnaryUnion(ST_Collect(face)) AS geom FROM assigned GROUP BY code
)
SELECT a.code, a.name, a.parent_code AS parent, a.numbered, a.area_m2,
       round(ST_X(a.label_point)::numeric, 5)::float8 AS label_lon, round(ST_Y(a.label_point)::numeric, 5)::float8 AS label_lat,
       ST_AsGeoJSON(ST_Multi(coalesce(m.geom, ST_SnapToGrid(a.geom, 0.00001))), 5) AS geometry
FROM atlas.area a LEFT JOIN merged m USING (code)
WHERE a.level = $1 AND a.geom IS NOT NULL
ORDER BY a.code
