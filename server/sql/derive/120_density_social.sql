-- Computed indicators, part 3: address density, share in an action area, the school social index.
-- Values are collected in drv_value and stored by part 9 (190_store.sql). Notes are German and English.

CREATE TEMP TABLE drv_value (
  indicator_id text NOT NULL,
  level text NOT NULL,
  code text NOT NULL,
  value double precision,
  reference_date text,
  basis_count integer,
  note_de text,
  note_en text
) ON COMMIT DROP;

-- 1. Addresses per km² ---------------------------------------------------------------------------------------
INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'addresses_per_km2', 'territory',
  '{"de": "Adressen je km²", "en": "Addresses per km²"}',
  '{"de": "Zahl der Adressen (Hausnummern) je Quadratkilometer: ein Maß für die Dichte der Bebauung, keine Einwohnerzahl.", "en": "Number of addresses (house numbers) per square kilometre: a measure of built density, not of population."}',
  'addresses/km²', 'neutral', 'computed',
  '{"de": "Berechnet: Adressen des amtlichen Adressbestands, die im Gebiet liegen (Punkt in Polygon), geteilt durch die Fläche des Gebiets (in der metrischen Projektion der Stadt). Gesamtstadt: alle Adressen durch die Fläche aller statistischen Bezirke.", "en": "Computed: the addresses of the official address register that lie in the area (point in polygon), divided by the area''s land (in the city''s metric projection). City: all addresses divided by the area of all quarters."}',
  array_remove(ARRAY[s.addresses, s.boundaries], NULL), true, 100
FROM drv_source s;

INSERT INTO drv_value
SELECT 'addresses_per_km2', u.level, u.code, u.addresses / (u.area_m2 / 1e6), s.addresses_date, u.addresses,
       u.addresses || ' Adressen auf ' || replace(to_char(u.area_m2 / 1e6, 'FM999990.00'), '.', ',') || ' km²',
       u.addresses || ' addresses on ' || to_char(u.area_m2 / 1e6, 'FM999990.00') || ' km²'
FROM drv_unit u, drv_source s
WHERE u.area_m2 > 0;

-- 2. Share of addresses in an action area (quarters, districts, city) ------------------------------------------
INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'action_area_address_share_pct', 'social',
  '{"de": "Anteil der Adressen in einem Aktionsraum", "en": "Share of addresses in an Aktionsraum"}',
  '{"de": "Anteil der Adressen des Gebiets, die in einem Aktionsraum des Aktionsplans Soziale Stadt liegen. Aktionsräume sind die Gebiete, die die Stadt als besonders belastet ausweist.", "en": "Share of the area''s addresses that lie in an Aktionsraum (action area) of the Aktionsplan Soziale Stadt, the areas the city designates as most in need."}',
  '%', 'need', 'computed',
  '{"de": "Berechnet: Adressen, die in einem der Aktionsräume liegen (Punkt in Polygon, nummerierte und unnummerierte), durch alle Adressen des Gebiets, mal 100.", "en": "Computed: addresses that lie in any action area (point in polygon, numbered and unnumbered ones) divided by all addresses of the area, times 100."}',
  array_remove(ARRAY[s.addresses, s.boundaries], NULL), true, 110
FROM drv_source s;

INSERT INTO drv_value
SELECT 'action_area_address_share_pct', r.level, r.code,
       100.0 * coalesce(sum(p.n) FILTER (WHERE p.action_area_code IS NOT NULL), 0) / nullif(sum(p.n), 0),
       (SELECT reference_date FROM source WHERE id = (SELECT boundaries FROM drv_source)), sum(p.n),
       coalesce(sum(p.n) FILTER (WHERE p.action_area_code IS NOT NULL), 0) || ' von ' || sum(p.n) || ' Adressen',
       coalesce(sum(p.n) FILTER (WHERE p.action_area_code IS NOT NULL), 0) || ' of ' || sum(p.n) || ' addresses'
FROM (SELECT quarter_code, action_area_code, count(*) AS n FROM address GROUP BY 1, 2) p
JOIN drv_rollup r ON r.quarter_code = p.quarter_code AND r.action_area_code IS NOT DISTINCT FROM p.action_area_code
WHERE r.level <> 'action-area'
GROUP BY r.level, r.code;

-- 3. School social index of primary schools ---------------------------------------------------------------------
-- NRW Schulsozialindex, level 1 (least) to 9 (most social burden) of the school's pupils.
CREATE TEMP TABLE drv_primary ON COMMIT DROP AS
SELECT o.id, o.quarter_code, o.action_area_code, (o.attrs ->> 'socialIndex')::float8 AS idx, o.pupils,
       o.reference_date, o.source_id, o.geom
FROM offer o WHERE o.category = 'school' AND o.subcategory = 'primary';

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'school_social_index_primary', 'social',
  '{"de": "Schulsozialindex der Grundschulen (nach Schülerzahl gewichtet)", "en": "School social index of primary schools (weighted by pupils)"}',
  '{"de": "Mittlerer NRW-Schulsozialindex (Stufe 1 bis 9, 9 = höchste soziale Belastung) der Grundschulen, die im Gebiet liegen, gewichtet mit ihrer Schülerzahl. Ein Hinweis auf Kinderarmut, keine Messung der Bewohnerschaft: Grundschulen nehmen auch Kinder aus Nachbargebieten auf. Gebiete ohne Grundschule haben keinen Wert; dafür gibt es den adressgewichteten Index der nächsten Grundschule.", "en": "Mean NRW school social index (level 1 to 9, 9 = highest social burden) of the primary schools located in the area, weighted by their pupils. A pointer to child poverty, not a measurement of the residents: primary schools also take children from neighbouring areas. Areas without a primary school have no value; the address-weighted index of the nearest primary school covers them."}',
  'index 1–9', 'need', 'computed',
  '{"de": "Berechnet: Summe aus Sozialindex mal Schülerzahl, geteilt durch die Summe der Schülerzahlen, über alle Grundschulen mit Sozialindex und Schülerzahl im Gebiet (Punkt in Polygon). Sozialindex für das Schuljahr 2025/26, Schülerzahlen 2024/25 (gerundet).", "en": "Computed: the sum of social index times pupils divided by the sum of pupils, over every primary school with a social index and a pupil count in the area (point in polygon). Social index for the school year 2025/26, pupils 2024/25 (rounded)."}',
  coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_primary), '{}'), true, 120;

INSERT INTO drv_value
SELECT 'school_social_index_primary', u.level, u.code,
       sum(p.idx * p.pupils) FILTER (WHERE p.idx IS NOT NULL) / nullif(sum(p.pupils) FILTER (WHERE p.idx IS NOT NULL), 0),
       (SELECT string_agg(DISTINCT reference_date, '/' ORDER BY reference_date) FROM drv_primary),
       sum(p.pupils) FILTER (WHERE p.idx IS NOT NULL),
       CASE WHEN count(p.idx * p.pupils) = 0 THEN
              CASE WHEN count(p.id) = 0 THEN 'Keine Grundschule in diesem Gebiet'
                   ELSE count(p.id) || CASE WHEN count(p.id) = 1 THEN ' Grundschule, ohne Sozialindex oder Schülerzahl'
                                                  ELSE ' Grundschulen, keine mit Sozialindex und Schülerzahl' END END
            ELSE count(p.idx * p.pupils) || CASE WHEN count(p.idx * p.pupils) = 1 THEN ' Grundschule, ' ELSE ' Grundschulen, ' END
                 || sum(p.pupils) FILTER (WHERE p.idx IS NOT NULL)
                 || ' Schülerinnen und Schüler'
                 || CASE WHEN count(p.id) > count(p.idx * p.pupils)
                         THEN '; ' || (count(p.id) - count(p.idx * p.pupils)) || ' ohne Sozialindex oder Schülerzahl nicht gezählt'
                         ELSE '' END END,
       CASE WHEN count(p.idx * p.pupils) = 0 THEN
              CASE WHEN count(p.id) = 0 THEN 'No primary school in this area'
                   ELSE count(p.id) || CASE WHEN count(p.id) = 1 THEN ' primary school, without a social index or a pupil count'
                                                  ELSE ' primary schools, none with a social index and a pupil count' END END
            ELSE count(p.idx * p.pupils) || CASE WHEN count(p.idx * p.pupils) = 1 THEN ' primary school, ' ELSE ' primary schools, ' END
                 || sum(p.pupils) FILTER (WHERE p.idx IS NOT NULL)
                 || ' pupils'
                 || CASE WHEN count(p.id) > count(p.idx * p.pupils)
                         THEN '; ' || (count(p.id) - count(p.idx * p.pupils)) || ' without a social index or pupil count not counted'
                         ELSE '' END END
FROM drv_unit u
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN drv_primary p ON p.quarter_code = r.quarter_code AND p.action_area_code IS NOT DISTINCT FROM r.action_area_code
GROUP BY u.level, u.code;

-- The index of each address's nearest primary school with an index, averaged over the area's addresses.
-- Schools at the same spot count together, weighted by pupils; each site keeps the piece (quarter, action area) it
-- lies in, for the share of addresses whose school lies outside their area (122_social_index_source.sql).
CREATE TEMP TABLE drv_index_site ON COMMIT DROP AS
SELECT ST_Transform(p.geom, c.srid) AS geom,
       coalesce(sum(p.idx * p.pupils) / nullif(sum(p.pupils), 0), avg(p.idx)) AS idx,
       min(p.quarter_code) AS quarter_code, min(p.action_area_code) AS action_area_code
FROM drv_primary p, drv_city c
WHERE p.idx IS NOT NULL
GROUP BY 1;
CREATE INDEX ON drv_index_site USING gist (geom);
ANALYZE drv_index_site;

-- Addresses per piece and school site, by the Voronoi cells of part 2 (exact nearest, straight line in metres).
CREATE TEMP TABLE drv_index_from ON COMMIT DROP AS
SELECT x.quarter_code, x.action_area_code, s.quarter_code AS school_quarter, s.action_area_code AS school_action_area,
       sum(x.n) AS n, sum(x.n * s.idx) AS idx_sum
FROM drv_cell c
JOIN drv_index_site s ON s.geom && c.site AND s.geom = c.site
CROSS JOIN LATERAL (
  SELECT a.quarter_code, a.action_area_code, count(*) AS n
  FROM drv_addr a WHERE ST_Intersects(c.geom, a.geom)
  GROUP BY a.quarter_code, a.action_area_code
) x
WHERE c.target = 'social_index'
GROUP BY 1, 2, 3, 4;

-- Without a diagram (a single school) or with an address on the edge of two cells: one nearest school per address.
DO $$
BEGIN
  IF (SELECT coalesce(sum(n), 0) FROM drv_index_from) <> (SELECT count(*) FROM drv_addr)
     AND EXISTS (SELECT 1 FROM drv_index_site) THEN
    DELETE FROM drv_index_from;
    INSERT INTO drv_index_from
    SELECT a.quarter_code, a.action_area_code, s.quarter_code, s.action_area_code, count(*), sum(s.idx)
    FROM drv_addr a
    CROSS JOIN LATERAL (SELECT * FROM drv_index_site s ORDER BY s.geom <-> a.geom LIMIT 1) s
    GROUP BY 1, 2, 3, 4;
  END IF;
END $$;

CREATE TEMP TABLE drv_social ON COMMIT DROP AS
SELECT quarter_code, action_area_code, sum(n) AS n, sum(idx_sum) AS idx_sum
FROM drv_index_from
GROUP BY 1, 2;

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'school_social_index_nearest_primary', 'social',
  '{"de": "Schulsozialindex der nächsten Grundschule (nach Adressen gewichtet)", "en": "School social index of the nearest primary school (weighted by addresses)"}',
  '{"de": "Für jede Adresse der NRW-Schulsozialindex (1 bis 9, 9 = höchste soziale Belastung) der nächstgelegenen Grundschule, gemittelt über alle Adressen des Gebiets. Ein Ersatzwert (Proxy) für Kinderarmut, der jedem Gebiet einen Wert gibt: Die nächste Schule ist nicht immer die besuchte, und der Index beschreibt die Schülerschaft der Schule, nicht die Nachbarschaft.", "en": "For every address the NRW school social index (1 to 9, 9 = highest social burden) of the nearest primary school, averaged over all addresses of the area. A proxy for child poverty that gives every area a value: the nearest school is not always the one attended, and the index describes the school''s pupils, not the neighbourhood."}',
  'index 1–9', 'need', 'modelled',
  '{"de": "Modelliert: Als Einzugsbereich jeder Grundschule gilt, was ihr in Luftlinie am nächsten liegt (Voronoi-Zerlegung in Metern); jede Adresse erhält den Sozialindex dieser Schule (Schulen am selben Standort nach Schülerzahl gemittelt). Mittelwert über alle Adressen des Gebiets. In NRW wählen Eltern die Grundschule seit 2008 frei; die tatsächliche Schulwahl und Adressen ohne Kinder bleiben unberücksichtigt.", "en": "Modelled: each primary school''s catchment is taken to be what lies nearest to it in a straight line (a Voronoi partition in metres); every address gets that school''s social index (schools on one site averaged by pupils). Mean over all addresses of the area. Parents in NRW have chosen the primary school freely since 2008; actual school choice and addresses without children are not taken into account."}',
  coalesce((SELECT array_agg(DISTINCT x ORDER BY x) FROM (SELECT source_id AS x FROM drv_primary UNION SELECT addresses FROM drv_source) s WHERE x IS NOT NULL), '{}'),
  true, 121;

INSERT INTO drv_value
SELECT 'school_social_index_nearest_primary', u.level, u.code, sum(s.idx_sum) / nullif(sum(s.n), 0),
       (SELECT string_agg(DISTINCT reference_date, '/' ORDER BY reference_date) FROM drv_primary WHERE idx IS NOT NULL),
       coalesce(sum(s.n), 0),
       CASE WHEN sum(s.n) IS NULL THEN CASE WHEN u.addresses = 0 THEN 'Keine Adressen in diesem Gebiet'
                                            ELSE 'Keine Grundschule mit Sozialindex in den Daten' END
            ELSE 'Mittel über ' || sum(s.n) || ' Adressen' END,
       CASE WHEN sum(s.n) IS NULL THEN CASE WHEN u.addresses = 0 THEN 'No addresses in this area'
                                            ELSE 'No primary school with a social index in the data' END
            ELSE 'Mean over ' || sum(s.n) || ' addresses' END
FROM drv_unit u
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN drv_social s ON s.quarter_code = r.quarter_code AND s.action_area_code IS NOT DISTINCT FROM r.action_area_code
GROUP BY u.level, u.code, u.addresses;
