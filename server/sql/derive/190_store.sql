-- Computed indicators, last part: every collected value goes into indicator_value, as the newest of its kind,
-- with the method of its indicator, the source "computed by Quartiersatlas", and its note in German and English
-- (a JSON object {"de": …, "en": …}; published values carry plain text there).
INSERT INTO indicator_value (indicator_id, level, area_code, reference_date, value, method, source_id, note, is_latest,
                             basis_count)
SELECT v.indicator_id, v.level, v.code, v.reference_date, v.value, i.method, 'quartiersatlas',
       CASE WHEN v.note_de IS NOT NULL THEN jsonb_build_object('de', v.note_de, 'en', coalesce(v.note_en, v.note_de))::text END,
       true, v.basis_count
FROM drv_value v JOIN indicator i ON i.id = v.indicator_id;

RESET jit;
