-- Computed indicators, part 1: the shared inputs.
-- The importer runs every file of this folder in name order, in the import transaction, with the staging schema
-- first on the search_path (so table names stay unqualified). The drv_* tables are temporary and go at commit;
-- indicator_facet is kept: it tells the API which indicators form a family (coverage, offers, education chain).
--
-- Counts are gathered once per piece (a quarter, or the part of it inside one action area) and then summed up to
-- every level through drv_rollup: quarter, district (the quarter's parent), action area, city.

-- No JIT: it spends more time compiling these one-off queries than it saves (PostgreSQL; PGlite has none).
SET LOCAL jit = off;

-- The city: its code as the published figures use it, and the UTM zone its distances are measured in.
CREATE TEMP TABLE drv_city ON COMMIT DROP AS
SELECT coalesce((SELECT min(area_code) FROM indicator_value WHERE level = 'city'), 'city') AS code,
       (CASE WHEN ST_Y(c) >= 0 THEN 32600 ELSE 32700 END) + least(60, floor((ST_X(c) + 180) / 6)::int + 1) AS srid
FROM (SELECT ST_Centroid(ST_Collect(label_point)) AS c FROM area WHERE level = 'quarter') centre;

-- Addresses in metres.
CREATE TEMP TABLE drv_addr ON COMMIT DROP AS
SELECT a.id, a.quarter_code, a.action_area_code, ST_Transform(a.geom, c.srid) AS geom
FROM address a, drv_city c
ORDER BY a.quarter_code; -- neighbours on nearby pages, so that the spatial joins read fewer of them
CREATE INDEX ON drv_addr USING gist (geom);

-- Pieces, and the units each piece counts towards.
CREATE TEMP TABLE drv_rollup ON COMMIT DROP AS
WITH piece AS (
  SELECT quarter_code, action_area_code FROM address
  UNION SELECT quarter_code, action_area_code FROM offer
  UNION SELECT code, NULL FROM area WHERE level = 'quarter'
)
SELECT p.quarter_code, p.action_area_code, u.level, u.code
FROM piece p
JOIN area q ON q.level = 'quarter' AND q.code = p.quarter_code
CROSS JOIN LATERAL (
  VALUES ('quarter', p.quarter_code), ('district', q.parent_code), ('action-area', p.action_area_code),
         ('city', (SELECT code FROM drv_city))
) u (level, code)
WHERE u.code IS NOT NULL;

-- Every unit a value is given for, with its land area and its number of addresses.
CREATE TEMP TABLE drv_unit ON COMMIT DROP AS
SELECT level, code, area_m2 FROM area WHERE level IN ('district', 'quarter', 'action-area')
UNION ALL
SELECT 'city', (SELECT code FROM drv_city), (SELECT sum(area_m2) FROM area WHERE level = 'quarter');
ALTER TABLE drv_unit ADD COLUMN addresses integer NOT NULL DEFAULT 0;
UPDATE drv_unit u SET addresses = n.n
FROM (
  SELECT r.level, r.code, sum(p.n) AS n
  FROM (SELECT quarter_code, action_area_code, count(*) AS n FROM address GROUP BY 1, 2) p
  JOIN drv_rollup r ON r.quarter_code = p.quarter_code AND r.action_area_code IS NOT DISTINCT FROM p.action_area_code
  GROUP BY r.level, r.code
) n
WHERE n.level = u.level AND n.code = u.code;

-- Where the addresses and boundaries come from (the importer gives the sub-quarters the address source).
CREATE TEMP TABLE drv_source ON COMMIT DROP AS
SELECT (SELECT min(source_id) FROM area WHERE level = 'subquarter') AS addresses,
       (SELECT min(source_id) FROM area WHERE level = 'quarter') AS boundaries,
       (SELECT reference_date FROM source WHERE id = (SELECT min(source_id) FROM area WHERE level = 'subquarter'))
         AS addresses_date;

-- Families of indicators: which target, category, radius or stage of the education chain an indicator stands for.
CREATE TABLE indicator_facet (
  indicator_id text NOT NULL REFERENCES indicator (id),
  family text NOT NULL,
  member text NOT NULL,
  measure text,
  radius_m integer,
  parent text,
  label jsonb NOT NULL,
  sort integer NOT NULL DEFAULT 0,
  PRIMARY KEY (indicator_id, family)
);
