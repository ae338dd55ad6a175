-- Computed indicators, part 4: the population of every unit. Runs before the rates (130, 140), which divide by it.
--
--   residents            the population the app shows and divides by: the unit's published figure wherever there
--                        is one (the newest, chosen by the importer's stated rule; with its own date and source),
--                        a calibrated model only where nothing is published. Every value carries its own method.
--   population_modelled  the model alone, for every quarter and action area. A quarter with a published figure
--                        gets what the model says without that figure (leave-one-out cross-validation); the
--                        errors so measured are written into the description.
--
-- The model (dasymetric, calibrated to the published figures): in each district, what its published total leaves
-- after its published quarters (the remainder) is spread over its other quarters by their number of addresses.
-- Every address then carries its quarter's persons per address: the published figure over the quarter's addresses,
-- or the remainder's rate. Action areas are summed piece by piece (the part of a quarter inside the area) with
-- these weights. Where the remainder is not positive (a district total older than its quarters' figures), the
-- district's own persons per address is used; where a district has no published total, that of all published
-- quarters. Populations of different dates are never summed into a city total.

-- The shown published population of every unit.
CREATE TEMP TABLE drv_pop_pub ON COMMIT DROP AS
SELECT level, area_code AS code, value, reference_date, source_id, source_url, quote, note, date_note, retrieved_from
FROM indicator_value
WHERE indicator_id = 'population' AND method = 'published' AND is_latest AND value IS NOT NULL AND value >= 0;

CREATE TEMP TABLE drv_pop_q ON COMMIT DROP AS
SELECT q.code, q.name, q.parent_code AS district, u.addresses, p.value AS published, p.reference_date AS published_date
FROM area q
JOIN drv_unit u ON u.level = 'quarter' AND u.code = q.code
LEFT JOIN drv_pop_pub p ON p.level = 'quarter' AND p.code = q.code
WHERE q.level = 'quarter';

CREATE TEMP TABLE drv_pop_d ON COMMIT DROP AS
SELECT q.district AS code, p.value AS total, p.reference_date AS total_date, sum(q.addresses) AS addresses,
       coalesce(sum(q.published), 0) AS known,
       coalesce(sum(q.addresses) FILTER (WHERE q.published IS NULL), 0) AS open_addresses,
       count(*) FILTER (WHERE q.published IS NULL) AS open_quarters
FROM drv_pop_q q
LEFT JOIN drv_pop_pub p ON p.level = 'district' AND p.code = q.district
GROUP BY q.district, p.value, p.reference_date;

-- The fallback rate: persons per address over all published quarters.
CREATE TEMP TABLE drv_pop_all ON COMMIT DROP AS
SELECT coalesce(sum(published), 0) AS persons, coalesce(sum(addresses), 0) AS addresses
FROM drv_pop_q WHERE published IS NOT NULL AND addresses > 0;

-- Every quarter as the model sees it without its own published figure: for an unpublished quarter this is the
-- calibrated estimate, for a published one the leave-one-out prediction.
CREATE TEMP TABLE drv_pop_model ON COMMIT DROP AS
SELECT q.code, q.name, q.district, q.addresses, q.published, q.published_date, x.rule, x.rate,
       q.addresses * x.rate AS predicted,
       CASE x.rule
         WHEN 'remainder' THEN (SELECT string_agg(DISTINCT s.dt, '/' ORDER BY s.dt) FROM (
                                  SELECT d.total_date AS dt
                                  UNION SELECT o.published_date FROM drv_pop_q o
                                  WHERE o.district = q.district AND o.code <> q.code AND o.published IS NOT NULL) s)
         WHEN 'district' THEN d.total_date
         ELSE (SELECT string_agg(DISTINCT o.published_date, '/' ORDER BY o.published_date) FROM drv_pop_q o
               WHERE o.published IS NOT NULL AND o.code <> q.code)
       END AS dates
FROM drv_pop_q q
JOIN drv_pop_d d ON d.code = q.district
CROSS JOIN drv_pop_all c
CROSS JOIN LATERAL (
  SELECT d.known - coalesce(q.published, 0) AS known_other,
         d.open_addresses + CASE WHEN q.published IS NULL THEN 0 ELSE q.addresses END AS open_with,
         CASE WHEN q.published IS NOT NULL AND q.addresses > 0 THEN q.published ELSE 0 END AS own_persons,
         CASE WHEN q.published IS NOT NULL AND q.addresses > 0 THEN q.addresses ELSE 0 END AS own_addresses
) k
CROSS JOIN LATERAL (
  SELECT CASE WHEN d.total - k.known_other > 0 AND k.open_with > 0 THEN 'remainder'
              WHEN d.total IS NOT NULL AND d.addresses > 0 THEN 'district'
              ELSE 'city' END AS rule
) r
CROSS JOIN LATERAL (
  SELECT r.rule,
         CASE r.rule WHEN 'remainder' THEN (d.total - k.known_other) / k.open_with
                     WHEN 'district' THEN d.total / d.addresses
                     ELSE (c.persons - k.own_persons) / nullif(c.addresses - k.own_addresses, 0) END::float8 AS rate
) x;

-- The calibrated weight of an address: its quarter's published persons per address, else the model's rate.
CREATE TEMP TABLE drv_pop_piece ON COMMIT DROP AS
SELECT p.quarter_code, p.action_area_code, p.n,
       p.n * CASE WHEN m.published IS NOT NULL AND m.addresses > 0 THEN m.published / m.addresses ELSE m.rate END AS persons,
       CASE WHEN m.published IS NOT NULL THEN m.published_date ELSE m.dates END AS dates,
       m.published IS NOT NULL AS from_published, p.n = m.addresses AS whole_quarter
FROM (SELECT quarter_code, action_area_code, count(*) AS n FROM address GROUP BY 1, 2) p
JOIN drv_pop_model m ON m.code = p.quarter_code;

CREATE TEMP TABLE drv_pop_area ON COMMIT DROP AS
SELECT r.code, sum(p.n) AS addresses,
       CASE WHEN bool_and(p.persons IS NOT NULL) THEN round(sum(p.persons)) END AS persons,
       (SELECT string_agg(DISTINCT d, '/' ORDER BY d) FROM unnest(string_to_array(string_agg(p.dates, '/'), '/')) d) AS dates,
       count(DISTINCT p.quarter_code) AS quarters,
       coalesce(sum(p.n) FILTER (WHERE p.from_published), 0) AS published_addresses,
       bool_and(p.from_published AND p.whole_quarter) AS whole_published
FROM drv_rollup r
JOIN drv_pop_piece p ON p.quarter_code = r.quarter_code AND p.action_area_code IS NOT DISTINCT FROM r.action_area_code
WHERE r.level = 'action-area'
GROUP BY r.code;

-- The cross-validation: every published quarter predicted without its own figure.
CREATE TEMP TABLE drv_pop_check ON COMMIT DROP AS
SELECT code, name, predicted, published, published_date,
       100.0 * (predicted - published) / published AS error_pct
FROM drv_pop_model
WHERE published > 0 AND predicted IS NOT NULL;

CREATE TEMP TABLE drv_pop_error ON COMMIT DROP AS
SELECT count(*) AS n,
       avg(abs(error_pct)) AS mape,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(error_pct)) AS median_ape,
       avg(error_pct) AS bias,
       max(abs(error_pct)) AS max_ape,
       (SELECT name || ' (' || code || ')' FROM drv_pop_check ORDER BY abs(error_pct) DESC, code LIMIT 1) AS worst,
       (SELECT count(*) FROM drv_pop_model WHERE published IS NULL) AS open_quarters,
       (SELECT count(*) FROM drv_pop_model m JOIN drv_pop_d d ON d.code = m.district
         WHERE m.published IS NULL AND d.open_quarters > 1) AS shared_quarters
FROM drv_pop_check;

CREATE TEMP TABLE drv_pop_text ON COMMIT DROP AS
SELECT CASE WHEN e.n = 0 THEN
         'Der Fehler lässt sich nicht messen: Für keinen statistischen Bezirk liegt eine veröffentlichte Einwohnerzahl vor.'
       ELSE
         'Fehler, gemessen durch Kreuzvalidierung (jede veröffentlichte Zahl eines statistischen Bezirks einmal weggelassen und aus den übrigen geschätzt) an '
         || e.n || CASE WHEN e.n = 1 THEN ' statistischen Bezirk' ELSE ' statistischen Bezirken' END
         || ': mittlere absolute Abweichung ' || replace(to_char(e.mape, 'FM990.0'), '.', ',')
         || ' %, Median ' || replace(to_char(e.median_ape, 'FM990.0'), '.', ',') || ' %, größte '
         || replace(to_char(e.max_ape, 'FM990.0'), '.', ',') || ' % in ' || e.worst || '; im Mittel '
         || CASE WHEN e.bias >= 0 THEN 'um ' || replace(to_char(e.bias, 'FM990.0'), '.', ',') || ' % zu hoch'
                 ELSE 'um ' || replace(to_char(-e.bias, 'FM990.0'), '.', ',') || ' % zu niedrig' END
         || '. Geschätzt werden ' || e.open_quarters || ' statistische Bezirke ohne veröffentlichte Zahl'
         || CASE WHEN e.shared_quarters > 0 THEN '; ' || e.shared_quarters
                 || ' davon teilen sich den Rest ihres Stadtbezirks mit anderen, für sie ist der Fehler eher größer' ELSE '' END
         || '. Die Zahlen haben teils verschiedene Stichtage.'
       END AS de,
       CASE WHEN e.n = 0 THEN
         'The error cannot be measured: no quarter has a published population.'
       ELSE
         'Error measured by cross-validation (each published quarter figure left out in turn and estimated from the rest) over '
         || e.n || CASE WHEN e.n = 1 THEN ' quarter' ELSE ' quarters' END
         || ': mean absolute error ' || to_char(e.mape, 'FM990.0') || ' %, median '
         || to_char(e.median_ape, 'FM990.0') || ' %, largest ' || to_char(e.max_ape, 'FM990.0') || ' % in ' || e.worst
         || '; on average ' || to_char(abs(e.bias), 'FM990.0') || ' % too ' || CASE WHEN e.bias >= 0 THEN 'high' ELSE 'low' END
         || '. ' || e.open_quarters || CASE WHEN e.open_quarters = 1 THEN ' quarter has' ELSE ' quarters have' END
         || ' no published figure and ' || CASE WHEN e.open_quarters = 1 THEN 'is' ELSE 'are' END || ' estimated'
         || CASE WHEN e.shared_quarters > 0 THEN '; ' || e.shared_quarters
                 || ' of them share their district''s remainder with others, where the error is likely larger' ELSE '' END
         || '. The figures partly have different reference dates.'
       END AS en
FROM drv_pop_error e;

-- 1. The model alone -----------------------------------------------------------------------------------------------
INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'population_modelled', 'population',
  '{"de": "Einwohnerinnen und Einwohner (Modell)", "en": "Population (model)"}',
  jsonb_build_object(
    'de', 'Geschätzte Einwohnerzahl aus den veröffentlichten Zahlen der Stadtbezirke und statistischen Bezirke und der Zahl der Adressen; keine amtliche Zahl. Wo eine Zahl veröffentlicht ist, zeigt das Modell, was es ohne sie schätzen würde. ' || t.de,
    'en', 'Population estimated from the published figures of the districts and quarters and the number of addresses; not an official figure. Where a figure is published, the model shows what it would estimate without it. ' || t.en),
  'persons', 'neutral', 'modelled',
  '{"de": "Modelliert und an den veröffentlichten Zahlen kalibriert: Was die Einwohnerzahl eines Stadtbezirks nach Abzug seiner veröffentlichten statistischen Bezirke übrig lässt, wird auf seine übrigen statistischen Bezirke nach der Zahl ihrer Adressen verteilt. Jede Adresse trägt damit die Einwohner je Adresse ihres statistischen Bezirks (veröffentlicht oder geschätzt; sie reichen von wenigen bis fast zwanzig Personen je Adresse, ein stadtweiter Faktor taugt daher nicht). Aktionsräume: Summe über ihre Teilstücke mit diesen Gewichten. Ist der Rest nicht positiv, gilt die Zahl je Adresse des Stadtbezirks; fehlt die Bezirkszahl, die aller veröffentlichten statistischen Bezirke. Innerhalb eines statistischen Bezirks gilt die gleiche Zahl je Adresse für Hochhaus und Einfamilienhaus. Die Gesamtstadt wird nicht aus Zahlen verschiedener Stichtage summiert. Stand: die Stichtage der verwendeten Zahlen.", "en": "Modelled and calibrated to the published figures: what a district''s population leaves after its published quarters is spread over its other quarters by their number of addresses. Every address then carries its quarter''s persons per address (published or estimated; they range from a few to almost twenty persons per address, so no single city-wide factor serves). Action areas: the sum over their pieces with these weights. Where the remainder is not positive, the district''s persons per address is used; without a district figure, that of all published quarters. Within a quarter a tower block and a detached house get the same persons per address. The city is not summed from figures of different dates. Date: those of the figures used."}',
  coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_pop_pub WHERE source_id IS NOT NULL), '{}')
    || array_remove(ARRAY[(SELECT addresses FROM drv_source)], NULL), true, 140
FROM drv_pop_text t
WHERE EXISTS (SELECT 1 FROM drv_pop_pub WHERE level IN ('district', 'quarter'));

INSERT INTO drv_value
SELECT 'population_modelled', 'quarter', m.code, round(m.predicted), m.dates, m.addresses,
       CASE WHEN m.predicted IS NULL THEN 'Keine veröffentlichte Zahl, aus der sich schätzen ließe'
            WHEN m.published IS NOT NULL THEN 'Veröffentlicht: ' || round(m.published) || ' (' || coalesce(m.published_date, 'ohne Datum')
                 || '); ohne diese Zahl geschätzt (Kreuzvalidierung): Abweichung '
                 || CASE WHEN m.predicted >= m.published THEN '+' ELSE '−' END
                 || replace(to_char(abs(100.0 * (m.predicted - m.published) / nullif(m.published, 0)), 'FM990.0'), '.', ',') || ' %'
            WHEN m.rule = 'remainder' THEN 'Rest des Stadtbezirks nach Abzug seiner veröffentlichten statistischen Bezirke, nach '
                 || m.addresses || ' Adressen verteilt'
            WHEN m.rule = 'district' THEN 'Einwohner je Adresse des Stadtbezirks mal ' || m.addresses || ' Adressen'
            ELSE 'Einwohner je Adresse aller veröffentlichten statistischen Bezirke mal ' || m.addresses || ' Adressen' END,
       CASE WHEN m.predicted IS NULL THEN 'No published figure to estimate from'
            WHEN m.published IS NOT NULL THEN 'Published: ' || round(m.published) || ' (' || coalesce(m.published_date, 'undated')
                 || '); estimated without it (cross-validation): error '
                 || CASE WHEN m.predicted >= m.published THEN '+' ELSE '−' END
                 || to_char(abs(100.0 * (m.predicted - m.published) / nullif(m.published, 0)), 'FM990.0') || ' %'
            WHEN m.rule = 'remainder' THEN 'The district''s remainder after its published quarters, spread by '
                 || m.addresses || ' addresses'
            WHEN m.rule = 'district' THEN 'The district''s persons per address times ' || m.addresses || ' addresses'
            ELSE 'Persons per address of all published quarters times ' || m.addresses || ' addresses' END
FROM drv_pop_model m
WHERE EXISTS (SELECT 1 FROM indicator WHERE id = 'population_modelled')
UNION ALL
SELECT 'population_modelled', 'action-area', a.code, a.persons, a.dates, a.addresses,
       a.addresses || ' Adressen in ' || a.quarters || CASE WHEN a.quarters = 1 THEN ' statistischen Bezirk' ELSE ' statistischen Bezirken' END
         || ', ' || a.published_addresses || ' davon mit veröffentlichter Einwohnerzahl des Bezirks',
       a.addresses || ' addresses in ' || a.quarters || CASE WHEN a.quarters = 1 THEN ' quarter' ELSE ' quarters' END
         || ', ' || a.published_addresses || ' of them in quarters with a published population'
FROM drv_pop_area a
WHERE EXISTS (SELECT 1 FROM indicator WHERE id = 'population_modelled')
UNION ALL
SELECT 'population_modelled', 'city', c.code, NULL, NULL, NULL,
       'Nicht summiert: Die Zahlen der Stadtbezirke haben verschiedene Stichtage',
       'Not summed: the district figures have different reference dates'
FROM drv_city c
WHERE EXISTS (SELECT 1 FROM indicator WHERE id = 'population_modelled');

-- 2. The population shown: published where published, else the model -------------------------------------------------
CREATE TEMP TABLE drv_residents ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses,
       coalesce(p.value, m.value) AS persons,
       CASE WHEN p.code IS NOT NULL THEN 'published' ELSE m.method END AS method,
       coalesce(p.reference_date, m.dates) AS reference_date,
       p.source_id, p.source_url, p.quote, p.note, p.date_note, p.retrieved_from,
       m.note_de, m.note_en
FROM drv_unit u
LEFT JOIN drv_pop_pub p ON p.level = u.level AND p.code = u.code
LEFT JOIN LATERAL (
  SELECT round(q.predicted) AS value, 'modelled' AS method, q.dates,
         'Keine veröffentlichte Zahl; geschätzt: ' || CASE q.rule
           WHEN 'remainder' THEN 'Rest des Stadtbezirks nach Abzug seiner veröffentlichten statistischen Bezirke, nach Adressen verteilt'
           WHEN 'district' THEN 'Einwohner je Adresse des Stadtbezirks mal Adressen'
           ELSE 'Einwohner je Adresse aller veröffentlichten statistischen Bezirke mal Adressen' END AS note_de,
         'No published figure; estimated: ' || CASE q.rule
           WHEN 'remainder' THEN 'the district''s remainder after its published quarters, spread by addresses'
           WHEN 'district' THEN 'the district''s persons per address times addresses'
           ELSE 'persons per address of all published quarters times addresses' END AS note_en
  FROM drv_pop_model q WHERE u.level = 'quarter' AND q.code = u.code
  UNION ALL
  SELECT a.persons, CASE WHEN a.whole_published THEN 'computed' ELSE 'modelled' END, a.dates,
         CASE WHEN a.whole_published
              THEN 'Summe der veröffentlichten Zahlen der ' || a.quarters || ' ganz enthaltenen statistischen Bezirke'
              ELSE 'Keine veröffentlichte Zahl; Summe der ' || a.addresses || ' Adressen mit den Einwohnern je Adresse ihres statistischen Bezirks ('
                   || a.published_addresses || ' davon in Bezirken mit veröffentlichter Zahl)' END,
         CASE WHEN a.whole_published
              THEN 'The sum of the published figures of the ' || a.quarters || ' whole quarters it consists of'
              ELSE 'No published figure; the sum of ' || a.addresses || ' addresses with their quarter''s persons per address ('
                   || a.published_addresses || ' of them in quarters with a published figure)' END
  FROM drv_pop_area a WHERE u.level = 'action-area' AND a.code = u.code
  UNION ALL
  SELECT CASE WHEN bool_and(q.published IS NOT NULL OR q.predicted IS NOT NULL) THEN round(sum(coalesce(q.published, q.predicted))) END,
         'modelled',
         (SELECT string_agg(DISTINCT d, '/' ORDER BY d)
            FROM unnest(string_to_array(string_agg(coalesce(q.published_date, q.dates), '/'), '/')) d),
         'Keine veröffentlichte Zahl des Stadtbezirks; Summe seiner statistischen Bezirke (veröffentlicht oder geschätzt)',
         'No published district figure; the sum of its quarters (published or estimated)'
  FROM drv_pop_model q WHERE u.level = 'district' AND q.district = u.code
  HAVING count(*) > 0
  UNION ALL
  SELECT CASE WHEN count(DISTINCT p2.reference_date) = 1 AND count(p2.code) = (SELECT count(*) FROM area WHERE level = 'district')
              THEN sum(p2.value) END,
         'computed', min(p2.reference_date),
         CASE WHEN count(DISTINCT p2.reference_date) = 1 AND count(p2.code) = (SELECT count(*) FROM area WHERE level = 'district')
              THEN 'Keine veröffentlichte Zahl der Stadt; Summe der Stadtbezirke vom selben Stichtag'
              ELSE 'Keine veröffentlichte Zahl der Stadt; Zahlen der Stadtbezirke mit verschiedenen Stichtagen werden nicht addiert' END,
         CASE WHEN count(DISTINCT p2.reference_date) = 1 AND count(p2.code) = (SELECT count(*) FROM area WHERE level = 'district')
              THEN 'No published city figure; the sum of the districts of one date'
              ELSE 'No published city figure; district figures of different dates are not added up' END
  FROM drv_pop_pub p2 WHERE p2.level = 'district'
  HAVING u.level = 'city'
) m ON p.code IS NULL;

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'residents', 'population',
  '{"de": "Bevölkerung (veröffentlicht oder geschätzt)", "en": "Residents (published or estimated)"}',
  jsonb_build_object(
    'de', 'Die Einwohnerzahl des Gebiets: die veröffentlichte Zahl mit ihrem Stichtag, wo es eine gibt (' || t.pub || ' von ' || t.all_units
          || ' Gebieten), sonst die Schätzung des Modells „Einwohnerinnen und Einwohner (Modell)“. Jeder Wert sagt, ob er veröffentlicht oder geschätzt ist. Nenner aller Raten je Einwohner.',
    'en', 'The population of the area: the published figure with its date where there is one (' || t.pub || ' of ' || t.all_units
          || ' areas), else the estimate of the model “Population (model)”. Each value says whether it is published or estimated. The denominator of every rate per resident.'),
  'persons', 'neutral', 'modelled',
  jsonb_build_object(
    'de', 'Veröffentlicht, wo veröffentlicht: der neueste Wert je Gebiet (Regel im Methodenhinweis der veröffentlichten Einwohnerzahl); ein veröffentlichter Wert eines Aktionsraums geht der Summe seiner Teile vor. Sonst modelliert (siehe „Einwohnerinnen und Einwohner (Modell)“): '
          || t.de || ' Stadt: nur die veröffentlichte Zahl oder eine Summe der Stadtbezirke vom selben Stichtag.',
    'en', 'Published where published: the newest value per area (the rule is in the method note of the published population); an action area''s published figure wins over the sum of its parts. Else modelled (see “Population (model)”): '
          || t.en || ' City: only the published figure or a sum of districts of one date.'),
  coalesce((SELECT array_agg(DISTINCT source_id ORDER BY source_id) FROM drv_pop_pub WHERE source_id IS NOT NULL), '{}')
    || array_remove(ARRAY[(SELECT addresses FROM drv_source)], NULL), true, 139
FROM (SELECT x.de, x.en, (SELECT count(*) FROM drv_residents WHERE method = 'published') AS pub,
             (SELECT count(*) FROM drv_residents) AS all_units FROM drv_pop_text x) t
WHERE EXISTS (SELECT 1 FROM drv_pop_pub);

INSERT INTO indicator_value (indicator_id, level, area_code, reference_date, value, method, source_id, source_url, quote, note,
                             is_latest, basis_count, date_note, retrieved_from)
SELECT 'residents', r.level, r.code, r.reference_date, r.persons, r.method,
       CASE WHEN r.method = 'published' THEN r.source_id ELSE 'quartiersatlas' END, r.source_url, r.quote,
       CASE WHEN r.method = 'published' THEN r.note
            WHEN r.note_de IS NOT NULL THEN jsonb_build_object('de', r.note_de, 'en', r.note_en)::text END,
       true, CASE WHEN r.method = 'published' THEN NULL ELSE r.addresses END, r.date_note, r.retrieved_from
FROM drv_residents r
WHERE EXISTS (SELECT 1 FROM indicator WHERE id = 'residents');
