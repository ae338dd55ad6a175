-- Computed indicators, part 6: access on foot, on the street and footpath network (issue 16).
--
-- The importer builds the walking network from the basemap's vector tiles and snaps every address and offer to it
-- (geodata/walk.ts; walk_graph holds the build's report), and right before this file computes, in JavaScript:
--   drv_walk_reach  per piece and target of 110_nearest.sql: the addresses within 5, 10 and 15 minutes' walk of the
--                   nearest offer (one Dijkstra search from all of the target's offers at once);
--   drv_walk_detour per unit: the median ratio of walking to straight-line distance to the nearest Kita and primary
--                   school;
--   drv_walk_sfca   per piece: the 2SFCA Kita places reached by its addresses, weighted by residents.
-- Walking times are at 4.8 km/h (80 m a minute: 400, 800 and 1,200 m), the speed of every walking time in the app.
-- Residents weigh addresses as in 140_coverage.sql (drv_pop_piece). Without basemap tiles the tables are empty and
-- nothing is added.

CREATE TEMP TABLE drv_walk_info ON COMMIT DROP AS
SELECT g.*, (SELECT count(*) FROM walk_snap WHERE kind = 'address') AS addresses,
       g.source_id AS basemap
FROM walk_graph g;

-- 1. The share of residents within 5, 10 and 15 minutes' walk of each target ---------------------------------------
CREATE TEMP TABLE drv_walk_unit ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses, t.target,
       coalesce(sum(x.n), 0) AS n, coalesce(sum(x.r5), 0) AS r5, coalesce(sum(x.r10), 0) AS r10,
       coalesce(sum(x.r15), 0) AS r15,
       bool_and(x.n IS NULL OR w.w IS NOT NULL) AS weighted,
       coalesce(sum(x.n * w.w), 0) AS p, coalesce(sum(x.r5 * w.w), 0) AS p5, coalesce(sum(x.r10 * w.w), 0) AS p10,
       coalesce(sum(x.r15 * w.w), 0) AS p15
FROM drv_unit u
CROSS JOIN (SELECT DISTINCT target FROM drv_walk_reach) t
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN drv_walk_reach x ON x.target = t.target AND x.quarter_code = r.quarter_code
                          AND x.action_area_code IS NOT DISTINCT FROM r.action_area_code
LEFT JOIN (SELECT quarter_code, action_area_code, persons::float8 / nullif(n, 0) AS w FROM drv_pop_piece) w
       ON w.quarter_code = x.quarter_code AND w.action_area_code IS NOT DISTINCT FROM x.action_area_code
GROUP BY u.level, u.code, u.addresses, t.target;

CREATE TEMP TABLE drv_walk_share ON COMMIT DROP AS
SELECT u.level, u.code, u.target, u.n, u.p, u.weighted, x.minutes, x.reached, x.persons,
       CASE WHEN u.weighted AND u.p > 0 THEN 100.0 * x.persons / u.p END AS share
FROM drv_walk_unit u
CROSS JOIN LATERAL (VALUES (5, u.r5, u.p5), (10, u.r10, u.p10), (15, u.r15, u.p15)) AS x (minutes, reached, persons);

CREATE TEMP TABLE drv_walk_coverage ON COMMIT DROP AS
SELECT c.target, c.sort, c.de, c.en, c.dates, c.sources, m.minutes, m.minutes * 80 AS metres,
       'coverage_walk_' || c.target || '_' || m.minutes || 'min' AS id
FROM (SELECT DISTINCT target, sort, de, en, dates, sources FROM drv_coverage) c
CROSS JOIN (VALUES (5), (10), (15)) AS m (minutes)
WHERE EXISTS (SELECT 1 FROM drv_walk_reach r WHERE r.target = c.target);

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT c.id, 'coverage',
  jsonb_build_object('de', 'Erreichbarkeit zu Fuß: ' || c.de || ' in ' || c.minutes || ' Minuten',
                     'en', 'Access on foot: ' || c.en || ' within ' || c.minutes || ' minutes'' walk'),
  jsonb_build_object(
    'de', 'Anteil der Einwohnerinnen und Einwohner des Gebiets, die ein Angebot der Art „' || c.de || '“ in höchstens ' || c.minutes
          || ' Minuten zu Fuß erreichen (' || c.metres || ' m auf dem Straßen- und Fußwegenetz bei 4,8 km/h), geschätzt über ihre Adressen.',
    'en', 'Share of the area''s residents who reach an offer of the kind “' || c.en || '” within ' || c.minutes
          || ' minutes on foot (' || c.metres || ' m on the street and footpath network at 4.8 km/h), estimated through their addresses.'),
  '%', 'strength', 'computed',
  jsonb_build_object(
    'de', 'Berechnet: Für jede Adresse der kürzeste Fußweg zum nächsten Angebot auf dem Wegenetz der OpenStreetMap-Grundkarte (OpenMapTiles, Zoomstufe '
          || i.zoom || ': Fußwege, Wege, Treppen, Fußgängerzonen, Wohn-, Erschließungs- und Wirtschaftswege, Tertiär-, Sekundär- und Primärstraßen; keine Autobahnen, Kraftfahrstraßen nur mit Fußgängerfreigabe; Brücken und Tunnel ohne gemeinsamen Punkt nicht verbunden), '
          || i.nodes || ' Knoten, ' || i.edges || ' Kanten, ' || round(i.length_km) || ' km; Dijkstra-Suche von allen Angeboten zugleich. Adressen und Angebote werden auf die nächste Kante des zusammenhängenden Netzes gesetzt, die Wege dorthin zählen mit ('
          || i.addresses_flagged || ' von ' || i.addresses || ' Adressen liegen mehr als 150 m vom Netz entfernt). ' || c.minutes || ' Minuten sind ' || c.metres
          || ' m bei 4,8 km/h. Jede Adresse wird mit den Einwohnern je Adresse ihres statistischen Bezirks gewichtet (wie bei der Erreichbarkeit in Luftlinie); Stadtbezirke, Aktionsräume und Stadt wiegen ihre statistischen Bezirke nach Einwohnern. Stand der Angebote '
          || coalesce(c.dates, 'unbekannt') || ', des Wegenetzes etwa 2020. Ampeln, Steigungen, Barrieren für Rollstühle und Kinderwagen und Einbahnregeln kennt das Netz nicht; Angebote jenseits der Stadtgrenze fehlen.',
    'en', 'Computed: for every address the shortest walk to the nearest offer on the path network of the OpenStreetMap basemap (OpenMapTiles, zoom '
          || i.zoom || ': footways, paths, steps, pedestrian streets, residential, service and track roads, tertiary, secondary and primary roads; no motorways, trunk roads only where walking is allowed; bridges and tunnels without a shared point not connected), '
          || i.nodes || ' nodes, ' || i.edges || ' edges, ' || round(i.length_km) || ' km; one Dijkstra search from all offers at once. Addresses and offers are placed on the nearest edge of the connected network, and the way there counts ('
          || i.addresses_flagged || ' of ' || i.addresses || ' addresses lie more than 150 m from it). ' || c.minutes || ' minutes are ' || c.metres
          || ' m at 4.8 km/h. Every address is weighted by its quarter''s persons per address (as for straight-line access); districts, action areas and the city weigh their quarters by residents. Offers as of '
          || coalesce(c.dates, 'unknown') || ', the network of about 2020. The network knows no traffic lights, slopes, barriers for wheelchairs and prams or one-way rules; offers beyond the city boundary are missing.'),
  array_remove(c.sources || coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_pop_pub WHERE source_id IS NOT NULL), '{}')
               || (SELECT addresses FROM drv_source) || i.basemap, NULL),
  true, 500 + 10 * c.sort + c.minutes / 5
FROM drv_walk_coverage c CROSS JOIN drv_walk_info i;

INSERT INTO indicator_facet (indicator_id, family, member, measure, radius_m, label, sort)
SELECT id, 'coverage-walk', target, minutes || ' min', metres, jsonb_build_object('de', de, 'en', en), 10 * sort + minutes / 5
FROM drv_walk_coverage;

INSERT INTO drv_value
SELECT c.id, s.level, s.code, s.share, c.dates, s.n,
       CASE WHEN s.n = 0 THEN 'Keine Adressen in diesem Gebiet'
            ELSE s.reached || ' von ' || s.n || ' Adressen in ' || c.minutes || ' Minuten zu Fuß'
                 || CASE WHEN s.share IS NOT NULL
                         THEN '; etwa ' || round(s.persons) || ' von ' || round(s.p) || ' Einwohnern (geschätzt)'
                         WHEN NOT s.weighted THEN '; keine Einwohnerzahl, nach der sich die Adressen gewichten ließen'
                         ELSE '; keine Einwohner' END END,
       CASE WHEN s.n = 0 THEN 'No addresses in this area'
            ELSE s.reached || ' of ' || s.n || ' addresses within ' || c.minutes || ' minutes'' walk'
                 || CASE WHEN s.share IS NOT NULL
                         THEN '; about ' || round(s.persons) || ' of ' || round(s.p) || ' residents (estimated)'
                         WHEN NOT s.weighted THEN '; no population to weigh the addresses by'
                         ELSE '; no residents' END END
FROM drv_walk_coverage c JOIN drv_walk_share s ON s.target = c.target AND s.minutes = c.minutes;

-- 2. The detour: how much longer the walk is than the straight line --------------------------------------------------
CREATE TEMP TABLE drv_walk_detour_def ON COMMIT DROP AS
SELECT DISTINCT c.target, c.sort, c.de, c.en, c.dates, c.sources, 'walk_detour_' || c.target AS id
FROM drv_coverage c
WHERE EXISTS (SELECT 1 FROM drv_walk_detour d WHERE d.target = c.target);

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT d.id, 'coverage',
  jsonb_build_object('de', 'Umweg zu Fuß zur nächsten ' || CASE d.target WHEN 'childcare' THEN 'Kita' ELSE d.de END || ' (Fußweg durch Luftlinie, Median)',
                     'en', 'Walking detour to the nearest ' || d.en || ' (walk over straight line, median)'),
  jsonb_build_object(
    'de', 'Wie viel länger der Fußweg zum nächsten Angebot der Art „' || d.de || '“ ist als die Luftlinie dorthin: der Median der Adressen des Gebiets. 1,0 heißt geradeaus; wo Bahnlinien, Schnellstraßen, Kanäle oder Werksgelände trennen, steigt der Wert.',
    'en', 'How much longer the walk to the nearest offer of the kind “' || d.en || '” is than the straight line to it: the median over the area''s addresses. 1.0 means straight ahead; where railway lines, expressways, canals or industrial sites cut through, the value rises.'),
  'ratio', 'need', 'computed',
  jsonb_build_object(
    'de', 'Berechnet: Für jede Adresse, deren nächstes Angebot in Luftlinie mindestens 100 m entfernt ist, der kürzeste Fußweg zum nächsten Angebot (auf dem Wegenetz wie bei „Erreichbarkeit zu Fuß“, mit den Wegen von der Adresse zum Netz und vom Netz zum Angebot) geteilt durch die Luftlinie zum nächsten Angebot (auf dem Ellipsoid); je Gebiet der Median dieser Verhältnisse, ungewichtet. Näher als 100 m zählt nicht, weil dort die Wege zum Netz das Verhältnis bestimmen. Adressen, von denen kein Angebot über das Netz erreichbar ist, zählen nicht mit und stehen beim Wert. Stand der Angebote '
          || coalesce(d.dates, 'unbekannt') || ', des Wegenetzes etwa 2020.',
    'en', 'Computed: for every address whose nearest offer lies at least 100 m away in a straight line, the shortest walk to the nearest offer (on the network as for “Access on foot”, with the ways from the address to the network and from the network to the offer) divided by the straight line to the nearest offer (on the ellipsoid); per area the median of these ratios, unweighted. Nearer than 100 m does not count, because there the ways to the network decide the ratio. Addresses from which no offer can be reached on the network are left out and named with the value. Offers as of '
          || coalesce(d.dates, 'unknown') || ', the network of about 2020.'),
  array_remove(d.sources || (SELECT addresses FROM drv_source) || i.basemap, NULL), true, 590 + d.sort
FROM drv_walk_detour_def d CROSS JOIN drv_walk_info i;

INSERT INTO indicator_facet (indicator_id, family, member, measure, label, sort)
SELECT id, 'walk-detour', target, 'median ratio', jsonb_build_object('de', de, 'en', en), sort FROM drv_walk_detour_def;

INSERT INTO drv_value
SELECT d.id, u.level, u.code, x.ratio, d.dates, coalesce(x.n, 0),
       CASE WHEN x.n IS NULL OR x.n = 0 THEN 'Keine Adresse mindestens 100 m vom nächsten Angebot, die es über das Netz erreicht'
            ELSE 'Median von ' || x.n || ' Adressen' END
       || CASE WHEN x.unreached > 0 THEN '; ' || x.unreached || ' Adressen erreichen kein Angebot über das Netz (nicht gezählt)' ELSE '' END,
       CASE WHEN x.n IS NULL OR x.n = 0 THEN 'No address at least 100 m from the nearest offer that reaches one on the network'
            ELSE 'Median of ' || x.n || ' addresses' END
       || CASE WHEN x.unreached > 0 THEN '; ' || x.unreached || ' addresses reach no offer on the network (not counted)' ELSE '' END
FROM drv_walk_detour_def d
CROSS JOIN drv_unit u
LEFT JOIN drv_walk_detour x ON x.target = d.target AND x.level = u.level AND x.code = u.code;

-- 3. Kita places per 1,000 residents within 10 minutes' walk (2SFCA) ------------------------------------------------
CREATE TEMP TABLE drv_walk_sfca_unit ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses, coalesce(sum(x.placed), 0) AS placed, coalesce(sum(x.persons), 0) AS persons,
       coalesce(sum(x.n), 0) AS n
FROM drv_unit u
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN drv_walk_sfca x ON x.quarter_code = r.quarter_code AND x.action_area_code IS NOT DISTINCT FROM r.action_area_code
GROUP BY u.level, u.code, u.addresses;

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'kita_places_per_1000_residents_walk_2sfca', 'childcare',
  '{"de": "Kita-Plätze je 1.000 Einwohner in 10 Minuten Fußweg (2SFCA)", "en": "Childcare places per 1,000 residents within 10 minutes'' walk (2SFCA)"}',
  '{"de": "Die Kita-Plätze, die die Einwohnerinnen und Einwohner des Gebiets in 10 Minuten zu Fuß erreichen, geteilt mit allen, die dieselben Kitas erreichen (Zwei-Stufen-Verfahren der gleitenden Einzugsgebiete, 2SFCA), je 1.000 Einwohner. Bezogen auf alle Einwohner, nicht auf Kinder: Altersgruppen je Gebiet fehlen im Datenpaket.", "en": "The childcare places the area''s residents reach within 10 minutes on foot, shared with everyone who reaches the same Kitas (two-step floating catchment area, 2SFCA), per 1,000 residents. Relative to all residents, not to children: the package has no age groups per area."}',
  'places per 1,000 residents', 'strength', 'modelled',
  jsonb_build_object(
    'de', 'Modelliert (2SFCA, Luo und Wang 2003) auf dem Fußwegenetz (wie bei „Erreichbarkeit zu Fuß“), Einzugsgebiet d0 = 10 Minuten zu Fuß = 800 m bei 4,8 km/h. Schritt 1, je Kita j mit S_j Plätzen (U3 und Ü3 zusammen): R_j = S_j / Σ P_i über die Adressen i mit Fußweg d_ij ≤ d0; Schritt 2, je Adresse i: A_i = Σ R_j über die Kitas j mit d_ij ≤ d0. P_i sind die Einwohner je Adresse ihres statistischen Bezirks (veröffentlicht oder geschätzt). Wert des Gebiets: 1.000 · Σ P_i A_i / Σ P_i über seine Adressen. Statt Kindern stehen alle Einwohner: Das Datenpaket hat keine Altersgruppen je Gebiet (nur für wenige Gebiete und andere Jahre), der Wert unterstellt also überall denselben Kinderanteil. '
          || k.without_places || ' von ' || k.kitas || ' Kitas ohne Platzzahl zählen nicht mit (aus OpenStreetMap ergänzte Kitas haben keine). Stand der Plätze ' || coalesce(k.dates, 'unbekannt') || '; Kitas jenseits der Stadtgrenze fehlen.',
    'en', 'Modelled (2SFCA, Luo and Wang 2003) on the walking network (as for “Access on foot”), catchment d0 = 10 minutes on foot = 800 m at 4.8 km/h. Step 1, for every Kita j with S_j places (under-3 and 3+ together): R_j = S_j / Σ P_i over the addresses i with a walk d_ij ≤ d0; step 2, for every address i: A_i = Σ R_j over the Kitas j with d_ij ≤ d0. P_i are the persons per address of its quarter (published or estimated). The area''s value: 1,000 · Σ P_i A_i / Σ P_i over its addresses. All residents stand in for children: the package has no age groups per area (only for a few areas and other years), so the value assumes the same share of children everywhere. '
          || k.without_places || ' of ' || k.kitas || ' Kitas without a place number are not counted (Kitas added from OpenStreetMap have none). Places as of ' || coalesce(k.dates, 'unknown') || '; Kitas beyond the city boundary are missing.'),
  array_remove(coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM offer WHERE category = 'childcare'), '{}')
               || coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_pop_pub WHERE source_id IS NOT NULL), '{}')
               || (SELECT addresses FROM drv_source) || i.basemap, NULL),
  true, 134
FROM drv_walk_info i
CROSS JOIN (SELECT max(kitas) AS kitas, max(kitas_without_places) AS without_places,
                   (SELECT string_agg(DISTINCT reference_date, '/' ORDER BY reference_date) FROM offer
                     WHERE category = 'childcare' AND (places_u3 IS NOT NULL OR places_o3 IS NOT NULL)) AS dates
            FROM drv_walk_sfca) k
WHERE EXISTS (SELECT 1 FROM drv_walk_sfca);

INSERT INTO drv_value
SELECT 'kita_places_per_1000_residents_walk_2sfca', s.level, s.code,
       CASE WHEN s.persons > 0 THEN 1000 * s.placed / s.persons END,
       (SELECT string_agg(DISTINCT reference_date, '/' ORDER BY reference_date) FROM offer
         WHERE category = 'childcare' AND (places_u3 IS NOT NULL OR places_o3 IS NOT NULL)),
       s.n,
       CASE WHEN s.n = 0 THEN 'Keine Adressen in diesem Gebiet'
            WHEN s.persons > 0 THEN 'Etwa ' || round(s.placed) || ' Plätze für etwa ' || round(s.persons) || ' Einwohner (geschätzt), über ' || s.n || ' Adressen'
            ELSE 'Keine Einwohnerzahl, nach der sich die Adressen gewichten ließen' END,
       CASE WHEN s.n = 0 THEN 'No addresses in this area'
            WHEN s.persons > 0 THEN 'About ' || round(s.placed) || ' places for about ' || round(s.persons) || ' residents (estimated), over ' || s.n || ' addresses'
            ELSE 'No population to weigh the addresses by' END
FROM drv_walk_sfca_unit s
WHERE EXISTS (SELECT 1 FROM drv_walk_sfca);
