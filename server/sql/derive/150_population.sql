-- Computed indicators, part 6: a modelled population per quarter and action area.
-- Each district's newest published population is spread over its addresses in equal shares (dasymetric mapping
-- with addresses as the only ancillary variable), then summed per quarter, action area and city. The error is
-- measured against the quarters that do have a published population and written into the description.

CREATE TEMP TABLE drv_district_pop ON COMMIT DROP AS
SELECT q.code AS quarter_code, q.parent_code AS district_code, v.value AS population, v.reference_date,
       d.addresses AS district_addresses
FROM area q
JOIN drv_unit d ON d.level = 'district' AND d.code = q.parent_code
LEFT JOIN indicator_value v ON v.indicator_id = 'population' AND v.level = 'district' AND v.area_code = q.parent_code
                           AND v.is_latest AND v.method = 'published' AND v.value IS NOT NULL
WHERE q.level = 'quarter';

-- Persons per piece: the piece's addresses times its district's persons per address.
CREATE TEMP TABLE drv_pop_piece ON COMMIT DROP AS
SELECT p.quarter_code, p.action_area_code, p.n AS addresses, d.district_code, d.reference_date,
       d.population * p.n / nullif(d.district_addresses, 0) AS persons
FROM (SELECT quarter_code, action_area_code, count(*) AS n FROM address GROUP BY 1, 2) p
JOIN drv_district_pop d ON d.quarter_code = p.quarter_code;

CREATE TEMP TABLE drv_pop_unit ON COMMIT DROP AS
SELECT u.level, u.code, u.addresses,
       CASE WHEN bool_and(p.persons IS NOT NULL) THEN round(sum(p.persons)) END AS persons,
       string_agg(DISTINCT p.reference_date, '/' ORDER BY p.reference_date) AS dates,
       string_agg(DISTINCT p.district_code, ', ' ORDER BY p.district_code) FILTER (WHERE p.persons IS NULL) AS missing
FROM drv_unit u
JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
JOIN drv_pop_piece p ON p.quarter_code = r.quarter_code AND p.action_area_code IS NOT DISTINCT FROM r.action_area_code
WHERE u.level IN ('quarter', 'action-area', 'city')
GROUP BY u.level, u.code, u.addresses;

-- The check: modelled against published, for the quarters with a published (newest) population.
CREATE TEMP TABLE drv_pop_check ON COMMIT DROP AS
SELECT m.code, q.name, m.persons AS modelled, v.value AS published, v.reference_date,
       100.0 * (m.persons - v.value) / v.value AS error_pct
FROM drv_pop_unit m
JOIN indicator_value v ON v.indicator_id = 'population' AND v.level = 'quarter' AND v.area_code = m.code
                      AND v.is_latest AND v.method = 'published' AND v.value > 0
JOIN area q ON q.level = 'quarter' AND q.code = m.code
WHERE m.level = 'quarter' AND m.persons IS NOT NULL;

CREATE TEMP TABLE drv_pop_error ON COMMIT DROP AS
SELECT count(*) AS n,
       avg(abs(error_pct)) AS mape,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(error_pct)) AS median_ape,
       avg(error_pct) AS bias,
       max(abs(error_pct)) AS max_ape,
       (SELECT name || ' (' || code || ')' FROM drv_pop_check ORDER BY abs(error_pct) DESC, code LIMIT 1) AS worst,
       min(reference_date) AS first_date, max(reference_date) AS last_date
FROM drv_pop_check;

CREATE TEMP TABLE drv_pop_text ON COMMIT DROP AS
SELECT CASE WHEN e.n = 0 THEN
         'Die Abweichung lässt sich nicht prüfen: Für keinen statistischen Bezirk liegt eine veröffentlichte Einwohnerzahl vor.'
       ELSE
         'Geprüft an ' || e.n || CASE WHEN e.n = 1 THEN ' statistischen Bezirk' ELSE ' statistischen Bezirken' END
         || ' mit veröffentlichter Einwohnerzahl (Stand ' || e.first_date
         || ' bis ' || e.last_date || '): mittlere absolute Abweichung ' || replace(to_char(e.mape, 'FM990.0'), '.', ',')
         || ' %, Median ' || replace(to_char(e.median_ape, 'FM990.0'), '.', ',') || ' %, größte '
         || replace(to_char(e.max_ape, 'FM990.0'), '.', ',') || ' % in ' || e.worst || '; im Mittel '
         || CASE WHEN e.bias >= 0 THEN 'um ' || replace(to_char(e.bias, 'FM990.0'), '.', ',') || ' % zu hoch'
                 ELSE 'um ' || replace(to_char(-e.bias, 'FM990.0'), '.', ',') || ' % zu niedrig' END
         || '. Die Vergleichszahlen haben teils andere Stichtage als die Bezirkszahlen.'
       END AS de,
       CASE WHEN e.n = 0 THEN
         'The error cannot be checked: no quarter has a published population.'
       ELSE
         'Checked against ' || e.n || CASE WHEN e.n = 1 THEN ' quarter' ELSE ' quarters' END
         || ' with a published population (as of ' || e.first_date || ' to '
         || e.last_date || '): mean absolute error ' || to_char(e.mape, 'FM990.0') || ' %, median '
         || to_char(e.median_ape, 'FM990.0') || ' %, largest ' || to_char(e.max_ape, 'FM990.0') || ' % in ' || e.worst
         || '; on average ' || to_char(abs(e.bias), 'FM990.0') || ' % too ' || CASE WHEN e.bias >= 0 THEN 'high' ELSE 'low' END
         || '. Some published figures have other reference dates than the district figures.'
       END AS en
FROM drv_pop_error e;

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'population_modelled', 'population',
  '{"de": "Einwohnerinnen und Einwohner (modelliert)", "en": "Population (modelled)"}',
  jsonb_build_object(
    'de', 'Geschätzte Einwohnerzahl: die neueste veröffentlichte Einwohnerzahl des Stadtbezirks, verteilt nach der Zahl der Adressen. Keine amtliche Zahl. ' || t.de,
    'en', 'Estimated population: the district''s newest published population, spread by the number of addresses. Not an official figure. ' || t.en),
  'persons', 'neutral', 'modelled',
  '{"de": "Modelliert: Einwohnerzahl des Stadtbezirks mal Adressen des Gebiets durch Adressen des Stadtbezirks, für Aktionsräume und die Gesamtstadt Adresse für Adresse aufsummiert. Die Annahme gleich vieler Menschen je Adresse überschätzt Gebiete mit Einfamilienhäusern und unterschätzt Gebiete mit großen Wohnblöcken. Stand: der Stichtag der jeweiligen Bezirkszahl.", "en": "Modelled: the district''s population times the area''s addresses divided by the district''s addresses; for action areas and the city summed address by address. Assuming the same number of people at every address overestimates areas of detached houses and underestimates areas of large blocks of flats. Date: that of the district figure used."}',
  coalesce((SELECT array_agg(DISTINCT v.source_id ORDER BY v.source_id) FROM indicator_value v
            WHERE v.indicator_id = 'population' AND v.level = 'district' AND v.is_latest AND v.source_id IS NOT NULL), '{}')
    || array_remove(ARRAY[(SELECT addresses FROM drv_source)], NULL), true, 140
FROM drv_pop_text t
WHERE EXISTS (SELECT 1 FROM drv_district_pop WHERE population IS NOT NULL);

INSERT INTO drv_value
SELECT 'population_modelled', m.level, m.code, m.persons, m.dates, m.addresses,
       CASE WHEN m.persons IS NULL THEN 'Für Stadtbezirk ' || m.missing || ' liegt keine veröffentlichte Einwohnerzahl vor'
            WHEN c.code IS NOT NULL THEN 'Veröffentlicht: ' || round(c.published) || ' (' || c.reference_date || '), Abweichung '
                 || CASE WHEN c.error_pct >= 0 THEN '+' ELSE '−' END || replace(to_char(abs(c.error_pct), 'FM990.0'), '.', ',') || ' %'
            ELSE 'Aus ' || m.addresses || ' Adressen geschätzt' END,
       CASE WHEN m.persons IS NULL THEN 'No published population for district ' || m.missing
            WHEN c.code IS NOT NULL THEN 'Published: ' || round(c.published) || ' (' || c.reference_date || '), error '
                 || CASE WHEN c.error_pct >= 0 THEN '+' ELSE '−' END || to_char(abs(c.error_pct), 'FM990.0') || ' %'
            ELSE 'Estimated from ' || m.addresses || ' addresses' END
FROM drv_pop_unit m
LEFT JOIN drv_pop_check c ON m.level = 'quarter' AND c.code = m.code
WHERE EXISTS (SELECT 1 FROM indicator WHERE id = 'population_modelled');
