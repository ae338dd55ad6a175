-- Computed indicators, part 5: Kita places, and offers per category (count, per km², per 1,000 residents).
-- Rates about people are divided by people: the population of 125_population.sql (published where published, else
-- the calibrated model), never by addresses. The package gives no age groups per area that could serve as the
-- denominator (under-18 shares for a few quarters only, dated years apart from the populations), so Kita places are
-- per 1,000 residents of all ages; that limit is in the method note.

-- 1. Kita places for under-3s and for children aged 3 and over -------------------------------------------------
-- A Kita without a place number is not counted; every value says how many of the area's Kitas lack one.
CREATE TEMP TABLE drv_kita_unit ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses, count(o.id) AS kitas,
       count(o.places_u3) AS with_u3, sum(o.places_u3) AS u3, count(o.places_o3) AS with_o3, sum(o.places_o3) AS o3
FROM drv_unit u
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN offer o ON o.category = 'childcare' AND o.quarter_code = r.quarter_code
                 AND o.action_area_code IS NOT DISTINCT FROM r.action_area_code
GROUP BY u.level, u.code, u.addresses;

CREATE TEMP TABLE drv_kita_group ON COMMIT DROP AS
SELECT g.*,
       (SELECT count(*) FROM offer WHERE category = 'childcare') AS kitas,
       (SELECT count(*) FROM offer WHERE category = 'childcare' AND (CASE g.grp WHEN 'u3' THEN places_u3 ELSE places_o3 END) IS NULL) AS lacking,
       (SELECT string_agg(DISTINCT reference_date, '/' ORDER BY reference_date) FROM offer
         WHERE category = 'childcare' AND (CASE g.grp WHEN 'u3' THEN places_u3 ELSE places_o3 END) IS NOT NULL) AS dates,
       coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM offer WHERE category = 'childcare'), '{}') AS sources
FROM (VALUES ('u3', 'unter drei Jahren', 'under three', 130), ('o3', 'ab drei Jahren', 'aged three and over', 132))
  AS g (grp, de, en, sort);

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'kita_places_' || g.grp, 'childcare',
  jsonb_build_object('de', 'Kita-Plätze für Kinder ' || g.de, 'en', 'Childcare places for children ' || g.en),
  jsonb_build_object(
    'de', 'Summe der Plätze für Kinder ' || g.de || ' in den Kitas, die im Gebiet liegen. Kitas ohne Platzangabe werden nicht gezählt; wie viele das sind, steht bei jedem Wert.',
    'en', 'Sum of the places for children ' || g.en || ' in the Kitas located in the area. Kitas without a place number are not counted; each value says how many there are.'),
  'places', 'strength', 'computed',
  jsonb_build_object(
    'de', 'Berechnet: Summe der Platzzahlen aller Kitas mit Platzangabe im Gebiet (Punkt in Polygon), Stand ' || coalesce(g.dates, 'unbekannt') || '. Kitas ohne Platzangabe zählen nicht mit (stadtweit ' || g.lacking || ' von ' || g.kitas || ', darunter aus OpenStreetMap ergänzte Kitas ohne Platzzahlen); wo alle Kitas eines Gebiets ohne Angabe sind, bleibt der Wert leer.',
    'en', 'Computed: the sum of the place numbers of every Kita with a place number in the area (point in polygon), as of ' || coalesce(g.dates, 'unknown') || '. Kitas without a place number are not counted (' || g.lacking || ' of ' || g.kitas || ' in the city, among them Kitas added from OpenStreetMap, which have no place numbers); where no Kita of an area has one, the value stays empty.'),
  g.sources, false, g.sort
FROM drv_kita_group g
UNION ALL
SELECT 'kita_places_' || g.grp || '_per_1000_residents', 'childcare',
  jsonb_build_object('de', 'Kita-Plätze für Kinder ' || g.de || ' je 1.000 Einwohner', 'en', 'Childcare places for children ' || g.en || ' per 1,000 residents'),
  jsonb_build_object(
    'de', 'Kita-Plätze für Kinder ' || g.de || ' im Gebiet je 1.000 Einwohnerinnen und Einwohner (alle Altersgruppen): das Angebot im Verhältnis zur Bevölkerung, solange Kinderzahlen je Gebiet fehlen.',
    'en', 'Childcare places for children ' || g.en || ' in the area per 1,000 residents (all ages): supply relative to the population while child counts per area are missing.'),
  'places per 1,000 residents', 'strength', 'computed',
  jsonb_build_object(
    'de', 'Berechnet: Plätze (wie „Kita-Plätze für Kinder ' || g.de || '“, Kitas ohne Platzangabe nicht gezählt) mal 1.000 durch die Einwohnerzahl des Gebiets („Bevölkerung (veröffentlicht oder geschätzt)“; jeder Wert nennt Zahl, Stichtag und ob veröffentlicht oder geschätzt). Nenner ist die ganze Bevölkerung, nicht die Kinder: Altersgruppen je Gebiet gibt das Datenpaket nur für wenige Gebiete und andere Jahre. Plätze (Stand ' || coalesce(g.dates, 'unbekannt') || ') und Einwohner haben verschiedene Stichtage.',
    'en', 'Computed: places (as in “Childcare places for children ' || g.en || '”, Kitas without a place number not counted) times 1,000 divided by the area''s population (“Residents (published or estimated)”; each value names the number, its date and whether it is published or estimated). The denominator is the whole population, not the children: the package gives age groups for a few areas and other years only. Places (as of ' || coalesce(g.dates, 'unknown') || ') and residents have different dates.'),
  array_remove(g.sources || (SELECT source_ids FROM indicator WHERE id = 'residents'), NULL), true, g.sort + 1
FROM drv_kita_group g;

CREATE TEMP TABLE drv_kita_value ON COMMIT DROP AS
SELECT k.level, k.code, k.addresses, k.kitas, g.grp, g.dates, v.counted,
       CASE WHEN k.kitas = 0 THEN 0 WHEN v.counted = 0 THEN NULL ELSE v.places END AS places,
       CASE WHEN k.kitas = 0 THEN 'Keine Kita in den Daten'
            WHEN v.counted = 0 THEN k.kitas || CASE WHEN k.kitas = 1 THEN ' Kita, ohne Platzangabe' ELSE ' Kitas, keine mit Platzangabe' END
            WHEN v.counted < k.kitas THEN k.kitas || ' Kitas, davon ' || (k.kitas - v.counted) || ' ohne Platzangabe (nicht gezählt)'
            ELSE k.kitas || CASE WHEN k.kitas = 1 THEN ' Kita' ELSE ' Kitas' END || ' mit Platzangabe' END AS note_de,
       CASE WHEN k.kitas = 0 THEN 'No Kita in the data'
            WHEN v.counted = 0 THEN k.kitas || CASE WHEN k.kitas = 1 THEN ' Kita, without a place number' ELSE ' Kitas, none with a place number' END
            WHEN v.counted < k.kitas THEN k.kitas || ' Kitas, ' || (k.kitas - v.counted) || ' of them without a place number (not counted)'
            ELSE k.kitas || CASE WHEN k.kitas = 1 THEN ' Kita with a place number' ELSE ' Kitas with place numbers' END END AS note_en
FROM drv_kita_unit k
CROSS JOIN drv_kita_group g
CROSS JOIN LATERAL (SELECT CASE g.grp WHEN 'u3' THEN k.with_u3 ELSE k.with_o3 END AS counted,
                           CASE g.grp WHEN 'u3' THEN k.u3 ELSE k.o3 END AS places) v;

INSERT INTO drv_value
SELECT 'kita_places_' || grp, level, code, places, dates, counted, note_de, note_en FROM drv_kita_value
UNION ALL
SELECT 'kita_places_' || k.grp || '_per_1000_residents', k.level, k.code, 1000.0 * k.places / nullif(r.persons, 0), k.dates,
       round(r.persons),
       k.note_de || '; ' || coalesce(round(r.persons) || ' Einwohner (' || CASE WHEN r.method = 'published' THEN 'veröffentlicht' ELSE 'geschätzt' END
                                     || ', ' || coalesce(r.reference_date, 'ohne Datum') || ')', 'keine Einwohnerzahl'),
       k.note_en || '; ' || coalesce(round(r.persons) || ' residents (' || CASE WHEN r.method = 'published' THEN 'published' ELSE 'estimated' END
                                     || ', ' || coalesce(r.reference_date, 'undated') || ')', 'no population')
FROM drv_kita_value k
LEFT JOIN drv_residents r ON r.level = k.level AND r.code = k.code
WHERE EXISTS (SELECT 1 FROM indicator WHERE id = 'kita_places_' || k.grp || '_per_1000_residents');

-- 2. Offers per category ---------------------------------------------------------------------------------------
-- Only categories the data hold offers of: a category without any (say, family centres) has no source yet,
-- and a zero there would claim an absence nobody has counted.
CREATE TEMP TABLE drv_category ON COMMIT DROP AS
SELECT c.code, replace(c.code, '-', '_') AS slug, c.sort, c.labels, count(o.id) AS offers,
       array_agg(DISTINCT o.source_id ORDER BY o.source_id) AS sources,
       string_agg(DISTINCT o.reference_date, '/' ORDER BY o.reference_date) AS dates
FROM category c JOIN offer o ON o.category = c.code
GROUP BY c.code, c.sort, c.labels;
-- The sources counted, by title (an offer list uploaded by the city among them, issue 21), for the method notes.
ALTER TABLE drv_category ADD COLUMN counted_de text, ADD COLUMN counted_en text;
UPDATE drv_category c SET
  counted_de = (SELECT string_agg(s.title, '; ' ORDER BY s.id) FROM source s WHERE s.id = ANY (c.sources)),
  counted_en = (SELECT string_agg(coalesce(s.shown -> 'en' ->> 'title', s.title), '; ' ORDER BY s.id)
                FROM source s WHERE s.id = ANY (c.sources));

CREATE TEMP TABLE drv_measure ON COMMIT DROP AS
SELECT * FROM (VALUES
  ('count', 0, 'Anzahl', 'count', 'offers', false),
  ('per_km2', 1, 'je km²', 'per km²', 'offers/km²', false),
  ('per_1000_residents', 2, 'je 1.000 Einwohner', 'per 1,000 residents', 'offers per 1,000 residents', true)
) AS m (measure, sort, de, en, unit, count_based);

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'offers_' || c.slug || '_' || m.measure, 'offers',
  jsonb_build_object('de', 'Angebote: ' || (c.labels ->> 'de') || ' – ' || m.de, 'en', 'Offers: ' || (c.labels ->> 'en') || ' – ' || m.en),
  jsonb_build_object(
    'de', 'Angebote der Kategorie „' || (c.labels ->> 'de') || '“ mit Standort im Gebiet'
          || CASE m.measure WHEN 'count' THEN '.' WHEN 'per_km2' THEN ', je Quadratkilometer Fläche.' ELSE ', je 1.000 Einwohnerinnen und Einwohner.' END,
    'en', 'Offers of the category “' || (c.labels ->> 'en') || '” located in the area'
          || CASE m.measure WHEN 'count' THEN '.' WHEN 'per_km2' THEN ', per square kilometre.' ELSE ', per 1,000 residents.' END),
  m.unit, 'strength', 'computed',
  jsonb_build_object(
    'de', 'Berechnet: Zahl der Angebote der Kategorie, deren Standort im Gebiet liegt (Punkt in Polygon)'
          || CASE m.measure WHEN 'count' THEN '' WHEN 'per_km2' THEN ', geteilt durch die Fläche in km²' ELSE ', mal 1.000 geteilt durch die Einwohnerzahl („Bevölkerung (veröffentlicht oder geschätzt)“, mit eigenem Stichtag)' END
          || '. Stand ' || coalesce(c.dates, 'unbekannt') || '. Gezählte Quellen: ' || coalesce(c.counted_de, 'keine') || '. Angebote aus OpenStreetMap (etwa 2020) sind für manche Kategorien unvollständig, etwa Arztpraxen; wo amtliche Daten vorliegen (Schulen, Kitas), gelten diese. Ein Standort zählt nur in dem Gebiet, in dem er liegt, auch wenn er Nachbargebiete mitversorgt.',
    'en', 'Computed: the number of offers of the category located in the area (point in polygon)'
          || CASE m.measure WHEN 'count' THEN '' WHEN 'per_km2' THEN ', divided by the area in km²' ELSE ', times 1,000 divided by the population (“Residents (published or estimated)”, with its own date)' END
          || '. As of ' || coalesce(c.dates, 'unknown') || '. Sources counted: ' || coalesce(c.counted_en, 'none') || '. Offers from OpenStreetMap (about 2020) are incomplete for some categories, doctors for one; where official data exist (schools, Kitas) they are used. An offer counts only in the area it lies in, even where it serves its neighbours too.'),
  CASE WHEN m.measure = 'per_1000_residents' THEN array_remove(c.sources || (SELECT source_ids FROM indicator WHERE id = 'residents'), NULL)
       WHEN m.measure = 'per_km2' THEN array_remove(c.sources || (SELECT boundaries FROM drv_source), NULL)
       ELSE c.sources END,
  m.count_based, 200 + 3 * c.sort + m.sort
FROM drv_category c CROSS JOIN drv_measure m;

INSERT INTO indicator_facet (indicator_id, family, member, measure, label, sort)
SELECT 'offers_' || c.slug || '_' || m.measure, 'offers', c.code, m.measure,
       jsonb_build_object('de', c.labels ->> 'de', 'en', c.labels ->> 'en'), 3 * c.sort + m.sort
FROM drv_category c CROSS JOIN drv_measure m;

CREATE TEMP TABLE drv_offer_count ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses, u.area_m2, c.code AS category, c.slug, c.dates, count(o.id) AS n
FROM drv_unit u
CROSS JOIN drv_category c
LEFT JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
LEFT JOIN offer o ON o.category = c.code AND o.quarter_code = r.quarter_code
                 AND o.action_area_code IS NOT DISTINCT FROM r.action_area_code
GROUP BY u.level, u.code, u.addresses, u.area_m2, c.code, c.slug, c.dates;

INSERT INTO drv_value
SELECT 'offers_' || slug || '_count', level, code, n, dates, n, NULL, NULL FROM drv_offer_count
UNION ALL
SELECT 'offers_' || slug || '_per_km2', level, code, n / nullif(area_m2 / 1e6, 0), dates, n,
       n || ' Angebote auf ' || replace(to_char(area_m2 / 1e6, 'FM999990.00'), '.', ',') || ' km²',
       n || ' offers on ' || to_char(area_m2 / 1e6, 'FM999990.00') || ' km²'
FROM drv_offer_count
UNION ALL
SELECT 'offers_' || o.slug || '_per_1000_residents', o.level, o.code, 1000.0 * o.n / nullif(r.persons, 0), o.dates,
       round(r.persons),
       o.n || ' Angebote, ' || coalesce(round(r.persons) || ' Einwohner (' || CASE WHEN r.method = 'published' THEN 'veröffentlicht'
                                        ELSE 'geschätzt' END || ', ' || coalesce(r.reference_date, 'ohne Datum') || ')', 'keine Einwohnerzahl'),
       o.n || ' offers, ' || coalesce(round(r.persons) || ' residents (' || CASE WHEN r.method = 'published' THEN 'published'
                                      ELSE 'estimated' END || ', ' || coalesce(r.reference_date, 'undated') || ')', 'no population')
FROM drv_offer_count o
LEFT JOIN drv_residents r ON r.level = o.level AND r.code = o.code;
