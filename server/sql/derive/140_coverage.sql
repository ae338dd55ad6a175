-- Computed indicators, part 5: coverage (share of residents with an offer within a radius) and the education chain.
--
-- Residents, not addresses: every address carries its quarter's calibrated persons per address (drv_pop_piece of
-- 125_population.sql: published persons over addresses where the quarter's population is published, else the
-- model's rate). Within a quarter all addresses weigh the same, so a quarter's share is its share of addresses;
-- districts, action areas and the city weigh their quarters by residents. The address counts stay as the basis
-- (privacy suppression) and in the value note. A unit with an address of no weight (no population anywhere to
-- estimate from) or no residents has no value.

CREATE TEMP TABLE drv_reach_unit ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses, t.target,
       coalesce(sum(x.n), 0) AS n, coalesce(sum(x.r300), 0) AS r300, coalesce(sum(x.r500), 0) AS r500,
       coalesce(sum(x.r1000), 0) AS r1000, coalesce(sum(x.r2000), 0) AS r2000, coalesce(sum(x.r3000), 0) AS r3000,
       bool_and(x.n IS NULL OR w.w IS NOT NULL) AS weighted,
       coalesce(sum(x.n * w.w), 0) AS p, coalesce(sum(x.r300 * w.w), 0) AS p300, coalesce(sum(x.r500 * w.w), 0) AS p500,
       coalesce(sum(x.r1000 * w.w), 0) AS p1000, coalesce(sum(x.r2000 * w.w), 0) AS p2000,
       coalesce(sum(x.r3000 * w.w), 0) AS p3000
FROM drv_unit u
CROSS JOIN (SELECT DISTINCT target FROM drv_reach) t
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN drv_reach x ON x.target = t.target AND x.quarter_code = r.quarter_code
                     AND x.action_area_code IS NOT DISTINCT FROM r.action_area_code
LEFT JOIN (SELECT quarter_code, action_area_code, persons::float8 / nullif(n, 0) AS w FROM drv_pop_piece) w
       ON w.quarter_code = x.quarter_code AND w.action_area_code IS NOT DISTINCT FROM x.action_area_code
GROUP BY u.level, u.code, u.addresses, t.target;

-- The share of residents of every unit and target at every radius (NULL where it cannot be weighed).
CREATE TEMP TABLE drv_reach_share ON COMMIT DROP AS
SELECT u.level, u.code, u.target, u.n, u.p, u.weighted, x.radius, x.reached, x.persons,
       CASE WHEN u.weighted AND u.p > 0 THEN 100.0 * x.persons / u.p END AS share
FROM drv_reach_unit u
CROSS JOIN LATERAL (VALUES (300, u.r300, u.p300), (500, u.r500, u.p500), (1000, u.r1000, u.p1000),
                           (2000, u.r2000, u.p2000), (3000, u.r3000, u.p3000)) AS x (radius, reached, persons);

-- The dates of the populations the weights come from.
CREATE TEMP TABLE drv_reach_pop ON COMMIT DROP AS
SELECT coalesce((SELECT string_agg(DISTINCT d, '/' ORDER BY d)
                 FROM drv_pop_piece p, unnest(string_to_array(p.dates, '/')) d), 'unbekannt') AS dates_de,
       coalesce((SELECT string_agg(DISTINCT d, '/' ORDER BY d)
                 FROM drv_pop_piece p, unnest(string_to_array(p.dates, '/')) d), 'unknown') AS dates_en;

-- The targets that have offers, with their radii, dates and sources.
CREATE TEMP TABLE drv_coverage ON COMMIT DROP AS
SELECT t.target, t.sort, t.de, t.en, r.radius,
       'coverage_' || t.target || '_' || r.radius || 'm' AS id,
       CASE WHEN r.radius >= 1000 THEN (r.radius / 1000) || ' km' ELSE r.radius || ' m' END AS radius_text,
       (SELECT string_agg(DISTINCT o.reference_date, '/' ORDER BY o.reference_date)
          FROM drv_site s JOIN offer o ON o.id = s.offer_id WHERE s.target = t.target) AS dates,
       (SELECT array_agg(DISTINCT o.source_id ORDER BY o.source_id)
          FROM drv_site s JOIN offer o ON o.id = s.offer_id WHERE s.target = t.target) AS sources,
       -- The sources counted, by title (an offer list uploaded by the city among them, issue 21).
       (SELECT string_agg(DISTINCT so.title, '; ' ORDER BY so.title)
          FROM drv_site s JOIN offer o ON o.id = s.offer_id JOIN source so ON so.id = o.source_id
         WHERE s.target = t.target) AS counted_de,
       (SELECT string_agg(DISTINCT coalesce(so.shown -> 'en' ->> 'title', so.title), '; '
                          ORDER BY coalesce(so.shown -> 'en' ->> 'title', so.title))
          FROM drv_site s JOIN offer o ON o.id = s.offer_id JOIN source so ON so.id = o.source_id
         WHERE s.target = t.target) AS counted_en
FROM drv_target t
CROSS JOIN LATERAL unnest(t.radii) AS r (radius)
WHERE EXISTS (SELECT 1 FROM drv_site s WHERE s.target = t.target);

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT c.id, 'coverage',
  jsonb_build_object('de', 'Erreichbarkeit: ' || c.de || ' in ' || c.radius_text,
                     'en', 'Access: ' || c.en || ' within ' || c.radius_text),
  jsonb_build_object(
    'de', 'Anteil der Einwohnerinnen und Einwohner des Gebiets mit mindestens einem Angebot der Art „' || c.de || '“ im Umkreis von ' || c.radius_text
          || ' (Luftlinie), geschätzt über ihre Adressen: Jede Adresse zählt mit den veröffentlichten oder geschätzten Einwohnern je Adresse ihres statistischen Bezirks (Stand der Einwohnerzahlen ' || p.dates_de || ').',
    'en', 'Share of the area''s residents with at least one offer of the kind “' || c.en || '” within ' || c.radius_text
          || ' (straight line), estimated through their addresses: every address counts with its quarter''s published or estimated persons per address (population as of ' || p.dates_en || ').'),
  '%', 'strength', 'computed',
  jsonb_build_object(
    'de', 'Berechnet: Für jede Adresse die Luftlinie zum nächsten Angebot (exakt, über eine Voronoi-Zerlegung der Standorte, in Metern in der UTM-Zone der Stadt). Jede Adresse wird mit den Einwohnern je Adresse ihres statistischen Bezirks gewichtet (veröffentlichte Einwohnerzahl durch Adressen, sonst die Schätzung des Modells „Einwohnerinnen und Einwohner (Modell)“; Stand ' || p.dates_de || '); Anteil der so gewichteten Adressen mit höchstens ' || c.radius_text || ', in Prozent. Innerhalb eines statistischen Bezirks ist das der Anteil der Adressen; Stadtbezirke, Aktionsräume und Stadt wiegen ihre statistischen Bezirke nach Einwohnern. Stand der Angebote ' || coalesce(c.dates, 'unbekannt') || '; gezählte Quellen: ' || coalesce(c.counted_de, 'keine') || '. Luftlinie ist kein Fußweg; innerhalb eines statistischen Bezirks zählen Hochhaus und Einfamilienhaus gleich; Angebote jenseits der Stadtgrenze fehlen, am Stadtrand ist die Erreichbarkeit daher eher unterschätzt.',
    'en', 'Computed: for every address the straight-line distance to the nearest offer (exact, through a Voronoi partition of the offers, in metres in the city''s UTM zone). Every address is weighted by its quarter''s persons per address (the published population over its addresses, else the estimate of the model “Population (model)”; as of ' || p.dates_en || '); the weighted share of addresses within ' || c.radius_text || ', in per cent. Within a quarter this is the share of addresses; districts, action areas and the city weigh their quarters by residents. Offers as of ' || coalesce(c.dates, 'unknown') || '; sources counted: ' || coalesce(c.counted_en, 'none') || '. A straight line is not a walking route; within a quarter a tower block and a detached house count the same; offers beyond the city boundary are missing, so access at the edge of the city is rather underestimated.'),
  array_remove(c.sources || coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_pop_pub WHERE source_id IS NOT NULL), '{}')
               || (SELECT addresses FROM drv_source), NULL), true, 300 + 10 * c.sort + c.radius / 500
FROM drv_coverage c CROSS JOIN drv_reach_pop p;

INSERT INTO indicator_facet (indicator_id, family, member, radius_m, label, sort)
SELECT id, 'coverage', target, radius, jsonb_build_object('de', de, 'en', en), 10 * sort + radius / 500
FROM drv_coverage;

INSERT INTO drv_value
SELECT c.id, s.level, s.code, s.share, c.dates, s.n,
       CASE WHEN s.n = 0 THEN 'Keine Adressen in diesem Gebiet'
            ELSE s.reached || ' von ' || s.n || ' Adressen'
                 || CASE WHEN s.share IS NOT NULL
                         THEN '; etwa ' || round(s.persons) || ' von ' || round(s.p) || ' Einwohnern (geschätzt)'
                         WHEN NOT s.weighted THEN '; keine Einwohnerzahl, nach der sich die Adressen gewichten ließen'
                         ELSE '; keine Einwohner' END END,
       CASE WHEN s.n = 0 THEN 'No addresses in this area'
            ELSE s.reached || ' of ' || s.n || ' addresses'
                 || CASE WHEN s.share IS NOT NULL
                         THEN '; about ' || round(s.persons) || ' of ' || round(s.p) || ' residents (estimated)'
                         WHEN NOT s.weighted THEN '; no population to weigh the addresses by'
                         ELSE '; no residents' END END
FROM drv_coverage c JOIN drv_reach_share s ON s.target = c.target AND s.radius = c.radius;

-- The education chain ("Bildungskette"): one coverage indicator per stage, each at the distance that stage's
-- children or young people can be expected to cover. Secondary school is one stage; its types are listed under it.
CREATE TEMP TABLE drv_chain ON COMMIT DROP AS
SELECT * FROM (VALUES
  ('kita', 'childcare', 500, NULL, 1, 'Kita', 'childcare'),
  ('primary', 'school_primary', 1000, NULL, 2, 'Grundschule', 'primary school'),
  ('secondary', 'school_secondary', 2000, NULL, 3, 'weiterführende Schule', 'secondary school'),
  ('hauptschule', 'school_hauptschule', 2000, 'secondary', 4, 'Hauptschule', 'Hauptschule'),
  ('realschule', 'school_realschule', 2000, 'secondary', 5, 'Realschule', 'Realschule'),
  ('gesamtschule', 'school_gesamtschule', 2000, 'secondary', 6, 'Gesamtschule', 'Gesamtschule'),
  ('gymnasium', 'school_gymnasium', 2000, 'secondary', 7, 'Gymnasium', 'Gymnasium'),
  ('vocational', 'school_vocational', 3000, NULL, 8, 'Berufskolleg', 'vocational college'),
  ('library', 'library', 1000, NULL, 9, 'Bibliothek', 'library')
) AS c (stage, target, radius, parent, sort, de, en)
WHERE EXISTS (SELECT 1 FROM drv_coverage v WHERE v.target = c.target AND v.radius = c.radius);

INSERT INTO indicator_facet (indicator_id, family, member, radius_m, parent, label, sort)
SELECT 'coverage_' || target || '_' || radius || 'm', 'education-chain', stage, radius, parent,
       jsonb_build_object('de', de, 'en', en), sort
FROM drv_chain;

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'education_chain_gaps', 'education-chain',
  '{"de": "Bildungskette: Stufen außer Reichweite (unter 50 % der Einwohner; Entfernung, nicht Bedarf)", "en": "Education chain: stages out of reach (under 50 % of residents; distance, not need)"}',
  jsonb_build_object(
    'de', 'Zahl der Stufen der Bildungskette, die weniger als die Hälfte der Einwohnerinnen und Einwohner des Gebiets erreicht (geschätzt über ihre Adressen, gewichtet mit den Einwohnern je Adresse ihres statistischen Bezirks): '
          || (SELECT string_agg(de || ' (' || radius || ' m)', ', ' ORDER BY sort) FROM drv_chain WHERE parent IS NULL)
          || '. Wo die Kette reißt, fehlt eine Stufe in erreichbarer Nähe. Ein Maß der Entfernung, nicht des Bedarfs: '
          || 'Die Zahl steigt zum Stadtrand hin, wo Angebote weiter auseinander liegen, und folgt nicht der sozialen Lage. '
          || 'Wo Bedarf und fehlende Angebote zusammentreffen, zeigt die Lückenanalyse mit einem sozialen Bedarfsindikator. '
          || 'Die Schwelle ist in der Analyse einstellbar.',
    'en', 'Number of stages of the education chain that reach fewer than half of the area''s residents (estimated through their addresses, weighted by their quarter''s persons per address): '
          || (SELECT string_agg(en || ' (' || radius || ' m)', ', ' ORDER BY sort) FROM drv_chain WHERE parent IS NULL)
          || '. Where the chain breaks, a stage is missing within reach. A measure of distance, not of need: the '
          || 'count rises towards the edge of the city, where offers lie further apart, and does not follow social '
          || 'need. Where need and missing offers meet is shown by the gap analysis with a social need indicator. '
          || 'The threshold can be changed in the analysis.'),
  'stages', 'need', 'computed',
  '{"de": "Berechnet aus den Erreichbarkeits-Indikatoren der Stufen (Anteil der Einwohner mit einem Angebot der Stufe in Luftlinie, geschätzt über die Adressen, gewichtet mit den veröffentlichten oder geschätzten Einwohnern je Adresse ihres statistischen Bezirks): gezählt werden die Stufen unter 50 %. Die Entfernungen sind Annahmen: 500 m für die Kita, 1 km für Grundschule und Bibliothek, 2 km für weiterführende Schulen (jede Schulform zählt), 3 km für Berufskollegs. Die Schulformen einzeln stehen in der Analyse der Bildungskette.", "en": "Computed from the access indicators of the stages (share of residents with an offer of the stage in a straight line, estimated through the addresses weighted by their quarter''s published or estimated persons per address): the stages below 50 % are counted. The distances are assumptions: 500 m for childcare, 1 km for primary school and library, 2 km for secondary schools (any type counts), 3 km for vocational colleges. The school types one by one are in the education chain analysis."}',
  coalesce((SELECT array_agg(DISTINCT s ORDER BY s) FROM drv_coverage c, unnest(c.sources) s
            WHERE c.target IN (SELECT target FROM drv_chain)), '{}')
    || coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_pop_pub WHERE source_id IS NOT NULL), '{}')
    || array_remove(ARRAY[(SELECT addresses FROM drv_source)], NULL),
  true, 400
WHERE EXISTS (SELECT 1 FROM drv_chain);

INSERT INTO indicator_facet (indicator_id, family, member, label, sort)
SELECT 'education_chain_gaps', 'education-chain', 'gaps',
       '{"de": "Stufen außer Reichweite (unter 50 %)", "en": "Stages out of reach (below 50 %)"}', 0
WHERE EXISTS (SELECT 1 FROM drv_chain);

INSERT INTO drv_value
SELECT 'education_chain_gaps', u.level, u.code,
       CASE WHEN u.addresses = 0 OR bool_or(s.share IS NULL) THEN NULL ELSE count(*) FILTER (WHERE s.share < 50) END,
       (SELECT string_agg(DISTINCT d, '/' ORDER BY d) FROM drv_coverage c, unnest(string_to_array(c.dates, '/')) d
         WHERE c.target IN (SELECT target FROM drv_chain)),
       u.addresses,
       CASE WHEN u.addresses = 0 THEN 'Keine Adressen in diesem Gebiet'
            WHEN bool_or(s.share IS NULL) THEN 'Ohne Einwohner oder Einwohnerzahl kein Anteil der Einwohner'
            ELSE coalesce('Unter 50 %: ' || string_agg(c.de, ', ' ORDER BY c.sort) FILTER (WHERE s.share < 50), 'Keine Stufe unter 50 %') END,
       CASE WHEN u.addresses = 0 THEN 'No addresses in this area'
            WHEN bool_or(s.share IS NULL) THEN 'No share of residents without residents or a population'
            ELSE coalesce('Below 50 %: ' || string_agg(c.en, ', ' ORDER BY c.sort) FILTER (WHERE s.share < 50), 'No stage below 50 %') END
FROM drv_unit u
JOIN drv_chain c ON c.parent IS NULL
JOIN drv_reach_share s ON s.level = u.level AND s.code = u.code AND s.target = c.target AND s.radius = c.radius
GROUP BY u.level, u.code, u.addresses;
