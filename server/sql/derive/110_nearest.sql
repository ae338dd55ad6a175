-- Computed indicators, part 2: the distance from every address to the nearest offer of every target.
-- Exact nearest neighbours without a search per address: the offers of a target cut the plane into Voronoi cells
-- (the points nearer to one offer than to any other), and each address is looked up in the cells by one
-- spatial join. Distances are straight lines in metres in the city's UTM zone. An address the cells miss
-- (a target with one offer has no diagram) gets its nearest offer by an index search instead.

-- What can be reached: a category, optionally narrowed to some subcategories.
CREATE TEMP TABLE drv_target (
  target text PRIMARY KEY,
  category text NOT NULL,
  subcategories text[],
  radii integer[] NOT NULL,
  sort integer NOT NULL,
  de text NOT NULL,
  en text NOT NULL
) ON COMMIT DROP;
INSERT INTO drv_target VALUES
  ('childcare', 'childcare', NULL, '{300,500,1000}', 1, 'Kita', 'childcare'),
  ('school_primary', 'school', '{primary}', '{300,500,1000}', 2, 'Grundschule', 'primary school'),
  ('school_secondary', 'school',
   '{secondary-hauptschule,secondary-realschule,secondary-gesamtschule,secondary-gymnasium,secondary-waldorf}',
   '{500,1000,2000,3000}', 3, 'weiterführende Schule', 'secondary school'),
  ('school_hauptschule', 'school', '{secondary-hauptschule}', '{1000,2000,3000}', 4, 'Hauptschule', 'Hauptschule'),
  ('school_realschule', 'school', '{secondary-realschule}', '{1000,2000,3000}', 5, 'Realschule', 'Realschule'),
  ('school_gesamtschule', 'school', '{secondary-gesamtschule}', '{1000,2000,3000}', 6, 'Gesamtschule',
   'comprehensive school (Gesamtschule)'),
  ('school_gymnasium', 'school', '{secondary-gymnasium}', '{1000,2000,3000}', 7, 'Gymnasium', 'Gymnasium'),
  ('school_vocational', 'school', '{vocational}', '{1000,2000,3000}', 8, 'Berufskolleg', 'vocational college'),
  ('library', 'library', NULL, '{300,500,1000}', 9, 'Bibliothek', 'library'),
  ('playground', 'playground', NULL, '{300,500,1000}', 10, 'Spielplatz', 'playground'),
  ('transit', 'transit', NULL, '{300,500,1000}', 11, 'Haltestelle (Bus, Bahn)', 'public transport stop'),
  ('doctor', 'health', '{doctor}', '{300,500,1000}', 12, 'Arztpraxis', 'doctor''s practice'),
  ('pharmacy', 'health', '{pharmacy}', '{300,500,1000}', 13, 'Apotheke', 'pharmacy'),
  ('youth', 'youth', NULL, '{300,500,1000}', 14, 'Jugendeinrichtung', 'youth centre'),
  ('family', 'family', NULL, '{300,500,1000}', 15, 'Familienzentrum', 'family centre'),
  ('community', 'community', NULL, '{300,500,1000}', 16, 'Treffpunkt', 'community centre'),
  ('seniors', 'seniors', NULL, '{300,500,1000}', 17, 'Senioreneinrichtung', 'senior citizens'' facility'),
  ('sport', 'sport', NULL, '{300,500,1000}', 18, 'Sportstätte', 'sports facility');

-- The offers of each target, in metres. Primary schools with a Sozialindex form a target of their own
-- (social_index): the index of the nearest one is a proxy for an address's child poverty (part 3).
CREATE TEMP TABLE drv_site ON COMMIT DROP AS
SELECT t.target, o.id AS offer_id, ST_Transform(o.geom, c.srid) AS geom
FROM drv_target t
JOIN offer o ON o.category = t.category AND (t.subcategories IS NULL OR o.subcategory = ANY (t.subcategories))
CROSS JOIN drv_city c
UNION ALL
SELECT 'social_index', o.id, ST_Transform(o.geom, c.srid)
FROM offer o, drv_city c
WHERE o.category = 'school' AND o.subcategory = 'primary' AND (o.attrs ->> 'socialIndex') IS NOT NULL;
CREATE INDEX ON drv_site USING gist (geom);
ANALYZE drv_site;

-- One Voronoi cell per distinct offer location, large enough to hold every address; each cell keeps its offer's point.
CREATE TEMP TABLE drv_cell ON COMMIT DROP AS
WITH frame AS (
  SELECT ST_SetSRID(ST_Expand(ST_Extent(geom), 10000)::geometry, (SELECT srid FROM drv_city)) AS box FROM drv_addr
),
cells AS (
  SELECT s.target, (ST_Dump(ST_VoronoiPolygons(ST_Collect(s.geom), 0, f.box))).geom AS geom
  FROM drv_site s, frame f
  GROUP BY s.target, f.box
  HAVING count(DISTINCT ST_AsBinary(s.geom)) > 1
)
SELECT c.target, c.geom, site.geom AS site, (row_number() OVER ()) % 8 AS batch
FROM cells c
CROSS JOIN LATERAL (
  SELECT s.geom FROM drv_site s WHERE s.target = c.target AND ST_Intersects(c.geom, s.geom)
  ORDER BY s.offer_id LIMIT 1
) site;
CREATE INDEX ON drv_cell USING gist (geom);

-- Only the part of a cell within the target's largest radius of its offer can hold an address that counts: the
-- cell clipped to that square is what the addresses are looked up in (40 % fewer candidates than whole cells).
ALTER TABLE drv_cell ADD COLUMN reach geometry;
UPDATE drv_cell c SET reach = ST_ClipByBox2D(c.geom, ST_Expand(c.site, t.radius)::box2d)
FROM (SELECT target, (SELECT max(r) FROM unnest(radii) AS r) AS radius FROM drv_target) t
WHERE t.target = c.target;
CREATE INDEX ON drv_cell USING gist (reach);
ANALYZE drv_cell;

-- For each piece and target: how many addresses have an offer within each radius (straight line), counted cell
-- by cell right away: the 1.9 million address-target distances are never stored or sorted. (OFFSET 0 keeps the
-- distance from being computed once for every aggregate that reads it.) The cells go in eight batches, one
-- statement each, so that no statement runs long (statement_timeout).
CREATE TEMP VIEW drv_cell_reach AS
SELECT c.batch, c.target, x.*
FROM drv_cell c
CROSS JOIN LATERAL (
  SELECT quarter_code, action_area_code,
         count(*) FILTER (WHERE d <= 300) AS r300, count(*) FILTER (WHERE d <= 500) AS r500,
         count(*) FILTER (WHERE d <= 1000) AS r1000, count(*) FILTER (WHERE d <= 2000) AS r2000,
         count(*) FILTER (WHERE d <= 3000) AS r3000
  FROM (
    SELECT a.quarter_code, a.action_area_code, ST_Distance(a.geom, c.site) AS d
    FROM drv_addr a WHERE ST_Intersects(c.reach, a.geom) OFFSET 0
  ) inside
  GROUP BY quarter_code, action_area_code
) x
WHERE c.reach IS NOT NULL;

CREATE TEMP TABLE drv_reach_part ON COMMIT DROP AS SELECT * FROM drv_cell_reach WHERE false;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 0;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 1;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 2;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 3;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 4;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 5;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 6;
INSERT INTO drv_reach_part SELECT * FROM drv_cell_reach WHERE batch = 7;
DROP VIEW drv_cell_reach;

-- n: all addresses of the piece. An address exactly on the edge of two cells (equally far from two offers) would
-- be found in both; real coordinates do not do that, and the counts are capped at n all the same.
CREATE TEMP TABLE drv_reach ON COMMIT DROP AS
SELECT p.quarter_code, p.action_area_code, t.target, p.n,
       least(p.n, coalesce(sum(r.r300), 0)) AS r300, least(p.n, coalesce(sum(r.r500), 0)) AS r500,
       least(p.n, coalesce(sum(r.r1000), 0)) AS r1000, least(p.n, coalesce(sum(r.r2000), 0)) AS r2000,
       least(p.n, coalesce(sum(r.r3000), 0)) AS r3000
FROM (SELECT quarter_code, action_area_code, count(*) AS n FROM drv_addr GROUP BY 1, 2) p
CROSS JOIN (SELECT DISTINCT target FROM drv_site WHERE target <> 'social_index') t
LEFT JOIN drv_reach_part r ON r.target = t.target AND r.quarter_code = p.quarter_code
                          AND r.action_area_code IS NOT DISTINCT FROM p.action_area_code
GROUP BY p.quarter_code, p.action_area_code, t.target, p.n;

-- A target with a single location has no diagram, and one whose cells do not tile their frame (which GEOS should
-- never give) is not trusted: both are measured address by address, the nearest offer being the nearest point
-- of all of them (a multipoint) or of the cells holding the address.
CREATE TEMP TABLE drv_recount ON COMMIT DROP AS
SELECT s.target, ST_Collect(s.geom) AS geom, EXISTS (SELECT 1 FROM drv_cell c WHERE c.target = s.target) AS has_cells
FROM drv_site s
WHERE s.target <> 'social_index'
GROUP BY s.target
HAVING s.target NOT IN (
  SELECT target FROM drv_cell GROUP BY target
  HAVING abs(sum(ST_Area(geom)) - ST_Area(ST_Extent(geom)::geometry)) <= 1e-6 * ST_Area(ST_Extent(geom)::geometry)
);
DELETE FROM drv_reach WHERE target IN (SELECT target FROM drv_recount);
INSERT INTO drv_reach
SELECT a.quarter_code, a.action_area_code, t.target, count(*),
       count(*) FILTER (WHERE d.d <= 300), count(*) FILTER (WHERE d.d <= 500), count(*) FILTER (WHERE d.d <= 1000),
       count(*) FILTER (WHERE d.d <= 2000), count(*) FILTER (WHERE d.d <= 3000)
FROM drv_recount t
CROSS JOIN drv_addr a
CROSS JOIN LATERAL (
  -- Without cells the multipoint alone answers: looking the address up in every other target's cells first cost
  -- 25 s for a target of one offer.
  SELECT coalesce(
    (SELECT min(ST_Distance(a.geom, c.site)) FROM drv_cell c
     WHERE t.has_cells AND c.target = t.target AND ST_Intersects(c.geom, a.geom)),
    ST_Distance(a.geom, t.geom)) AS d
) d
GROUP BY a.quarter_code, a.action_area_code, t.target;
