-- Computed indicators, caveats: every indicator made from a category the data cover too thinly (category.incomplete,
-- from the manifest's osm.completeness) says so in its title and first in its method note, and every indicator made
-- from a subcategory with a warning (doctors from OpenStreetMap, about 2020) carries that warning. The title is
-- what every legend, table and council page shows, so the mark goes wherever the figure goes.

-- The category (and the subcategories, if narrowed) each indicator is made from: offers by category, coverage by target.
CREATE TEMP TABLE drv_caveat ON COMMIT DROP AS
SELECT f.indicator_id, c.code AS category, c.incomplete,
       (SELECT jsonb_object_agg(w.key, w.value) FROM jsonb_each(c.warnings) w
         WHERE t.subcategories IS NULL OR w.key = ANY (t.subcategories)) AS warnings,
       t.subcategories IS NOT NULL AND EXISTS (
         SELECT 1 FROM jsonb_object_keys(c.warnings) k WHERE k = ANY (t.subcategories)) AS only_warned
FROM indicator_facet f
LEFT JOIN drv_target t ON f.family = 'coverage' AND t.target = f.member
JOIN category c ON c.code = CASE f.family WHEN 'offers' THEN f.member WHEN 'coverage' THEN t.category END
WHERE f.family IN ('offers', 'coverage');

UPDATE indicator i SET
  title = jsonb_build_object('de', (i.title ->> 'de') || ' (Daten unvollständig)',
                             'en', (i.title ->> 'en') || ' (incomplete data)'),
  method_note = jsonb_build_object('de', 'Daten unvollständig: ' || (c.incomplete ->> 'de') || ' ' || (i.method_note ->> 'de'),
                                   'en', 'Incomplete data: ' || (c.incomplete ->> 'en') || ' ' || (i.method_note ->> 'en'))
FROM drv_caveat c
WHERE c.indicator_id = i.id AND c.incomplete IS NOT NULL;

-- A figure of the warned subcategory alone (access to a doctor's practice) is marked in its title too; a figure of
-- the whole category (health offers) carries the warning in its method note.
UPDATE indicator i SET
  title = CASE WHEN c.only_warned
               THEN jsonb_build_object('de', (i.title ->> 'de') || ' (Daten lückenhaft)', 'en', (i.title ->> 'en') || ' (patchy data)')
               ELSE i.title END,
  method_note = jsonb_build_object(
    'de', (SELECT string_agg(w.value ->> 'de', ' ' ORDER BY w.key) FROM jsonb_each(c.warnings) w) || ' ' || (i.method_note ->> 'de'),
    'en', (SELECT string_agg(w.value ->> 'en', ' ' ORDER BY w.key) FROM jsonb_each(c.warnings) w) || ' ' || (i.method_note ->> 'en'))
FROM drv_caveat c
WHERE c.indicator_id = i.id AND c.warnings IS NOT NULL AND c.warnings <> '{}'::jsonb;
