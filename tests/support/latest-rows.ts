import type { LatestByIndicator, LatestRow } from '../../server/db/queries/indicators.ts';

/** Newest values as the database gives them, from [indicator, area, value, basis count] rows (dated 2024-12-31). */
export function latest(rows: [string, string, number | null, number | null][]): LatestByIndicator {
  const m: LatestByIndicator = new Map();
  for (const [indicator_id, area_code, value, basis_count] of rows) {
    const r: LatestRow = {
      indicator_id,
      area_code,
      value,
      basis_count,
      reference_date: '2024-12-31',
      method: 'computed',
      source_id: 'stats',
      source_url: null,
      quote: null,
      note: null,
    };
    if (!m.has(indicator_id)) m.set(indicator_id, new Map());
    m.get(indicator_id)?.set(area_code, r);
  }
  return m;
}
