-- Computed indicators, part 3b: where the nearest-school index of an area comes from.
-- school_social_index_nearest_primary gives every address the index of its nearest primary school; an area whose
-- addresses lie nearest to a school in another area takes its value from there (Hostedde from a neighbour's school).
-- This indicator says how much: the share of the area's addresses whose nearest school (with an index) lies
-- outside the area, with the areas the schools lie in named in the note. The facet family 'provenance' ties it to
-- the indicator it explains, so the gap analysis can show it beside every need value.

-- drv_index_site and drv_index_from (part 3, 120_density_social.sql): the school sites with the piece each lies in,
-- and the addresses per piece and school piece.

INSERT INTO indicator (id, theme, title, description, unit, direction, method, method_note, source_ids, count_based, sort)
SELECT 'school_social_index_nearest_primary_borrowed', 'social',
  '{"de": "Schulsozialindex der nächsten Grundschule: Anteil der Adressen mit einer Schule außerhalb des Gebiets", "en": "School social index of the nearest primary school: share of addresses whose school lies outside the area"}',
  '{"de": "Woher der Wert des adressgewichteten Schulsozialindex stammt: der Anteil der Adressen eines Gebiets, deren nächste Grundschule (mit Sozialindex) in einem anderen Gebiet liegt. Ist er hoch, beschreibt der Index die Schülerschaft einer Schule nebenan, nicht das Gebiet selbst.", "en": "Where the value of the address-weighted school social index comes from: the share of an area''s addresses whose nearest primary school (with a social index) lies in another area. Where it is high, the index describes the pupils of a school next door, not the area itself."}',
  '%', 'neutral', 'computed',
  '{"de": "Berechnet: Jede Adresse erhält ihre nächste Grundschule mit Sozialindex (Luftlinie in Metern, Voronoi-Zerlegung wie beim Index selbst); gezählt werden die Adressen, deren Schule nicht im Gebiet liegt (Punkt in Polygon), geteilt durch alle Adressen des Gebiets. Die Notiz nennt die Gebiete, aus denen der Wert stammt.", "en": "Computed: every address gets its nearest primary school with a social index (straight line in metres, the Voronoi partition of the index itself); the addresses whose school does not lie in the area (point in polygon) are counted and divided by all addresses of the area. The note names the areas the value comes from."}',
  coalesce((SELECT array_agg(DISTINCT x ORDER BY x) FROM (SELECT source_id AS x FROM drv_primary UNION SELECT addresses FROM drv_source) s WHERE x IS NOT NULL), '{}'),
  true, 122
WHERE EXISTS (SELECT 1 FROM drv_index_site);

INSERT INTO indicator_facet (indicator_id, family, member, label, sort)
SELECT 'school_social_index_nearest_primary_borrowed', 'provenance', 'school_social_index_nearest_primary',
       '{"de": "Adressen mit einer Schule außerhalb des Gebiets", "en": "Addresses whose school lies outside the area"}', 0
WHERE EXISTS (SELECT 1 FROM drv_index_site);

-- Per unit: addresses, those whose school lies in a piece outside the unit, and where those schools are, per
-- quarter (the unit itself left out), largest first.
CREATE TEMP TABLE drv_index_borrowed ON COMMIT DROP AS
SELECT u.level, u.code, f.school_quarter, sum(f.n) AS n,
       NOT EXISTS (
         SELECT 1 FROM drv_rollup r2
         WHERE r2.level = u.level AND r2.code = u.code AND r2.quarter_code = f.school_quarter
           AND r2.action_area_code IS NOT DISTINCT FROM f.school_action_area
       ) AS outside
FROM drv_unit u
JOIN drv_rollup r ON r.level = u.level AND r.code = u.code
JOIN drv_index_from f ON f.quarter_code = r.quarter_code AND f.action_area_code IS NOT DISTINCT FROM r.action_area_code
GROUP BY u.level, u.code, f.school_quarter, f.school_action_area;

INSERT INTO drv_value
SELECT 'school_social_index_nearest_primary_borrowed', u.level, u.code,
       100.0 * coalesce(sum(b.n) FILTER (WHERE b.outside), 0) / nullif(sum(b.n), 0),
       (SELECT string_agg(DISTINCT reference_date, '/' ORDER BY reference_date) FROM drv_primary WHERE idx IS NOT NULL),
       coalesce(sum(b.n), 0),
       CASE WHEN sum(b.n) IS NULL THEN 'Keine Adressen oder keine Grundschule mit Sozialindex'
            ELSE coalesce(sum(b.n) FILTER (WHERE b.outside), 0) || ' von ' || sum(b.n) || ' Adressen nehmen den Index einer Schule außerhalb'
                 || coalesce(': ' || (SELECT string_agg(q.name || ' ' || o.n, ', ' ORDER BY o.n DESC, q.name)
                                      FROM (SELECT ib.school_quarter, sum(ib.n) AS n FROM drv_index_borrowed ib
                                            WHERE ib.level = u.level AND ib.code = u.code AND ib.outside GROUP BY 1) o
                                      JOIN area q ON q.level = 'quarter' AND q.code = o.school_quarter), '') END,
       CASE WHEN sum(b.n) IS NULL THEN 'No addresses or no primary school with a social index'
            ELSE coalesce(sum(b.n) FILTER (WHERE b.outside), 0) || ' of ' || sum(b.n) || ' addresses take the index of a school outside'
                 || coalesce(': ' || (SELECT string_agg(q.name || ' ' || o.n, ', ' ORDER BY o.n DESC, q.name)
                                      FROM (SELECT ib.school_quarter, sum(ib.n) AS n FROM drv_index_borrowed ib
                                            WHERE ib.level = u.level AND ib.code = u.code AND ib.outside GROUP BY 1) o
                                      JOIN area q ON q.level = 'quarter' AND q.code = o.school_quarter), '') END
FROM drv_unit u
LEFT JOIN drv_index_borrowed b ON b.level = u.level AND b.code = u.code
WHERE EXISTS (SELECT 1 FROM drv_index_site)
GROUP BY u.level, u.code;
